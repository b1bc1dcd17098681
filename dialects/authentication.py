"""DRF authentication classes for the API key in every form the dialects use, plus the session.

One `ApiKey` per user is accepted by every dialect; what differs is where the
key travels. Each class is configured by class attributes, so a dialect picks
and tunes them in its views:

- `ApiKeyQueryAuthentication`: `?key=` (and, if `form_field` is set, a form field);
- `ApiKeyHeaderAuthentication`: a header, `header = "X-Redmine-API-Key"`;
- `BasicAuthentication`: HTTP Basic with username:password, or the key as username;
- `password_user()`: the one place a dialect checks a password, throttled by django-axes;
- `BearerKeyAuthentication`: `Authorization: Bearer <key>` (or another `keyword`);
- `SessionAuthentication`: a signed-in browser, CSRF enforced on unsafe methods;
- `SignedTokenAuthentication`: a token this server signed and `issue()`d (ONLYOFFICE's
  `POST authentication`), bare in the Authorization header or after a `keyword`;
- `WebFormKeyAuthentication`: a web form's own key in a posted form body; the
  request then acts for no user (`request.auth` is the WebForm) and
  `WebFormMayCreate` lets it create contacts only. A user's API key sent as a
  form key is refused: it must never sit in a public page.

A wrong key raises `InvalidApiKey`, whose 401 carries no WWW-Authenticate
challenge (Redmine leaves it out when a key was given but was wrong). A
missing one lets the next class try; with none left the view answers 401
with its dialect's challenge.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core import signing
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from contacts.models import WebForm
from contacts.selectors import apikey_get, webform_for_key
from contacts.services import apikey_mark_used

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class InvalidApiKey(exceptions.AuthenticationFailed):
    """A key was sent but matches no active user's key."""

    challenge = False
    default_detail = "Invalid API key."


def user_for_key(key: str) -> Any:
    """The active user owning `key`, or raise InvalidApiKey."""
    api_key = apikey_get(key=key.strip())
    if api_key is None:
        raise InvalidApiKey()
    apikey_mark_used(api_key=api_key)
    return api_key.user


def password_user(request: Request, *, username: str, password: str) -> Any:
    """The active user with this username and password, or None.

    Every password a dialect receives is checked here, through django-axes: once the account
    or the address has failed too often, the password is not even hashed and the request is
    refused with Throttled (429 with Retry-After, in the dialect's own error format).
    """
    django_request = request._request
    user = authenticate(request=django_request, username=username, password=password)
    if getattr(django_request, "axes_locked_out", False):
        # The dialect answers in its own format; axes' middleware would replace it with a page.
        django_request.axes_locked_out = False
        raise exceptions.Throttled(wait=settings.AXES_COOLOFF_TIME.total_seconds())
    return user if user is not None and user.is_active else None


def form_value(request: Request, name: str) -> str:
    """A top-level field of a posted form body (parsed by the view's own parsers), or ""."""
    if request.method != "POST" or not request.content_type.startswith(FORM_TYPES):
        return ""
    data = request.data
    value = data.get(name) if isinstance(data, Mapping) else None
    return value.strip() if isinstance(value, str) else ""


class ApiKeyQueryAuthentication(authentication.BaseAuthentication):
    """The key in the query string (`?key=`), optionally also in a form body field."""

    query_param: ClassVar[str] = "key"
    form_field: ClassVar[str | None] = None

    def get_key(self, request: Request) -> str | None:
        key = request.query_params.get(self.query_param)
        if not key and self.form_field:
            key = form_value(request, self.form_field)
        return key or None

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        key = self.get_key(request)
        if key is None:
            return None
        return user_for_key(key), key


class ApiKeyHeaderAuthentication(authentication.BaseAuthentication):
    """The key in a header of the dialect's choosing."""

    header: ClassVar[str] = "X-Api-Key"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        key = request.headers.get(self.header)
        if not key:
            return None
        return user_for_key(key), key


