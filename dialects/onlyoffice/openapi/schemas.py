"""The building blocks of the ONLYOFFICE document: the reply envelope and its schemas, the
error replies, and `op`, one operation built for the method it is written under."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from rest_framework.serializers import Serializer

from dialects.onlyoffice import renderers
from dialects.onlyoffice.codes import InfoType
from dialects.openapi import (
    FORM,
    INTEGER,
    JSON,
    MULTIPART,
    STRING,
    body,
    json_node,
    obj,
    operation,
    parameter,
    path_id,
    query,
    ref,
    response,
    serializer_schema,
    xml_schema,
)
from dialects.xml import XmlShape

XML = "text/xml"
SUFFIXES = {"x-format-suffixes": [".json", ".xml"]}
ENTITIES = ("contact", "person", "company")
GROUPS = ("person", "company")
# An operation awaiting its method: the key it is written under in its path item.
Operation = Callable[[str], dict[str, Any]]

# The view's shape of `response`, by name: the component schemas are named after them.
SHAPES: dict[str, XmlShape] = {
    "Contact": renderers.CONTACT_XML,
    "Contacts": renderers.CONTACTS_XML,
    "ContactInfo": renderers.CONTACT_INFO_XML,
    "ContactInfos": renderers.CONTACT_INFOS_XML,
    "CustomField": renderers.CUSTOM_FIELD_XML,
    "CustomFields": renderers.CUSTOM_FIELDS_XML,
    "CustomValue": renderers.CUSTOM_VALUE_XML,
    "CustomValues": renderers.CUSTOM_VALUES_XML,
    "ListItem": renderers.LIST_ITEM_XML,
    "ListItems": renderers.LIST_ITEMS_XML,
    "Tags": renderers.TAGS_XML,
    "Token": renderers.TOKEN_XML,
    "String": renderers.STRING_XML,
    "Strings": renderers.STRINGS_XML,
}


def response_node(shape: XmlShape) -> Any:
    return next(node for node in shape.root.fields if node.key == "response")


def envelope(response_schema: dict[str, Any]) -> dict[str, Any]:
    """`{count, startIndex, nextIndex, total, status, statusCode, response}` (zeros and nulls left out)."""
    return obj(
        {
            "count": INTEGER,
            "startIndex": INTEGER,
            "nextIndex": INTEGER,
            "total": INTEGER,
            "status": {"type": "integer", "enum": [0]},
            "statusCode": INTEGER,
            "response": response_schema,
        },
        required=["status", "response"],
    )


ERROR = obj(
    {
        "status": {"type": "integer", "enum": [1]},
        "statusCode": INTEGER,
        "error": obj({"message": STRING}, required=["message"]),
    },
    required=["status", "statusCode", "error"],
)

SCHEMAS = {
    **{f"{name}Reply": envelope(json_node(response_node(shape))) for name, shape in SHAPES.items()},
    **{f"{name}ReplyXml": xml_schema(shape) for name, shape in SHAPES.items()},
    "Error": ERROR,
    "ErrorXml": xml_schema(renderers.STRING_XML),
}

SECURITY_SCHEMES = {
    "token": {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "The token from POST /authentication (or the user's API key), with no scheme word.",
    },
}

ERROR_BODY = {JSON: ref("Error"), XML: ref("ErrorXml")}
ERRORS = {
    400: response("Invalid parameters (ArgumentException); the message names the parameter.", ERROR_BODY),
    401: response("No or wrong token.", ERROR_BODY),
    403: response("Not allowed (SecurityException), e.g. an administrator's route.", ERROR_BODY),
    404: response("No such item.", ERROR_BODY),
    405: response("The route does not take this method.", ERROR_BODY),
    406: response("No acceptable format.", ERROR_BODY),
    412: response("If-Match names another version.", ERROR_BODY),
    413: response("The body is too large.", ERROR_BODY),
    415: response("The body is not JSON or a form.", ERROR_BODY),
    429: response("Too many attempts.", ERROR_BODY, headers={"Retry-After": "Seconds to wait."}),
}

PAGE_PARAMS = [
    query("startIndex", {"type": "integer", "minimum": 0}, "How many to skip."),
    query("count", {"type": "integer", "minimum": 0}, "Page size (default 25, at most 100)."),
]
CONTACT_ID = path_id("contactid", "The contact's id.")
PROJECT_ID = path_id("projectid", "The project's id.")
INFO_TYPES = [label for _, label in InfoType.choices]


def params_of(serializers: Iterable[type[Serializer]]) -> list[dict[str, Any]]:
    """The serializers' fields as query parameters."""
    schema = serializer_schema(*serializers)
    required = set(schema.get("required", ()))
    return [
        parameter(name, "query", field, description=field.get("description", name), required=name in required)
        for name, field in schema["properties"].items()
    ]


def op(
    operation_id: str,
    summary: str,
    *,
    tag: str,
    reply: str,
    path_params: Iterable[dict[str, Any]] = (),
    inputs: Iterable[type[Serializer]] = (),
    paged: bool = False,
    multipart: bool = False,
    description: str | None = None,
    security: list[dict[str, Any]] | None = None,
) -> Operation:
    """One operation, built for the method it is written under in its path item (`path_item`):
    its parameters (path, then the inputs: query for GET and DELETE, else a body), its success
    reply (201 for POST) in JSON and XML, and the error replies. `security` overrides the
    document's (`[]`: no credentials)."""
    path_params = tuple(path_params)
    inputs = tuple(inputs)

    def at(method: str) -> dict[str, Any]:
        parameters = list(path_params)
        request_body = None
        if method in ("get", "delete"):
            parameters += params_of(inputs)
        elif inputs:
            schema = serializer_schema(*inputs)
            media = {MULTIPART: schema} if multipart else {JSON: schema, FORM: schema}
            request_body = body(media, required=bool(schema.get("required")))
        if paged:
            parameters += PAGE_PARAMS
        status = 201 if method == "post" else 200
        answer = operation(
            operation_id,
            summary,
            tag=tag,
            description=description,
            parameters=parameters,
            request_body=request_body,
            responses={status: response("The reply.", {JSON: ref(f"{reply}Reply"), XML: ref(f"{reply}ReplyXml")})},
            errors=ERRORS,
        )
        if security is not None:
            answer["security"] = security
        return answer

    return at


def path_item(item: Mapping[str, Any]) -> dict[str, Any]:
    """A path item with each operation built for its method; other keys are kept as they are."""
    return {key: value(key) if callable(value) else value for key, value in item.items()}
