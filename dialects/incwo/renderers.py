"""incwo's XML documents, declared as `XmlShape`s: a contact, a firm, their lists, errors.

Lists are `<contacts>` holding `<contact>` siblings and a `<pagination>` block
(`current_page`, `total_pages`, `total_entries`, `per_page`); nested blocks
(`contact_addresses`, `contact_items`) carry no `type` attribute; "" is
written `<x></x>`. The same shapes parse request bodies (`parsers.py`).
"""

from __future__ import annotations

from dialects.xml import Array, Element, Leaf, XmlShape, XmlShapeRenderer

ADDRESS = Element(
    "contact_address",
    "contact_address",
    (
        Leaf("id", type=int),
        Leaf("address_type", type=int),
        Leaf("street_address"),
        Leaf("street_address2"),
        Leaf("zip_code"),
        Leaf("city"),
        Leaf("country"),
    ),
)
ITEM = Element("contact_item", "contact_item", (Leaf("id", type=int), Leaf("type_id", type=int), Leaf("value")))
NESTED = (
    Array("contact_addresses", "contact_addresses", ADDRESS, attrs=()),
    Array("contact_items", "contact_items", ITEM, attrs=()),
)
TIMES = (Leaf("created_at"), Leaf("updated_at"))

CONTACT = Element(
    "contact",
    "contact",
    (
        Leaf("id", type=int),
        Leaf("civility_label_id", type=int),
        Leaf("last_name"),
        Leaf("first_name"),
        Leaf("comment"),
        Leaf("job_title"),
        Leaf("job_department"),
        Leaf("country"),
        Leaf("contact_type"),
        Leaf("firm_id", type=int),
        Leaf("firm_name"),
        *TIMES,
        *NESTED,
    ),
)
FIRM = Element(
    "firm",
    "firm",
    (
        Leaf("id", type=int),
        Leaf("name"),
        Leaf("firm_type"),
        Leaf("siren"),
        Leaf("tva"),
        *TIMES,
        *NESTED,
    ),
)
PAGINATION = Element(
    "pagination",
    "pagination",
    tuple(Leaf(name, type=int) for name in ("current_page", "total_pages", "total_entries", "per_page")),
)


def list_shape(key: str, item: Element) -> XmlShape:
    """`<contacts><contact>..</contact>..<pagination>..</pagination></contacts>` for {key: {"items", "pagination"}}."""
    return XmlShape(root=Element(key, key, (Array("items", item.tag, item, repeated=True), PAGINATION)))


CONTACT_SHAPE = XmlShape(root=CONTACT)
FIRM_SHAPE = XmlShape(root=FIRM)
CONTACTS_SHAPE = list_shape("contacts", CONTACT)
FIRMS_SHAPE = list_shape("firms", FIRM)
ERRORS_SHAPE = XmlShape(root=Array("errors", "errors", Leaf("error"), attrs=()))


class IncwoXMLRenderer(XmlShapeRenderer):
    shapes = (CONTACT_SHAPE, FIRM_SHAPE, CONTACTS_SHAPE, FIRMS_SHAPE, ERRORS_SHAPE)
