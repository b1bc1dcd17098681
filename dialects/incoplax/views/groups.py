"""Contact groups (our tags): `GET`/`POST`/`LOOKUP /contactgroups`, `GET`/`PATCH`/`DELETE
/contactgroups/<id>`. A group's `opts.abonents` are the autokeys of the contacts carrying its tag
that the user can see; changing them changes those contacts' `opts.groups`, and back."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from contacts.selectors import tag_get, tag_list_matching, tag_rows
from contacts.services import group_create, group_delete, group_update
from dialects.incoplax.codes import GROUP_FIELDS, GROUP_MASKABLE
from dialects.incoplax.errors import IncoplaxGroupErrors
from dialects.incoplax.fields import group_id, group_pk
from dialects.incoplax.filters import flat_param, group_query, mask_param
from dialects.incoplax.inputs import GroupInputSerializer, lookup_key
from dialects.incoplax.representations import GROUP_GETTERS, Projection
from dialects.incoplax.views import IncoplaxView, LookupFailed


class GroupView(IncoplaxView):
    errors = IncoplaxGroupErrors()

    def projection(self, default: tuple[str, ...]) -> Projection:
        params = self.request.query_params
        fields = mask_param(params, maskable=GROUP_MASKABLE, order=GROUP_FIELDS) or default
        return Projection(fields, GROUP_GETTERS, flat_param(params))

    def entity(self, pk: int, projection: Projection | None = None) -> dict:
        projection = projection or Projection(GROUP_FIELDS, GROUP_GETTERS)
        rows = tag_rows(user=self.request.user, tags=tag_list_matching(fields={"pk": [pk]}))
        return projection.render(rows[0])


class GroupCollectionView(GroupView):
    """GET: the list; POST: create (200 + the entity); LOOKUP: ids for an id or a code."""

    http_method_names = [*IncoplaxView.http_method_names, "lookup"]

    def get(self, request: Request) -> Response:
        projection = self.projection(GROUP_MASKABLE)
        fields, order_by = group_query(request.query_params)
        offset, limit = self.paginator.bounds(request)
        members = "opts.abonents" in projection.fields or "opts.abonentcount" in projection.fields
        tags = tag_list_matching(fields=fields, order_by=order_by)
        rows = tag_rows(user=request.user, tags=tags, offset=offset, limit=limit, members=members)
        return self.get_paginated_response(projection.render_many(rows))

    def post(self, request: Request) -> Response:
        data = self.valid(GroupInputSerializer, tag=None)
        values = data.validated_data
        tag = group_create(
            user=request.user,
            name=values["name"],
            code=values.get("code"),
            members=self.members(data.abonents()) or [],
        )
        return Response(self.entity(tag.pk))

    def lookup(self, request: Request) -> Response:
        key = lookup_key(request.data)
        pk = group_pk(key)
        found = [tag for tag in (tag_get(pk=pk) if pk else None, tag_get(slug=key)) if tag is not None]
        if not found:
            raise LookupFailed()
        return Response(list(dict.fromkeys(group_id(tag.pk) for tag in found)))


class GroupDetailView(GroupView):
    """GET (mask, flat), PATCH (name and code: staff only; abonents) and DELETE (administrators)."""

    def get(self, request: Request, key: str) -> Response:
        tag = self.group_by_id(key)
        return Response(self.entity(tag.pk, self.projection(GROUP_FIELDS)))

    def patch(self, request: Request, key: str) -> Response:
        tag = self.group_by_id(key)
        data = self.valid(GroupInputSerializer, tag=tag)
        values = data.validated_data
        group_update(
            tag=tag,
            user=request.user,
            name=values["name"] if values.get("name", tag.name) != tag.name else None,
            code=values["code"] if values.get("code", tag.slug) != tag.slug else None,
            members=self.members(data.abonents()),
        )
        return Response(self.entity(tag.pk))

    def delete(self, request: Request, key: str) -> Response:
        group_delete(tag=self.group_by_id(key), user=request.user)
        return Response(status=204)
