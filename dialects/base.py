"""What every API dialect shares: the view mixin, bounded parsers, error mapping, format suffixes.

A dialect view is configured by class attributes only:

    class AcmeContactList(DialectMixin, generics.GenericAPIView):
        renderer_classes = [AcmeJSONRenderer, AcmeXMLRenderer]
        parser_classes = [BoundedJSONParser, AcmeXMLParser]
        authentication_classes = [...]
        pagination_class = AcmePagination
        errors = AcmeErrors()                # dialects/acme/errors.py
        auth_challenge = 'Basic realm="Acme"'

Every exception a client can cause (Django's ValidationError with the
services' per-field dicts, PermissionDenied, Http404, DRF's parse, media-type
and authentication errors, oversized bodies) becomes an `ApiError`, and the
dialect's `errors` object only says how a status and its messages look on its
wire. Anything else is a bug and stays a 500.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import parse_qsl

import orjson
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import URLPattern, URLResolver
from rest_framework import exceptions, parsers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.urlpatterns import format_suffix_patterns
from rest_framework.utils.encoders import JSONEncoder

from contacts.models import Contact
from contacts.selectors import contact_get
from contacts.versions import ContactChanged
from projects.models import Project
from projects.selectors import project_get

# Bodies

CHUNK = 64 * 1024


def client_ip(request: Any) -> str:
    """The visitor's address: the connection's, or with TRUSTED_PROXY_COUNT = N proxies in front,
    the N-th address from the right of X-Forwarded-For (the one our nearest proxy saw connect;
    entries further left are the client's word and could be forged)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def max_body_bytes() -> int:
    return settings.API_MAX_BODY_BYTES


def check_content_length(parser_context: Mapping[str, Any] | None) -> None:
    """Refuse a body whose declared length is over the limit before reading any of it."""
    request = (parser_context or {}).get("request")
    if request is None:
        return
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > max_body_bytes():
        raise RequestDataTooBig(f"The body is larger than {max_body_bytes()} bytes.")


def read_body(stream: Any, parser_context: Mapping[str, Any] | None) -> bytes:
    """The request body, read at most one byte past the limit (chunked bodies have no length)."""
    check_content_length(parser_context)
    if stream is None:
        return b""
    limit = max_body_bytes()
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(min(CHUNK, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise RequestDataTooBig(f"The body is larger than {limit} bytes.")
    return b"".join(chunks)


# How deeply a JSON or XML body may nest. A contact is 4 levels deep; 100 keeps every honest body
# and stops the deep ones that would exhaust the decoder's recursion.
MAX_NESTING = 100
JSON_TOKENS = re.compile(rb'"(?:[^"\\]++|\\.)*+"|[\[\]{}]')
OPENERS = frozenset(b"[{")


def refuse_deep_json(body: bytes) -> None:
    """Raise ParseError if the JSON text nests arrays and objects deeper than MAX_NESTING.

    Counted on the bytes before decoding (brackets inside strings do not count), so a
    thousand-level body is refused without recursing a thousand times.
    """
    depth = 0
    for match in JSON_TOKENS.finditer(body):
        token = match.group()
        if len(token) != 1:
            continue
        if token[0] in OPENERS:
            depth += 1
            if depth > MAX_NESTING:
                raise exceptions.ParseError(f"The body nests deeper than {MAX_NESTING} levels.")
        else:
            depth -= 1


def refuse_null_characters(data: Any) -> Any:
    """Raise ParseError if any string in parsed data holds U+0000 (PostgreSQL cannot store it) or a
    lone surrogate such as JSON's "\\ud800" (no database can store it: it is not Unicode text)."""
    if isinstance(data, str):
        if "\x00" in data:
            raise exceptions.ParseError("Null characters are not allowed.")
        if not data.isascii():
            try:
                data.encode("utf-8")
            except UnicodeEncodeError:
                raise exceptions.ParseError("Text must be valid Unicode (a lone surrogate was sent).") from None
    elif isinstance(data, Mapping):
        for key in data:
            refuse_null_characters(key)
            refuse_null_characters(data.getlist(key) if hasattr(data, "getlist") else data[key])
    elif isinstance(data, (list, tuple)):
        for entry in data:
            refuse_null_characters(entry)
    return data


def refuse_invalid_utf8_form(raw: bytes) -> None:
    """Raise ParseError unless a urlencoded form or query string is UTF-8, raw and %-escaped alike.

    Django would read bad bytes as U+FFFD and store that; JSON and XML bodies refuse them, and
    so do forms and query strings.
    """
    try:
        text = raw.decode("utf-8")
        if "%" in text:
            parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise exceptions.ParseError("The request is not valid UTF-8.") from None


def refuse_invalid_utf8_query(request: Any) -> None:
    """The query string check of `refuse_invalid_utf8_form` (WSGI hands it over as latin-1 text)."""
    query = request.META.get("QUERY_STRING", "")
    try:
        raw = query.encode("latin-1")
    except UnicodeEncodeError:
        raw = query.encode("utf-8", errors="surrogateescape")
    refuse_invalid_utf8_form(raw)


class BoundedJSONParser(parsers.JSONParser):
    """DRF's JSON parser, with the body size and nesting checked before decoding, and after it
    no NUL characters or lone surrogates, and an object at the top (every body is one, unless a
    dialect's parser says `objects_only = False`, as Incoplax's does for LOOKUP's bare scalar)."""

    objects_only: ClassVar[bool] = True

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping | None = None) -> Any:
        body = read_body(stream, parser_context)
        if not body.strip():
            raise exceptions.ParseError("The body is empty.")
        refuse_deep_json(body)
        data = refuse_null_characters(super().parse(io.BytesIO(body), media_type, parser_context))
        if self.objects_only and not isinstance(data, Mapping):
            raise exceptions.ParseError("The body must be a JSON object.")
        return data


class BoundedFormParser(parsers.FormParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping | None = None) -> Any:
        raw = read_body(stream, parser_context)
        refuse_invalid_utf8_form(raw)
        return refuse_null_characters(super().parse(io.BytesIO(raw), media_type, parser_context))


REPLACEMENT_CHARACTER = "\ufffd"


def _replacement_count(data: Any) -> int:
    if isinstance(data, str):
        return data.count(REPLACEMENT_CHARACTER)
    if isinstance(data, Mapping):
        values = (data.getlist(key) if hasattr(data, "getlist") else data[key] for key in data)
        return sum(_replacement_count(key) for key in data) + sum(_replacement_count(v) for v in values)
    if isinstance(data, (list, tuple)):
        return sum(_replacement_count(entry) for entry in data)
    return 0


class BoundedMultiPartParser(parsers.MultiPartParser):
    """Django's multipart parser, with the body bounded and its text fields held to UTF-8.

    Django decodes a text field's bad bytes as U+FFFD; here the body refuses them as JSON, XML and
    urlencoded forms do. A U+FFFD the client really sent is three valid bytes in the body, so the
    fields may hold no more of them than the raw body does (file parts are never decoded).
    """

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping | None = None) -> Any:
        raw = read_body(stream, parser_context)
        parsed = super().parse(io.BytesIO(raw), media_type, parser_context)
        refuse_null_characters(parsed.data)
        if _replacement_count(parsed.data) > raw.count(REPLACEMENT_CHARACTER.encode()):
            raise exceptions.ParseError("The request is not valid UTF-8.")
        return parsed


def if_match(request: Request) -> list[str] | None:
    """The entity tags of an If-Match header (None without one, or for `*`): a write must be
    based on one of them, else 412 (see `contacts.versions`)."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    return [tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()]


# Rendering


def _drf_default(value: Any) -> Any:
    """What orjson leaves to us (Decimal, datetimes, lazy text...) is written as DRF would write it."""
    return DRF_ENCODER.default(value)


DRF_ENCODER = JSONEncoder()
LINE_SEPARATORS = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))


class FastJSONRenderer(JSONRenderer):
    """DRF's compact UTF-8 JSON, encoded by orjson: the same bytes, several times faster.

    Datetimes go through DRF's encoder (its ISO format, milliseconds and `Z`); U+2028 and
    U+2029 are escaped as DRF does. Data orjson refuses (keys that are not strings, integers
    beyond 64 bits) falls back to DRF's renderer rather than failing.
    """

    charset = "utf-8"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Mapping[str, Any] | None = None
    ) -> bytes:
        if data is None:
            return b""
        try:
            body = orjson.dumps(data, default=_drf_default, option=orjson.OPT_PASSTHROUGH_DATETIME)
        except (orjson.JSONEncodeError, TypeError):
            return super().render(data, accepted_media_type, renderer_context)
        for raw, escaped in LINE_SEPARATORS:
            if raw in body:
                body = body.replace(raw, escaped)
        return body


# Content negotiation


class SuffixFirstNegotiation(DefaultContentNegotiation):
    """A format suffix (`.xml`) decides the renderer whatever the Accept header says, as the
    vendors do; without a suffix the Accept header decides, and the first renderer is the
    fallback instead of a 406."""

    def select_renderer(
        self, request: Request, renderers: Sequence[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        if format_suffix:
            for renderer in renderers:
                if renderer.format == format_suffix:
                    return renderer, renderer.media_type
            raise exceptions.NotFound()
        try:
            return super().select_renderer(request, renderers, None)
        except exceptions.NotAcceptable:
            return renderers[0], renderers[0].media_type


def format_suffixes(
    urlpatterns: list[URLPattern | URLResolver], *, allowed: Sequence[str], required: bool
) -> list[URLPattern | URLResolver]:
    """Add `.json`/`.xml`-style suffixes to routes (required or optional), passed to views as `format`."""
    return format_suffix_patterns(urlpatterns, suffix_required=required, allowed=list(allowed))


# Errors

# Messages that read on from a field's name ("is invalid"), as Rails' full messages do.
PREDICATES = ("is ", "are ", "must ", "can", "should ", "has ", "does ", "may ")


@dataclass
class ApiError:
    """A failure a client caused, before a dialect spells it.

    `fields` maps the services' keys (`first_name`, `items[1].value`,
    `custom_fields[3]`, `__all__`) to messages; `challenge` says whether a 401
    should carry the dialect's WWW-Authenticate header.
    """

    status: int
    fields: dict[str, list[str]] = field(default_factory=dict)
    code: str = "error"
    challenge: bool = False
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def messages(self) -> list[str]:
        return [message for messages in self.fields.values() for message in messages]


def flatten_detail(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"items[1].value": ["..."]}, the services' key style."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            name = "__all__" if key in ("non_field_errors", "__all__") and not prefix else str(key)
            path = f"{prefix}.{name}" if prefix and name != "__all__" else (prefix or name)
            for sub, messages in flatten_detail(value, path).items():
                flat.setdefault(sub, []).extend(messages)
    elif isinstance(detail, (list, tuple)):
        if all(not isinstance(entry, (Mapping, list, tuple)) for entry in detail):
            flat.setdefault(prefix or "__all__", []).extend(str(entry) for entry in detail)
        else:
            for index, entry in enumerate(detail):
                for sub, messages in flatten_detail(entry, f"{prefix}[{index}]").items():
                    flat.setdefault(sub, []).extend(messages)
    elif detail is not None:
        flat.setdefault(prefix or "__all__", []).append(str(detail))
    return flat


def api_error(exc: Exception, *, validation_status: int) -> ApiError | None:
    """The ApiError for an exception a client can cause, or None for a bug."""
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return ApiError(validation_status, {k: list(v) for k, v in fields.items()}, "invalid")
    if isinstance(exc, exceptions.ValidationError):
        return ApiError(validation_status, flatten_detail(exc.detail), "invalid")
    if isinstance(exc, (Http404, ObjectDoesNotExist, exceptions.NotFound)):
        return ApiError(404, {"__all__": ["Not found."]}, "not_found")
    if isinstance(exc, (DjangoPermissionDenied, exceptions.PermissionDenied)):
        return ApiError(403, {"__all__": [str(exc) or "You may not do this."]}, "forbidden")
    if isinstance(exc, exceptions.NotAuthenticated):
        return ApiError(401, {"__all__": [str(exc.detail)]}, "not_authenticated", challenge=True)
    if isinstance(exc, exceptions.AuthenticationFailed):
        # A wrong key gets no challenge (the client knows how to authenticate); see authentication.py.
        challenge = getattr(exc, "challenge", True)
        return ApiError(401, {"__all__": [str(exc.detail)]}, "authentication_failed", challenge=challenge)
    if isinstance(exc, ContactChanged):
        return ApiError(412, {"__all__": [str(exc)]}, "precondition_failed")
    if isinstance(exc, RequestDataTooBig):
        return ApiError(413, {"__all__": [str(exc) or "The body is too large."]}, "too_large")
    if isinstance(exc, SuspiciousOperation):
        return ApiError(400, {"__all__": [str(exc) or "Bad request."]}, "bad_request")
    if isinstance(exc, exceptions.Throttled):
        headers = {"Retry-After": str(int(exc.wait))} if exc.wait else {}
        return ApiError(429, {"__all__": [str(exc.detail)]}, "throttled", headers=headers)
    if isinstance(exc, exceptions.APIException):
        return ApiError(exc.status_code, flatten_detail(exc.detail), exc.default_code)
    return None


class DialectErrors:
    """How a dialect writes an error. Subclasses override `body` (and `validation_status`).

    `field_labels` renames the services' keys to the dialect's field names in
    messages (a company's `name` is Redmine's `first_name`); an empty label
    leaves a message that already names what it is about as it is.
    """

    validation_status: ClassVar[int] = 422
    field_labels: ClassVar[Mapping[str, str]] = {}

    def body(self, error: ApiError) -> Any:
        """The data handed to the renderer; None for an empty body."""
        return None

    def label(self, key: str) -> str:
        base = key.split("[")[0].split(".")[0]
        return self.field_labels.get(base, base.replace("_", " ").capitalize())

    def full_messages(self, error: ApiError) -> list[str]:
        """Messages that name their field, like Rails' full messages ("First name cannot be blank")."""
        result: list[str] = []
        for key, messages in error.fields.items():
            for message in messages:
                text = message[:-1] if message.endswith(".") else message
                default = key.split("[")[0].split(".")[0].replace("_", " ").capitalize()
                label = self.label(key)
                if key == "__all__":
                    result.append(text)
                elif text.startswith("This field "):
                    # Django's and DRF's generic wording, said of the field by name.
                    result.append(f"{label or default} {text[len('This field ') :]}")
                elif text.lower().startswith(default.lower()):
                    result.append(label + text[len(default) :])
                elif not label:
                    result.append(text)
                else:
                    result.append(f"{label} {text}" if text.startswith(PREDICATES) else f"{label}: {text}")
        return list(dict.fromkeys(result))

    def response(self, error: ApiError, request: Request) -> Response:
        return Response(self.body(error), status=error.status, headers=error.headers or None)


