"""Contact types and statuses (our contact stages), with how many visible contacts have each."""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import Http404
from rest_framework.request import Request
from rest_framework.response import Response

from contacts.models import ContactStage, ContactType
from contacts.selectors import (
    choice_get,
    choice_list,
    contact_counts_by,
)
from contacts.services import (
    choice_create,
    choice_delete,
    choice_update,
)
from dialects.onlyoffice import renderers
from dialects.onlyoffice import representations as rep
from dialects.onlyoffice.inputs import (
    ListItemInputSerializer,
)
from dialects.onlyoffice.views.base import (
    OnlyofficeView,
)


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
