"""The OpenAPI 3 document of the incwo routes (docs/incwo.md, "OpenAPI document").

incwo speaks XML only; every schema comes from the shapes in `renderers.py`, which also parse
request bodies. The business file (a project id) is the server's variable.
"""

from __future__ import annotations

from typing import Any

from dialects.incwo.renderers import CONTACT_SHAPE, CONTACTS_SHAPE, ERRORS_SHAPE, FIRM_SHAPE, FIRMS_SHAPE
from dialects.openapi import XML, body, document, operation, path_id, query, ref, response, xml_schema

TITLE = "incwo contacts and firms API"

SCHEMAS = {
    "Contact": xml_schema(CONTACT_SHAPE),
    "ContactList": xml_schema(CONTACTS_SHAPE),
    "Firm": xml_schema(FIRM_SHAPE),
    "FirmList": xml_schema(FIRMS_SHAPE),
    "Errors": xml_schema(ERRORS_SHAPE),
}

SECURITY_SCHEMES = {
    "basic": {"type": "http", "scheme": "basic", "description": "login:password, or the API key as login."},
}

ERROR_BODY = {XML: ref("Errors")}
ERRORS = {
    400: response("The body is not well-formed XML.", ERROR_BODY),
    401: response("No or wrong credentials.", ERROR_BODY, headers={"WWW-Authenticate": 'Basic realm="Application"'}),
    403: response("The user is not a member of the business file.", ERROR_BODY),
    404: response("No such business file or record.", ERROR_BODY),
    405: response("The route does not take this method.", ERROR_BODY),
    406: response("No acceptable format (XML only).", ERROR_BODY),
    412: response("If-Match names another version.", ERROR_BODY),
    413: response("The body is too large.", ERROR_BODY),
    415: response("The body is not XML.", ERROR_BODY),
    422: response("Invalid data: Rails' full messages.", ERROR_BODY),
    429: response("Too many password attempts.", ERROR_BODY, headers={"Retry-After": "Seconds to wait."}),
}


def record_paths(plural: str, schema: str, label: str) -> dict[str, dict[str, Any]]:
    """The four routes of contacts or firms."""
    pk = path_id("pk", f"The {label}'s id.")
    record = {XML: ref(schema)}
    return {
        f"/{plural}.xml": {
            "get": operation(
                f"list{schema}s",
                f"List the business file's {plural}",
                tag=schema,
                parameters=[query("page", {"type": "integer", "minimum": 1}, "The page (100 per page).")],
                responses={200: response(f"A page of {plural} and its pagination.", {XML: ref(f"{schema}List")})},
                errors=ERRORS,
            ),
            "post": operation(
                f"create{schema}",
                f"Create a {label}",
                tag=schema,
                request_body=body(record),
                responses={201: response(f"The {label} made.", record, headers={"Location": f"The {label}'s URL."})},
                errors=ERRORS,
            ),
        },
        f"/{plural}/{{pk}}.xml": {
            "get": operation(
                f"show{schema}",
                f"Show a {label}",
                tag=schema,
                parameters=[pk],
                responses={200: response(f"The {label}.", record)},
                errors=ERRORS,
            ),
            "put": operation(
                f"update{schema}",
                f"Update a {label}",
                tag=schema,
                description="Partial: nested items with an `id` are updated, without one added, others kept.",
                parameters=[pk],
                request_body=body(record),
                responses={200: response(f"The {label} as stored.", record)},
                errors=ERRORS,
            ),
            "delete": operation(
                f"delete{schema}",
                f"Delete a {label} (to the trash)",
                tag=schema,
                parameters=[pk],
                responses={200: response("Deleted (empty body).")},
                errors=ERRORS,
            ),
        },
    }


def build(*, base: str) -> dict[str, Any]:
    """The document; `base` (`/incwo/<business_file_id>/`) gives the server variable's default."""
    business_file = base.rstrip("/").rsplit("/", 1)[-1]
    return document(
        base=base,
        title=TITLE,
        description="Contacts and firms of one business file (a project), in incwo's XML. See docs/incwo.md.",
        paths={**record_paths("contacts", "Contact", "contact"), **record_paths("firms", "Firm", "firm")},
        schemas=SCHEMAS,
        security_schemes=SECURITY_SCHEMES,
        tags=[("Contact", "Persons."), ("Firm", "Companies.")],
        server={
            "url": "/incwo/{business_file_id}",
            "variables": {"business_file_id": {"default": business_file, "description": "A project id."}},
        },
    )
