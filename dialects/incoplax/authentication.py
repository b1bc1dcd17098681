"""Incoplax credentials: `Authorization: Bearer <api key>`, HTTP Basic (password, or the key as
user name), or a signed-in browser session (with CSRF for writes). A client without any gets
401 with `WWW-Authenticate: Bearer realm="addressbook"`."""

from __future__ import annotations

from dialects.authentication import BasicAuthentication, BearerKeyAuthentication, SessionAuthentication

REALM = "addressbook"


class IncoplaxBearerAuthentication(BearerKeyAuthentication):
    keyword = "Bearer"


class IncoplaxBasicAuthentication(BasicAuthentication):
    realm = REALM


AUTHENTICATION_CLASSES = [IncoplaxBearerAuthentication, IncoplaxBasicAuthentication, SessionAuthentication]
CHALLENGE = f'Bearer realm="{REALM}"'
