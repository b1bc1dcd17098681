"""ONLYOFFICE CRM API views (seed 000, research §1.1): auth, fetch, call a service, respond.

Every view is configured by class attributes (`OnlyofficeView`); reads go through
contacts.selectors.contact_list, writes through contacts.services. Replies are wrapped in the
envelope by the renderers, with `statusCode` 201 for every POST as ONLYOFFICE does.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from django.contrib.auth import authenticate
from django.db.models import QuerySet
from django.http import Http404
from rest_framework import serializers as drf_serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from contacts.models import ContactStage, ContactType, CustomField, CustomValue
from contacts.selectors import (
    DISPLAY_PREFETCHES,
    WRITE_PREFETCHES,
    choice_get,
    choice_list,
    contact_access_lists,
    contact_annotate_for_display,
    contact_counts_by,
    contact_group,
    contact_list_for_display,
    contact_rights,
    contact_tags,
    custom_field_get,
    custom_field_list,
    custom_value_counts,
    custom_value_get,
    tag_dictionary,
    tag_get,
)
from contacts.services import (
    choice_create,
    choice_delete,
    choice_update,
    company_create,
    contact_add_tags,
    contact_add_tags_many,
    contact_create,
    contact_create_many,
    contact_delete,
    contact_delete_many,
    contact_delete_nested,
    contact_link_project,
    contact_link_project_many,
    contact_merge,
    contact_remove_tags,
    contact_remove_tags_many,
    contact_set_avatar,
    contact_unlink_project,
    contact_unlink_project_many,
    contact_update,
    contact_update_many,
    custom_field_create,
    custom_field_delete,
    custom_field_reorder,
    custom_field_update,
    tag_create,
    tag_delete,
    tag_delete_unused,
)
from dialects.authentication import SessionAuthentication, SignedTokenAuthentication
from dialects.base import BoundedFormParser, BoundedJSONParser, BoundedMultiPartParser, DialectMixin
from dialects.onlyoffice import renderers
from dialects.onlyoffice import representations as rep
from dialects.onlyoffice.codes import InfoType, category_enum
from dialects.onlyoffice.errors import OnlyofficeErrors
from dialects.onlyoffice.fields import address_data, api_datetime, enum_value, item_info_type, photo_url
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
    AuthenticationInputSerializer,
    BulkIdsSerializer,
    CompanyInputSerializer,
    ContactAccessManyInputSerializer,
    ContactIdsSerializer,
    ContactInfoInputSerializer,
    ContactStatusInputSerializer,
    CustomFieldInputSerializer,
    FieldIdsSerializer,
    FieldValueSerializer,
    ListItemInputSerializer,
    MergeInputSerializer,
    PersonIdSerializer,
    PersonInputSerializer,
    PhotoInputSerializer,
    QuickCompaniesInputSerializer,
    QuickPersonsInputSerializer,
    TagListInputSerializer,
    TagNameSerializer,
)
from dialects.onlyoffice.pagination import OnlyofficePagination, OnlyofficeTotalPagination
from dialects.onlyoffice.parsers import OnlyofficeParams

ENTITY_APPLIES_TO = {
    "contact": CustomField.AppliesTo.BOTH,
    "person": CustomField.AppliesTo.PERSONS,
    "company": CustomField.AppliesTo.COMPANIES,
}


class OnlyofficeNegotiation(DialectMixin.content_negotiation_class):
    """`.xml` gives XML; anything else JSON, whatever the Accept header says (API.md)."""

    def select_renderer(self, request: Request, renderers: Any, format_suffix: str | None = None) -> Any:
        if not format_suffix:
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)


class OnlyofficeTokenAuthentication(SignedTokenAuthentication):
    """`Authorization: <token>` with no scheme word, from POST api/2.0/authentication (research §1.7)."""

    salt = "dialects.onlyoffice.token"
    max_age = timedelta(hours=24)


class OnlyofficeView(DialectMixin, GenericAPIView):
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
        data = OnlyofficeParams(self.request).data_for(serializer_class(context=context))
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

    def reload(self, contacts: list[Any]) -> list[Any]:
        """The contacts again, after a write, with everything their wrappers show."""
        qs = contact_list_for_display(user=self.request.user).filter(pk__in=[c.pk for c in contacts])
        return list(self.contact_queryset(qs))

    def contacts_data(self, contacts: list[Any], *, summary: bool = False) -> list[dict[str, Any]]:
        """The wrappers of contacts from `contact_queryset` (ContactBaseWrapper with `summary`)."""
        companies = [c.company for c in contacts if c.company_id and getattr(c, "company_visible", False)]
        contact_access_lists(contacts=[*contacts, *companies])
        if summary:
            return rep.contacts_summary(contacts, request=self.request)
        return rep.contacts_full(contacts, request=self.request)

    def contact_response(self, contact: Any, *, status: int = 200, base: bool = False) -> Response:
        qs = contact_list_for_display(user=self.request.user).filter(pk=contact.pk)
        fresh = self.contact_queryset(qs).first()
        if fresh is None:  # The user just made it invisible to themselves.
            fresh = unannotated(contact, user=self.request.user)
        return Response(self.contacts_data([fresh], summary=base)[0], status=status)


def unannotated(contact: Any, *, user: Any) -> Any:
    """A contact the user no longer sees, with the annotations the wrappers read: its rights as
    `contact_rights` gives them, no company and no people."""
    rights = contact_rights(user=user, contacts=[contact])[contact.pk]
    contact.can_edit, contact.can_delete = rights.can_edit, rights.can_delete
    contact.company_visible, contact.persons_count = False, 0
    contact.company_can_edit = contact.company_can_delete = False
    return contact


# Authentication


class AuthenticationThrottle(AnonRateThrottle):
    """Slows password guessing: a few attempts per address per minute."""

    rate = "20/min"


class AuthenticationView(OnlyofficeView):
    """POST authentication: userName and password → a token and when it expires."""

    authentication_classes: ClassVar[list] = []
    permission_classes = [AllowAny]
    throttle_classes = [AuthenticationThrottle]
    xml_shape = renderers.TOKEN_XML

    def post(self, request: Request, format: str | None = None) -> Response:
        data = self.params(AuthenticationInputSerializer)
        user = authenticate(request=request._request, username=data["userName"], password=data["password"])
        if user is None or not user.is_active:
            raise AuthenticationFailed("User authentication failed.")
        token, expires = OnlyofficeTokenAuthentication.issue(user=user)
        return Response({"token": token, "expires": api_datetime(expires)}, status=201)


# Contacts


class ProjectContactsView(OnlyofficeView):
    """contact/project/{projectid}: the seed's list (GET); link (POST) or unlink (DELETE) many."""

    xml_shape = renderers.CONTACTS_XML

    def get(self, request: Request, projectid: int, format: str | None = None) -> Response:
        project = self.project(projectid)
        order = self.params(ContactSortSerializer)["order_by"]
        qs = contact_list_for_display(user=request.user, filters={"project": str(project.pk)}, order_by=order)
        page = self.paginate_queryset(self.contact_queryset(qs))
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
        contacts = filtered_contacts(user=request.user, query=query, related=DISPLAY_PREFETCHES)
        page = self.paginate_queryset(self.contact_queryset(contacts))
        return self.get_paginated_response(self.contacts_data(page))

    def delete(self, request: Request, format: str | None = None) -> Response:
        """Delete every contact the filters match (not a page): all, or none when one is refused."""
        query = self.params(ContactFilterSerializer)
        contacts = list(self.contact_queryset(filtered_contacts(user=request.user, query=query)))
        data = self.contacts_data(contacts, summary=True)
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
        page = self.paginate_queryset(
            self.contact_queryset(contacts_by_info(user=request.user, query=query, order_by=order))
        )
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
        data = self.contacts_data(contacts, summary=True)
        contact_delete_many(contacts=contacts, user=request.user)
        return Response(data)


