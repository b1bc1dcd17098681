"""Custom fields: their definitions (administrators) and a contact's values."""

from __future__ import annotations

from django.http import Http404
from rest_framework.request import Request
from rest_framework.response import Response

from contacts.models import CustomField, CustomValue
from contacts.selectors import (
    custom_field_get,
    custom_field_list,
    custom_value_counts,
    custom_value_get,
)
from contacts.services import (
    contact_update,
    custom_field_create,
    custom_field_delete,
    custom_field_reorder,
    custom_field_update,
)
from dialects.onlyoffice import renderers
from dialects.onlyoffice import representations as rep
from dialects.onlyoffice.inputs import (
    CustomFieldInputSerializer,
    FieldIdsSerializer,
    FieldValueSerializer,
)
from dialects.onlyoffice.views.base import (
    ENTITY_APPLIES_TO,
    OnlyofficeView,
    entity_is_company,
)


class CustomFieldDefinitionsView(OnlyofficeView):
    """{et}/customfield/definitions, et = contact (both), person or company."""

    xml_shape = renderers.CUSTOM_FIELDS_XML

    def get(self, request: Request, entity: str, format: str | None = None) -> Response:
        fields = custom_field_list(applies_to=ENTITY_APPLIES_TO[entity])
        counts = custom_value_counts(user=request.user)
        return Response([rep.custom_field(field, counts=counts) for field in fields])


class CustomFieldCreateView(OnlyofficeView):
    """POST {et}/customfield: label, fieldType, position, mask (administrators)."""

    xml_shape = renderers.CUSTOM_FIELD_XML

    def post(self, request: Request, entity: str, format: str | None = None) -> Response:
        data = self.params(CustomFieldInputSerializer)
        field = custom_field_create(user=request.user, fields={**data, "applies_to": ENTITY_APPLIES_TO[entity]})
        return Response(rep.custom_field(field, counts={}), status=201)


class CustomFieldReorderView(OnlyofficeView):
    """PUT {et}/customfield/reorder: `fieldids[]` take positions 0, 1, 2... (administrators)."""

    xml_shape = renderers.CUSTOM_FIELDS_XML

    def put(self, request: Request, entity: str, format: str | None = None) -> Response:
        ids = list(dict.fromkeys(self.params(FieldIdsSerializer)["fieldids"]))
        found = custom_field_list(applies_to=ENTITY_APPLIES_TO[entity]).in_bulk(ids)
        if len(found) != len(ids):
            raise Http404
        fields = custom_field_reorder(user=request.user, fields=[found[pk] for pk in ids])
        counts = custom_value_counts(user=request.user)
        return Response([rep.custom_field(field, counts=counts) for field in fields])


class CustomFieldDetailView(OnlyofficeView):
    """PUT or DELETE {et}/customfield/{fieldid} (administrators)."""

    xml_shape = renderers.CUSTOM_FIELD_XML

    def field(self, entity: str, fieldid: int) -> CustomField:
        field = custom_field_get(pk=fieldid, applies_to=ENTITY_APPLIES_TO[entity])
        if field is None:
            raise Http404
        return field

    def put(self, request: Request, entity: str, fieldid: int, format: str | None = None) -> Response:
        field = self.field(entity, fieldid)
        data = self.params(CustomFieldInputSerializer, instance=field)
        custom_field_update(field=field, user=request.user, fields=data)
        counts = custom_value_counts(user=request.user)
        return Response(rep.custom_field(field, counts=counts))

    def delete(self, request: Request, entity: str, fieldid: int, format: str | None = None) -> Response:
        field = self.field(entity, fieldid)
        data = rep.custom_field(field, counts=custom_value_counts(user=request.user))
        custom_field_delete(field=field, user=request.user)
        return Response(data)


class ContactCustomFieldsView(OnlyofficeView):
    """{et}/{contactid}/customfield (GET the values) and .../customfield/{fieldid} (POST fieldValue)."""

    xml_shape = renderers.CUSTOM_VALUES_XML
    xml_shapes = {"POST": renderers.CUSTOM_VALUE_XML}

    def get(self, request: Request, entity: str, contactid: int, format: str | None = None) -> Response:
        contact = self.contact(contactid, is_company=entity_is_company(entity))
        return Response([rep.custom_value(value) for value in rep.custom_values_of(contact)])

    def post(self, request: Request, entity: str, contactid: int, fieldid: int, format: str | None = None) -> Response:
        contact = self.contact(contactid, is_company=entity_is_company(entity))
        value = self.params(FieldValueSerializer)["fieldValue"]
        contact_update(contact=contact, user=request.user, custom_values={fieldid: value})
        stored = custom_value_get(contact=contact, field_id=fieldid)
        if stored is None:  # An empty value clears it.
            stored = CustomValue(contact=contact, field=custom_field_get(pk=fieldid), value="")
        return Response(rep.custom_value(stored), status=201)
