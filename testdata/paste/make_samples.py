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
