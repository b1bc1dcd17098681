"""The document of the contact and note routes: their paths, operations and replies."""

from __future__ import annotations

from typing import Any

from dialects.openapi import (
    INTEGER,
    JSON,
    STRING,
    TEXT_OR_NULL,
    XML,
    array,
    body,
    document,
    obj,
    operation,
    parameter,
    query,
    ref,
    response,
)
from dialects.redmine.openapi.schemas import (
    ERRORS,
    LIST_META,
    LIST_PARAMS,
    NOTE_PK,
    PK,
    PROJECT,
    SCHEMAS,
    SECURITY_SCHEMES,
    SUFFIXES,
    wrapped,
)

TITLE = "Redmine CRM contacts API"


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
