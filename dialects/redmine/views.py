"""Redmine's routes as thin DRF views: authenticate, read through selectors, write through services.

Every view takes its configuration from `RedmineView`'s class attributes and names
its XML shape (`xml_shape`, `xml_shapes` by method). Contacts are written by
`representations.CONTACT[format]`, since Redmine's JSON and XML contacts differ.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.http.response import HttpResponseBase
from django.urls import reverse
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from contacts.exporters import export_response
from contacts.intake import TooManySubmissions, webform_submit
from contacts.models import WEBFORM_FIELDS, Channel, Note, WebForm
from contacts.rows import contact_rows
from contacts.selectors import (
    DISPLAY_PREFETCHES,
    company_people,
    contact_list_for_display,
    contact_page,
    note_list,
    tag_counts,
)
from contacts.services import (
    contact_delete,
    contact_link_project,
    contact_save_with_company_name,
    contact_unlink_project,
    note_create,
    note_delete,
    note_update,
)
from contacts.versions import contact_version
from contacts.webform_views import (
    webform_cors,
    webform_exception_page,
    webform_html_answer,
    webform_preflight,
    webform_wants_html,
)
from crm.ids import MAX_ID
from dialects.authentication import (
    SessionAuthentication,
    WebFormKeyAuthentication,
    WebFormMayCreate,
)
from dialects.base import BoundedJSONParser, DialectMixin, client_ip, if_match
from dialects.redmine import representations
from dialects.redmine.authentication import (
    RedmineBasicAuthentication,
    RedmineHeaderAuthentication,
    RedmineKeyAuthentication,
    WebFormPathKeyAuthentication,
)
from dialects.redmine.errors import RedmineErrors
from dialects.redmine.filters import contact_filters, contact_ordering
from dialects.redmine.inputs import ContactInputSerializer, NoteInputSerializer
from dialects.redmine.pagination import RedminePagination
from dialects.redmine.parsers import RedmineFormParser, RedmineMultiPartParser, RedmineXMLParser
from dialects.redmine.renderers import (
    CONTACT_SHAPE,
    CONTACTS_SHAPE,
    NOTE_SHAPE,
    NOTES_SHAPE,
    TAGS_SHAPE,
    RedmineJSONRenderer,
    RedmineXMLRenderer,
)

User = get_user_model()
INCLUDES = frozenset({"notes", "contacts", "deals", "tickets"})


class SwitchUserFailed(exceptions.APIException):
    status_code = 412
    default_detail = "No active user with that login."
    default_code = "switch_user_failed"


class RedmineView(DialectMixin, GenericAPIView):
    history_channel = Channel.REDMINE
    renderer_classes = [RedmineJSONRenderer, RedmineXMLRenderer]
    parser_classes = [BoundedJSONParser, RedmineXMLParser, RedmineFormParser, RedmineMultiPartParser]
    authentication_classes = [
        RedmineKeyAuthentication,
        RedmineHeaderAuthentication,
        RedmineBasicAuthentication,
        SessionAuthentication,
    ]
    permission_classes = [IsAuthenticated]
    pagination_class = RedminePagination
    errors = RedmineErrors()
    auth_challenge = 'Basic realm="Redmine API"'

    def perform_authentication(self, request: Request) -> None:
        """Authenticate; an admin may then act as another user with X-Redmine-Switch-User (412 if unknown)."""
        super().perform_authentication(request)
        login = request.headers.get("X-Redmine-Switch-User")
        if login and request.user.is_superuser:
            user = User.objects.filter(**{User.USERNAME_FIELD: login}, is_active=True).first()
            if user is None:
                raise SwitchUserFailed()
            request.user = user

    @property
    def fmt(self) -> str:
        """The negotiated format, `json` or `xml`."""
        return self.request.accepted_renderer.format

    def body(self, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """The whole body and its `name` hash (`{"contact": {...}}`); a missing hash is empty."""
        data = self.request.data
        if not isinstance(data, Mapping):
            raise exceptions.ParseError("The body must be an object.")
        part = data.get(name) or {}
        if not isinstance(part, Mapping):
            raise exceptions.ValidationError({name: [f"must be a hash of {name} attributes."]})
        return dict(data), dict(part)

    def page(self, queryset: QuerySet, *, offset: int, limit: int, total: int) -> list[Any]:
        """One page of a list (RedminePagination's hook): model instances, by default."""
        return contact_page(queryset, offset=offset, limit=limit, total=total)

    def location(self, name: str, pk: int) -> str:
        return self.request.build_absolute_uri(reverse(name, kwargs={"pk": pk}))

    def contacts(self, project_key: str | None, *, related: Iterable[str] = (*DISPLAY_PREFETCHES, "projects")) -> Any:
        """The contacts a list or an export shows: visible ones, filtered and sorted by the query,
        with the `related` rows prefetched."""
        params = self.request.query_params
        key = project_key or params.get("project_id")
        project = self.visible_project(key) if key else None
        filters = contact_filters(params, user=self.request.user, project=project)
        order_by = contact_ordering(params.get("sort"))
        return contact_list_for_display(user=self.request.user, filters=filters, order_by=order_by, related=related)


class ContactListView(RedmineView):
    """GET/POST /contacts and /projects/<id or identifier>/contacts; web forms post here too."""

    results_key = "contacts"
    xml_shapes = {"GET": CONTACTS_SHAPE, "POST": CONTACT_SHAPE}
    authentication_classes = [WebFormKeyAuthentication, *RedmineView.authentication_classes]
    permission_classes = [IsAuthenticated | WebFormMayCreate]

    def page(self, queryset: QuerySet, *, offset: int, limit: int, total: int) -> list[Any]:
        """Contacts as rows, with what a list shows of them."""
        return contact_rows(
            queryset,
            offset=offset,
            limit=limit,
            total=total,
            fields=representations.FIELDS,
            joined=representations.JOINED,
            related=representations.RELATED,
        )

    def get(self, request: Request, project: str | None = None, format: str | None = None) -> Response:
        page = self.paginate_queryset(self.contacts(project, related=()))
        represent = representations.CONTACT[self.fmt]
        return self.get_paginated_response([represent(contact) for contact in page])

    def post(self, request: Request, project: str | None = None, format: str | None = None) -> Response:
        if isinstance(request.auth, WebForm):
            return self.webform_post(request, request.auth)
        data, attributes = self.body("contact")
        target = self.visible_project(project or attributes.get("project_id") or data.get("project_id"))
        serializer = ContactInputSerializer(data=attributes)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic(), serializer.plugin_rules(creating=True):
            arguments = serializer.service_arguments()
            created = contact_save_with_company_name(user=request.user, projects=[target], **arguments)
        contact = self.visible_contact(created.pk)
        body = representations.contact_detail(contact, fmt=self.fmt)
        location = self.location("redmine:contact-detail", contact.pk)
        return Response({"contact": body}, status=201, headers={"Location": location})

    def webform_submission(self, request: Request, webform: WebForm) -> dict[str, Any]:
        """The keyword arguments of `webform_submit` for this post."""
        data, attributes = self.body("contact")
        custom_fields = attributes.get("custom_fields")
        custom = {
            entry.get("id"): entry.get("value")
            for entry in (custom_fields if isinstance(custom_fields, list) else [])
            if isinstance(entry, Mapping)
        }
        return {
            "webform": webform,
            "fields": {name: attributes[name] for name in WEBFORM_FIELDS if name in attributes},
            "custom_values": custom,
            "project_key": data.get("project_id"),
            "honeypot": data.get(webform.honeypot_field) or attributes.get(webform.honeypot_field) or "",
            "ip": client_ip(request),
            "redirect_url": data.get("redirect_on_success"),
            "base_url": request.build_absolute_uri("/"),
        }

    def webform_post(self, request: Request, webform: WebForm) -> Response:
        try:
            result = webform_submit(**self.webform_submission(request, webform))
        except TooManySubmissions as exc:
            raise exceptions.Throttled(wait=exc.retry_after) from None
        if result.redirect_url:
            return Response(status=302, headers={"Location": result.redirect_url})
        if result.contact is None:
            return Response(status=204)
        return Response({"contact": representations.webform_receipt(result.receipt)}, status=201)


class WebFormView(ContactListView):
    """POST /forms/<key>/: a web form's own route (the documented `POST /redmine/contacts.json` with
    `key` in the body stays an alias), taking the same `contact[...]` fields.

    Scripts and API clients get the JSON (or XML) answers; a browser posting the form itself gets
    pages (contacts.webform_views). The form's allowed origins get CORS headers, preflight included.
    """

    authentication_classes = [WebFormPathKeyAuthentication]
    permission_classes = [WebFormMayCreate]
    http_method_names = ["post", "options"]

    def check_permissions(self, request: Request) -> None:
        if request.method != "OPTIONS":  # a preflight only asks what a post may send
            super().check_permissions(request)

    def options(self, request: Request, key: str, format: str | None = None) -> HttpResponseBase:
        return webform_preflight(request, webform=request.auth)

    def post(self, request: Request, key: str, format: str | None = None) -> HttpResponseBase:
        if webform_wants_html(request):
            return webform_html_answer(request, submission=self.webform_submission(request, request.auth))
        return self.webform_post(request, request.auth)

    def handle_exception(self, exc: Exception) -> HttpResponseBase:
        page = webform_exception_page(self.request, exc) if webform_wants_html(self.request) else None
        return page if page is not None else super().handle_exception(exc)

    def finalize_response(self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        webform = request.auth if isinstance(request.auth, WebForm) else None
        return webform_cors(request, response, webform=webform)


class ContactDetailView(RedmineView):
    """GET/PUT/DELETE /contacts/<id>; show takes include=notes,contacts,deals,tickets."""

    xml_shape = CONTACT_SHAPE

    def get(self, request: Request, pk: int, format: str | None = None) -> Response:
        contact = self.visible_contact(pk)
        include = {part.strip() for part in request.query_params.get("include", "").split(",")} & INCLUDES
        notes = note_list(user=request.user, contact=contact) if "notes" in include else []
        people = []
        if "contacts" in include and contact.is_company:
            people = company_people(user=request.user, company=contact).order_by("display_name")
        body = representations.contact_detail(contact, fmt=self.fmt, include=include, notes=notes, people=people)
        return Response({"contact": body}, headers={"ETag": contact_version(contact)})

    def put(self, request: Request, pk: int, format: str | None = None) -> Response:
        contact = self.visible_contact(pk)
        _, attributes = self.body("contact")
        serializer = ContactInputSerializer(data=attributes)
        serializer.is_valid(raise_exception=True)
        arguments = serializer.service_arguments(contact) | {"expected_versions": if_match(request)}
        with transaction.atomic(), serializer.plugin_rules(creating=False):
            contact_save_with_company_name(user=request.user, contact=contact, **arguments)
        return Response(status=204, headers={"ETag": contact_version(contact)})

    def delete(self, request: Request, pk: int, format: str | None = None) -> Response:
        contact_delete(contact=self.visible_contact(pk), user=request.user)
        return Response(status=204)


class ContactProjectsView(RedmineView):
    """POST /contacts/<id>/projects with project[id] (an id or identifier): 204."""

    def post(self, request: Request, pk: int, format: str | None = None) -> Response:
        contact = self.visible_contact(pk)
        data, project = self.body("project")
        target = self.visible_project(project.get("id") or data.get("project_id"))
        contact_link_project(contact=contact, project=target, user=request.user)
        return Response(status=204)


class ContactProjectView(RedmineView):
    """DELETE /contacts/<id>/projects/<project>: 204; 403 for the contact's last project (the plugin's rule)."""

    def delete(self, request: Request, pk: int, project: str, format: str | None = None) -> Response:
        contact = self.visible_contact(pk)
        contact_unlink_project(contact=contact, project=self.visible_project(project), user=request.user, keep_one=True)
        return Response(status=204)


class TagListView(RedmineView):
    """GET /contacts_tags: the tags of the contacts the user can see, with their counts."""

    xml_shape = TAGS_SHAPE

    def get(self, request: Request, format: str | None = None) -> Response:
        tags = [
            {"id": tag.pk, "name": tag.name, "color": tag.color or None, "count": tag.count}
            for tag in tag_counts(user=request.user)
        ]
        return Response({"tags": tags})


class NoteListView(RedmineView):
    """GET/POST /notes: notes on contacts the user can see (filter: contact_id, project_id)."""

    results_key = "notes"
    xml_shapes = {"GET": NOTES_SHAPE, "POST": NOTE_SHAPE}

    def get(self, request: Request, format: str | None = None) -> Response:
        notes = note_list(user=request.user)
        params = request.query_params
        contact_id = params.get("contact_id") or params.get("source_id")
        if contact_id:
            notes = notes.filter(contact=self.visible_contact(contact_id))
        if params.get("project_id"):
            notes = notes.filter(contact__projects=self.visible_project(params["project_id"]))
        page = self.paginate_queryset(notes.order_by("-created_at", "-id"))
        return self.get_paginated_response([representations.note(note) for note in page])

    def post(self, request: Request, format: str | None = None) -> Response:
        _, attributes = self.body("note")
        serializer = NoteInputSerializer(data=attributes)
        serializer.is_valid(raise_exception=True)
        if "source_id" not in serializer.validated_data:
            raise exceptions.ValidationError({"source_id": ["Source cannot be blank."]})
        contact = self.visible_contact(serializer.validated_data["source_id"])
        fields = serializer.note_fields()
        note = note_create(contact=contact, user=request.user, **{"content": "", **fields})
        note = note_list(user=request.user).get(pk=note.pk)
        location = self.location("redmine:note-detail", note.pk)
        return Response({"note": representations.note(note)}, status=201, headers={"Location": location})


class NoteDetailView(RedmineView):
    """GET/PUT/DELETE /notes/<id>; only a note's author (or a superuser) changes it."""

    xml_shape = NOTE_SHAPE

    def note(self, pk: int) -> Note:
        note = note_list(user=self.request.user).filter(pk=pk).first() if pk <= MAX_ID else None
        if note is None:
            raise Http404
        return note

    def get(self, request: Request, pk: int, format: str | None = None) -> Response:
        return Response({"note": representations.note(self.note(pk))})

    def put(self, request: Request, pk: int, format: str | None = None) -> Response:
        note = self.note(pk)
        _, attributes = self.body("note")
        serializer = NoteInputSerializer(data=attributes)
        serializer.is_valid(raise_exception=True)
        note_update(note=note, user=request.user, **serializer.note_fields())
        return Response(status=204)

    def delete(self, request: Request, pk: int, format: str | None = None) -> Response:
        note_delete(note=self.note(pk), user=request.user)
        return Response(status=204)


class ContactsExportView(RedmineView):
    """GET /contacts.vcf and /contacts.csv: the list's contacts and filters, as a streamed file."""

    export_format: ClassVar[str]

    def get(self, request: Request, project: str | None = None) -> HttpResponseBase:
        return export_response(
            self.contacts(project), user=request.user, fmt=self.export_format, filename=f"contacts.{self.export_format}"
        )


class ContactsVCardView(ContactsExportView):
    export_format = "vcf"


class ContactsCSVView(ContactsExportView):
    export_format = "csv"


class ContactVCardView(RedmineView):
    """GET /contacts/<id>.vcf."""

    def get(self, request: Request, pk: int) -> HttpResponseBase:
        contact = self.visible_contact(pk)
        return export_response([contact], user=request.user, fmt="vcf", filename=f"contact-{contact.pk}.vcf")


class NotFoundView(RedmineView):
    """Any other path under /redmine/: an empty 404, as Redmine answers."""

    authentication_classes: ClassVar[list[Any]] = []
    permission_classes: ClassVar[list[Any]] = []

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        raise Http404
