"""Inline building blocks shared by the apps' admins: every inline is bounded.

A forged TOTAL_FORMS cannot make one request build thousands of forms, and a parent with a long
history (a contact with thousands of notes, a project with thousands of members) shows its newest
rows, with the full list on the model's own admin page, instead of rendering every one of them.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet


class CappedInlineMixin:
    """An inline of at most `max_num` rows, or of the parent's own rows where it already has more.

    The formset refuses a body announcing more rows before building any. A parent given more rows
    elsewhere (an API may write more than the admin's cap) still opens and saves with all of them.
    """

    max_num: int

    def get_formset(self, request: Any, obj: Any = None, **kwargs: Any) -> Any:
        limit = self.max_num
        if obj is not None and obj.pk is not None:
            fk = super().get_formset(request, obj, **kwargs).fk
            limit = max(limit, self.model._default_manager.filter(**{fk.name: obj}).count())
        kwargs.setdefault("absolute_max", limit)
        kwargs.setdefault("max_num", limit)
        return super().get_formset(request, obj, **kwargs)


class NewestRowsFormSet(BaseInlineFormSet):
    """An inline formset over the parent's `shown` most recently added rows (shown in the model's order)."""

    shown: ClassVar[int] = 20

    def get_queryset(self) -> QuerySet:
        if not hasattr(self, "_newest"):
            rows = super().get_queryset()
            self._newest = rows.filter(pk__in=list(rows.order_by("-pk").values_list("pk", flat=True)[: self.shown]))
        return self._newest


class NewestRowsInlineMixin:
    """An inline showing the newest `formset.shown` rows, with room to add a few per save.

    `max_num` bounds the forms of one request (shown rows plus new ones); `absolute_max` refuses a
    body announcing more before any form is built.
    """

    formset = NewestRowsFormSet
    max_num = NewestRowsFormSet.shown + 5

    def get_formset(self, request: Any, obj: Any = None, **kwargs: Any) -> Any:
        kwargs.setdefault("absolute_max", self.max_num)
        return super().get_formset(request, obj, **kwargs)
