// Command browser is a scripted web browser for azid's end-to-end tests: it
// GETs the URL it is given (the fake IdP's authorize endpoint, which then
// posts the code to azid's loopback redirect), trusting AZID_CA_FILE.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
)

func main() {
	pool := x509.NewCertPool()
	if pem, err := os.ReadFile(os.Getenv("AZID_CA_FILE")); err == nil {
		pool.AppendCertsFromPEM(pem)
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := c.Get(os.Args[1])
	if err != nil {
		os.Exit(1)
	}
	resp.Body.Close()
}
