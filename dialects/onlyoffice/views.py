"""ONLYOFFICE CRM API views (seed 000, research §1.1): auth, fetch, call a service, respond.

Every view is configured by class attributes (`OnlyofficeView`); reads go through
contacts.selectors.contact_list, writes through contacts.services. Replies are wrapped in the
envelope by the renderers, with `statusCode` 201 for every POST as ONLYOFFICE does.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from rest_framework import serializers as drf_serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from contacts.models import ContactStage, ContactType, CustomField, CustomValue, Tag
from contacts.selectors import (
    contact_counts_by,
    contact_group,
    contact_list,
    contact_rights,
    contact_tags,
    custom_value_counts,
    tag_dictionary,
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
from dialects.authentication import SessionAuthentication, SignedTokenAuthentication, password_user
from dialects.base import BoundedFormParser, BoundedJSONParser, BoundedMultiPartParser, DialectMixin
from dialects.onlyoffice import renderers
from dialects.onlyoffice.errors import OnlyofficeErrors
from dialects.onlyoffice.filters import (
    ContactByInfoSerializer,
    ContactFilterAccessSerializer,
    ContactFilterSerializer,
    ContactSortSerializer,
    contacts_by_info,
    filtered_contacts,
)
from dialects.onlyoffice.pagination import OnlyofficePagination, OnlyofficeTotalPagination
from dialects.onlyoffice.parsers import OnlyofficeParams
from dialects.onlyoffice.serializers import (
    AccessInputSerializer,
    AuthenticationInputSerializer,
    BulkIdsSerializer,
    CompanyInputSerializer,
    ContactAccessManyInputSerializer,
    ContactBaseSerializer,
    ContactIdsSerializer,
    ContactInfoInputSerializer,
    ContactInfoSerializer,
    ContactSerializer,
    ContactStatusInputSerializer,
    CustomFieldInputSerializer,
    CustomFieldSerializer,
    CustomFieldValueSerializer,
    FieldIdsSerializer,
    FieldValueSerializer,
    InfoType,
    ListItemInputSerializer,
    ListItemSerializer,
    MergeInputSerializer,
    PersonIdSerializer,
    PersonInputSerializer,
    PhotoInputSerializer,
    QuickCompaniesInputSerializer,
    QuickPersonsInputSerializer,
    TagListInputSerializer,
    TagNameSerializer,
    TagSerializer,
    address_data,
    api_datetime,
    category_enum,
    custom_values_of,
    enum_value,
    item_info_type,
    photo_url,
)

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
        """A contact_list queryset with what the wrappers show beyond its prefetches, still in a
        fixed number of queries: access lists, the company's rights, whether the user may see
        the company, and how many of a company's people the user may see."""
        user = self.request.user
        people = (
            contact_list(user=user, prefetch=False)
            .filter(company_id=OuterRef("pk"))
            .order_by()
            .values("company_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return qs.prefetch_related("access_list", "company__projects", "company__access_list").annotate(
            persons_count=Coalesce(Subquery(people), 0),
            company_visible=Exists(contact_list(user=user, prefetch=False).filter(pk=OuterRef("company_id"))),
        )

    def reload(self, contacts: list[Any]) -> list[Any]:
        """The contacts again, after a write, with everything their wrappers show."""
        qs = self.contact_queryset(contact_list(user=self.request.user)).filter(pk__in=[c.pk for c in contacts])
        return list(qs)

    def contacts_data(self, contacts: list[Any], serializer_class: type = ContactSerializer) -> Any:
        """Serialized contacts (from `contact_queryset`) with the rights their wrappers show."""
        companies = [c.company for c in contacts if c.company_id]
        context = {
            "request": self.request,
            "rights": contact_rights(user=self.request.user, contacts=[*contacts, *companies]),
        }
        return serializer_class(contacts, many=True, context=context).data

    def contact_response(self, contact: Any, *, status: int = 200, base: bool = False) -> Response:
        fresh = self.contact_queryset(contact_list(user=self.request.user)).filter(pk=contact.pk).first()
        if fresh is None:  # The user just made it invisible to themselves.
            fresh = contact
        serializer_class = ContactBaseSerializer if base else ContactSerializer
        return Response(self.contacts_data([fresh], serializer_class)[0], status=status)


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
        user = password_user(request, username=data["userName"], password=data["password"])
        if user is None:
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
        qs = contact_list(user=request.user, filters={"project": str(project.pk)}, order_by=order)
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
        return Response(self.contacts_data(self.reload(contacts), ContactBaseSerializer))

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
        page = self.paginate_queryset(self.contact_queryset(filtered_contacts(user=request.user, query=query)))
        return self.get_paginated_response(self.contacts_data(page))

    def delete(self, request: Request, format: str | None = None) -> Response:
        """Delete every contact the filters match (not a page): all, or none when one is refused."""
        query = self.params(ContactFilterSerializer)
        contacts = list(self.contact_queryset(filtered_contacts(user=request.user, query=query)))
        data = self.contacts_data(contacts, ContactBaseSerializer)
        contact_delete_many(contacts=contacts, user=request.user)
        return Response(data)


class ContactFilterTagView(OnlyofficeView):
    """POST contact/filter/taglist: tagName on every contact the contact/filter parameters match,
    all or nothing."""

    xml_shape = renderers.STRING_XML

    def post(self, request: Request, format: str | None = None) -> Response:
        contacts = filtered_contacts(user=request.user, query=self.params(ContactFilterSerializer))
        name = self.params(TagNameSerializer)["tagName"]
        contact_add_tags_many(contacts=contacts.prefetch_related("access_list"), user=request.user, tags=[name])
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
        qs = self.contact_queryset(contact_list(user=request.user)).filter(pk__in=ids)
        contacts = list(qs)
        if len(contacts) != len(set(ids)):
            raise Http404
        data = self.contacts_data(contacts, ContactBaseSerializer)
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
        qs = contact_list(user=request.user, filters={"company": company.pk}, order_by=order)
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
        return Response(self.contacts_data(self.reload(contacts), ContactBaseSerializer), status=201)


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
        contacts = list(filtered_contacts(user=request.user, query=query).prefetch_related("access_list"))
        contact_update_many(contacts=contacts, user=request.user, fields=data, **_nested(data))
        return Response(self.contacts_data(self.reload(contacts)))


class ContactSetStatusView(OnlyofficeView):
    """PUT contact/{contactid}/status, contact/person/{id}/status or contact/company/{id}/status:
    contactStatusid (0 clears it)."""

    def put(self, request: Request, contactid: int, entity: str = "contact", format: str | None = None) -> Response:
        contact = self.contact(contactid, is_company=_entity_is_company(entity))
        stage_id = self.params(ContactStatusInputSerializer)["contactStatusid"]
        stage = ContactStage.objects.filter(pk=stage_id).first() if stage_id else None
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
        return Response(ContactInfoSerializer(rows, many=True).data)

    def post(self, request: Request, contactid: int, format: str | None = None) -> Response:
        contact = self.contact(contactid)
        data = self.params(ContactInfoInputSerializer)
        related = contact.addresses if "address" in data else contact.items
        before = set(related.values_list("pk", flat=True))
        if "address" in data:
            contact_update(contact=contact, user=request.user, addresses=[data["address"]], addresses_mode="merge")
        else:
            contact_update(contact=contact, user=request.user, items=[data["item"]], items_mode="merge")
        row = related.exclude(pk__in=before).get()
        return Response(ContactInfoSerializer(row).data, status=201)


class ContactInfoDetailView(OnlyofficeView):
    """contact/{contactid}/data/{infoid}: read, change (PUT) or delete one item.

    Address ids are negative (see serializers.ContactInfoSerializer)."""

    xml_shape = renderers.CONTACT_INFO_XML

    def row(self, contact: Any, infoid: int) -> Any:
        related = contact.addresses if infoid < 0 else contact.items
        row = related.filter(pk=abs(infoid)).first()
        if row is None:
            raise Http404
        return row

    def get(self, request: Request, contactid: int, infoid: int, format: str | None = None) -> Response:
        return Response(ContactInfoSerializer(self.row(self.contact(contactid), infoid)).data)

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
        return Response(ContactInfoSerializer(self.row(contact, infoid)).data)

    def delete(self, request: Request, contactid: int, infoid: int, format: str | None = None) -> Response:
        contact = self.contact(contactid)
        row = self.row(contact, infoid)
        data = ContactInfoSerializer(row).data
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
        tag = Tag.objects.filter(name__iexact=self.params(TagNameSerializer)["tagName"]).first()
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
        tag = Tag.objects.filter(name__iexact=self.params(TagNameSerializer)["tagName"]).first()
        if tag is None:
            raise Http404
        contact_remove_tags_many(contacts=contacts, user=request.user, tags=[tag.name])
        return Response(tag.name)


class TagDictionaryView(OnlyofficeView):
    """contact/tag: the dictionary with usage counts (GET), add (POST) or remove (DELETE) tagName."""

    xml_shape = renderers.TAGS_XML
    xml_shapes = {"POST": renderers.STRING_XML, "DELETE": renderers.STRING_XML}

    def get(self, request: Request, format: str | None = None) -> Response:
        return Response(TagSerializer(tag_dictionary(user=request.user), many=True).data)

    def post(self, request: Request, format: str | None = None) -> Response:
        tag = tag_create(user=request.user, name=self.params(TagNameSerializer)["tagName"])
        return Response(tag.name, status=201)

    def delete(self, request: Request, format: str | None = None) -> Response:
        tag = Tag.objects.filter(name__iexact=self.params(TagNameSerializer)["tagName"]).first()
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
        fields = CustomField.objects.filter(applies_to=ENTITY_APPLIES_TO[entity])
        counts = custom_value_counts(user=request.user)
        return Response(CustomFieldSerializer(fields, many=True, context={"counts": counts}).data)


class CustomFieldCreateView(OnlyofficeView):
    """POST {et}/customfield: label, fieldType, position, mask (administrators)."""

    xml_shape = renderers.CUSTOM_FIELD_XML

    def post(self, request: Request, entity: str, format: str | None = None) -> Response:
        data = self.params(CustomFieldInputSerializer)
        field = custom_field_create(user=request.user, fields={**data, "applies_to": ENTITY_APPLIES_TO[entity]})
        return Response(CustomFieldSerializer(field, context={"counts": {}}).data, status=201)


class CustomFieldReorderView(OnlyofficeView):
    """PUT {et}/customfield/reorder: `fieldids[]` take positions 0, 1, 2... (administrators)."""

    xml_shape = renderers.CUSTOM_FIELDS_XML

    def put(self, request: Request, entity: str, format: str | None = None) -> Response:
        ids = list(dict.fromkeys(self.params(FieldIdsSerializer)["fieldids"]))
        found = CustomField.objects.filter(applies_to=ENTITY_APPLIES_TO[entity]).in_bulk(ids)
        if len(found) != len(ids):
            raise Http404
        fields = custom_field_reorder(user=request.user, fields=[found[pk] for pk in ids])
        counts = custom_value_counts(user=request.user)
        return Response(CustomFieldSerializer(fields, many=True, context={"counts": counts}).data)


class CustomFieldDetailView(OnlyofficeView):
    """PUT or DELETE {et}/customfield/{fieldid} (administrators)."""

    xml_shape = renderers.CUSTOM_FIELD_XML

    def field(self, entity: str, fieldid: int) -> CustomField:
        field = CustomField.objects.filter(pk=fieldid, applies_to=ENTITY_APPLIES_TO[entity]).first()
        if field is None:
            raise Http404
        return field

    def put(self, request: Request, entity: str, fieldid: int, format: str | None = None) -> Response:
        field = self.field(entity, fieldid)
        data = self.params(CustomFieldInputSerializer, instance=field)
        custom_field_update(field=field, user=request.user, fields=data)
        counts = custom_value_counts(user=request.user)
        return Response(CustomFieldSerializer(field, context={"counts": counts}).data)

    def delete(self, request: Request, entity: str, fieldid: int, format: str | None = None) -> Response:
        field = self.field(entity, fieldid)
        data = CustomFieldSerializer(field, context={"counts": custom_value_counts(user=request.user)}).data
        custom_field_delete(field=field, user=request.user)
        return Response(data)


class ContactCustomFieldsView(OnlyofficeView):
    """{et}/{contactid}/customfield (GET the values) and .../customfield/{fieldid} (POST fieldValue)."""

    xml_shape = renderers.CUSTOM_VALUES_XML
    xml_shapes = {"POST": renderers.CUSTOM_VALUE_XML}

    def get(self, request: Request, entity: str, contactid: int, format: str | None = None) -> Response:
        contact = self.contact(contactid, is_company=_entity_is_company(entity))
        return Response(CustomFieldValueSerializer(custom_values_of(contact), many=True).data)

    def post(self, request: Request, entity: str, contactid: int, fieldid: int, format: str | None = None) -> Response:
        contact = self.contact(contactid, is_company=_entity_is_company(entity))
        value = self.params(FieldValueSerializer)["fieldValue"]
        contact_update(contact=contact, user=request.user, custom_values={fieldid: value})
        stored = contact.custom_values.select_related("field").filter(field_id=fieldid).first()
        if stored is None:  # An empty value clears it.
            stored = CustomValue(contact=contact, field=CustomField.objects.get(pk=fieldid), value="")
        return Response(CustomFieldValueSerializer(stored).data, status=201)


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
        return Response(ListItemSerializer(self.model.objects.all(), many=True, context={"counts": counts}).data)

    def post(self, request: Request, format: str | None = None) -> Response:
        item = choice_create(model=self.model, user=request.user, fields=self.params(ListItemInputSerializer))
        return Response(ListItemSerializer(item, context={"counts": {}}).data, status=201)


class StatusesView(ListItemsView):
    model = ContactStage
    count_field = "stage"


class ListItemDetailView(OnlyofficeView):
    """contact/type/{id} or contact/status/{id}: read, change (PUT) or delete (DELETE)."""

    model: ClassVar[type[ContactType] | type[ContactStage]] = ContactType
    count_field: ClassVar[str] = "contact_type"
    xml_shape = renderers.LIST_ITEM_XML

    def item(self, pk: int) -> Any:
        item = self.model.objects.filter(pk=pk).first()
        if item is None:
            raise Http404
        return item

    def data(self, item: Any) -> Any:
        counts = contact_counts_by(user=self.request.user, field=self.count_field)
        return ListItemSerializer(item, context={"counts": counts}).data

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
