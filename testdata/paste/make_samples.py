#!/usr/bin/env python3
"""Writes the pasted-input samples azid's golden tests read, the way real tools print them.

Run from this directory: python3 make_samples.py. The tokens are unsigned test tokens
(fixed claims, a dummy signature); nothing here is a real credential.
"""
import base64, json, pprint

def b64u(d):
    return base64.urlsafe_b64encode(json.dumps(d, separators=(",", ":")).encode()).rstrip(b"=").decode()

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
APP = "6e74172b-be56-4843-9ff4-e66a39bb12e3"
hdr = {"typ": "JWT", "alg": "RS256", "kid": "test-key-1"}
id_claims = {"aud": APP, "iss": f"https://login.microsoftonline.com/{TENANT}/v2.0", "iat": 1764700000,
             "nbf": 1764700000, "exp": 1764703600, "name": "Ada Lovelace", "oid": "00000000-0000-0000-0000-00000000a11e",
             "preferred_username": "ada@contoso.com", "sub": "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",
             "tid": TENANT, "ver": "2.0", "nonce": "abc123"}
at_claims = {"aud": "api://" + APP, "iss": f"https://sts.windows.net/{TENANT}/", "iat": 1764700000, "nbf": 1764700000,
             "exp": 1764703600, "appid": APP, "oid": "00000000-0000-0000-0000-00000000a11e", "scp": "user_impersonation",
             "tid": TENANT, "upn": "ada@contoso.com", "ver": "1.0", "name": "Ada Lovelace"}
SIG = "c2lnbmF0dXJlLW5vdC12YWxpZC1mb3ItdGVzdHMtb25seS0wMTIzNDU2Nzg5"
ID_TOKEN = b64u(hdr) + "." + b64u(id_claims) + "." + SIG
ACCESS_TOKEN = b64u(hdr) + "." + b64u(at_claims) + "." + SIG
principal = {"auth_typ": "aad", "claims": [
    {"typ": "aud", "val": APP},
    {"typ": "iss", "val": f"https://login.microsoftonline.com/{TENANT}/v2.0"},
    {"typ": "name", "val": "Ada Lovelace"},
    {"typ": "http://schemas.microsoft.com/identity/claims/objectidentifier", "val": "00000000-0000-0000-0000-00000000a11e"},
    {"typ": "preferred_username", "val": "ada@contoso.com"},
    {"typ": "roles", "val": "Reader"},
    {"typ": "http://schemas.microsoft.com/identity/claims/tenantid", "val": TENANT}],
    "name_typ": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
    "role_typ": "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"}
PRINCIPAL = base64.b64encode(json.dumps(principal).encode()).decode()

# What Streamlit's _get_websocket_headers() / dict(st.context.headers) returns behind App Service.
headers = {
    "Host": "contoso.azurewebsites.net",
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    "Accept-Encoding": "gzip, deflate, br",
    "Cookie": "AppServiceAuthSession=REDACTED",
    "Max-Forwards": "10",
    "X-Arr-Ssl": "2048|256|CN=Microsoft Azure RSA TLS Issuing CA 04",
    "X-Ms-Client-Principal": PRINCIPAL,
    "X-Ms-Client-Principal-Id": "00000000-0000-0000-0000-00000000a11e",
    "X-Ms-Client-Principal-Idp": "aad",
    "X-Ms-Client-Principal-Name": "ada@contoso.com",
    "X-Ms-Token-Aad-Access-Token": ACCESS_TOKEN,
    "X-Ms-Token-Aad-Expires-On": "2025-12-02T19:46:40.0000000Z",
    "X-Ms-Token-Aad-Id-Token": ID_TOKEN,
    "X-Original-Url": "/_stcore/stream",
    "X-Forwarded-For": "203.0.113.7:50123",
    "X-Forwarded-Proto": "https",
    "Sec-Websocket-Version": "13",
    "Upgrade": "websocket",
}
msal = {"token_type": "Bearer", "scope": "api://" + APP + "/user_impersonation", "expires_in": 4385, "ext_expires_in": 4385,
        "access_token": ACCESS_TOKEN, "refresh_token": "1.AXkAv4j5cvGGr0GRqy180BHbRysXdG5WvkNIn_TmajmHEuN5AM55AA.AgABAwEAAAApTwJmzXqdR4BN2miheQMYAgDs_wUA9P_hTF9",
        "id_token": ID_TOKEN, "client_info": "eyJ1aWQiOiIwMDAwIiwidXRpZCI6IjcyZjk4OGJmIn0",
        "id_token_claims": id_claims, "token_source": "identity_provider"}
