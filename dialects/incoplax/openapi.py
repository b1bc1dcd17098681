"""The OpenAPI 3 document of the Incoplax address book (docs/incoplax.md, "OpenAPI document").

Schemas follow `representations.py` (every field may be left out by `mask`; `flat` writes
dotted names as top-level keys) and `inputs.py` (unknown keys are refused). OpenAPI has no
LOOKUP method: each collection's path item describes it under the extension `x-lookup`, an
Operation Object of its own.
"""

from __future__ import annotations

from typing import Any

from dialects.incoplax.codes import SLOT_NAMES
from dialects.openapi import (
    INTEGER,
    JSON,
    STRING,
    array,
    body,
    document,
    nullable,
    obj,
    operation,
    parameter,
    query,
    ref,
    response,
)

TITLE = "Incoplax address book API"

TIMES = obj(
    {
        "ct": nullable({"type": "string", "format": "date-time"}),
        "lwt": nullable({"type": "string", "format": "date-time"}),
    }
)
CONTACT = obj(
    {
        "id": {"type": "string", "format": "uuid"},
        "autokey": INTEGER,
        "displayname": STRING,
        "department": STRING,
        "jobtitle": STRING,
        **dict.fromkeys(SLOT_NAMES, STRING),
        "photo": STRING,
        "opts": obj({"title": STRING, "comment": STRING, "groups": array(STRING), "priority": nullable(INTEGER)}),
        "ext": TIMES,
    },
    description="Every field unless `mask` names fewer; with `flat`, `opts.*` and `ext.*` are top-level keys.",
)
GROUP = obj(
    {
        "id": {"type": "string", "format": "uuid"},
        "code": STRING,
        "name": STRING,
        "shortname": STRING,
        "opts": obj(
            {
                "title": STRING,
                "comment": STRING,
                "priority": nullable(INTEGER),
                "abonents": array(INTEGER),
                "abonentcount": INTEGER,
            }
        ),
        "ext": TIMES,
    },
    description="Every field unless `mask` names fewer; with `flat`, `opts.*` and `ext.*` are top-level keys.",
)
CONTACT_INPUT = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "format": "uuid", "description": "On create only; never changed."},
        "autokey": {**INTEGER, "description": "May be sent back; never changed."},
        "displayname": STRING,
        "department": STRING,
        "jobtitle": STRING,
        **dict.fromkeys(SLOT_NAMES, STRING),
        "photo": STRING,
        "opts": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"title": STRING, "comment": STRING, "groups": array(STRING), "priority": nullable(INTEGER)},
        },
        "ext": {"type": "object", "description": "Accepted and ignored."},
    },
}
GROUP_INPUT = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "id": {**STRING, "description": "On create only; never changed."},
        "code": STRING,
        "name": STRING,
        "shortname": {**STRING, "description": "Not kept: empty only."},
        "opts": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "title": STRING,
                "comment": STRING,
                "priority": nullable(INTEGER),
                "abonents": array({"type": "integer", "minimum": 1}),
                "abonentcount": INTEGER,
            },
        },
        "ext": {"type": "object", "description": "Accepted and ignored."},
    },
}
COMBINED = obj(
    {
        "id": {"type": "string", "format": "uuid"},
        "key": {"oneOf": [STRING, INTEGER], "description": "A group's code or a contact's autokey."},
        "type": {"type": "string", "enum": ["contactgroup", "contact"]},
        "name": STRING,
        "number": STRING,
    },
    required=["id", "key", "type", "name", "number"],
)
ERROR = obj(
    {"error_code": {"type": "integer", "description": "1000 + the HTTP status."}, "error_message": STRING},
    required=["error_code", "error_message"],
)

SCHEMAS = {
    "Contact": CONTACT,
    "Group": GROUP,
    "ContactInput": CONTACT_INPUT,
    "GroupInput": GROUP_INPUT,
    "CombinedContact": COMBINED,
    "Error": ERROR,
}

SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer", "description": "The user's API key."},
    "basic": {"type": "http", "scheme": "basic", "description": "username:password, or the API key as username."},
}

ERROR_BODY = {JSON: ref("Error")}
ERRORS = {
    400: response("Invalid body or parameter; the message names the field.", ERROR_BODY),
    401: response("No or wrong credentials.", ERROR_BODY, headers={"WWW-Authenticate": 'Bearer realm="addressbook"'}),
    403: response("Not allowed.", ERROR_BODY),
    404: response("No such entity.", ERROR_BODY),
    405: response("The route does not take this method.", ERROR_BODY),
    406: response("No acceptable format (JSON only).", ERROR_BODY),
    409: response("The id or code is taken.", ERROR_BODY),
    412: response("If-Match names another version.", ERROR_BODY),
    413: response("The body is too large.", ERROR_BODY),
    415: response("The body is not JSON.", ERROR_BODY),
    429: response("Too many password attempts.", ERROR_BODY, headers={"Retry-After": "Seconds to wait."}),
}

