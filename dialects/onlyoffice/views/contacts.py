"""Contacts: lists, one contact, persons and companies, merge, quick create, photos, access, status."""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import Http404
from rest_framework import serializers as drf_serializers
from rest_framework.request import Request
from rest_framework.response import Response

from contacts.models import ContactStage
from contacts.selectors import (
    WRITE_PREFETCHES,
    choice_get,
    contact_list_for_display,
)
from contacts.services import (
    company_create,
    contact_add_tags_many,
    contact_create,
    contact_create_many,
    contact_delete,
    contact_delete_many,
    contact_link_project,
    contact_link_project_many,
    contact_merge,
    contact_set_avatar,
    contact_unlink_project,
    contact_unlink_project_many,
    contact_update,
    contact_update_many,
)
from dialects.onlyoffice import renderers
from dialects.onlyoffice.fields import photo_url
from dialects.onlyoffice.filters import (
    ContactByInfoSerializer,
    ContactFilterAccessSerializer,
    ContactFilterSerializer,
    ContactSortSerializer,
    contacts_by_info,
    filtered_contacts,
)
from dialects.onlyoffice.inputs import (
    AccessInputSerializer,
    BulkIdsSerializer,
    CompanyInputSerializer,
    ContactAccessManyInputSerializer,
    ContactIdsSerializer,
    ContactStatusInputSerializer,
    MergeInputSerializer,
    PersonIdSerializer,
    PersonInputSerializer,
    PhotoInputSerializer,
    QuickCompaniesInputSerializer,
    QuickPersonsInputSerializer,
    TagNameSerializer,
)
from dialects.onlyoffice.pagination import OnlyofficeTotalPagination
from dialects.onlyoffice.views.base import (
    OnlyofficeView,
    entity_is_company,
    nested_fields,
)


class ProjectContactsView(OnlyofficeView):
    """contact/project/{projectid}: the documented example's list (GET); link (POST) or unlink (DELETE) many."""

    xml_shape = renderers.CONTACTS_XML

    def get(self, request: Request, projectid: int, format: str | None = None) -> Response:
        project = self.project(projectid)
        order = self.params(ContactSortSerializer)["order_by"]
        qs = contact_list_for_display(
            user=request.user, filters={"project": str(project.pk)}, order_by=order, related=()
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.contacts_data(page))

    def post(self, request: Request, projectid: int, format: str | None = None) -> Response:
        project = self.project(projectid)
        contacts = self.contacts_by_id()
        contact_link_project_many(contacts=contacts, project=project, user=request.user)
        return Response(self.contacts_data(self.reload(contacts)), status=201)

    def delete(self, request: Request, projectid: int, format: str | None = None) -> Response:
        project = self.project(projectid)
        contacts = self.contacts_by_id()
        contact_unlink_project_many(contacts=contacts, project=project, user=request.user)
        return Response(self.contacts_data(self.reload(contacts), summary=True))

    def contacts_by_id(self) -> list[Any]:
        ids = self.params(ContactIdsSerializer)["contactid"]
        return [self.contact(pk) for pk in ids]


class ContactProjectView(OnlyofficeView):
    """contact/{contactid}/project/{projectid}: link (POST) or unlink (DELETE) one contact."""

    def post(self, request: Request, contactid: int, projectid: int, format: str | None = None) -> Response:
        contact = self.contact(contactid)
        contact_link_project(contact=contact, project=self.project(projectid), user=request.user)
        return self.contact_response(contact, status=201)

    def delete(self, request: Request, contactid: int, projectid: int, format: str | None = None) -> Response:
        contact = self.contact(contactid)
        contact_unlink_project(contact=contact, project=self.project(projectid), user=request.user)
        return self.contact_response(contact, base=True)


class ContactDetailView(OnlyofficeView):
    """contact/{contactid}: read (GET) or delete (DELETE, replies with the deleted contact)."""

    def get(self, request: Request, contactid: int, format: str | None = None) -> Response:
        return self.contact_response(self.contact(contactid))

    def delete(self, request: Request, contactid: int, format: str | None = None) -> Response:
        contact = self.contact(contactid)
        data = self.contacts_data(self.reload([contact]))[0]
        contact_delete(contact=contact, user=request.user)
        return Response(data)


class ContactFilterView(OnlyofficeView):
    """contact/filter: the filtered, sorted, paged list with `total`."""

    xml_shape = renderers.CONTACTS_XML
    pagination_class = OnlyofficeTotalPagination

    def get(self, request: Request, format: str | None = None) -> Response:
        query = self.params(ContactFilterSerializer)
        contacts = filtered_contacts(user=request.user, query=query, related=())
        page = self.paginate_queryset(contacts)
        return self.get_paginated_response(self.contacts_data(page))

    def delete(self, request: Request, format: str | None = None) -> Response:
        """Delete every contact the filters match (not a page): all, or none when one is refused."""
        query = self.params(ContactFilterSerializer)
        contacts = list(self.contact_queryset(filtered_contacts(user=request.user, query=query)))
        data = self.contacts_data(self.rows_of(contacts), summary=True)
        contact_delete_many(contacts=contacts, user=request.user)
        return Response(data)