def dialect_exception_handler(exc: Exception, context: Mapping[str, Any]) -> Response | None:
    """DRF exception handler that hands every client error to the view's dialect `errors`."""
    view = context["view"]
    error = api_error(exc, validation_status=view.errors.validation_status)
    if error is None:
        return None
    response = view.errors.response(error, context["request"])
    if error.status == 401 and error.challenge and view.auth_challenge:
        response["WWW-Authenticate"] = view.auth_challenge
    return response


class DialectMixin:
    """Mix into a DRF view; set the class attributes below in each dialect's views."""

    errors: ClassVar[DialectErrors] = DialectErrors()
    auth_challenge: ClassVar[str] = ""
    content_negotiation_class = SuffixFirstNegotiation
    # No OPTIONS self-description: the vendors have none, and it would guess at our serializers.
    metadata_class = None

    def get_exception_handler(self) -> Any:
        return dialect_exception_handler

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        refuse_invalid_utf8_query(request)

    def visible_contact(self, pk: Any) -> Contact:
        """The contact the request's user may see, or 404 (never 403: nothing leaks)."""
        contact = contact_get(user=self.request.user, pk=pk)
        if contact is None:
            raise Http404
        return contact

    def visible_project(self, key: Any) -> Project:
        """The project (by id or identifier) the request's user may see, or 404."""
        project = project_get(user=self.request.user, key=key) if key not in (None, "") else None
        if project is None:
            raise Http404
        return project
