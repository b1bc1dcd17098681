"""Tags: a contact's tags, tags on a company circle or many contacts, and the tag dictionary."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework.request import Request
from rest_framework.response import Response

from contacts.selectors import (
    contact_group,
    contact_tags,
    tag_dictionary,
    tag_get,
)
from contacts.services import (
    contact_add_tags,
    contact_add_tags_many,
    contact_remove_tags,
    contact_remove_tags_many,
    tag_create,
    tag_delete,
    tag_delete_unused,
)
from dialects.onlyoffice import renderers
from dialects.onlyoffice import representations as rep
from dialects.onlyoffice.inputs import (
    TagListInputSerializer,
    TagNameSerializer,
)
from dialects.onlyoffice.views.base import (
    OnlyofficeView,
)


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
