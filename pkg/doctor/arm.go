package doctor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
)

// ARMAccess is what reading the site's configuration from Azure Resource
// Manager takes. Token is a secret: it goes to Endpoint only.
type ARMAccess struct {
	// Endpoint is ARM's base URL (https://management.azure.com).
	Endpoint string
	Token    string
	// SiteID is the site's resource ID; empty: found by host name with
	// Azure Resource Graph.
	SiteID string
}

// AuthSettingsV2 is the part of a site's config/authsettingsV2 (read without
// secrets) the doctor uses.
type AuthSettingsV2 struct {
	Platform struct {
		Enabled bool `json:"enabled"`
	} `json:"platform"`
	GlobalValidation struct {
		RequireAuthentication       bool     `json:"requireAuthentication"`
		UnauthenticatedClientAction string   `json:"unauthenticatedClientAction"`
		RedirectToProvider          string   `json:"redirectToProvider"`
		ExcludedPaths               []string `json:"excludedPaths"`
	} `json:"globalValidation"`
	IdentityProviders struct {
		AzureActiveDirectory *struct {
			Enabled      *bool `json:"enabled"`
			Registration struct {
				OpenIDIssuer            string `json:"openIdIssuer"`
				ClientID                string `json:"clientId"`
				ClientSecretSettingName string `json:"clientSecretSettingName"`
			} `json:"registration"`
			Login struct {
				LoginParameters        []string `json:"loginParameters"`
				DisableWWWAuthenticate bool     `json:"disableWWWAuthenticate"`
			} `json:"login"`
			Validation struct {
				AllowedAudiences []string `json:"allowedAudiences"`
			} `json:"validation"`
		} `json:"azureActiveDirectory"`
	} `json:"identityProviders"`
	Login struct {
		TokenStore struct {
			Enabled                    bool     `json:"enabled"`
			TokenRefreshExtensionHours *float64 `json:"tokenRefreshExtensionHours"`
			FileSystem                 *struct {
				Directory string `json:"directory"`
			} `json:"fileSystem"`
			AzureBlobStorage *struct {
				SASURLSettingName string `json:"sasUrlSettingName"`
			} `json:"azureBlobStorage"`
		} `json:"tokenStore"`
	} `json:"login"`
	HTTPSettings struct {
		ForwardProxy struct {
			Convention            string `json:"convention"`
			CustomHostHeaderName  string `json:"customHostHeaderName"`
			CustomProtoHeaderName string `json:"customProtoHeaderName"`
		} `json:"forwardProxy"`
	} `json:"httpSettings"`
}

// Site is what ARM says about the app.
type Site struct {
	ID   string
	Kind string
}

// ARM API versions.
const (
	resourceGraphAPI = "2021-03-01"
	webAppsAPI       = "2022-03-01"
)

var (
	hostName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$`) })
	siteID   = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[-\w._()]{1,90}/providers/Microsoft\.Web/sites/[-\w]{1,60}(/slots/[-\w]{1,60})?$`)
	})
)

// ErrBadSiteID means a site ID is not /subscriptions/…/providers/Microsoft.Web/sites/NAME.
var ErrBadSiteID = errors.New("not a site resource ID (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Web/sites/<name>)")

// CheckSiteID validates a site resource ID.
func CheckSiteID(id string) error {
	if !siteID().MatchString(id) {
		return ErrBadSiteID
	}
	return nil
}

// armError is an ARM error answer, kept to its code and status.
type armError struct {
	Status int
	Code   string
}

func (e *armError) Error() string {
	if e.Code != "" {
		return fmt.Sprintf("HTTP %d %s", e.Status, e.Code)
	}
	return fmt.Sprintf("HTTP %d", e.Status)
}

