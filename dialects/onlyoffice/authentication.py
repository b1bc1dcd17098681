"""ONLYOFFICE authentication: `POST api/2.0/authentication` issues a token that later requests
send as a bare `Authorization: <token>` header, with no scheme word (research §1.7).

Tokens are signed with the project's SECRET_KEY (django.core.signing) and carry the user id, a
fragment of the user's password hash (so changing the password revokes them) and their issue
time; they expire after TOKEN_MAX_AGE. No table is needed. A user's API key is accepted in
the same header as a token that never expires.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from contacts.selectors import apikey_get
from contacts.services import apikey_mark_used

User = get_user_model()

TOKEN_SALT = "dialects.onlyoffice.token"
TOKEN_MAX_AGE = timedelta(hours=24)
_HASH_LENGTH = 16


def token_issue(*, user: AbstractBaseUser) -> tuple[str, datetime]:
    """A new token for the user and the moment it expires."""
    token = signing.dumps([user.pk, user.get_session_auth_hash()[:_HASH_LENGTH]], salt=TOKEN_SALT)
    return token, timezone.now() + TOKEN_MAX_AGE


def token_user(token: str) -> AbstractBaseUser | None:
    """The active user a token or API key stands for, or None."""
    try:
        user_id, auth_hash = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        api_key = apikey_get(key=token)
        if api_key is None:
            return None
        apikey_mark_used(api_key=api_key)
        return api_key.user
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not constant_time_compare(auth_hash, user.get_session_auth_hash()[:_HASH_LENGTH]):
        return None
    return user


class OnlyofficeTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: <token>`. A `Bearer ` prefix is tolerated; a Basic header is left to others."""

    def authenticate(self, request: Request) -> tuple[AbstractBaseUser, str] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "").strip()
        if not header or header.lower().startswith("basic "):
            return None
        if header.lower().startswith("bearer "):
            header = header[7:].strip()
        user = token_user(header)
        if user is None:
            raise exceptions.AuthenticationFailed("The token is invalid or has expired.")
        return user, header
