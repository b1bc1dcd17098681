"""The ONLYOFFICE base view: its configuration by class attributes, and the steps every view
shares (validated parameters, a visible contact, wrappers of contacts in a fixed number of queries).

Reads go through contacts.selectors, writes through contacts.services. Replies are wrapped in the
envelope by the renderers, with `statusCode` 201 for every POST as ONLYOFFICE does.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from django.http import Http404
from rest_framework import serializers as drf_serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from contacts.models import Channel, CustomField
from contacts.rows import ContactRow, contact_row_of, contact_rows
from contacts.selectors import (
    contact_access_lists,
    contact_annotate_for_display,
    contact_list_for_display,
    contact_rights,
    contact_visibility_key,
)
from dialects.authentication import SessionAuthentication
from dialects.base import BoundedFormParser, BoundedJSONParser, BoundedMultiPartParser, DialectMixin
from dialects.onlyoffice import renderers
from dialects.onlyoffice import representations as rep
from dialects.onlyoffice.authentication import OnlyofficeTokenAuthentication
from dialects.onlyoffice.errors import OnlyofficeErrors
from dialects.onlyoffice.pagination import OnlyofficePagination
from dialects.onlyoffice.parsers import OnlyofficeParams

ENTITY_APPLIES_TO = {
    "contact": CustomField.AppliesTo.BOTH,
    "person": CustomField.AppliesTo.PERSONS,
    "company": CustomField.AppliesTo.COMPANIES,
}


class OnlyofficeNegotiation(DialectMixin.content_negotiation_class):
    """`.xml` gives XML; anything else JSON, whatever the Accept header says (docs/onlyoffice.md, "JSON and XML")."""

    def select_renderer(self, request: Request, renderers: Any, format_suffix: str | None = None) -> Any:
        if not format_suffix:
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)


class OnlyofficeView(DialectMixin, GenericAPIView):
    history_channel = Channel.ONLYOFFICE
    renderer_classes = [renderers.OnlyofficeJSONRenderer, renderers.OnlyofficeXMLRenderer]
    parser_classes = [BoundedJSONParser, BoundedFormParser, BoundedMultiPartParser]
    authentication_classes = [OnlyofficeTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    content_negotiation_class = OnlyofficeNegotiation
    errors = OnlyofficeErrors()
    pagination_class = OnlyofficePagination
    # The XML shape of the reply's `response`, and per-method exceptions.
    xml_shape: ClassVar[Any] = renderers.CONTACT_XML
    xml_shapes: ClassVar[dict[str, Any]] = {}

    def params(self, serializer_class: type[drf_serializers.Serializer], **context: Any) -> dict[str, Any]:
        """The request's values validated by an input serializer (ONLYOFFICE binding rules)."""
        context = {"request": self.request, **context}
        data = OnlyofficeParams(self.request).data_for(serializer_class)
        serializer = serializer_class(instance=context.get("instance"), data=data, context=context)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def contact(self, pk: Any, *, is_company: bool | None = None) -> Any:
        """A contact the user can see, or 404 (also for a person where a company is expected)."""
        found = self.visible_contact(pk)
        if is_company is not None and found.is_company != is_company:
            raise Http404
        return found

    def project(self, projectid: int) -> Any:
        return self.visible_project(projectid)

    def contact_queryset(self, qs: QuerySet) -> QuerySet:
        """Contacts with what the wrappers show beyond their rows, in the same query: rights,
        whether the user may see the company, how many of a company's people the user may see."""
        return contact_annotate_for_display(user=self.request.user, contacts=qs)

    @property
    def contact_queryset_key(self) -> Any:
        """What `contact_queryset`'s SQL depends on: its user (see `contacts.rows.contact_rows`)."""
        return ("display", contact_visibility_key(user=self.request.user))

    def visible_rows(self, qs: QuerySet | None = None, *, pks: list[Any] | None = None) -> list[ContactRow]:
        """Every contact of `qs` (the visible ones, by default), or of those among `pks`, as rows
        with what their wrappers show, in a fixed number of queries."""
        if qs is None:
            qs = contact_list_for_display(user=self.request.user, related=())
        if pks is not None:
            qs = qs.filter(pk__in=pks)
        return contact_rows(
            qs,
            fields=rep.FIELDS,
            joined=rep.JOINED,
            related=rep.RELATED,
            annotate=self.contact_queryset,
            annotate_key=self.contact_queryset_key,
        )

    def reload(self, contacts: list[Any]) -> list[ContactRow]:
        """The contacts again, after a write, with everything their wrappers show."""
        return self.visible_rows(pks=[c.pk for c in contacts])

    def rows_of(self, contacts: list[Any]) -> list[ContactRow]:
        """Rows of contacts already read from `contact_queryset` with DISPLAY_PREFETCHES."""
        companies = [c.company for c in contacts if c.company_id and getattr(c, "company_visible", False)]
        contact_access_lists(contacts=[*contacts, *companies])
        return [contact_row_of(contact, related=rep.RELATED) for contact in contacts]

    def contacts_data(self, rows: list[ContactRow], *, summary: bool = False) -> list[dict[str, Any]]:
        """The wrappers of rows (ContactBaseWrapper with `summary`)."""
        if summary:
            return rep.contacts_summary(rows, request=self.request)
        return rep.contacts_full(rows, request=self.request)

    def contact_response(self, contact: Any, *, status: int = 200, base: bool = False) -> Response:
        rows = self.visible_rows(pks=[contact.pk])
        if not rows:  # The user just made it invisible to themselves.
            rows = self.rows_of([unannotated(contact, user=self.request.user)])
        return Response(self.contacts_data(rows, summary=base)[0], status=status)


def unannotated(contact: Any, *, user: Any) -> Any:
    """A contact the user no longer sees, with the annotations the wrappers read: its rights as
    `contact_rights` gives them, no company and no people."""
    rights = contact_rights(user=user, contacts=[contact])[contact.pk]
    contact.can_edit, contact.can_delete = rights.can_edit, rights.can_delete
    contact.company_visible, contact.persons_count = False, 0
    contact.company_can_edit = contact.company_can_delete = False
    return contact


def nested_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Move custom values and the access list out of `data` (the contact's own fields)."""
    return {key: data.pop(key) for key in ("custom_values", "access_list") if key in data}


def entity_is_company(entity: str) -> bool | None:
    return {"person": False, "company": True}.get(entity)


class NotFoundView(OnlyofficeView):
    """Any other path under api/2.0/: ONLYOFFICE's 404 in the envelope."""

    permission_classes = [AllowAny]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        raise Http404
