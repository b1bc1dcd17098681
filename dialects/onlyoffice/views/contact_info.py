"""Contact information: CommonData items and addresses (`contact/{id}/data`), and the InfoType names."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import serializers as drf_serializers
from rest_framework.request import Request
from rest_framework.response import Response

from contacts.services import contact_delete_nested, contact_update
from dialects.onlyoffice import renderers
from dialects.onlyoffice import representations as rep
from dialects.onlyoffice.codes import InfoType, category_enum
from dialects.onlyoffice.fields import address_data, enum_value, item_info_type
from dialects.onlyoffice.inputs import (
    ContactInfoInputSerializer,
)
from dialects.onlyoffice.views.base import (
    OnlyofficeView,
)


class ContactInfoListView(OnlyofficeView):
    """contact/{contactid}/data: every item, newest first, addresses included (GET); add one (POST)."""

    xml_shape = renderers.CONTACT_INFOS_XML
    xml_shapes = {"POST": renderers.CONTACT_INFO_XML}

    def get(self, request: Request, contactid: int, format: str | None = None) -> Response:
        contact = self.contact(contactid)
        rows = sorted(contact.items.all(), key=lambda r: -r.pk) + sorted(contact.addresses.all(), key=lambda r: -r.pk)
        return Response([rep.contact_info(row) for row in rows])

    def post(self, request: Request, contactid: int, format: str | None = None) -> Response:
        contact = self.contact(contactid)
        data = self.params(ContactInfoInputSerializer)

        def rows(of: Any) -> list[Any]:
            return list(of.addresses.all() if "address" in data else of.items.all())

        before = {row.pk for row in rows(contact)}
        if "address" in data:
            contact_update(contact=contact, user=request.user, addresses=[data["address"]], addresses_mode="merge")
        else:
            contact_update(contact=contact, user=request.user, items=[data["item"]], items_mode="merge")
        row = next(row for row in rows(self.contact(contactid)) if row.pk not in before)
        return Response(rep.contact_info(row), status=201)


class ContactInfoDetailView(OnlyofficeView):
    """contact/{contactid}/data/{infoid}: read, change (PUT) or delete one item.

    Address ids are negative (see serializers.ContactInfoSerializer)."""

    xml_shape = renderers.CONTACT_INFO_XML

    def row(self, contact: Any, infoid: int) -> Any:
        rows = contact.addresses.all() if infoid < 0 else contact.items.all()
        row = next((r for r in rows if r.pk == abs(infoid)), None)
        if row is None:
            raise Http404
        return row

    def get(self, request: Request, contactid: int, infoid: int, format: str | None = None) -> Response:
        return Response(rep.contact_info(self.row(self.contact(contactid), infoid)))

    def put(self, request: Request, contactid: int, infoid: int, format: str | None = None) -> Response:
        contact = self.contact(contactid)
        row = self.row(contact, infoid)
        current = InfoType.ADDRESS if infoid < 0 else item_info_type(row)
        data = self.params(ContactInfoInputSerializer, info_type=current, partial=True)
        if (data["infoType"] == InfoType.ADDRESS) != (infoid < 0):
            raise drf_serializers.ValidationError({"infoType": "An address cannot become another kind of item."})
        if infoid < 0:
            contact_update(
                contact=contact,
                user=request.user,
                addresses=[{"id": row.pk, **data["address"]}],
                addresses_mode="merge",
            )
        else:
            contact_update(
                contact=contact, user=request.user, items=[{"id": row.pk, **data["item"]}], items_mode="merge"
            )
        return Response(rep.contact_info(self.row(self.contact(contactid), infoid)))

    def delete(self, request: Request, contactid: int, infoid: int, format: str | None = None) -> Response:
        contact = self.contact(contactid)
        row = self.row(contact, infoid)
        data = rep.contact_info(row)
        ids = {"address_ids" if infoid < 0 else "item_ids": [row.pk]}
        contact_delete_nested(contact=contact, user=request.user, **ids)
        return Response(data)


class ContactInfoByTypeView(OnlyofficeView):
    """contact/{contactid}/data/{infoType}: the Data strings of the contact's items of that type
    (the route takes an InfoType name; a number is an item id, see ContactInfoDetailView)."""

    xml_shape = renderers.STRINGS_XML

    def get(self, request: Request, contactid: int, infotype: int, format: str | None = None) -> Response:
        contact = self.contact(contactid)
        if infotype == InfoType.ADDRESS:
            return Response([address_data(address) for address in contact.addresses.all()])
        return Response([item.value for item in contact.items.all() if item_info_type(item) == infotype])


class InfoTypesView(OnlyofficeView):
    """contact/data/infoType: the InfoType names."""

    xml_shape = renderers.STRINGS_XML

    def get(self, request: Request, format: str | None = None) -> Response:
        return Response([label for _, label in InfoType.choices])


class InfoCategoriesView(OnlyofficeView):
    """contact/data/{infoType}/category: the category names of one InfoType."""

    xml_shape = renderers.STRINGS_XML

    def get(self, request: Request, infotype: str, format: str | None = None) -> Response:
        enum = category_enum(enum_value(InfoType, infotype))
        return Response([label for _, label in enum.choices])
