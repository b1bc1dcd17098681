"""incwo's authentication: HTTP Basic with a user's login and password, or the API key as the login.

Without credentials the answer is 401 with `WWW-Authenticate: Basic
realm="Application"` (the realm Rails' `authenticate_or_request_with_http_basic`
sends). A signed-in browser session works too, as on every dialect.
"""

from __future__ import annotations

from dialects.authentication import BasicAuthentication

REALM = "Application"


class IncwoBasicAuthentication(BasicAuthentication):
    realm = REALM