class ContactFilterTagView(OnlyofficeView):
    """POST contact/filter/taglist: tagName on every contact the contact/filter parameters match,
    all or nothing."""

    xml_shape = renderers.STRING_XML

    def post(self, request: Request, format: str | None = None) -> Response:
        contacts = filtered_contacts(user=request.user, query=self.params(ContactFilterSerializer))
        name = self.params(TagNameSerializer)["tagName"]
        contact_add_tags_many(contacts=contacts, user=request.user, tags=[name])
        return Response(name, status=201)


class ContactByInfoView(OnlyofficeView):
    """contact/bycontactinfo: contacts by one of their items (infoType, data, category, isPrimary)."""

    xml_shape = renderers.CONTACTS_XML

    def get(self, request: Request, format: str | None = None) -> Response:
        query = self.params(ContactByInfoSerializer)
        order = self.params(ContactSortSerializer)["order_by"]
        page = self.paginate_queryset(contacts_by_info(user=request.user, query=query, order_by=order))
        return self.get_paginated_response(self.contacts_data(page))


class ContactBulkDeleteView(OnlyofficeView):
    """PUT contact with contactids[]: ONLYOFFICE's bulk delete (it really is a PUT)."""

    xml_shape = renderers.CONTACTS_XML

    def put(self, request: Request, format: str | None = None) -> Response:
        ids = self.params(BulkIdsSerializer)["contactids"]
        qs = self.contact_queryset(contact_list_for_display(user=request.user, related=WRITE_PREFETCHES)).filter(
            pk__in=ids
        )
        contacts = list(qs)
        if len(contacts) != len(set(ids)):
            raise Http404
        data = self.contacts_data(self.rows_of(contacts), summary=True)
        contact_delete_many(contacts=contacts, user=request.user)
        return Response(data)


class PersonView(OnlyofficeView):
    """contact/person (POST) and contact/person/{personid} (PUT)."""

    def post(self, request: Request, format: str | None = None) -> Response:
        data = self.params(PersonInputSerializer)
        nested = nested_fields(data)
        contact = contact_create(user=request.user, fields=data, projects=[], **nested)
        return self.contact_response(contact, status=201)

    def put(self, request: Request, personid: int, format: str | None = None) -> Response:
        contact = self.contact(personid, is_company=False)
        data = self.params(PersonInputSerializer, instance=contact)
        contact_update(contact=contact, user=request.user, fields=data, **nested_fields(data))
        return self.contact_response(contact)


class CompanyView(OnlyofficeView):
    """contact/company (POST, with personList to attach) and contact/company/{companyid} (PUT)."""

    def post(self, request: Request, format: str | None = None) -> Response:
        data = self.params(CompanyInputSerializer)
        people = [self.contact(pk, is_company=False) for pk in data.pop("personList", [])]
        contact = company_create(user=request.user, fields=data, people=people, projects=[], **nested_fields(data))
        return self.contact_response(contact, status=201)

    def put(self, request: Request, companyid: int, format: str | None = None) -> Response:
        contact = self.contact(companyid, is_company=True)
        data = self.params(CompanyInputSerializer, instance=contact)
        data.pop("personList", None)
        contact_update(contact=contact, user=request.user, fields=data, **nested_fields(data))
        return self.contact_response(contact)


class CompanyPersonsView(OnlyofficeView):
    """contact/company/{companyid}/person: the company's people (GET); attach (POST) or detach
    (DELETE) `personid`."""

    xml_shape = renderers.CONTACTS_XML
    xml_shapes = {"POST": renderers.CONTACT_XML, "DELETE": renderers.CONTACT_XML}

    def get(self, request: Request, companyid: int, format: str | None = None) -> Response:
        company = self.contact(companyid, is_company=True)
        order = self.params(ContactSortSerializer)["order_by"]
        qs = contact_list_for_display(user=request.user, filters={"company": company.pk}, order_by=order, related=())
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.contacts_data(page))

    def post(self, request: Request, companyid: int, format: str | None = None) -> Response:
        company = self.contact(companyid, is_company=True)
        person = self.contact(self.params(PersonIdSerializer)["personid"], is_company=False)
        contact_update(contact=person, user=request.user, fields={"company": company})
        return self.contact_response(person, status=201)

    def delete(self, request: Request, companyid: int, format: str | None = None) -> Response:
        company = self.contact(companyid, is_company=True)
        person = self.contact(self.params(PersonIdSerializer)["personid"], is_company=False)
        if person.company_id != company.pk:
            raise Http404
        contact_update(contact=person, user=request.user, fields={"company": None})
        return self.contact_response(person)


