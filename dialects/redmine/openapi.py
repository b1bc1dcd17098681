"""The OpenAPI 3 document of the Redmine routes (docs/redmine.md, "OpenAPI document").

JSON schemas follow the plugin's JSON (`representations.py`); XML schemas come from the shapes
in `renderers.py`. Every route also answers with a `.json` or `.xml` suffix (`x-format-suffixes`).
"""

from __future__ import annotations

from typing import Any

from contacts.models import WEBFORM_FIELDS
from dialects.openapi import (
    BOOLEAN,
    INTEGER,
    JSON,
    STRING,
    TEXT_OR_NULL,
    XML,
    array,
    body,
    content,
    document,
    nullable,
    obj,
    operation,
    parameter,
    path_id,
    query,
    ref,
    response,
    xml_schema,
)
from dialects.redmine.renderers import CONTACT_SHAPE, CONTACTS_SHAPE, ERRORS_SHAPE, NOTE_SHAPE, NOTES_SHAPE, TAGS_SHAPE

TITLE = "Redmine CRM contacts API"
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


def input_body(name: str, schema_name: str, *, description: str) -> dict[str, Any]:
    """A `{name: {...}}` body in JSON or XML (`<name>...</name>`); forms send the same as `name[field]`."""
    json_body = obj({name: ref(schema_name), "project_id": STRING})
    xml_body = {**ref(f"{schema_name.removesuffix('Input')}Xml")}
    return body({JSON: json_body, XML: xml_body}, description=description)


