"""The dialect mixin turns every client error into the dialect's error body, never a 500."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import permissions, renderers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from contacts.models import ApiKey
from contacts.services import apikey_reset
from dialects.authentication import (
    ApiKeyHeaderAuthentication,
    ApiKeyQueryAuthentication,
    BasicAuthentication,
    BearerKeyAuthentication,
    SessionAuthentication,
)
from dialects.base import ApiError, BoundedJSONParser, DialectErrors, DialectMixin, flatten_detail
from dialects.xml import Array, Element, Leaf, XmlShape, XmlShapeParser, XmlShapeRenderer

factory = APIRequestFactory()
ERRORS = XmlShape(root=Array("errors", "errors", Leaf("error")))
THING = XmlShape(root=Element("thing", "thing", (Leaf("name"),)))


class SampleErrors(DialectErrors):
    field_labels = {"name": "First name"}

    def body(self, error: ApiError) -> Any:
        return {"errors": self.full_messages(error)} if error.status in (400, 413, 415, 422) else None


class SampleXMLRenderer(XmlShapeRenderer):
    shapes = (THING, ERRORS)


class SampleXMLParser(XmlShapeParser):
    shapes = (THING,)


class HeaderKey(ApiKeyHeaderAuthentication):
    header = "X-Sample-Key"


class SampleView(DialectMixin, APIView):
    renderer_classes = [renderers.JSONRenderer, SampleXMLRenderer]
    parser_classes = [BoundedJSONParser, SampleXMLParser]
    authentication_classes = [
        ApiKeyQueryAuthentication,
        HeaderKey,
        BasicAuthentication,
        BearerKeyAuthentication,
        SessionAuthentication,
    ]
    permission_classes = [permissions.IsAuthenticated]
    errors = SampleErrors()
    auth_challenge = 'Basic realm="Sample API"'
    raise_on_post: Exception | None = None

    def get(self, request: Any, format: str | None = None) -> Response:
        return Response({"thing": {"name": request.user.username}})

    def post(self, request: Any, format: str | None = None) -> Response:
        if self.raise_on_post is not None:
            raise self.raise_on_post
        return Response({"thing": {"name": request.data["thing"]["name"]}}, status=201)


def call(method: str, *, view_kwargs: dict[str, Any] | None = None, fmt: str | None = None, **kwargs: Any) -> Any:
    request = getattr(factory, method)("/sample", **kwargs)
    response = SampleView.as_view(**(view_kwargs or {}))(request, format=fmt)
    response.render()
    return response


@pytest.fixture
def key(alice: Any) -> str:
    return ApiKey.objects.create(user=alice).key


@pytest.mark.django_db
class TestAuthentication:
    def test_accepts_the_key_in_the_query(self, key):
        assert call("get", data={"key": key}).data == {"thing": {"name": "alice"}}

    def test_accepts_the_key_in_the_dialect_header(self, key):
        assert call("get", HTTP_X_SAMPLE_KEY=key).status_code == 200

    def test_accepts_basic_with_a_password(self, alice):
        response = call("get", HTTP_AUTHORIZATION="Basic " + _b64("alice:secret-pass-123"))
        assert response.data == {"thing": {"name": "alice"}}

    def test_accepts_basic_with_the_key_as_username_and_any_password(self, key):
        assert call("get", HTTP_AUTHORIZATION="Basic " + _b64(f"{key}:whatever")).status_code == 200

    def test_accepts_a_bearer_key(self, key):
        assert call("get", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200

    def test_no_credentials_get_401_with_the_dialects_challenge(self):
        response = call("get")
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Basic realm="Sample API"'
        assert response.content == b""

    def test_a_wrong_key_gets_401_without_a_challenge(self, key):
        response = call("get", data={"key": "nope"})
        assert response.status_code == 401
        assert "WWW-Authenticate" not in response

    def test_a_wrong_password_gets_401_with_the_challenge(self, alice):
        response = call("get", HTTP_AUTHORIZATION="Basic " + _b64("alice:wrong"))
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Basic realm="Sample API"'

    def test_a_garbled_basic_header_is_a_401(self):
        assert call("get", HTTP_AUTHORIZATION="Basic !!!").status_code == 401

    def test_an_inactive_users_key_is_refused(self, key, alice):
        alice.is_active = False
        alice.save()
        assert call("get", data={"key": key}).status_code == 401

    def test_a_reset_or_deleted_key_is_refused_on_the_next_request(self, key, alice):
        # The key's read is compiled once per process: a reset must still take effect at once.
        assert call("get", data={"key": key}).status_code == 200
        new = apikey_reset(user=alice).key
        assert call("get", data={"key": key}).status_code == 401
        assert call("get", data={"key": new}).status_code == 200
        ApiKey.objects.filter(key=new).delete()
        assert call("get", data={"key": new}).status_code == 401

    def test_using_a_key_records_its_last_use_at_most_once_a_minute(self, key, django_assert_num_queries):
        call("get", data={"key": key})
        first = ApiKey.objects.get(key=key).last_used_at
        assert first is not None
        with django_assert_num_queries(1):
            call("get", data={"key": key})
        assert ApiKey.objects.get(key=key).last_used_at == first

    def test_session_posts_need_the_csrf_token(self, alice):
        request = factory.post("/sample", {"thing": {"name": "x"}}, format="json")
        request._dont_enforce_csrf_checks = False
        request.session = SessionStore()
        request.user = alice
        request = Request(request)
        response = SampleView.as_view()(request._request)
        response.render()
        assert response.status_code == 403


@pytest.mark.django_db
class TestErrors:
    def test_a_services_validation_dict_becomes_422_with_full_messages(self, key):
        exc = ValidationError({"name": ["Name cannot be blank."], "items[1].value": ["x is not a valid email."]})
        response = call("post", QUERY_STRING=f"key={key}", view_kwargs={"raise_on_post": exc})
        assert response.status_code == 422
        assert response.data == {"errors": ["First name cannot be blank", "Items: x is not a valid email"]}

    def test_permission_denied_is_403_with_an_empty_body(self, key):
        response = call("post", QUERY_STRING=f"key={key}", view_kwargs={"raise_on_post": PermissionDenied("no")})
        assert (response.status_code, response.content) == (403, b"")

    def test_http404_is_404(self, key):
        assert call("post", QUERY_STRING=f"key={key}", view_kwargs={"raise_on_post": Http404()}).status_code == 404

    def test_malformed_json_is_400_in_the_dialects_body(self, key):
        response = call("post", QUERY_STRING=f"key={key}", data='{"thing": ', content_type="application/json")
        assert response.status_code == 400
        assert response.data["errors"][0].startswith("JSON parse error")

    def test_malformed_xml_is_400_in_xml_when_xml_was_asked(self, key):
        response = call("post", QUERY_STRING=f"key={key}", data="<thing>", content_type="application/xml", fmt="xml")
        assert response.status_code == 400
        assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?><errors type="array"><error>')

    def test_xml_bodies_are_parsed_through_the_shape(self, key):
        response = call(
            "post", QUERY_STRING=f"key={key}", data="<thing><name>x</name></thing>", content_type="text/xml", fmt="xml"
        )
        assert (response.status_code, response.content) == (
            201,
            b'<?xml version="1.0" encoding="UTF-8"?><thing><name>x</name></thing>',
        )

    def test_an_unsupported_media_type_is_415(self, key):
        response = call("post", QUERY_STRING=f"key={key}", data="x", content_type="text/plain")
        assert response.status_code == 415

    def test_an_oversized_body_is_413_before_it_is_read(self, key, settings):
        settings.API_MAX_BODY_BYTES = 100
        body = '{"thing": {"name": "' + "x" * 200 + '"}}'
        response = call("post", QUERY_STRING=f"key={key}", data=body, content_type="application/json")
        assert response.status_code == 413
        assert response.data == {"errors": ["The body is larger than 100 bytes"]}

    def test_a_suffix_picks_the_format_whatever_the_accept_header_says(self, key):
        response = call("get", data={"key": key}, fmt="xml", HTTP_ACCEPT="application/json")
        assert response["Content-Type"].startswith("application/xml")

    def test_without_a_suffix_an_unknown_accept_falls_back_to_the_first_renderer(self, key):
        response = call("get", data={"key": key}, HTTP_ACCEPT="text/html")
        assert response["Content-Type"].startswith("application/json")

    def test_a_bug_is_not_swallowed(self, key):
        with pytest.raises(RuntimeError):
            call("post", QUERY_STRING=f"key={key}", view_kwargs={"raise_on_post": RuntimeError("bug")})


def test_flatten_detail_names_nested_fields_like_the_services():
    detail = {"first_name": ["Required."], "items": [{}, {"value": ["Bad."]}], "non_field_errors": ["Oops."]}
    assert flatten_detail(detail) == {"first_name": ["Required."], "items[1].value": ["Bad."], "__all__": ["Oops."]}


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


class ShapedView(SampleView):
    """A view that names its XML shapes: by method, with a default."""

    xml_shape = THING
    xml_shapes = {"POST": XmlShape(root=Element("made", "made", (Leaf("name"),)))}

    def post(self, request: Any, format: str | None = None) -> Response:
        if self.raise_on_post is not None:
            raise self.raise_on_post
        return Response({"made": {"name": "x"}}, status=201)


class ErrorShapedXMLRenderer(SampleXMLRenderer):
    error_shape = ERRORS


@pytest.mark.django_db
class TestXmlShapeChoice:
    def call(self, method: str, key: str, **view_kwargs: Any) -> Any:
        request = getattr(factory, method)(f"/sample?key={key}")
        view = ShapedView.as_view(renderer_classes=[ErrorShapedXMLRenderer], **view_kwargs)
        response = view(request, format="xml")
        response.render()
        return response

    def test_the_views_shape_renders_its_replies(self, key):
        assert b"<thing><name>alice</name></thing>" in self.call("get", key).content

    def test_a_method_may_name_its_own_shape(self, key):
        assert b"<made><name>x</name></made>" in self.call("post", key).content

    def test_an_error_reply_takes_the_renderers_error_shape(self, key):
        response = self.call("post", key, raise_on_post=ValidationError({"name": ["cannot be blank"]}))
        assert response.status_code == 422
        assert b'<errors type="array"><error>First name cannot be blank</error></errors>' in response.content