class ContactMergeView(OnlyofficeView):
    """PUT contact/merge: fold `fromcontactid` into `tocontactid` (two persons or two companies)."""

    def put(self, request: Request, format: str | None = None) -> Response:
        data = self.params(MergeInputSerializer)
        source, target = self.contact(data["fromcontactid"]), self.contact(data["tocontactid"])
        contact_merge(user=request.user, survivor=target, others=[source], picks={})
        return self.contact_response(target)


class PersonQuickView(OnlyofficeView):
    """POST contact/person/quick: `data=[{key: firstName, value: lastName}]`, all or nothing."""

    xml_shape = renderers.CONTACTS_XML
    input_serializer: ClassVar[type[drf_serializers.Serializer]] = QuickPersonsInputSerializer

    def entries(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        return [dict(entry) for entry in data["data"]]

    def post(self, request: Request, format: str | None = None) -> Response:
        contacts = contact_create_many(user=request.user, entries=self.entries(self.params(self.input_serializer)))
        return Response(self.contacts_data(self.reload(contacts), summary=True), status=201)


class CompanyQuickView(PersonQuickView):
    """POST contact/company/quick: `companyName[]`, all or nothing."""

    input_serializer = QuickCompaniesInputSerializer

    def entries(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"is_company": True, "name": name} for name in data["companyName"]]


class ContactPhotoView(OnlyofficeView):
    """PUT contact/{contactid}/changephoto: a multipart `photo` becomes the avatar; → its URL."""

    xml_shape = renderers.STRING_XML

    def put(self, request: Request, contactid: int, format: str | None = None) -> Response:
        contact = self.contact(contactid)
        contact_set_avatar(contact=contact, user=request.user, image=self.params(PhotoInputSerializer)["photo"])
        return Response(photo_url(contact, request))


class ContactPhotoByUrlView(OnlyofficeView):
    """PUT contact/{contactid}/changephotobyurl: refused, since the CRM fetches nothing from the
    internet while answering a request."""

    xml_shape = renderers.STRING_XML

    def put(self, request: Request, contactid: int, format: str | None = None) -> Response:
        self.contact(contactid)
        raise drf_serializers.ValidationError(
            {"photourl": "Photos are not fetched from other sites; upload the image with PUT contact/{id}/changephoto."}
        )


class ContactAccessView(OnlyofficeView):
    """PUT contact/{contactid}/access: isShared/isPrivate/shareType and managerList."""

    def put(self, request: Request, contactid: int, format: str | None = None) -> Response:
        contact = self.contact(contactid)
        data = self.params(AccessInputSerializer)
        contact_update(contact=contact, user=request.user, fields=data, **nested_fields(data))
        return self.contact_response(contact)


class ContactAccessManyView(OnlyofficeView):
    """PUT contact/access: the same access for every `contactid[]`, all or none."""

    xml_shape = renderers.CONTACTS_XML

    def put(self, request: Request, format: str | None = None) -> Response:
        data = self.params(ContactAccessManyInputSerializer)
        contacts = [self.contact(pk) for pk in data.pop("contactid")]
        contact_update_many(contacts=contacts, user=request.user, fields=data, **nested_fields(data))
        return Response(self.contacts_data(self.reload(contacts)))


class ContactFilterAccessView(OnlyofficeView):
    """PUT contact/filter/access: the same access for every contact the filters match, all or none."""

    xml_shape = renderers.CONTACTS_XML

    def put(self, request: Request, format: str | None = None) -> Response:
        query = self.params(ContactFilterAccessSerializer)
        data = self.params(AccessInputSerializer)
        contacts = list(filtered_contacts(user=request.user, query=query))
        contact_update_many(contacts=contacts, user=request.user, fields=data, **nested_fields(data))
        return Response(self.contacts_data(self.reload(contacts)))


class ContactSetStatusView(OnlyofficeView):
    """PUT contact/{contactid}/status, contact/person/{id}/status or contact/company/{id}/status:
    contactStatusid (0 clears it)."""

    def put(self, request: Request, contactid: int, entity: str = "contact", format: str | None = None) -> Response:
        contact = self.contact(contactid, is_company=entity_is_company(entity))
        stage_id = self.params(ContactStatusInputSerializer)["contactStatusid"]
        stage = choice_get(model=ContactStage, pk=stage_id) if stage_id else None
        if stage_id and stage is None:
            raise Http404
        contact_update(contact=contact, user=request.user, fields={"stage": stage})
        return self.contact_response(contact)
