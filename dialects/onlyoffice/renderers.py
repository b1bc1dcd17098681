"""ONLYOFFICE replies in JSON and XML (docs/onlyoffice.md, "The envelope" and "JSON and XML").

Both renderers write the envelope of `pagination.py`, wrapping a view's plain data (a single
object, a string, a list that is not paged) with the HTTP status of the response.

The XML is ONLYOFFICE's JSON converted under a root `<result>`: a list becomes repeated
sibling elements named after its property (several `<response>`, `<Tags>Tag1</Tags><Tags>Tag2
</Tags>`), so an empty list disappears; "" and null are both `<City />`; booleans are spelled
`True`/`False` as in ONLYOFFICE's example; there is no XML declaration. Each view names the shape of its
`response` member in its `xml_shape` attribute (`xml_shapes` by method where they differ).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dialects.base import FastJSONRenderer
from dialects.onlyoffice.pagination import Envelope, envelope
from dialects.xml import Array, Element, Leaf, Node, XmlShape, XmlShapeRenderer


def _list(key: str, fields: tuple[Node, ...]) -> Array:
    return Array(key, key, item=Element(key, key, fields), repeated=True)


EMPLOYEE = (Leaf("Id"), Leaf("DisplayName"), Leaf("Title"), Leaf("AvatarSmall"), Leaf("ProfileUrl"))
LIST_ITEM = (
    Leaf("id", type=int),
    Leaf("Title"),
    Leaf("Description"),
    Leaf("Color"),
    Leaf("SortOrder", type=int),
)
LIST_ITEM_FULL = (*LIST_ITEM, Leaf("RelativeItemsCount", type=int))
ADDRESS = (
    Leaf("Street"),
    Leaf("City"),
    Leaf("State"),
    Leaf("Zip"),
    Leaf("Country"),
    Leaf("Category", type=int),
    Leaf("CategoryName"),
    Leaf("IsPrimary", type=bool),
)
CONTACT_INFO = (
    Leaf("InfoType", type=int),
    Leaf("Category", type=int),
    Leaf("Data"),
    Leaf("CategoryName"),
    Leaf("IsPrimary", type=bool),
    Leaf("id", type=int),
)
CUSTOM_FIELD = (
    Leaf("EntityId", type=int),
    Leaf("Label"),
    Leaf("FieldValue"),
    Leaf("FieldType", type=int),
    Leaf("Position", type=int),
    Leaf("Mask"),
    Leaf("id", type=int),
)
CUSTOM_FIELD_FULL = (*CUSTOM_FIELD, Leaf("RelativeItemsCount", type=int))
CURRENCY = (
    Leaf("Title"),
    Leaf("Symbol"),
    Leaf("Abbreviation"),
    Leaf("CultureName"),
    Leaf("IsConvertable", type=bool),
    Leaf("IsBasic", type=bool),
)
CONTACT_BASE = (
    Leaf("id", type=int),
    Leaf("SmallFotoUrl"),
    Leaf("MediumFotoUrl"),
    Leaf("DisplayName"),
    Leaf("IsCompany", type=bool),
    _list("AccessList", EMPLOYEE),
    Leaf("IsPrivate", type=bool),
    Leaf("IsShared", type=bool),
    Leaf("ShareType", type=int),
    Element("Currency", "Currency", CURRENCY),
    Leaf("CanEdit", type=bool),
    Leaf("CanDelete", type=bool),
)
CONTACT = (
    # Person
    Leaf("FirstName"),
    Leaf("LastName"),
    Element("Company", "Company", CONTACT_BASE),
    Leaf("Title"),
    # Company
    Leaf("CompanyName"),
    Leaf("PersonsCount", type=int),
    # ContactWrapper, in the documented example's order
    _list("Addresses", ADDRESS),
    Element("CreateBy", "CreateBy", EMPLOYEE),
    Leaf("Created"),
    Leaf("About"),
    Leaf("Industry"),
    Element("ContactStatus", "ContactStatus", LIST_ITEM),
    Element("ContactType", "ContactType", LIST_ITEM),
    _list("CommonData", CONTACT_INFO),
    _list("CustomFields", CUSTOM_FIELD),
    Array("Tags", "Tags", item=Leaf("Tags"), repeated=True),
    Leaf("TaskCount", type=int),
    Leaf("HaveLateTasks", type=bool),
    *CONTACT_BASE,
)
TAG = (Leaf("Title"), Leaf("RelativeItemsCount", type=int))
TOKEN = (Leaf("token"), Leaf("expires"))


def result_shape(response: Node) -> XmlShape:
    """The `<result>` document around one kind of `response`, with the error member."""
    return XmlShape(
        root=Element(
            None,
            "result",
            (
                Leaf("count", type=int),
                Leaf("startIndex", type=int),
                Leaf("nextIndex", type=int),
                Leaf("total", type=int),
                Leaf("status", type=int),
                Leaf("statusCode", type=int),
                response,
                Element("error", "error", (Leaf("message"),)),
            ),
        ),
        true_text="True",
        false_text="False",
        empty_string_self_closes=True,
        space_before_slash=True,
        declaration="",
    )


def one(fields: tuple[Node, ...]) -> XmlShape:
    return result_shape(Element("response", "response", fields))


def many(fields: tuple[Node, ...]) -> XmlShape:
    return result_shape(_list("response", fields))


CONTACT_XML = one(CONTACT)
CONTACTS_XML = many(CONTACT)
CONTACT_BASE_XML = one(CONTACT_BASE)
CONTACT_INFO_XML = one(CONTACT_INFO)
CONTACT_INFOS_XML = many(CONTACT_INFO)
CUSTOM_FIELD_XML = one(CUSTOM_FIELD_FULL)
CUSTOM_FIELDS_XML = many(CUSTOM_FIELD_FULL)
CUSTOM_VALUE_XML = one(CUSTOM_FIELD)
CUSTOM_VALUES_XML = many(CUSTOM_FIELD)
LIST_ITEM_XML = one(LIST_ITEM_FULL)
LIST_ITEMS_XML = many(LIST_ITEM_FULL)
TAGS_XML = many(TAG)
TOKEN_XML = one(TOKEN)
STRING_XML = result_shape(Leaf("response"))
STRINGS_XML = result_shape(Array("response", "response", item=Leaf("response"), repeated=True))


def wrap(data: Any, renderer_context: Mapping[str, Any] | None) -> Any:
    """The envelope for a view's data (an Envelope already is one)."""
    if data is None or isinstance(data, Envelope):
        return data
    response = (renderer_context or {}).get("response")
    return envelope(data, status_code=response.status_code if response is not None else 200)


class OnlyofficeJSONRenderer(FastJSONRenderer):
    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Mapping[str, Any] | None = None
    ) -> bytes:
        return super().render(wrap(data, renderer_context), accepted_media_type, renderer_context)


class OnlyofficeXMLRenderer(XmlShapeRenderer):
    """The view's `xml_shape` (dialects.xml.XmlShapeRenderer.shape_for); errors fit any `<result>`."""

    media_type = "text/xml"
    error_shape = STRING_XML

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Mapping[str, Any] | None = None
    ) -> bytes:
        return super().render(wrap(data, renderer_context), accepted_media_type, renderer_context)