// arm makes one ARM request with the token and decodes the JSON answer.
func (d *doctor) arm(ctx context.Context, method, path string, body any, out any) error {
	a := d.opts.ARM
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(data)
	}
	target := strings.TrimSuffix(a.Endpoint, "/") + path
	if d.opts.Progress != nil {
		d.opts.Progress(method + " " + target)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+a.Token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return &RequestError{URL: target, Err: unwrapURLError(err)}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return &RequestError{URL: target, Err: err}
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error struct {
				Code string `json:"code"`
			} `json:"error"`
		}
		_ = json.Unmarshal(data, &e)
		return &armError{Status: resp.StatusCode, Code: e.Error.Code}
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("ARM answered something other than JSON: %w", err)
	}
	return nil
}

// findSite asks Azure Resource Graph for the site with the app's host name.
func (d *doctor) findSite(ctx context.Context, host string) ([]Site, error) {
	host = strings.ToLower(host)
	if h, _, ok := strings.Cut(host, ":"); ok {
		host = h
	}
	if !hostName().MatchString(host) {
		return nil, errors.New("the host name cannot be looked up")
	}
	q := "resources | where type in~ ('microsoft.web/sites', 'microsoft.web/sites/slots') | mv-expand hostName = properties.hostNames" +
		" | where tostring(hostName) =~ '" + host + "' | project id, name, type, kind"
	var res struct {
		Data []struct {
			ID   string `json:"id"`
			Kind string `json:"kind"`
		} `json:"data"`
	}
	if err := d.arm(ctx, http.MethodPost, "/providers/Microsoft.ResourceGraph/resources?api-version="+resourceGraphAPI,
		map[string]any{"query": q}, &res); err != nil {
		return nil, err
	}
	var sites []Site
	for _, r := range res.Data {
		sites = append(sites, Site{ID: r.ID, Kind: r.Kind})
	}
	return sites, nil
}

// armChecks reads the site's configuration and cross-checks it (D16).
func (d *doctor) armChecks(ctx context.Context) {
	c := Check{ID: IDARMConfig, Docs: DocsFileConfig}
	a := d.opts.ARM
	if p := d.rep.Platform; a.SiteID == "" && (p == ContainerApps || p == StaticWebApps) {
		d.rep.add(skipped(IDARMConfig, "reading the configuration is built for App Service sites only ("+p.Description()+" keeps it elsewhere)", DocsFileConfig))
		return
	}
	site := Site{ID: a.SiteID}
	if site.ID == "" {
		sites, err := d.findSite(ctx, d.host)
		switch {
		case err != nil:
			c.Status, c.Summary = Warn, "could not look the site up in Azure Resource Graph: "+d.armDescribe(err)
			d.rep.add(c)
			return
		case len(sites) == 0:
			c.Status, c.Summary = Warn, "no App Service site with the host name "+d.host+" among the subscriptions the signed-in account can read: give the site's resource ID"
			d.rep.add(c)
			return
		case len(sites) > 1:
			c.Evidence = append(c.Evidence, fmt.Sprintf("%d sites have this host name; the first is read", len(sites)))
		}
		site = sites[0]
		c.Evidence = append(c.Evidence, "found by host name: "+site.ID)
	}
	var doc struct {
		Properties AuthSettingsV2 `json:"properties"`
	}
	if err := d.arm(ctx, http.MethodGet, site.ID+"/config/authsettingsV2?api-version="+webAppsAPI, nil, &doc); err != nil {
		var ae *armError
		c.Status = Warn
		switch {
		case errors.As(err, &ae) && ae.Status == http.StatusForbidden:
			c.Summary = "no read access to the site's configuration (" + ae.Error() + "): the Reader role on the site is enough"
		case errors.As(err, &ae) && ae.Status == http.StatusNotFound:
			c.Summary = "the site " + site.ID + " was not found (" + ae.Error() + ")"
		default:
			c.Summary = "could not read config/authsettingsV2: " + d.armDescribe(err)
		}
		d.rep.add(c)
		return
	}
	c.Status = OK
	c.Summary = "read " + site.ID + "/config/authsettingsV2 (without secrets)"
	d.rep.add(c)
	d.configChecks(&doc.Properties, site)
}

func (d *doctor) armDescribe(err error) string {
	var re *RequestError
	if errors.As(err, &re) {
		return d.describe(err)
	}
	return err.Error()
}
