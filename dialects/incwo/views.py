"""incwo's routes as thin DRF views: the business file, then read through selectors, write through services.

Every route lives under `/incwo/<business_file_id>/`, and the business file is
a project the user must be a member of (`IncwoView.initial`). Contacts and
firms are the same story told twice: each resource is a pair of views
configured by class attributes (`is_company`, the XML key, the representation
and the input serializer).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from contacts.models import Channel, Contact
from contacts.rows import ContactRow, contact_row_of, contact_rows
from contacts.selectors import (
    contact_annotate_company_visible,
    contact_get,
    contact_list_for_display,
    contact_visibility_key,
)
from contacts.services import contact_delete, contact_save_with_type_code
from dialects.authentication import SessionAuthentication
from dialects.base import DialectMixin
from dialects.incwo.authentication import REALM, IncwoBasicAuthentication
from dialects.incwo.errors import IncwoErrors
from dialects.incwo.filters import list_filters
from dialects.incwo.inputs import ContactInputSerializer, FirmInputSerializer, RecordInputSerializer
from dialects.incwo.pagination import IncwoPagination
from dialects.incwo.parsers import IncwoXMLParser
from dialects.incwo.renderers import IncwoXMLRenderer
from dialects.incwo.representations import (
    FIELDS,
    JOINED,
    RELATED,
    contact_repr,
    firm_repr,
    page_repr,
)
from projects.models import Project
from projects.selectors import project_role


class IncwoView(DialectMixin, GenericAPIView):
    history_channel = Channel.INCWO
    renderer_classes = [IncwoXMLRenderer]
    parser_classes = [IncwoXMLParser]
    authentication_classes = [IncwoBasicAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    pagination_class = IncwoPagination
    errors = IncwoErrors()
    auth_challenge = f'Basic realm="{REALM}"'

    business_file: Project

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        """Authenticate, then find the business file: unknown or unseen is 404, not a member 403."""
        super().initial(request, *args, **kwargs)
        project = self.visible_project(kwargs.get("business_file_id"))
        if project_role(user=request.user, project=project) is None:
            raise PermissionDenied("You are not a member of this business file.")
        self.business_file = project


class RecordView(IncwoView):
    """What a resource is: persons (`contact`) or companies (`firm`) of the business file."""

    is_company: ClassVar[bool]
    key: ClassVar[str]
    results_key: ClassVar[str]
    represent: ClassVar[Callable[..., dict[str, Any]]]  # a record and, optionally, the time zone
    input_class: ClassVar[type[RecordInputSerializer]]

    def record(self, pk: Any) -> Contact:
        """One of the resource's records in this business file that the user may see, or 404."""
        contact = self.visible_contact(pk)
        in_file = any(project.pk == self.business_file.pk for project in contact.projects.all())
        if contact.is_company != self.is_company or not in_file:
            raise Http404
        contact.company_visible = contact.company_id is not None and self.firm_or_none(contact.company_id) is not None
        return contact

    def firm_or_none(self, pk: int) -> Contact | None:
        firm = contact_get(user=self.request.user, pk=pk, prefetch=False)
        if firm is None or not firm.is_company:
            return None
        if not any(project.pk == self.business_file.pk for project in firm.projects.all()):
            return None
        return firm

    def attributes(self) -> Mapping[str, Any]:
        """The body's `<contact>` (or `<firm>`) element; any other document is a 400."""
        data = self.request.data
        if not isinstance(data, Mapping) or self.key not in data:
            raise exceptions.ParseError(f"The body must be a <{self.key}> document.")
        return data[self.key] or {}

    def arguments(self, contact: Contact | None = None) -> dict[str, Any]:
        """The service's arguments for the body; a person's `firm_id` must be a firm of this business file."""
        serializer = self.input_class(data=self.attributes())
        serializer.is_valid(raise_exception=True)
        arguments = serializer.service_arguments(contact=contact)
        if "firm_id" in serializer.validated_data:
            firm_id = serializer.validated_data["firm_id"]
            firm = self.firm_or_none(firm_id) if firm_id is not None else None
            if firm_id is not None and firm is None:
                raise ValidationError({"firm_id": [f"Firm {firm_id} is not a firm of this business file."]})
            arguments["fields"]["company"] = firm
        return arguments

    def body(self, contact: Contact) -> dict[str, Any]:
        """The reply for one record read by `record`."""
        return {self.key: type(self).represent(contact_row_of(contact, related=RELATED))}


class RecordListView(RecordView):
    """GET (paged, `?page=N`) and POST (201 and the stored record)."""

    def get(self, request: Request, business_file_id: str) -> Response:
        records = contact_list_for_display(
            user=request.user,
            filters=list_filters(project=self.business_file, is_company=self.is_company),
            order_by=["pk"],
            related=(),
        )
        page = self.paginate_queryset(records)
        return self.get_paginated_response(page_repr(type(self).represent, page))

    def page(self, queryset: QuerySet[Contact], *, offset: int, limit: int) -> list[ContactRow]:
        """A page of records as rows (IncwoPagination's hook): their items and addresses, and
        whether the user may see each person's firm."""
        return contact_rows(
            queryset,
            offset=offset,
            limit=limit,
            fields=FIELDS,
            joined=JOINED,
            related=RELATED,
            annotate=self.company_visible,
            annotate_key=("company_visible", contact_visibility_key(user=self.request.user)),
        )

    def company_visible(self, queryset: QuerySet[Contact]) -> QuerySet[Contact]:
        return contact_annotate_company_visible(queryset, user=self.request.user)

    def post(self, request: Request, business_file_id: str) -> Response:
        arguments = self.arguments()
        arguments["fields"]["is_company"] = self.is_company
        created = contact_save_with_type_code(user=request.user, projects=[self.business_file], **arguments)
        location = reverse(f"incwo:{self.key}-detail", kwargs={"business_file_id": business_file_id, "pk": created.pk})
        headers = {"Location": request.build_absolute_uri(location)}
        return Response(self.body(self.record(created.pk)), status=201, headers=headers)


class RecordDetailView(RecordView):
    """GET, PUT (partial; 200 and the stored record) and DELETE (200, empty)."""

    def get(self, request: Request, business_file_id: str, pk: int) -> Response:
        return Response(self.body(self.record(pk)))

    def put(self, request: Request, business_file_id: str, pk: int) -> Response:
        contact = self.record(pk)
        contact_save_with_type_code(user=request.user, contact=contact, **self.arguments(contact))
        return Response(self.body(self.record(pk)))

    def delete(self, request: Request, business_file_id: str, pk: int) -> Response:
        contact_delete(contact=self.record(pk), user=request.user)
        return Response(status=200)


class ContactMixin:
    is_company = False
    key = "contact"
    results_key = "contacts"
    represent = staticmethod(contact_repr)
    input_class = ContactInputSerializer


class FirmMixin:
    is_company = True
    key = "firm"
    results_key = "firms"
    represent = staticmethod(firm_repr)
    input_class = FirmInputSerializer


class ContactListView(ContactMixin, RecordListView):
    """GET/POST /contacts.xml."""


class ContactDetailView(ContactMixin, RecordDetailView):
    """GET/PUT/DELETE /contacts/<id>.xml."""


class FirmListView(FirmMixin, RecordListView):
    """GET/POST /firms.xml."""


class FirmDetailView(FirmMixin, RecordDetailView):
    """GET/PUT/DELETE /firms/<id>.xml."""


class NotFoundView(IncwoView):
    """Any other path under /incwo/: 404 in incwo's error body."""

    authentication_classes: ClassVar[list[Any]] = []
    permission_classes: ClassVar[list[Any]] = []

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        raise Http404