# A Google sign-in's /.auth/me: an opaque access token beside a JWT ID token.
google_me = [{"access_token": "ya29.a0AfB_byC-opaque-google-access-token-0123456789", "expires_on": "2025-12-02T19:46:40.0000000Z",
              "id_token": ID_TOKEN, "provider_name": "google", "user_claims": [{"typ": "name", "val": "Ada Lovelace"}], "user_id": "ada@gmail.com"}]

def write(name, text):
    with open(name, "w") as f:
        f.write(text)

write("streamlit_headers_print.txt", str(headers) + "\n")                 # print(headers)
write("streamlit_headers_pprint.txt", pprint.pformat(headers) + "\n")     # pprint.pprint(headers)
write("streamlit_headers_assign.txt", "headers = " + repr(headers) + "\n")
# st.write(headers) renders a JSON viewer; copying its text gives one member a line, no commas
write("streamlit_stwrite_copy.txt", "{\n" + "\n".join(f'"{k}":"{v}"' for k, v in headers.items()) + "\n}\n")
write("msal_response_print.txt", str(msal) + "\n")
write("msal_response_pprint.txt", pprint.pformat(msal, width=100) + "\n")
write("google_auth_me.json", json.dumps(google_me, indent=2) + "\n")
write("client_principal.txt", PRINCIPAL + "\n")
write("client_principal_unpadded.txt", PRINCIPAL.rstrip("=") + "\n")
write("header_line.txt", "X-MS-TOKEN-AAD-ID-TOKEN: " + ID_TOKEN + "\n")
write("json_fragment.txt", '  "access_token": "' + ACCESS_TOKEN + '",\n')
write("log_line.txt", "2025-12-02 19:06:41,883 INFO app.auth: got token=" + ACCESS_TOKEN + " for user ada@contoso.com\n")
write("curl_command.txt", "curl -sS https://graph.microsoft.com/v1.0/me \\\n  -H \"Authorization: Bearer " + ACCESS_TOKEN + "\" \\\n  -H 'Accept: application/json'\n")
write("token_object.json", json.dumps({"token": ID_TOKEN}) + "\n")
write("credential_object.json", json.dumps({"clientId": APP, "credential": ID_TOKEN, "select_by": "btn"}) + "\n")
write("two_tokens_text.txt", "id: " + ID_TOKEN + "\naccess: " + ACCESS_TOKEN + "\n")

# Answers of /.auth/me as users save them: the body, or what `curl -v … 2>&1` and `curl -i` print.
write("auth_me_empty.json", "[]\n")
write("auth_me_swa_null.json", '{"clientPrincipal":null}\n')
write("auth_me_aad.json", json.dumps([{"access_token": ACCESS_TOKEN, "expires_on": "2025-12-02T19:46:40.0000000Z", "id_token": ID_TOKEN,
    "provider_name": "aad", "user_claims": principal["claims"], "user_id": "ada@contoso.com"}], indent=2) + "\n")
LOCATION = ("https://login.microsoftonline.com/" + TENANT + "/oauth2/v2.0/authorize?response_type=code+id_token"
            "&redirect_uri=https%3A%2F%2Fcontoso.azurewebsites.net%2F.auth%2Flogin%2Faad%2Fcallback&client_id=" + APP +
            "&scope=openid+profile+email&response_mode=form_post&nonce=2f1b9a3c8d7e4f60a1b2c3d4e5f60718_20251202191500"
            "&state=redir%3D%252F.auth%252Fme")
CURL_HEAD = ("* Host contoso.azurewebsites.net:443 was resolved.\n* IPv6: (none)\n* IPv4: 20.119.8.42\n"
             "*   Trying 20.119.8.42:443...\n* Connected to contoso.azurewebsites.net (20.119.8.42) port 443\n"
             "* ALPN: curl offers h2,http/1.1\n} [5 bytes data]\n* TLSv1.3 (OUT), TLS handshake, Client hello (1):\n"
             "{ [122 bytes data]\n* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384 / X25519 / RSASSA-PSS\n"
             "* using HTTP/2\n} [5 bytes data]\n> GET /.auth/me HTTP/2\n> Host: contoso.azurewebsites.net\n"
             "> User-Agent: curl/8.5.0\n> Accept: */*\n>\n{ [5 bytes data]\n")
