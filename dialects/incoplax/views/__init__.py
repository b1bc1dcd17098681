"""The Incoplax address book's views, by resource: `contacts`, `groups`, `combined`.

`IncoplaxView` holds the configuration every route shares (class attributes only) and the few
helpers that turn the client's keys (uuids, group codes, autokeys) into domain objects through
the selectors.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import Http404
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from contacts.models import Channel, Contact, Tag
from contacts.selectors import contact_get_by_uuid, contact_list_by_ids, tag_get, tags_by_slug
from contacts.services import DuplicateKeyError
from dialects.base import DialectMixin
from dialects.incoplax.authentication import AUTHENTICATION_CLASSES, CHALLENGE
from dialects.incoplax.errors import IncoplaxErrors
from dialects.incoplax.fields import group_pk
from dialects.incoplax.pagination import IncoplaxPagination
from dialects.incoplax.parsers import IncoplaxJSONParser
from dialects.incoplax.renderers import IncoplaxJSONRenderer


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "The key is already taken."
    default_code = "conflict"


class LookupFailed(exceptions.APIException):
    status_code = 404
    # The seed's exact words.
    default_detail = "Lookup failed"
    default_code = "lookup_failed"


class IncoplaxView(DialectMixin, GenericAPIView):
    history_channel = Channel.INCOPLAX
    renderer_classes = [IncoplaxJSONRenderer]
    parser_classes = [IncoplaxJSONParser]
    authentication_classes = AUTHENTICATION_CLASSES
    permission_classes = [IsAuthenticated]
    pagination_class = IncoplaxPagination
    errors = IncoplaxErrors()
    auth_challenge = CHALLENGE

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DuplicateKeyError):
            exc = Conflict(exc.message_dict)
        return super().handle_exception(exc)

    def valid(self, serializer_class: type, **context: Any) -> Any:
        """The request body checked by `serializer_class` (a 400 in this dialect's format if not)."""
        data = self.request.data
        if not isinstance(data, dict):
            raise exceptions.ValidationError({"__all__": ["The body must be a JSON object."]})
        serializer = serializer_class(data=data, context=context)
        serializer.is_valid(raise_exception=True)
        return serializer

    def contact_by_id(self, key: str) -> Contact:
        contact = contact_get_by_uuid(user=self.request.user, uuid=key)
        if contact is None:
            raise Http404
        return contact

    def group_by_id(self, key: str) -> Tag:
        pk = group_pk(key)
        tag = tag_get(pk=pk) if pk is not None else None
        if tag is None:
            raise Http404
        return tag

    def group_names(self, codes: list[str] | None) -> list[str] | None:
        """The names of the groups (tags) of these codes; an unknown code is a 400."""
        if codes is None:
            return None
        tags = tags_by_slug(slugs=codes)
        unknown = [code for code in codes if code not in tags]
        if unknown:
            raise exceptions.ValidationError({"opts.groups": [f"No contact group with code {', '.join(unknown)}."]})
        return [tags[code].name for code in codes]

    def members(self, autokeys: Iterable[int] | None) -> list[Contact] | None:
        """The visible contacts of these autokeys; an unknown (or unseen) one is a 400."""
        if autokeys is None:
            return None
        autokeys = list(autokeys)
        found = {contact.pk: contact for contact in contact_list_by_ids(user=self.request.user, ids=autokeys)}
        unknown = [str(key) for key in autokeys if key not in found]
        if unknown:
            raise exceptions.ValidationError({"opts.abonents": [f"No contact with autokey {', '.join(unknown)}."]})
        return [found[key] for key in autokeys]