class PersonView(OnlyofficeView):
    """contact/person (POST) and contact/person/{personid} (PUT)."""

    def post(self, request: Request, format: str | None = None) -> Response:
        data = self.params(PersonInputSerializer)
        nested = _nested(data)
        contact = contact_create(user=request.user, fields=data, projects=[], **nested)
        return self.contact_response(contact, status=201)

    def put(self, request: Request, personid: int, format: str | None = None) -> Response:
        contact = self.contact(personid, is_company=False)
        data = self.params(PersonInputSerializer, instance=contact)
        contact_update(contact=contact, user=request.user, fields=data, **_nested(data))
        return self.contact_response(contact)


class CompanyView(OnlyofficeView):
    """contact/company (POST, with personList to attach) and contact/company/{companyid} (PUT)."""

    def post(self, request: Request, format: str | None = None) -> Response:
        data = self.params(CompanyInputSerializer)
        people = [self.contact(pk, is_company=False) for pk in data.pop("personList", [])]
        contact = company_create(user=request.user, fields=data, people=people, projects=[], **_nested(data))
        return self.contact_response(contact, status=201)

    def put(self, request: Request, companyid: int, format: str | None = None) -> Response:
        contact = self.contact(companyid, is_company=True)
        data = self.params(CompanyInputSerializer, instance=contact)
        data.pop("personList", None)
        contact_update(contact=contact, user=request.user, fields=data, **_nested(data))
        return self.contact_response(contact)


