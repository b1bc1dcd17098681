"""Pages of a contacts list: `contact_page` reads any page in one statement, `ContactPages` serves
slices of a list to a paginator."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    QuerySet,
)

from contacts.search import (
    search_found_page,
    search_walk_page,
)
from contacts.selectors.counting import _contact_count
from contacts.selectors.sorts import walked_page_ids


def contact_page(
    qs: QuerySet,
    *,
    offset: int,
    limit: int,
    total: int | None = None,
    least: int | None = None,
    found: str | None = None,
) -> list[Any]:
    """One page of an ordered list of contacts (or of any model), in one statement.

    The inner `SELECT id ... ORDER BY ... LIMIT/OFFSET` walks only the sort index, and the
    rows (with their select_related joins and prefetches) are read for those ids alone, so a
    deep page skips index entries, not whole rows. When the caller knows the `total` and the
    page lies in the second half, it is read from the other end in the reverse order, so the
    last page costs what the first does. The order must end with the primary key (as
    `contact_list(order_by=...)` and Contact's default order do) for pages to be exact.

    With the `total` (or, from a capped count, the `least` the list holds), the first pages of
    a common search walk the sort index instead of reading every match (`search_walk_page`).
    With the ids its search matched (`found`, from a capped count of few matches), the page
    reads them by id instead of reading the search index again (`search_found_page`).
    A long list sorted by a joined column (type, stage, assignee, company) walks its groups
    instead of sorting every match (`walked_page_ids`).
    """
    offset, limit = max(offset, 0), max(limit, 0)
    if total is not None:
        limit = min(limit, max(total - offset, 0))
    if not limit:
        return []
    ids = qs.values("pk")
    reverse = total is not None and offset > total // 2 and _ends_with_pk(qs)
    if reverse:
        start = total - offset - limit
        ids = qs.reverse().values("pk")[start : start + limit]
    else:
        start = offset
        ids = ids[offset : offset + limit]
    known = total if total is not None else least
    if (walked := walked_page_ids(qs, start=start, limit=limit, reverse=reverse, known=known)) is not None:
        ids = walked
    elif found is not None:
        search_found_page(ids.query, found=found)
    elif known is not None:
        search_walk_page(ids.query, total=known, rows=start + limit)
    return list(_rows_by_ids(qs, ids))


def _rows_by_ids(qs: QuerySet, ids: QuerySet) -> QuerySet:
    """The rows of `ids` as `qs` would load them, without evaluating `qs`'s filters a second time
    (the ids already met them; a search's index would otherwise be read twice)."""
    query = qs.query
    if query.annotations or query.extra or query.combinator or query.distinct:
        return qs.filter(pk__in=ids)
    rows = qs.model._default_manager.filter(pk__in=ids)
    rows.query.select_related = query.select_related
    rows.query.deferred_loading = query.deferred_loading
    rows.query.order_by = query.order_by
    rows.query.default_ordering = query.default_ordering
    rows.query.standard_ordering = query.standard_ordering
    rows._prefetch_related_lookups = qs._prefetch_related_lookups
    return rows


def _ends_with_pk(qs: QuerySet) -> bool:
    ordering = list(qs.query.order_by) or list(qs.model._meta.ordering)
    return bool(ordering) and str(ordering[-1]).lstrip("-") in ("pk", "id", qs.model._meta.pk.name)


class ContactPages:
    """A list for django.core.paginator.Paginator that counts and pages with the helpers above.

    With a `cap`, a list of more than `cap` rows counts as `cap` (`capped` is then true and
    `label` reads "10000+"): the pages reach its first `cap` rows, read from the front.
    """

    def __init__(self, qs: QuerySet, *, cap: int | None = None) -> None:
        self.qs = qs
        self.cap = cap
        self.total: int | None = None
        self.capped = False
        self.found: str | None = None

    def count(self) -> int:
        if self.total is None:
            total, self.found = _contact_count(self.qs, cap=self.cap)
            self.capped = self.cap is not None and total > self.cap
            self.total = self.cap if self.capped else total
        return self.total

    @property
    def label(self) -> str:
        """The count as the UI shows it: "42", or "10000+" when the list goes on past the cap."""
        return f"{self.count()}+" if self.capped else str(self.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Any]:
        start = window.start or 0
        # A capped total is not the list's end: reading from the other end would start elsewhere.
        total, least = (None, self.total) if self.capped else (self.total, None)
        return contact_page(
            self.qs, offset=start, limit=(window.stop or start) - start, total=total, least=least, found=self.found
        )
