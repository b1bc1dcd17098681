"""The contacts list's sorts by a joined column, walked through indexes instead of sorted.

Sorted by its type's or stage's position or its assignee's username (`contacts.forms.lists.SORTS`),
the list is its groups one after the other, each group's contacts in id order. A page's ids are then
one UNION ALL of an arm per group, each reading the group's first rows in id order
(`contact_type_id = %s ORDER BY id LIMIT n`: SQLite walks the foreign key's index, which holds the
id after the key; PostgreSQL the primary key, keeping the group's rows, or for a rare group its
foreign key's index, sorting those few), sorted again as a whole: O(groups × page), where the plain
ORDER BY sorts every match. The groups (types, stages, users) are read first, in one query.
Sorted by its company's name, the companies drive (in the name order of `contact_order_idx`, each
one's people through the company index, the people of companies of one name sorted among
themselves, in id order), with an arm for the contacts without a company and one for the people of
companies in the trash (their link stays, and so does their name in the order).

The rows and their order are those of the ORDER BY, ties by the id in the sort's direction and a
contact without a type, stage, assignee or company where the database puts a NULL (first when
ascending on SQLite, last on PostgreSQL). The page at `start` reads the first `start` + size rows
of each arm, so a walk is taken only when the list is long (`WALK_FROM`, where the sort of its
matches starts to cost more than the walk) and the arms' rows are fewer than its matches; a search
leaves its own order of work to `contacts.search`, and is sorted. See docs/ui.md, "Sorting".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import F, Model, QuerySet
from django.db.models.expressions import OrderBy, RawSQL

from contacts.models import Contact
from contacts.search import search_in

# A list of fewer matches is sorted: its matches are few enough to sort, and a filter that keeps
# few of them would make each arm walk far for its rows. The UI's count is capped at 10 000
# (COUNTED_UP_TO): a list it counts as "10000+" is walked.
WALK_FROM = 10_000
# More groups than this (users, say) and the list is sorted: each group is an arm of the statement.
MOST_ARMS = 64


@dataclass(frozen=True)
class GroupSort:
    """A sort by a column of a small table the contact points at: one arm per row of it."""

    fk: str  # the contact's foreign key field
    key: str  # the column of the group's table the list sorts by

    def groups(self, *, using: str) -> list[tuple[Any, Any]]:
        """The groups' ids and sort keys, in the database's order of the keys."""
        model: type[Model] = Contact._meta.get_field(self.fk).related_model
        return list(model._default_manager.using(using).order_by(self.key, "pk").values_list("pk", self.key))


GROUP_SORTS = {
    "contact_type__position": GroupSort(fk="contact_type", key="position"),
    "stage__position": GroupSort(fk="stage", key="position"),
    "assigned_to__username": GroupSort(fk="assigned_to", key="username"),
}
COMPANY_SORT = "company__display_name"


def walked_page_ids(qs: QuerySet, *, start: int, limit: int, reverse: bool, known: int | None) -> RawSQL | None:
    """The ids of rows `start` to `start + limit` of `qs` (counted from its end when `reverse`), in
    one statement that walks its groups; None when `qs` is not in a walked order or sorting costs
    less (a short list, a search, too many groups, a page deep enough that the arms would read
    more rows than the list holds). `known` is how many contacts the list holds (at least)."""
    if known is None or known < WALK_FROM or not limit:
        return None
    order = _walked_order(qs)
    query = qs.query
    if order is None or query.annotations or query.extra or query.combinator or query.distinct or search_in(query):
        return None
    field, descending = order
    descending ^= reverse
    rows = start + limit
    connection = connections[qs.db]
    base = qs.order_by().values("pk")
    if field == COMPANY_SORT:
        if 3 * rows > known:
            return None
        sql, params = _company_arms(base, rows=rows, descending=descending, connection=connection)
    else:
        groups = GROUP_SORTS[field].groups(using=qs.db)
        arms = len(groups) + 1
        if arms > MOST_ARMS or arms * rows > known:
            return None
        sql, params = _group_arms(
            base, fk=GROUP_SORTS[field].fk, groups=groups, rows=rows, descending=descending, connection=connection
        )
    way = "DESC" if descending else "ASC"
    return RawSQL(
        f"SELECT crm_w.pk FROM ({sql}) crm_w ORDER BY crm_w.g {way}, crm_w.k {way}, crm_w.pk {way} "
        f"LIMIT {int(limit)} OFFSET {int(start)}",
        params,
    )


def _walked_order(qs: QuerySet) -> tuple[str, bool] | None:
    """The walked sort `qs` is ordered by (its field, descending), when its order is that field
    then the id in the same direction, as `contacts.forms.lists.sorted_by` orders."""
    order = list(qs.query.order_by)
    if len(order) < 2:
        return None
    first, second = order[0], order[1]
    if not isinstance(first, OrderBy) or not isinstance(first.expression, F) or first.nulls_first or first.nulls_last:
        return None
    field = first.expression.name
    if field != COMPANY_SORT and field not in GROUP_SORTS:
        return None
    if _pk_direction(second, pk=qs.model._meta.pk.name) != first.descending:
        return None
    return field, first.descending != (not qs.query.standard_ordering)


def _pk_direction(term: Any, *, pk: str) -> bool | None:
    """Whether an order term is the primary key descending (False: ascending; None: not the key)."""
    if isinstance(term, str):
        return term.startswith("-") if term.lstrip("-") in ("pk", pk) else None
    if isinstance(term, OrderBy) and isinstance(term.expression, F) and term.expression.name in ("pk", pk):
        return term.descending
    return None


def _null_rank(connection: Any, *, after: int) -> int:
    """Where the contacts without the group sort: NULL is the least value on SQLite, the greatest
    on PostgreSQL (each database's default for ORDER BY, which the sorted list keeps)."""
    return after if connection.vendor == "postgresql" else -1


def _sql(qs: QuerySet, connection: Any) -> tuple[str, list[Any]]:
    sql, params = qs.query.get_compiler(connection=connection).as_sql()
    return sql, list(params)


def _group_arms(
    base: QuerySet, *, fk: str, groups: list[tuple[Any, Any]], rows: int, descending: bool, connection: Any
) -> tuple[str, list[Any]]:
    """One arm per group, each its first `rows` contacts in id order, ranked by the group's key
    (groups of equal keys share a rank: their contacts merge in id order)."""
    by_id = "-pk" if descending else "pk"
    ranked: list[tuple[int, dict[str, Any]]] = []
    rank, last = -1, object()
    for pk, key in groups:
        if key != last:
            rank, last = rank + 1, key
        ranked.append((rank, {f"{fk}_id": pk}))
    ranked.append((_null_rank(connection, after=rank + 1), {f"{fk}_id__isnull": True}))
    parts, params = [], []
    for n, (rank, condition) in enumerate(ranked):
        sql, arm_params = _sql(base.filter(**condition).order_by(by_id)[:rows], connection)
        parts.append(f"SELECT {rank} AS g, NULL AS k, crm_a{n}.pk AS pk FROM ({sql}) crm_a{n}")
        params += arm_params
    return " UNION ALL ".join(parts), params


def _company_arms(base: QuerySet, *, rows: int, descending: bool, connection: Any) -> tuple[str, list[Any]]:
    """The contacts without a company, then (or before, as the database puts NULLs) the people of
    the companies out of the trash, walked in the companies' name order, and of those in it."""
    qn = connection.ops.quote_name
    table, way = qn(Contact._meta.db_table), "DESC" if descending else "ASC"
    by_id = "-pk" if descending else "pk"
    none_sql, none_params = _sql(base.filter(company_id__isnull=True).order_by(by_id)[:rows], connection)
    # Each person is checked against the list's conditions on its own row, by its id: the walk's
    # order comes from the companies (SQLite keeps the CROSS JOIN's order of the loops).
    match_sql, match_params = _sql(base.filter(pk=RawSQL("crm_p.id", [])), connection)
    people = (
        f"SELECT crm_c.display_name AS k, crm_p.id AS pk FROM {table} crm_c CROSS JOIN {table} crm_p "
        f"WHERE crm_c.deleted_at IS {{}} AND crm_p.company_id = crm_c.id AND EXISTS ({match_sql}) "
        f"ORDER BY crm_c.display_name {way}, crm_p.id {way} LIMIT {int(rows)}"
    )
    arms = [
        (
            f"SELECT {_null_rank(connection, after=1)} AS g, NULL AS k, crm_a0.pk AS pk FROM ({none_sql}) crm_a0",
            none_params,
        ),
        (f"SELECT 0 AS g, crm_a1.k AS k, crm_a1.pk AS pk FROM ({people.format('NULL')}) crm_a1", match_params),
        (f"SELECT 0 AS g, crm_a2.k AS k, crm_a2.pk AS pk FROM ({people.format('NOT NULL')}) crm_a2", match_params),
    ]
    return " UNION ALL ".join(sql for sql, _ in arms), [p for _, params in arms for p in params]
