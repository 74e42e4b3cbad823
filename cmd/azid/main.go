// Command azid inspects Microsoft Entra ID tokens and App Service Easy Auth.
package main

import (
	"os"

	"github.com/azid-cli/azid/pkg/app"
)

func main() { os.Exit(app.Main()) }