write("curl_v_auth_me_302.txt", CURL_HEAD + "< HTTP/2 302\n< content-length: 0\n< location: " + LOCATION +
      "\n< set-cookie: Nonce=REDACTED; path=/; secure; HttpOnly; SameSite=None\n< date: Tue, 02 Dec 2025 19:15:00 GMT\n<\n"
      "* Connection #0 to host contoso.azurewebsites.net left intact\n")
write("curl_v_auth_me_401.txt", CURL_HEAD.replace("> Accept: */*\n", "> Accept: */*\n> Cookie: AppServiceAuthSession=REDACTED\n") +
      "< HTTP/2 401\n< content-length: 58\n< content-type: text/html\n< www-authenticate: Bearer realm=\"contoso.azurewebsites.net\" authorization_uri=\"https://login.microsoftonline.com/" + TENANT + "/oauth2/v2.0/authorize\" resource_id=\"" + APP + "\"\n"
      "< date: Tue, 02 Dec 2025 19:15:00 GMT\n<\n{ [58 bytes data]\nYou do not have permission to view this directory or page.\n"
      "* Connection #0 to host contoso.azurewebsites.net left intact\n")
write("curl_v_auth_me_empty.txt", CURL_HEAD + "< HTTP/2 200\n< content-length: 2\n< content-type: application/json; charset=utf-8\n"
      "< date: Tue, 02 Dec 2025 19:15:00 GMT\n<\n{ [2 bytes data]\n[]* Connection #0 to host contoso.azurewebsites.net left intact\n")
write("curl_i_auth_me_200.txt", "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nContent-Type: application/json; charset=utf-8\r\n"
      "Date: Tue, 02 Dec 2025 19:15:00 GMT\r\n\r\n" + json.dumps([{"access_token": ACCESS_TOKEN, "expires_on": "2025-12-02T19:46:40.0000000Z",
      "id_token": ID_TOKEN, "provider_name": "aad", "user_claims": principal["claims"], "user_id": "ada@contoso.com"}]) + "\n")
write("curl_v_swa_auth_me_null.txt", CURL_HEAD.replace("contoso.azurewebsites.net", "polite-sea-0a1b2c3d4.5.azurestaticapps.net") +
      "< HTTP/2 200\n< content-type: application/json\n< content-length: 24\n<\n{\"clientPrincipal\":null}\n")

# Entra errors as users paste them: the line from an exception, the JSON error response of the
# token endpoint, the redirect back to the app, and the text copied from the sign-in error page.
TRACE, CORR, TS = "0c5f1c1e-2b3a-4d5e-8f90-1a2b3c4d5e6f", "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d", "2025-12-02 19:15:00Z"
MSG50011 = ("AADSTS50011: The redirect URI 'https://contoso.azurewebsites.net/.auth/login/aad/callback' specified in the request "
            "does not match the redirect URIs configured for the application '" + APP + "'. Make sure the redirect URI sent in the "
            "request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError "
            "to learn more about how to fix this.")
write("error_line_50011.txt", "msal.exceptions.AuthError: " + MSG50011.split(". Make sure")[0] + ".\n")
write("error_json_9002326.json", json.dumps({"error": "invalid_request", "error_description":
      "AADSTS9002326: Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type. Request origin: "
      "'http://localhost:4200'. Trace ID: " + TRACE + " Correlation ID: " + CORR + " Timestamp: " + TS, "error_codes": [9002326],
      "timestamp": TS, "trace_id": TRACE, "correlation_id": CORR, "error_uri": "https://login.microsoftonline.com/error?code=9002326"}) + "\n")
from urllib.parse import urlencode, quote_plus
write("error_redirect_700054.txt", "https://contoso.azurewebsites.net/.auth/login/aad/callback#" + urlencode({"error": "invalid_request",
      "error_description": "AADSTS700054: response_type 'id_token' is not enabled for the application.\r\nTrace ID: " + TRACE +
      "\r\nCorrelation ID: " + CORR + "\r\nTimestamp: " + TS, "state": "redir=%2F"}, quote_via=quote_plus) + "\n")
write("error_page_50011.txt", "Sign in\n\nSorry, but we're having trouble signing you in.\n\n" + MSG50011 + "\n\nTroubleshooting details\n"
      "If you contact your administrator, send this info to them.\nCopy info to clipboard\nRequest Id: " + TRACE + "\nCorrelation Id: " +
      CORR + "\nTimestamp: 2025-12-02T19:15:00.123Z\nMessage: " + MSG50011 + "\n\nAdvanced diagnostics: Disable\n")
