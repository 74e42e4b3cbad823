// Package status implements `azid status`: the accounts and tokens in the
// token cache, never a secret.
package status

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/entra"
	signin "github.com/azid-cli/azid/pkg/login"
	"github.com/azid-cli/azid/pkg/output"
)

// AccountStatus is one cached account and its tokens.
type AccountStatus struct {
	Username        string        `json:"username"`
	HomeAccountID   string        `json:"home_account_id"`
	TenantID        string        `json:"tenant_id"`
	Environment     string        `json:"environment"`
	Cloud           entra.Cloud   `json:"cloud"`
	HasRefreshToken bool          `json:"has_refresh_token"`
	Tokens          []TokenStatus `json:"tokens"`
}

// TokenStatus is one cached access token, without its secret.
type TokenStatus struct {
	Scopes    []string  `json:"scopes"`
	ClientID  string    `json:"client_id"`
	Tenant    string    `json:"tenant"`
	ExpiresAt time.Time `json:"expires_at"`
	Expired   bool      `json:"expired"`
}

// Status is the JSON form of `azid status`.
type Status struct {
	Cache    string          `json:"cache"`
	Accounts []AccountStatus `json:"accounts"`
}

// cacheFile is the part of MSAL's unified cache schema status reads.
type cacheFile struct {
	AccessToken map[string]struct {
		HomeAccountID string `json:"home_account_id"`
		Environment   string `json:"environment"`
		Realm         string `json:"realm"`
		ClientID      string `json:"client_id"`
		Target        string `json:"target"`
		ExpiresOn     string `json:"expires_on"`
	} `json:"AccessToken"`
	RefreshToken map[string]struct {
		HomeAccountID string `json:"home_account_id"`
	} `json:"RefreshToken"`
	Account map[string]struct {
		HomeAccountID string `json:"home_account_id"`
		Environment   string `json:"environment"`
		Realm         string `json:"realm"`
		Username      string `json:"username"`
	} `json:"Account"`
}

// Read summarises the cache file at path.
func Read(path string, now time.Time) (*Status, error) {
	st := &Status{Cache: path, Accounts: []AccountStatus{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the token cache: %w", err)
	}
	var c cacheFile
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("the token cache %s is not readable (azid token or login will move it aside)", path)
	}
	byHome := map[string]*AccountStatus{}
	for _, a := range c.Account {
		as := &AccountStatus{Username: a.Username, HomeAccountID: a.HomeAccountID, Environment: a.Environment, Cloud: entra.CloudOfHost(hostname(a.Environment)), Tokens: []TokenStatus{}}
		if _, utid, ok := strings.Cut(a.HomeAccountID, "."); ok {
			as.TenantID = utid
		} else {
			as.TenantID = a.Realm
		}
		byHome[a.HomeAccountID] = as
	}
	for _, rt := range c.RefreshToken {
		if as := byHome[rt.HomeAccountID]; as != nil {
			as.HasRefreshToken = true
		}
	}
	for _, at := range c.AccessToken {
		as := byHome[at.HomeAccountID]
		if as == nil {
			continue // app-only tokens (service principals) belong to no account
		}
		n, _ := strconv.ParseInt(at.ExpiresOn, 10, 64)
		exp := time.Unix(n, 0).UTC()
		as.Tokens = append(as.Tokens, TokenStatus{Scopes: strings.Fields(at.Target), ClientID: at.ClientID, Tenant: at.Realm, ExpiresAt: exp, Expired: !now.Before(exp)})
	}
	for _, as := range byHome {
		sort.Slice(as.Tokens, func(i, j int) bool { return as.Tokens[i].ExpiresAt.Before(as.Tokens[j].ExpiresAt) })
		st.Accounts = append(st.Accounts, *as)
	}
	sort.Slice(st.Accounts, func(i, j int) bool { return st.Accounts[i].Username < st.Accounts[j].Username })
	return st, nil
}

func hostname(env string) string {
	if u, err := url.Parse("https://" + env); err == nil {
		return u.Hostname()
	}
	return env
}

// NewCmd builds the status command.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "List the signed-in accounts and the tokens held for each (no secrets)",
		Args:  cmdutil.MaximumArgs(0, "status takes no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			home, err := cmdutil.Home(f)
			if err != nil {
				return err
			}
			now := f.Now()
			st, err := Read(filepath.Join(home, signin.CacheFileName), now)
			if err != nil {
				return err
			}
			if format := f.Global.Format(); format != output.FormatText {
				return output.Write(f.IOStreams.Out, format, st)
			}
			out := f.IOStreams.Out
			if len(st.Accounts) == 0 {
				fmt.Fprintln(out, "not signed in (run azid login)")
				return nil
			}
			p := output.NewPalette(f.IOStreams.ColorOut())
			for i, a := range st.Accounts {
				if i > 0 {
					fmt.Fprintln(out)
				}
				fmt.Fprintf(out, "%s\n", p.Bold(output.Sanitize(a.Username)))
				fmt.Fprintf(out, "  %s  %s\n", p.Dim("tenant      "), output.Sanitize(a.TenantID))
				fmt.Fprintf(out, "  %s  %s (%s)\n", p.Dim("cloud       "), output.Sanitize(a.Environment), a.Cloud.Description())
				fmt.Fprintf(out, "  %s  %s\n", p.Dim("home account"), output.Sanitize(a.HomeAccountID))
				rt := "no"
				if a.HasRefreshToken {
					rt = "yes (silent refresh possible)"
				}
				fmt.Fprintf(out, "  %s  %s\n", p.Dim("refresh tok."), rt)
				for _, t := range a.Tokens {
					when := "expires " + output.Relative(t.ExpiresAt, now)
					if t.Expired {
						when = p.Yellow("expired " + output.Relative(t.ExpiresAt, now))
					}
					fmt.Fprintf(out, "  %s  %s · %s\n", p.Dim("access token"), output.Sanitize(strings.Join(t.Scopes, " ")), when)
				}
			}
			return nil
		},
	}
}
