"""The schemas, parameters and error replies the Redmine documents share."""

from __future__ import annotations

from typing import Any

from dialects.openapi import (
    BOOLEAN,
    INTEGER,
    JSON,
    STRING,
    TEXT_OR_NULL,
    XML,
    array,
    nullable,
    obj,
    parameter,
    path_id,
    query,
    ref,
    response,
    xml_schema,
)
from dialects.redmine.renderers import CONTACT_SHAPE, CONTACTS_SHAPE, ERRORS_SHAPE, NOTE_SHAPE, NOTES_SHAPE, TAGS_SHAPE

SUFFIXES = {"x-format-suffixes": [".json", ".xml"]}

USER_REF = obj({"id": INTEGER, "name": STRING}, required=["id", "name"])
ADDRESS = obj(
    {
        "full_address": TEXT_OR_NULL,
        "street": TEXT_OR_NULL,
        "city": TEXT_OR_NULL,
        "region": TEXT_OR_NULL,
        "country": TEXT_OR_NULL,
        "country_code": TEXT_OR_NULL,
        "postcode": TEXT_OR_NULL,
    },
    required=["full_address", "street", "city", "region", "country", "postcode"],
)
CUSTOM_VALUE = obj(
    {"id": INTEGER, "name": STRING, "multiple": BOOLEAN, "value": {"nullable": True}}, required=["id", "name", "value"]
)
CONTACT_KEYS = {
    "id": INTEGER,
    "avatar": obj({"attachment_id": INTEGER}, required=["attachment_id"]),
    "is_company": BOOLEAN,
    "first_name": TEXT_OR_NULL,
    "last_name": TEXT_OR_NULL,
    "middle_name": TEXT_OR_NULL,
    "company": TEXT_OR_NULL,
    "website": TEXT_OR_NULL,
    "skype_name": TEXT_OR_NULL,
    "birthday": nullable({"type": "string", "format": "date"}),
    "job_title": TEXT_OR_NULL,
    "background": TEXT_OR_NULL,
    "author": ref("UserRef"),
    "assigned_to": ref("UserRef"),
    "visibility": {"type": "integer", "enum": [0, 1, 2], "description": "0 project, 1 public, 2 private."},
    "address": ref("Address"),
    "phones": array(obj({"number": STRING}, required=["number"])),
    "emails": array(obj({"address": STRING}, required=["address"])),
    "tag_list": array(STRING),
    "custom_fields": array(ref("CustomValue")),
    "created_on": {"type": "string", "format": "date-time"},
    "updated_on": {"type": "string", "format": "date-time"},
}
CONTACT_REQUIRED = [
    "id",
    "is_company",
    "first_name",
    "last_name",
    "middle_name",
    "company",
    "website",
    "skype_name",
    "birthday",
    "job_title",
    "background",
    "visibility",
    "address",
    "phones",
    "emails",
    "tag_list",
    "custom_fields",
    "created_on",
    "updated_on",
]
CONTACT = obj(CONTACT_KEYS, required=CONTACT_REQUIRED)
NAMED = obj({"id": INTEGER, "name": STRING}, required=["id", "name"])
NOTE = obj(
    {
        "id": INTEGER,
        "source": obj({"id": INTEGER, "name": STRING, "type": {"type": "string", "enum": ["Contact"]}}),
        "subject": TEXT_OR_NULL,
        "content": STRING,
        "type_id": nullable({"type": "integer", "enum": [0, 1, 2]}),
        "author": ref("UserRef"),
        "created_on": {"type": "string", "format": "date-time"},
        "updated_on": {"type": "string", "format": "date-time"},
    },
    required=["id", "source", "subject", "content", "type_id", "created_on", "updated_on"],
)
CONTACT_DETAIL = obj(
    {
        **CONTACT_KEYS,
        "projects": array(NAMED),
        "notes": array(ref("Note")),
        "contacts": array(NAMED),
        "deals": array({}),
        "tickets": array({}),
    },
    required=CONTACT_REQUIRED,
)
LIST_META = {"total_count": INTEGER, "offset": INTEGER, "limit": INTEGER}
TEXT_INPUT = nullable({"type": "string", "maxLength": 255})
CONTACT_INPUT = obj(
    {
        "project_id": {"type": "string", "description": "A project id or identifier (required on create)."},
        "is_company": BOOLEAN,
        "first_name": TEXT_INPUT,
        "last_name": TEXT_INPUT,
        "middle_name": TEXT_INPUT,
        "company": {**TEXT_INPUT, "description": "A company's name: linked to it, created when missing."},
        "phone": {"type": "string", "description": "Comma-separated phone numbers (replace the contact's)."},
        "email": {"type": "string", "description": "Comma-separated email addresses (replace the contact's)."},
        "website": TEXT_INPUT,
        "skype_name": TEXT_INPUT,
        "birthday": nullable({"type": "string", "format": "date"}),
        "job_title": TEXT_INPUT,
        "background": TEXT_OR_NULL,
        "tag_list": {"oneOf": [STRING, array(STRING)], "description": "Tags, as a comma list or an array."},
        "address_attributes": nullable(
            obj(
                {
                    "street1": TEXT_INPUT,
                    "street2": TEXT_INPUT,
                    "city": TEXT_INPUT,
                    "region": TEXT_INPUT,
                    "postcode": nullable({"type": "string", "maxLength": 30}),
                    "country_code": nullable({"type": "string", "maxLength": 2}),
                }
            )
        ),
        "assigned_to_id": nullable({"type": "string", "description": "A user id, or `me`."}),
        "custom_fields": array(obj({"id": {"type": "integer", "minimum": 1}, "value": {}}, required=["id"])),
        "custom_field_values": {"type": "object", "additionalProperties": {}},
        "visibility": {"type": "integer", "enum": [0, 1, 2]},
    }
)
NOTE_INPUT = obj(
    {
        "source_type": {"type": "string", "enum": ["Contact"]},
        "source_id": {"type": "integer", "minimum": 1, "description": "The contact's id (required on create)."},
        "subject": TEXT_INPUT,
        "content": STRING,
        "type_id": nullable({"type": "integer", "enum": [0, 1, 2]}),
    }
)