def contact_list(operation_id: str, summary: str, *, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    return operation(
        operation_id,
        summary,
        tag="Contacts",
        parameters=[*parameters, *LIST_PARAMS],
        responses={
            200: response(
                "A page of contacts.",
                {
                    JSON: obj({"contacts": array(ref("Contact")), **LIST_META}, required=["contacts"]),
                    XML: ref("ContactListXml"),
                },
            )
        },
        errors=ERRORS,
    )


def contact_create(operation_id: str, *, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    return operation(
        operation_id,
        "Create a contact",
        tag="Contacts",
        description="The project comes from the path, `contact[project_id]` or a top-level `project_id`.",
        parameters=parameters,
        request_body=input_body("contact", "ContactInput", description="The `contact` hash."),
        responses={
            201: response(
                "The contact made.",
                {JSON: wrapped("contact", ref("ContactDetail")), XML: ref("ContactXml")},
                headers={"Location": "The contact's URL."},
            )
        },
        errors=ERRORS,
    )


def export(operation_id: str, summary: str, media_type: str, *, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    return operation(
        operation_id,
        summary,
        tag="Exports",
        parameters=parameters,
        responses={200: response("The file.", {media_type: STRING})},
        errors=ERRORS,
    )


def paths() -> dict[str, dict[str, Any]]:
    return {
        "/contacts.vcf": {"get": export("exportVcards", "Contacts as vCards", "text/vcard", parameters=LIST_PARAMS)},
        "/contacts.csv": {"get": export("exportCsv", "Contacts as CSV", "text/csv", parameters=LIST_PARAMS)},
        "/projects/{project}/contacts.vcf": {
            "get": export(
                "exportProjectVcards",
                "A project's contacts as vCards",
                "text/vcard",
                parameters=[PROJECT, *LIST_PARAMS],
            )
        },
        "/projects/{project}/contacts.csv": {
            "get": export(
                "exportProjectCsv", "A project's contacts as CSV", "text/csv", parameters=[PROJECT, *LIST_PARAMS]
            )
        },
        "/contacts/{pk}.vcf": {"get": export("exportVcard", "A contact as a vCard", "text/vcard", parameters=[PK])},
        "/contacts": {
            **SUFFIXES,
            "get": contact_list("listContacts", "List contacts", parameters=[]),
            "post": contact_create("createContact", parameters=[]),
        },
        "/projects/{project}/contacts": {
            **SUFFIXES,
            "get": contact_list("listProjectContacts", "List a project's contacts", parameters=[PROJECT]),
            "post": contact_create("createProjectContact", parameters=[PROJECT]),
        },
        "/contacts/{pk}": {
            **SUFFIXES,
            "get": operation(
                "showContact",
                "Show a contact",
                tag="Contacts",
                parameters=[
                    PK,
                    query("include", STRING, "Comma-separated: notes, contacts (a company's people), deals, tickets."),
                ],
                responses={
                    200: response(
                        "The contact, with its projects.",
                        {JSON: wrapped("contact", ref("ContactDetail")), XML: ref("ContactXml")},
                        headers={"ETag": "The contact's version."},
                    )
                },
                errors=ERRORS,
            ),
            "put": operation(
                "updateContact",
                "Update a contact",
                tag="Contacts",
                description="Only the attributes sent change. `If-Match` with an ETag refuses a stale write (412).",
                parameters=[PK, parameter("If-Match", "header", STRING, description="An ETag of the contact.")],
                request_body=input_body("contact", "ContactInput", description="The `contact` hash."),
                responses={204: response("Updated.", headers={"ETag": "The contact's new version."})},
                errors=ERRORS,
            ),
            "delete": operation(
                "deleteContact",
                "Delete a contact (to the trash)",
                tag="Contacts",
                parameters=[PK],
                responses={204: response("Deleted.")},
                errors=ERRORS,
            ),
        },
        "/contacts/{pk}/projects": {
            **SUFFIXES,
            "post": operation(
                "linkContactProject",
                "Add a contact to a project",
                tag="Contacts",
                parameters=[PK],
                request_body=body(
                    {
                        JSON: obj({"project": obj({"id": STRING}), "project_id": STRING}),
                        XML: {"type": "object", "xml": {"name": "project"}, "properties": {"id": {"type": "string"}}},
                    }
                ),
                responses={204: response("Linked.")},
                errors=ERRORS,
            ),
        },
        "/contacts/{pk}/projects/{project}": {
            **SUFFIXES,
            "delete": operation(
                "unlinkContactProject",
                "Remove a contact from a project",
                tag="Contacts",
                description="403 when it is the contact's last project.",
                parameters=[PK, PROJECT],
                responses={204: response("Unlinked.")},
                errors=ERRORS,
            ),
        },
        "/contacts_tags": {
            **SUFFIXES,
            "get": operation(
                "listTags",
                "Tags of the visible contacts, with counts",
                tag="Tags",
                responses={
                    200: response(
                        "The tags.",
                        {
                            JSON: wrapped(
                                "tags",
                                array(
                                    obj(
                                        {"id": INTEGER, "name": STRING, "color": TEXT_OR_NULL, "count": INTEGER},
                                        required=["id", "name", "color", "count"],
                                    )
                                ),
                            ),
                            XML: ref("TagListXml"),
                        },
                    )
                },
                errors=ERRORS,
            ),
        },
        "/notes": {
            **SUFFIXES,
            "get": operation(
                "listNotes",
                "List notes",
                tag="Notes",
                parameters=[
                    query("contact_id", {"type": "integer", "minimum": 1}, "Only this contact's notes."),
                    query("source_id", {"type": "integer", "minimum": 1}, "The same as contact_id."),
                    query("project_id", STRING, "Only notes on this project's contacts."),
                    *[p for p in LIST_PARAMS if p["name"] in ("offset", "limit", "page", "nometa")],
                ],
                responses={
                    200: response(
                        "A page of notes, newest first.",
                        {
                            JSON: obj({"notes": array(ref("Note")), **LIST_META}, required=["notes"]),
                            XML: ref("NoteListXml"),
                        },
                    )
                },
                errors=ERRORS,
            ),
            "post": operation(
                "createNote",
                "Add a note to a contact",
                tag="Notes",
                request_body=input_body("note", "NoteInput", description="The `note` hash."),
                responses={
                    201: response(
                        "The note made.",
                        {JSON: wrapped("note", ref("Note")), XML: ref("NoteXml")},
                        headers={"Location": "The note's URL."},
                    )
                },
                errors=ERRORS,
            ),
        },
        "/notes/{pk}": {
            **SUFFIXES,
            "get": operation(
                "showNote",
                "Show a note",
                tag="Notes",
                parameters=[NOTE_PK],
                responses={200: response("The note.", {JSON: wrapped("note", ref("Note")), XML: ref("NoteXml")})},
                errors=ERRORS,
            ),
            "put": operation(
                "updateNote",
                "Update a note (its author only)",
                tag="Notes",
                parameters=[NOTE_PK],
                request_body=input_body("note", "NoteInput", description="The `note` hash."),
                responses={204: response("Updated.")},
                errors=ERRORS,
            ),
            "delete": operation(
                "deleteNote",
                "Delete a note (its author only)",
                tag="Notes",
                parameters=[NOTE_PK],
                responses={204: response("Deleted.")},
                errors=ERRORS,
            ),
        },
    }


def build(*, base: str) -> dict[str, Any]:
    """The document, with `base` (the mount, `/redmine/`) as its server."""
    return document(
        base=base,
        title=TITLE,
        description=(
            "Contacts and notes as the Redmine CRM plugin serves them. Every route also takes a `.json` or "
            "`.xml` suffix (listed as `x-format-suffixes`); without one, the Accept header decides. "
            "See docs/redmine.md."
        ),
        paths=paths(),
        schemas=SCHEMAS,
        security_schemes=SECURITY_SCHEMES,
        tags=[
            ("Contacts", "Persons and companies."),
            ("Notes", "Notes on contacts."),
            ("Tags", "Contact tags."),
            ("Exports", "vCard and CSV files."),
        ],
    )


WEBFORM_TITLE = "Web form posts"
HTML = "text/html"
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
WEBFORM_KEY = parameter("key", "path", STRING, description="The web form's key (its snippet shows it).")
WEBFORM_CONTACT = obj({name: STRING for name in WEBFORM_FIELDS})
WEBFORM_EXTRAS = {
    "project_id": STRING,
    "redirect_on_success": STRING,
}
WEBFORM_PAGE = {HTML: STRING}
# The Redmine errors a post can get; those a browser's own post gets as a page say so. (A wrong
# key is a page of 404 for a browser, a 401 with an empty body for a script.)
WEBFORM_PAGES = (400, 404, 413, 415, 422, 429)
WEBFORM_ERRORS = {
    code: {**answer, "content": {**answer.get("content", {}), **content(WEBFORM_PAGE)}}
    if code in WEBFORM_PAGES
    else answer
    for code, answer in ERRORS.items()
    if code != 412
}


def webform_paths() -> dict[str, dict[str, Any]]:
    form_fields = obj({f"contact[{name}]": STRING for name in WEBFORM_FIELDS} | WEBFORM_EXTRAS)
    submit = operation(
        "submitWebForm",
        "Post a lead to a web form",
        tag="Web forms",
        description=(
            "The form's own route; `POST /redmine/contacts.json` with `key` in the body is its alias in the "
            "Redmine document. Only the fields the form allows are kept. Scripts get JSON (or XML); a "
            "browser posting the form itself (a form body, Accept preferring HTML) gets pages."
        ),
        parameters=[WEBFORM_KEY],
        request_body=body(
            {JSON: obj({"contact": WEBFORM_CONTACT} | WEBFORM_EXTRAS), FORM: form_fields, MULTIPART: form_fields},
            description="The `contact` hash, or the same as `contact[field]` form fields.",
        ),
        responses={
            200: response("A browser's post: the form's thank-you page.", WEBFORM_PAGE),
            201: response(
                "The lead stored: what it sent, never a stored contact's other data.",
                {
                    JSON: wrapped(
                        "contact",
                        obj(
                            {
                                "id": INTEGER,
                                "is_company": BOOLEAN,
                                "first_name": TEXT_OR_NULL,
                                "last_name": TEXT_OR_NULL,
                            },
                            required=["id", "is_company", "first_name", "last_name"],
                        ),
                    ),
                    XML: STRING,
                },
            ),
            204: response("Taken and set aside: the honeypot field was filled."),
            302: response("Stored: on to `redirect_on_success`.", headers={"Location": "The thank-you page."}),
            303: response("A browser's post, stored: on to the thank-you page.", headers={"Location": "The page."}),
        },
        errors=WEBFORM_ERRORS,
    )
    submit["security"] = []
    preflight = operation(
        "preflightWebForm",
        "CORS preflight of a post from a page of the form's allowed origins",
        tag="Web forms",
        parameters=[WEBFORM_KEY],
        responses={204: response("The CORS headers, for an allowed origin.")},
        errors={code: WEBFORM_ERRORS[code] for code in (401, 403, 404)},
    )
    preflight["security"] = []
    return {"/{key}/": {"post": submit, "options": preflight}}


def build_webform(*, base: str) -> dict[str, Any]:
    """The web form's own route, `/forms/<key>/`, in a document of its own (its server is `/forms`)."""
    return document(
        base="/forms",
        title=WEBFORM_TITLE,
        description=(
            "A web form's neutral route: visitors' leads, posted by the form's page or a script, with no "
            'credentials but the form\'s key. See docs/redmine.md, "Web forms".'
        ),
        paths=webform_paths(),
        schemas={name: SCHEMAS[name] for name in ("Errors", "ErrorsXml")},
        security_schemes={},
        tags=[("Web forms", "Leads posted to a web form.")],
    )