class CompanyPersonsView(OnlyofficeView):
    """contact/company/{companyid}/person: the company's people (GET); attach (POST) or detach
    (DELETE) `personid`."""

    xml_shape = renderers.CONTACTS_XML
    xml_shapes = {"POST": renderers.CONTACT_XML, "DELETE": renderers.CONTACT_XML}

    def get(self, request: Request, companyid: int, format: str | None = None) -> Response:
        company = self.contact(companyid, is_company=True)
        order = self.params(ContactSortSerializer)["order_by"]
        qs = contact_list_for_display(user=request.user, filters={"company": company.pk}, order_by=order)
        page = self.paginate_queryset(self.contact_queryset(qs))
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
        contact_merge(source=source, target=target, user=request.user)
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


def _nested(data: dict[str, Any]) -> dict[str, Any]:
    """Move custom values and the access list out of `data` (the contact's own fields)."""
    return {key: data.pop(key) for key in ("custom_values", "access_list") if key in data}


class ContactAccessView(OnlyofficeView):
    """PUT contact/{contactid}/access: isShared/isPrivate/shareType and managerList."""

    def put(self, request: Request, contactid: int, format: str | None = None) -> Response:
        contact = self.contact(contactid)
        data = self.params(AccessInputSerializer)
        contact_update(contact=contact, user=request.user, fields=data, **_nested(data))
        return self.contact_response(contact)


class ContactAccessManyView(OnlyofficeView):
    """PUT contact/access: the same access for every `contactid[]`, all or none."""

    xml_shape = renderers.CONTACTS_XML

    def put(self, request: Request, format: str | None = None) -> Response:
        data = self.params(ContactAccessManyInputSerializer)
        contacts = [self.contact(pk) for pk in data.pop("contactid")]
        contact_update_many(contacts=contacts, user=request.user, fields=data, **_nested(data))
        return Response(self.contacts_data(self.reload(contacts)))


class ContactFilterAccessView(OnlyofficeView):
    """PUT contact/filter/access: the same access for every contact the filters match, all or none."""

    xml_shape = renderers.CONTACTS_XML

    def put(self, request: Request, format: str | None = None) -> Response:
        query = self.params(ContactFilterAccessSerializer)
        data = self.params(AccessInputSerializer)
        contacts = list(filtered_contacts(user=request.user, query=query))
        contact_update_many(contacts=contacts, user=request.user, fields=data, **_nested(data))
        return Response(self.contacts_data(self.reload(contacts)))


