"""Contacts: `GET`/`POST`/`LOOKUP /contacts` and `GET`/`PATCH`/`DELETE /contacts/<id>`."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from contacts.models import ContactItem
from contacts.selectors import contact_list_matching, contact_lookup, contact_rows
from contacts.services import contact_create_slotted, contact_delete, contact_update_slotted
from dialects.incoplax.codes import CONTACT_FIELDS, CONTACT_MASKABLE, SLOT_FILTER_SLOTS, SLOTS
from dialects.incoplax.filters import contact_query, flat_param, mask_param
from dialects.incoplax.inputs import ContactInputSerializer, lookup_key
from dialects.incoplax.representations import CONTACT_GETTERS, Projection
from dialects.incoplax.views import IncoplaxView, LookupFailed


class ContactView(IncoplaxView):
    def projection(self, default: tuple[str, ...]) -> Projection:
        params = self.request.query_params
        fields = mask_param(params, maskable=CONTACT_MASKABLE, order=CONTACT_FIELDS) or default
        return Projection(fields, CONTACT_GETTERS, flat_param(params))

    def entity(self, pk: int, projection: Projection | None = None) -> dict:
        """One contact as the client asked to see it (the whole entity by default)."""
        projection = projection or Projection(CONTACT_FIELDS, CONTACT_GETTERS)
        contacts = contact_list_matching(user=self.request.user, fields={"pk": [pk]})
        return projection.render(contact_rows(contacts=contacts)[0])


class ContactCollectionView(ContactView):
    """GET: the list (bare array); POST: create (200 + the entity); LOOKUP: ids for a key."""

    http_method_names = [*IncoplaxView.http_method_names, "lookup"]

    def get(self, request: Request) -> Response:
        projection = self.projection(CONTACT_MASKABLE)
        query = contact_query(request.query_params)
        offset, limit = self.paginator.bounds(request)
        contacts = contact_list_matching(user=request.user, **query.arguments())
        rows = contact_rows(
            contacts=contacts, offset=offset, limit=limit, items=projection.needs_items, tags=projection.needs_tags
        )
        return self.get_paginated_response(projection.render_many(rows))

    def post(self, request: Request) -> Response:
        data = self.valid(ContactInputSerializer, contact=None)
        contact = contact_create_slotted(
            user=request.user,
            fields=data.contact_fields(),
            layout=SLOTS,
            slots=data.slots(),
            tags=self.group_names(data.group_codes()),
            uuid=data.validated_data.get("id"),
        )
        return Response(self.entity(contact.pk))

    def lookup(self, request: Request) -> Response:
        key = lookup_key(request.data)
        ids = contact_lookup(user=request.user, key=key, kind=ContactItem.Kind.TEL, slots=SLOT_FILTER_SLOTS["number"])
        if not ids:
            raise LookupFailed()
        return Response([str(uuid) for uuid in ids])


class ContactDetailView(ContactView):
    """GET (mask, flat), PATCH (only the fields given; id and autokey stay) and DELETE (204)."""

    def get(self, request: Request, key: str) -> Response:
        contact = self.contact_by_id(key)
        return Response(self.entity(contact.pk, self.projection(CONTACT_FIELDS)))

    def patch(self, request: Request, key: str) -> Response:
        contact = self.contact_by_id(key)
        photo = self.entity(contact.pk, Projection(("photo",), CONTACT_GETTERS))["photo"]
        data = self.valid(ContactInputSerializer, contact=contact, photo=photo)
        contact_update_slotted(
            contact=contact,
            user=request.user,
            fields=data.contact_fields(),
            layout=SLOTS,
            slots=data.slots(),
            tags=self.group_names(data.group_codes()),
        )
        return Response(self.entity(contact.pk))

    def delete(self, request: Request, key: str) -> Response:
        contact_delete(contact=self.contact_by_id(key), user=request.user)
        return Response(status=204)
