"""The OpenAPI 3 document of the ONLYOFFICE routes (docs/onlyoffice.md, "OpenAPI document").

ONLYOFFICE binds every parameter by name from the query string, a form or a JSON body alike
(`parsers.py`): reads and deletes document them as query parameters, writes as a body whose
schema is the input serializers' own (DRF's mapping). Replies are the envelope of
`pagination.py` around a `response` whose shape is the view's `XmlShape` (`renderers.py`):
the XML document as declared, the JSON as the same keys. Every route also answers with a
`.json` or `.xml` suffix (`x-format-suffixes`); without one the answer is JSON.
"""

from __future__ import annotations

from typing import Any

from dialects.onlyoffice.openapi.contacts import contact_paths, group_paths
from dialects.onlyoffice.openapi.details import detail_paths, entity_paths
from dialects.onlyoffice.openapi.schemas import (
    ENTITIES,
    GROUPS,
    SCHEMAS,
    SECURITY_SCHEMES,
    SUFFIXES,
    op,
    path_item,
)
from dialects.openapi import document

__all__ = ["TITLE", "build", "op", "path_item", "paths"]

TITLE = "ONLYOFFICE CRM contacts API"


def paths() -> dict[str, dict[str, Any]]:
    """Every path of the document, each operation built for its method, in the order the routes are listed."""
    every = contact_paths() | detail_paths()
    for entity in GROUPS:
        every |= group_paths(entity)
    for entity in ENTITIES:
        every |= entity_paths(entity)
    return {path: {**SUFFIXES, **path_item(item)} for path, item in every.items()}


def build(*, base: str) -> dict[str, Any]:
    """The document; its server is the mount of the routes, `/api/2.0`, whatever `base` it was fetched under."""
    return document(
        base="/api/2.0",
        title=TITLE,
        description=(
            "Contacts, their information, tags, custom fields, types and statuses as ONLYOFFICE CRM serves them. "
            "Every reply is the ONLYOFFICE envelope; every route also takes a `.json` or `.xml` suffix "
            "(`x-format-suffixes`), the latter for XML. Parameters may come in the query string, a form or "
            "a JSON body alike. See docs/onlyoffice.md."
        ),
        paths=paths(),
        schemas=SCHEMAS,
        security_schemes=SECURITY_SCHEMES,
        tags=[
            ("Authentication", "Tokens."),
            ("Contacts", "Persons and companies."),
            ("Contact information", "Phones, emails, addresses and the like."),
            ("Tags", "Tags on contacts."),
            ("Custom fields", "Custom field definitions and values."),
            ("Dictionaries", "Contact types and statuses."),
        ],
    )