class ContactSetStatusView(OnlyofficeView):
    """PUT contact/{contactid}/status, contact/person/{id}/status or contact/company/{id}/status:
    contactStatusid (0 clears it)."""

    def put(self, request: Request, contactid: int, entity: str = "contact", format: str | None = None) -> Response:
        contact = self.contact(contactid, is_company=_entity_is_company(entity))
        stage_id = self.params(ContactStatusInputSerializer)["contactStatusid"]
        stage = choice_get(model=ContactStage, pk=stage_id) if stage_id else None
        if stage_id and stage is None:
            raise Http404
        contact_update(contact=contact, user=request.user, fields={"stage": stage})
        return self.contact_response(contact)


# Contact information (CommonData and addresses)


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


# Tags


class ContactTagsView(OnlyofficeView):
    """contact/{contactid}/tag: the contact's tags (GET), add (POST) or remove (DELETE) tagName."""

    xml_shape = renderers.STRINGS_XML
    xml_shapes = {"POST": renderers.STRING_XML, "DELETE": renderers.STRING_XML}

    def get(self, request: Request, contactid: int, format: str | None = None) -> Response:
        return Response([tag.name for tag in contact_tags(self.contact(contactid))])

    def post(self, request: Request, contactid: int, format: str | None = None) -> Response:
        contact = self.contact(contactid)
        name = self.params(TagNameSerializer)["tagName"]
        contact_add_tags(contact=contact, user=request.user, tags=[name])
        return Response(name, status=201)

    def delete(self, request: Request, contactid: int, format: str | None = None) -> Response:
        contact = self.contact(contactid)
        tag = tag_get(name=self.params(TagNameSerializer)["tagName"])
        if tag is None:
            raise Http404
        contact_remove_tags(contact=contact, user=request.user, tags=[tag.name])
        return Response(tag.name)


class ContactTagGroupView(OnlyofficeView):
    """{company|person}/{contactid}/tag/group: add (POST) or remove (DELETE) tagName on the
    contact and its company circle (contacts.selectors.contact_group), all or nothing."""

    xml_shape = renderers.STRING_XML

    def group(self, entity: str, contactid: int) -> list[Any]:
        return contact_group(user=self.request.user, contact=self.contact(contactid, is_company=entity == "company"))

    def post(self, request: Request, entity: str, contactid: int, format: str | None = None) -> Response:
        contacts = self.group(entity, contactid)
        name = self.params(TagNameSerializer)["tagName"]
        contact_add_tags_many(contacts=contacts, user=request.user, tags=[name])
        return Response(name, status=201)

    def delete(self, request: Request, entity: str, contactid: int, format: str | None = None) -> Response:
        contacts = self.group(entity, contactid)
        tag = tag_get(name=self.params(TagNameSerializer)["tagName"])
        if tag is None:
            raise Http404
        contact_remove_tags_many(contacts=contacts, user=request.user, tags=[tag.name])
        return Response(tag.name)


class TagDictionaryView(OnlyofficeView):
    """contact/tag: the dictionary with usage counts (GET), add (POST) or remove (DELETE) tagName."""

    xml_shape = renderers.TAGS_XML
    xml_shapes = {"POST": renderers.STRING_XML, "DELETE": renderers.STRING_XML}

    def get(self, request: Request, format: str | None = None) -> Response:
        return Response([rep.tag(row) for row in tag_dictionary(user=request.user)])

    def post(self, request: Request, format: str | None = None) -> Response:
        tag = tag_create(user=request.user, name=self.params(TagNameSerializer)["tagName"])
        return Response(tag.name, status=201)

    def delete(self, request: Request, format: str | None = None) -> Response:
        tag = tag_get(name=self.params(TagNameSerializer)["tagName"])
        if tag is None:
            raise Http404
        tag_delete(tag=tag, user=request.user)
        return Response(tag.name)