JSON_TEXT = {"type": "string", "description": "JSON text."}
MASK = query("mask", STRING, "Comma-separated field names to write (dotted inside opts/ext).")
FLAT = query("flat", {"type": "string", "enum": ["true", "false", "1", "0"]}, "Write dotted names as top-level keys.")
PAGING = [
    query("offset", {"type": "integer", "minimum": 0}, "How many to skip."),
    query("limit", {"type": "integer", "minimum": 0}, "How many (default 1000; more is taken as the maximum)."),
]
FILTER = query("filter", JSON_TEXT, 'A JSON object of field → value or list of values, e.g. {"number":"+1 202"}.')
ORDER = query("order", JSON_TEXT, 'A JSON list of field names, each optionally "-"-prefixed for descending.')
KEY = parameter("key", "path", STRING, description="The entity's id (a UUID).")


def lookup(operation_id: str, summary: str, *, tag: str, found: str) -> dict[str, Any]:
    """LOOKUP on a collection: the body is one JSON string or integer, the answer the ids it matches."""
    return operation(
        operation_id,
        summary,
        tag=tag,
        description="Sent with the LOOKUP method (not an OpenAPI method, hence this extension).",
        request_body=body({JSON: {"oneOf": [STRING, INTEGER]}}),
        responses={
            200: response(found, {JSON: array({"type": "string", "format": "uuid"})}),
            404: response("Nothing matches: `Lookup failed`.", ERROR_BODY),
        },
        errors=ERRORS,
    )


def collection(
    name: str, schema: str, *, list_params: list[dict[str, Any]], lookup_op: dict[str, Any]
) -> dict[str, Any]:
    return {
        "get": operation(
            f"list{schema}s",
            f"List {name}s",
            tag=schema,
            parameters=list_params,
            responses={200: response(f"The {name}s (a bare array).", {JSON: array(ref(schema))})},
            errors=ERRORS,
        ),
        "post": operation(
            f"create{schema}",
            f"Create a {name}",
            tag=schema,
            request_body=body({JSON: ref(f"{schema}Input")}),
            responses={200: response(f"The {name} made.", {JSON: ref(schema)})},
            errors=ERRORS,
        ),
        "x-lookup": lookup_op,
    }


def detail(name: str, schema: str) -> dict[str, Any]:
    return {
        "get": operation(
            f"show{schema}",
            f"Show a {name}",
            tag=schema,
            parameters=[KEY, MASK, FLAT],
            responses={200: response(f"The {name}.", {JSON: ref(schema)})},
            errors=ERRORS,
        ),
        "patch": operation(
            f"update{schema}",
            f"Change a {name}",
            tag=schema,
            description="Only the fields given change.",
            parameters=[KEY],
            request_body=body({JSON: ref(f"{schema}Input")}),
            responses={200: response(f"The {name} as stored.", {JSON: ref(schema)})},
            errors=ERRORS,
        ),
        "delete": operation(
            f"delete{schema}",
            f"Delete a {name}",
            tag=schema,
            parameters=[KEY],
            responses={204: response("Deleted.")},
            errors=ERRORS,
        ),
    }


def paths() -> dict[str, dict[str, Any]]:
    list_params = [MASK, FLAT, FILTER, ORDER, *PAGING]
    return {
        "/contacts": collection(
            "contact",
            "Contact",
            list_params=list_params,
            lookup_op=lookup(
                "lookupContacts", "Contacts with this number or autokey", tag="Contact", found="Their ids."
            ),
        ),
        "/contacts/{key}": detail("contact", "Contact"),
        "/contactgroups": collection(
            "contact group",
            "Group",
            list_params=list_params,
            lookup_op=lookup("lookupGroups", "The group with this code", tag="Group", found="Its id."),
        ),
        "/contactgroups/{key}": detail("contact group", "Group"),
        "/combined_contacts": {
            "get": operation(
                "listCombinedContacts",
                "Groups and contacts in one list",
                tag="Combined",
                parameters=[FILTER, *PAGING],
                responses={200: response("Groups, then contacts.", {JSON: array(ref("CombinedContact"))})},
                errors=ERRORS,
            )
        },
    }


def build(*, base: str) -> dict[str, Any]:
    """The document, with `base` (the mount, `/rest/v1/addressbook/`) as its server."""
    return document(
        base=base,
        title=TITLE,
        description=(
            "Contacts and contact groups as Incoplax's address book serves them; a trailing slash is "
            "accepted on every path. LOOKUP is described under `x-lookup`. See docs/incoplax.md."
        ),
        paths=paths(),
        schemas=SCHEMAS,
        security_schemes=SECURITY_SCHEMES,
        tags=[("Contact", "Contacts."), ("Group", "Contact groups (tags)."), ("Combined", "Both in one list.")],
    )