class BasicAuthentication(authentication.BaseAuthentication):
    """HTTP Basic: username and password, or the API key as username with any password.

    An API key is not a password: it is looked up first, so a request bearing a valid key is
    never slowed by the password throttle (a key is 40 random characters, never a login). A
    header that is not strict Base64 of `username:password` is refused before any password is
    checked.
    """

    realm: ClassVar[str] = "api"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        auth = authentication.get_authorization_header(request).split()
        if not auth or auth[0].lower() != b"basic":
            return None
        if len(auth) != 2:
            raise exceptions.AuthenticationFailed("Invalid basic header.")
        try:
            decoded = base64.b64decode(auth[1], validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise exceptions.AuthenticationFailed("Invalid basic header.") from None
        username, colon, password = decoded.partition(":")
        if not username or "\x00" in decoded:
            raise exceptions.AuthenticationFailed("Invalid basic header.")
        api_key = apikey_get(key=username)
        if api_key is not None:
            apikey_mark_used(api_key=api_key)
            return api_key.user, username
        if not colon:
            raise exceptions.AuthenticationFailed("Invalid basic header.")
        user = password_user(request, username=username, password=password)
        if user is not None:
            return user, None
        raise exceptions.AuthenticationFailed("Invalid username or password.")

    def authenticate_header(self, request: Request) -> str:
        return f'Basic realm="{self.realm}"'


class BearerKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>`; `keyword` may name another scheme."""

    keyword: ClassVar[str] = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        auth = authentication.get_authorization_header(request).split()
        if not auth or auth[0].lower() != self.keyword.lower().encode():
            return None
        if len(auth) != 2:
            raise InvalidApiKey("Invalid bearer header.")
        return user_for_key(auth[1].decode("latin-1")), auth[1].decode("latin-1")

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class SignedTokenAuthentication(authentication.BaseAuthentication):
    """A token from `issue()` in the Authorization header: bare when `keyword` is "" (a
    `Bearer ` prefix is then tolerated), else after `keyword`.

    Tokens are signed with SECRET_KEY (django.core.signing, no table) and carry the user id and
    a fragment of the user's password hash, so changing the password revokes them; they expire
    after `max_age`. A user's API key is accepted in the same place, as a token that never
    expires. `salt` keeps one dialect's tokens from being accepted by another.
    """

    salt: ClassVar[str] = "dialects.token"
    max_age: ClassVar[timedelta] = timedelta(hours=24)
    keyword: ClassVar[str] = ""
    hash_length: ClassVar[int] = 16

    @classmethod
    def issue(cls, *, user: AbstractBaseUser) -> tuple[str, datetime]:
        """A new token for the user and the moment it expires."""
        token = signing.dumps([user.pk, user.get_session_auth_hash()[: cls.hash_length]], salt=cls.salt)
        return token, timezone.now() + cls.max_age

    @classmethod
    def user_for_token(cls, token: str) -> Any:
        """The active user a token or API key stands for, or None."""
        try:
            user_id, auth_hash = signing.loads(token, salt=cls.salt, max_age=cls.max_age)
        except (signing.BadSignature, ValueError, TypeError):
            api_key = apikey_get(key=token)
            if api_key is None:
                return None
            apikey_mark_used(api_key=api_key)
            return api_key.user
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
        if user is None or not constant_time_compare(auth_hash, user.get_session_auth_hash()[: cls.hash_length]):
            return None
        return user

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "").strip()
        scheme, _, rest = header.partition(" ")
        if self.keyword:
            if scheme.lower() != self.keyword.lower():
                return None
            header = rest.strip()
        elif scheme.lower() == "basic":
            return None
        elif scheme.lower() == "bearer":
            header = rest.strip()
        if not header:
            return None
        user = self.user_for_token(header)
        if user is None:
            raise exceptions.AuthenticationFailed("The token is invalid or has expired.")
        return user, header


class SessionAuthentication(authentication.SessionAuthentication):
    """A signed-in browser session; DRF enforces CSRF on unsafe methods."""


class WebFormKeyAuthentication(authentication.BaseAuthentication):
    """A web form's key in the posted form body (field `form_field`)."""

    form_field: ClassVar[str] = "key"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        key = form_value(request, self.form_field)
        if not key:
            return None
        webform = webform_for_key(key=key)
        if webform is not None:
            return AnonymousUser(), webform
        if apikey_get(key=key) is not None:
            raise exceptions.PermissionDenied("A user's API key cannot be used as a web form key.")
        raise InvalidApiKey("Unknown web form key.")


class WebFormMayCreate(permissions.BasePermission):
    """A web form may only post (create); nothing else."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, WebForm) and request.method == "POST"