class UnusedTagsView(OnlyofficeView):
    """DELETE contact/tag/unused: drop the tags no contact carries (administrators)."""

    xml_shape = renderers.STRINGS_XML

    def delete(self, request: Request, format: str | None = None) -> Response:
        return Response(tag_delete_unused(user=request.user))


class TagManyView(OnlyofficeView):
    """POST contact/taglist: entityid[] and tagName, all or nothing."""

    xml_shape = renderers.STRING_XML

    def post(self, request: Request, format: str | None = None) -> Response:
        data = self.params(TagListInputSerializer)
        contacts = [self.contact(pk) for pk in data["entityid"]]
        contact_add_tags_many(contacts=contacts, user=request.user, tags=[data["tagName"]])
        return Response(data["tagName"], status=201)


# Custom fields


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
        contact = self.contact(contactid, is_company=_entity_is_company(entity))
        return Response([rep.custom_value(value) for value in rep.custom_values_of(contact)])

    def post(self, request: Request, entity: str, contactid: int, fieldid: int, format: str | None = None) -> Response:
        contact = self.contact(contactid, is_company=_entity_is_company(entity))
        value = self.params(FieldValueSerializer)["fieldValue"]
        contact_update(contact=contact, user=request.user, custom_values={fieldid: value})
        stored = custom_value_get(contact=contact, field_id=fieldid)
        if stored is None:  # An empty value clears it.
            stored = CustomValue(contact=contact, field=custom_field_get(pk=fieldid), value="")
        return Response(rep.custom_value(stored), status=201)


def _entity_is_company(entity: str) -> bool | None:
    return {"person": False, "company": True}.get(entity)


# Contact types and statuses


class ListItemsView(OnlyofficeView):
    """contact/type or contact/status: all (GET) or a new one (POST, administrators)."""

    model: ClassVar[type[ContactType] | type[ContactStage]] = ContactType
    count_field: ClassVar[str] = "contact_type"
    xml_shape = renderers.LIST_ITEMS_XML
    xml_shapes = {"POST": renderers.LIST_ITEM_XML}

    def get(self, request: Request, format: str | None = None) -> Response:
        counts = contact_counts_by(user=request.user, field=self.count_field)
        return Response([rep.list_item(item, counts=counts) for item in choice_list(model=self.model)])

    def post(self, request: Request, format: str | None = None) -> Response:
        item = choice_create(model=self.model, user=request.user, fields=self.params(ListItemInputSerializer))
        return Response(rep.list_item(item, counts={}), status=201)


class StatusesView(ListItemsView):
    model = ContactStage
    count_field = "stage"


class ListItemDetailView(OnlyofficeView):
    """contact/type/{id} or contact/status/{id}: read, change (PUT) or delete (DELETE)."""

    model: ClassVar[type[ContactType] | type[ContactStage]] = ContactType
    count_field: ClassVar[str] = "contact_type"
    xml_shape = renderers.LIST_ITEM_XML

    def item(self, pk: int) -> Any:
        item = choice_get(model=self.model, pk=pk)
        if item is None:
            raise Http404
        return item

    def data(self, item: Any) -> Any:
        counts = contact_counts_by(user=self.request.user, field=self.count_field)
        return rep.list_item(item, counts=counts)

    def get(self, request: Request, pk: int, format: str | None = None) -> Response:
        return Response(self.data(self.item(pk)))

    def put(self, request: Request, pk: int, format: str | None = None) -> Response:
        item = choice_update(item=self.item(pk), user=request.user, fields=self.params(ListItemInputSerializer))
        return Response(self.data(item))

    def delete(self, request: Request, pk: int, format: str | None = None) -> Response:
        item = self.item(pk)
        data = self.data(item)
        choice_delete(item=item, user=request.user)
        return Response(data)


class StatusDetailView(ListItemDetailView):
    model = ContactStage
    count_field = "stage"


class NotFoundView(OnlyofficeView):
    """Any other path under api/2.0/: ONLYOFFICE's 404 in the envelope."""

    permission_classes = [AllowAny]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        raise Http404
