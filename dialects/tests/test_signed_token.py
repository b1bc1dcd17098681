"""dialects.authentication.SignedTokenAuthentication: bare or keyword tokens, salted per dialect."""

from __future__ import annotations

import pytest
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from dialects.authentication import SignedTokenAuthentication

pytestmark = pytest.mark.django_db
factory = APIRequestFactory()


class Bare(SignedTokenAuthentication):
    salt = "tests.bare"


class Keyword(SignedTokenAuthentication):
    salt = "tests.keyword"
    keyword = "Token"


def authenticate(auth: SignedTokenAuthentication, header: str | None):
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    return auth.authenticate(Request(factory.get("/", **extra)))


def test_a_bare_token_authenticates_its_user(alice):
    token, expires = Bare.issue(user=alice)
    assert authenticate(Bare(), token) == (alice, token)
    assert authenticate(Bare(), f"Bearer {token}") == (alice, token)
    assert authenticate(Bare(), "Basic YWxpY2U6eA==") is None
    assert authenticate(Bare(), None) is None


def test_a_keyword_token_needs_its_keyword(alice):
    token, _ = Keyword.issue(user=alice)
    assert authenticate(Keyword(), f"Token {token}") == (alice, token)
    assert authenticate(Keyword(), token) is None


def test_one_dialects_token_is_refused_by_another(alice):
    token, _ = Bare.issue(user=alice)
    with pytest.raises(exceptions.AuthenticationFailed):
        authenticate(Keyword(), f"Token {token}")


def test_an_api_key_is_accepted_as_a_token(alice, api_key):
    assert authenticate(Bare(), api_key) == (alice, api_key)