SCHEMAS = {
    "UserRef": USER_REF,
    "Address": ADDRESS,
    "CustomValue": CUSTOM_VALUE,
    "Contact": CONTACT,
    "ContactDetail": CONTACT_DETAIL,
    "Note": NOTE,
    "ContactInput": CONTACT_INPUT,
    "NoteInput": NOTE_INPUT,
    "Errors": obj({"errors": array(STRING)}, required=["errors"]),
    "ContactListXml": xml_schema(CONTACTS_SHAPE),
    "ContactXml": xml_schema(CONTACT_SHAPE),
    "NoteListXml": xml_schema(NOTES_SHAPE),
    "NoteXml": xml_schema(NOTE_SHAPE),
    "TagListXml": xml_schema(TAGS_SHAPE),
    "ErrorsXml": xml_schema(ERRORS_SHAPE),
}

SECURITY_SCHEMES = {
    "apiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-Redmine-API-Key"},
    "apiKeyQuery": {"type": "apiKey", "in": "query", "name": "key"},
    "basic": {"type": "http", "scheme": "basic", "description": "username:password, or the API key as username."},
}

ERROR_BODY = {JSON: ref("Errors"), XML: ref("ErrorsXml")}
ERRORS = {
    400: response("The body could not be read.", ERROR_BODY),
    401: response("No or wrong credentials (empty body).", headers={"WWW-Authenticate": 'Basic realm="Redmine API"'}),
    403: response("Not allowed (empty body)."),
    404: response("No such record, or not visible to the user (empty body)."),
    405: response("The route does not take this method.", ERROR_BODY),
    406: response("No acceptable format.", ERROR_BODY),
    412: response("If-Match names another version, or X-Redmine-Switch-User an unknown login."),
    413: response("The body is too large.", ERROR_BODY),
    415: response("The body's media type is not JSON, XML or a form.", ERROR_BODY),
    422: response("Invalid data: Rails' full messages.", ERROR_BODY),
    429: response("Too many attempts.", ERROR_BODY, headers={"Retry-After": "Seconds to wait."}),
}

PK = path_id("pk", "The contact's id.")
NOTE_PK = path_id("pk", "The note's id.")
PROJECT = parameter(
    "project", "path", {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}, description="A project id or identifier."
)
LIST_PARAMS = [
    query("project_id", STRING, "Only contacts of this project (id or identifier)."),
    query("assigned_to_id", STRING, "Only contacts assigned to this user id, or `me`."),
    query("search", STRING, "Each word must match a name, the company, an email, a phone or the job title."),
    query("tags", STRING, "Comma-separated tag names; all must match."),
    query("is_company", {"type": "string", "enum": ["0", "1", "true", "false"]}, "Only companies, or only persons."),
    query("offset", {"type": "integer", "minimum": 0}, "How many to skip."),
    query("limit", {"type": "integer", "minimum": 1, "maximum": 100}, "Page size (default 25, clamped to 1..100)."),
    query("page", {"type": "integer", "minimum": 1}, "A page number (with limit), instead of offset."),
    query("sort", STRING, "Comma-separated fields, each optionally `:desc` (id, first_name, created_on, ...)."),
    query("nometa", {"type": "string", "enum": ["0", "1"]}, "1 leaves out total_count, offset and limit."),
]


def wrapped(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return obj({name: schema}, required=[name])
