"""How ONLYOFFICE clients authenticate: a signed token from POST api/2.0/authentication, sent as
`Authorization: <token>` with no scheme word (docs/onlyoffice.md, "Authentication")."""

from __future__ import annotations

from datetime import timedelta

from rest_framework.throttling import AnonRateThrottle

from dialects.authentication import SignedTokenAuthentication


class OnlyofficeTokenAuthentication(SignedTokenAuthentication):
    """`Authorization: <token>` with no scheme word, from POST api/2.0/authentication."""

    salt = "dialects.onlyoffice.token"
    max_age = timedelta(hours=24)


class AuthenticationThrottle(AnonRateThrottle):
    """Slows password guessing: a few attempts per address per minute."""

    rate = "20/min"
