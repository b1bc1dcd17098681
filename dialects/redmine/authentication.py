"""How Redmine clients authenticate (docs/redmine.md, "Authentication"): the API key as `key=`,
in X-Redmine-API-Key, or as Basic's user name; a password with Basic; a web form's own key.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from rest_framework.request import Request

from contacts.selectors import webform_for_key
from dialects.authentication import (
    ApiKeyHeaderAuthentication,
    ApiKeyQueryAuthentication,
    BasicAuthentication,
    InvalidApiKey,
    WebFormKeyAuthentication,
)


class RedmineKeyAuthentication(ApiKeyQueryAuthentication):
    query_param = "key"


class RedmineHeaderAuthentication(ApiKeyHeaderAuthentication):
    header = "X-Redmine-API-Key"


class RedmineBasicAuthentication(BasicAuthentication):
    realm = "Redmine API"


class WebFormPathKeyAuthentication(WebFormKeyAuthentication):
    """The web form named by the key in the path of its own route, `/forms/<key>/`."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        key = (request.parser_context or {}).get("kwargs", {}).get("key", "")
        webform = webform_for_key(key=key)
        if webform is None:
            raise InvalidApiKey("Unknown web form key.")
        return AnonymousUser(), webform
