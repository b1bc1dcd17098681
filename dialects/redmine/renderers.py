"""Redmine's JSON and XML renderers; the XML documents are declared as `XmlShape`s.

The shapes follow the plugin's API documentation (docs/redmine.md, "Shapes") and its
`contacts/index.api.rsb` / `show.api.rsb`: element order, `type="array"`
lists, `<author id=".." name=".."/>`, custom fields as
`<custom_field id=".." name=".."><value>..</value></custom_field>`. The same
shapes parse request bodies (`parsers.py`), so the contact shape also holds
the input-only keys (`phone`, `email`, `tag_list`, `address_attributes`...).
"""

from __future__ import annotations

from decimal import Decimal

from dialects.base import FastJSONRenderer
from dialects.xml import Array, Element, Leaf, XmlShape, XmlShapeRenderer


def named(key: str, *, name_first: bool = False) -> Element:
    """`<project id="1" name="Support"/>`: a reference written as attributes.

    The documented XML writes `name` before `id` (`<author name="Bezrukov Kirill" id="4"/>`), so the
    references it shows (author, assigned_to) keep that order.
    """
    id_leaf, name_leaf = Leaf("id", type=int, attribute=True), Leaf("name", attribute=True)
    return Element(key, key, (name_leaf, id_leaf) if name_first else (id_leaf, name_leaf))


ADDRESS_FIELDS = ("full_address", "street", "city", "region", "country", "country_code", "postcode")
ADDRESS_INPUT_FIELDS = ("street1", "street2", "city", "region", "postcode", "country_code", "country")

CUSTOM_FIELD = Element(
    "custom_field",
    "custom_field",
    (
        # Attribute order as documented: <custom_field name="License" id="1">.
        Leaf("name", attribute=True),
        Leaf("id", type=int, attribute=True),
        Leaf("multiple", type=bool, attribute=True),
        Array("value", "value", Leaf("value"), scalar_ok=True),
    ),
)

NOTE = Element(
    "note",
    "note",
    (
        Leaf("id", type=int),
        Element(
            "source",
            "source",
            (
                Leaf("id", type=int, attribute=True),
                Leaf("name", attribute=True),
                Leaf("type", attribute=True),
            ),
        ),
        Leaf("subject"),
        Leaf("content"),
        Leaf("type_id", type=int),
        named("author", name_first=True),
        Leaf("created_on"),
        Leaf("updated_on"),
        # Input only (notes_controller#create).
        Leaf("source_id"),
        Leaf("source_type"),
        Leaf("project_id"),
    ),
)

DEAL = Element(
    "deal",
    "deal",
    (
        Leaf("id", type=int),
        Leaf("price", type=Decimal),
        Leaf("currency"),
        Leaf("name"),
        named("project"),
        named("status"),
    ),
)

CONTACT = Element(
    "contact",
    "contact",
    (
        Leaf("id", type=int),
        Element("avatar", "avatar", (Leaf("attachment_id", type=int, attribute=True),)),
        Leaf("is_company", type=bool),
        Leaf("first_name"),
        Leaf("last_name"),
        Leaf("middle_name"),
        Leaf("company"),
        Leaf("website"),
        Leaf("skype_name"),
        Leaf("birthday"),
        Leaf("job_title"),
        Leaf("background"),
        named("author", name_first=True),
        named("assigned_to", name_first=True),
        Leaf("visibility", type=int),
        Element("address", "address", tuple(Leaf(name) for name in ADDRESS_FIELDS)),
        Array("phones", "phones", Leaf("phone")),
        Array("emails", "emails", Leaf("email")),
        Leaf("tags"),
        Array("custom_fields", "custom_fields", CUSTOM_FIELD),
        Leaf("created_on"),
        Leaf("updated_on"),
        # Show only.
        Array("projects", "projects", named("project")),
        Array("notes", "notes", NOTE),
        Array("contacts", "contacts", named("contact")),
        Array("deals", "deals", DEAL),
        Array("tickets", "tickets", Leaf("ticket")),
        # Input only (docs/redmine.md, "Creating and changing contacts").
        Leaf("project_id"),
        Leaf("phone"),
        Leaf("email"),
        Array("tag_list", "tag_list", Leaf("tag"), scalar_ok=True),
        Element("address_attributes", "address_attributes", tuple(Leaf(name) for name in ADDRESS_INPUT_FIELDS)),
        Leaf("assigned_to_id"),
    ),
)

TAG = Element("tag", "tag", (Leaf("id", type=int), Leaf("name"), Leaf("color"), Leaf("count", type=int)))
PROJECT_INPUT = Element("project", "project", (Leaf("id"),))

# Redmine core's api_meta order in the documented example: offset, limit, total_count.
META = (Leaf("offset", type=int), Leaf("limit", type=int), Leaf("total_count", type=int))

CONTACT_SHAPE = XmlShape(root=CONTACT)
CONTACTS_SHAPE = XmlShape(root=Array("contacts", "contacts", CONTACT, meta=META))
NOTE_SHAPE = XmlShape(root=NOTE)
NOTES_SHAPE = XmlShape(root=Array("notes", "notes", NOTE, meta=META))
TAGS_SHAPE = XmlShape(root=Array("tags", "tags", TAG))
PROJECT_SHAPE = XmlShape(root=PROJECT_INPUT)
ERRORS_SHAPE = XmlShape(root=Array("errors", "errors", Leaf("error")))


class RedmineJSONRenderer(FastJSONRenderer):
    format = "json"


class RedmineXMLRenderer(XmlShapeRenderer):
    """Each view names its shape (`xml_shape`, `xml_shapes` by method); errors are `<errors>`."""

    shapes = (CONTACT_SHAPE, CONTACTS_SHAPE, NOTE_SHAPE, NOTES_SHAPE, TAGS_SHAPE, ERRORS_SHAPE)
    error_shape = ERRORS_SHAPE
