"""`contact_rows`: a page of contacts read with `values()`, its statement compiled once per shape
(`_page_statement`) with only the subquery of the page's ids compiled per request."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from types import SimpleNamespace
from typing import Any, NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from contacts.models import Contact
from contacts.rows.related import _attach_related
from contacts.rows.shapes import CONTACT_FIELDS, JOINED, JOINED_NAMES, USER_FIELDS, ContactRow, UserRow, _avatar
from contacts.search import search_walk_page
from crm.prepared import converted_rows


def _page_ids(qs: QuerySet, *, offset: int, limit: int | None, total: int | None) -> QuerySet | None:
    """The ids of one page of `qs`, as a subquery (`contacts.selectors.contact_page`'s reading:
    the sort index only, and a page in the second half read from the other end)."""
    ids = qs.values("pk")
    if limit is None:
        return ids[offset:] if offset else ids
    if total is not None:
        limit = min(limit, max(total - offset, 0))
    if limit <= 0:
        return None
    ordering = list(qs.query.order_by) or list(qs.model._meta.ordering)
    ends_with_pk = bool(ordering) and str(ordering[-1]).lstrip("-") in ("pk", "id")
    if total is not None and offset > total // 2 and ends_with_pk:
        start = total - offset - limit
        ids = qs.reverse().values("pk")[start : start + limit]
    else:
        start, ids = offset, ids[offset : offset + limit]
    if total is not None:
        search_walk_page(ids.query, total=total, rows=start + limit)
    return ids


def contact_rows(
    qs: QuerySet[Contact],
    *,
    offset: int = 0,
    limit: int | None = None,
    total: int | None = None,
    related: Iterable[str] = (),
    annotate: Callable[[QuerySet[Contact]], QuerySet[Contact]] | None = None,
    annotate_key: Hashable = None,
    fields: Sequence[str] = CONTACT_FIELDS,
    joined: Iterable[str] = JOINED_NAMES,
) -> list[ContactRow]:
    """A page of `qs` (every row when `limit` is None) as ContactRows, in `qs`'s order.

    One query for the page and one for each of `related` (see RELATED): a fixed number of
    queries whatever the page's size. The page's ids are a subquery over `qs` (its sort index
    only); its rows are read by id, with `annotate`'s annotations (computed for the page's rows
    alone, and without evaluating `qs`'s filters a second time). As with `contact_page`, the
    order must end with the primary key for pages to be exact, and a known `total` lets a deep
    page be read from the other end.

    `annotate_key` says what `annotate`'s SQL depends on (for the visibility and rights
    annotations, `contacts.selectors.contact_visibility_key` of their user): the statement
    compiled for a key serves every later page with the same key and shape. Without a key,
    a page with annotations is compiled each time.
    """
    offset = max(offset, 0)
    ids = _page_ids(qs, offset=offset, limit=None if limit is None else max(limit, 0), total=total)
    if ids is None:
        return []
    joins = tuple(join for join in JOINED if join[0] in set(joined))
    statement = _page_statement(qs, fields=tuple(fields), joins=joins, annotate=annotate, annotate_key=annotate_key)
    if statement is None:
        page = _by_ids(qs, ids)
        if annotate is not None:
            page = annotate(page)
        keys, columns = _page_columns(page, fields, joins)
        make = _row_maker(keys, joins)
        rows = [make(values) for values in page.values_list(*keys, *columns)]
    else:
        rows = statement.rows(ids)
    _attach_related(rows, set(related))
    return rows


def _page_columns(
    page: QuerySet[Contact], fields: Sequence[str], joins: Sequence[tuple[str, str, tuple[str, ...]]]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What a page reads: its keys (the fields, the joined rows' foreign keys, the annotations)
    and the joined rows' columns."""
    annotations = tuple(page.query.annotations)
    keys = tuple(dict.fromkeys((*fields, *(fk for _, fk, _ in joins), *annotations)))
    columns = tuple(f"{key}__{name}" for key, _, names in joins for name in names)
    return keys, columns


# Where the page's ids go in a compiled page statement: a marker no statement holds otherwise.
_IDS_MARKER = "/*page ids*/"


# Page statements by shape (see `_page_statement`), at most this many: each key of annotations
# (one per user, for the rights) has its own. Past it the cache starts afresh: one C-level
# clear, which threads sharing the dict cannot interleave.
MOST_PAGE_STATEMENTS = 512


_PAGE_STATEMENTS: dict[Hashable, _PageStatement | None] = {}


class _PageStatement(NamedTuple):
    """A page's row statement, compiled once: the SQL before and after the subquery of the
    page's ids, their parameters, the columns whose values the database's converters turn
    into Python values (with the column's expression), and the row maker."""

    alias: str
    head: str
    tail: str
    head_params: tuple[Any, ...]
    tail_params: tuple[Any, ...]
    converted: tuple[tuple[int, Any], ...]
    make: Callable[[tuple[Any, ...]], ContactRow]

    def rows(self, ids: QuerySet) -> list[ContactRow]:
        query = ids.query
        if not query.is_sliced:
            query.clear_ordering(force=True)  # an unsliced subquery's order is of no use
        try:
            ids_sql, ids_params = query.get_compiler(self.alias).as_sql()
        except EmptyResultSet:  # a filter no contact can meet (`pk__in=[]`)
            return []
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(self.head + ids_sql + self.tail, (*self.head_params, *ids_params, *self.tail_params))
            fetched = cursor.fetchall()
        # The converters of this thread's connection (the compiled statement serves them all).
        converters = [
            (
                position,
                connection.ops.get_db_converters(expression) + expression.get_db_converters(connection),
                expression,
            )
            for position, expression in self.converted
        ]
        make = self.make
        return [make(values) for values in converted_rows(fetched, converters, connection)]


def _page_statement(
    qs: QuerySet[Contact],
    *,
    fields: tuple[str, ...],
    joins: tuple[tuple[str, str, tuple[str, ...]], ...],
    annotate: Callable[[QuerySet[Contact]], QuerySet[Contact]] | None,
    annotate_key: Hashable,
) -> _PageStatement | None:
    """The compiled row statement for pages of `qs`'s shape, or None where it cannot be kept: a
    queryset that annotates or combines (its rows are read through its own filters), an
    `annotate` without a key, an order that is not hashable."""
    query = qs.query
    if query.annotations or query.extra or query.combinator or query.distinct or query.model is not Contact:
        return None
    if annotate is not None and annotate_key is None:
        return None
    alias = router.db_for_read(Contact)
    key = (
        alias,
        fields,
        joins,
        annotate_key if annotate is not None else None,
        tuple(query.order_by),
        query.default_ordering,
        query.standard_ordering,
    )
    try:
        statement = _PAGE_STATEMENTS.get(key, False)
    except TypeError:  # an order by an expression that cannot be hashed
        return None
    if statement is False:
        statement = _compile_page_statement(qs, alias=alias, fields=fields, joins=joins, annotate=annotate)
        if len(_PAGE_STATEMENTS) >= MOST_PAGE_STATEMENTS:
            _PAGE_STATEMENTS.clear()
        _PAGE_STATEMENTS[key] = statement
    return statement


def _compile_page_statement(
    qs: QuerySet[Contact],
    *,
    alias: str,
    fields: tuple[str, ...],
    joins: tuple[tuple[str, str, tuple[str, ...]], ...],
    annotate: Callable[[QuerySet[Contact]], QuerySet[Contact]] | None,
) -> _PageStatement | None:
    """Compile the page statement with a marker where the ids go; None if the compiled SQL does
    not show where each parameter is (then the page is compiled each time, as before)."""
    page = _by_ids(qs, RawSQL(_IDS_MARKER, ()))
    if annotate is not None:
        page = annotate(page)
    keys, columns = _page_columns(page, fields, joins)
    page = page.values_list(*keys, *columns)
    compiler = page.query.get_compiler(alias)
    sql, params = compiler.as_sql()
    head, marker, tail = sql.partition(_IDS_MARKER)
    if not marker or _IDS_MARKER in tail or sql.count("%s") != len(params) or "%%" in sql:
        return None
    split = head.count("%s")
    expressions = [selected[0] for selected in compiler.select[: compiler.col_count]]
    if len(expressions) != len(keys) + len(columns):
        return None
    converted = tuple(
        (position, expression) for position, (_, expression) in compiler.get_converters(expressions).items()
    )
    return _PageStatement(
        alias, head, tail, tuple(params[:split]), tuple(params[split:]), converted, _row_maker(keys, joins)
    )


def _by_ids(qs: QuerySet[Contact], ids: QuerySet | RawSQL) -> QuerySet[Contact]:
    """The contacts of `ids` in `qs`'s order (`qs`'s own filters are not repeated, as in
    `contacts.selectors.contact_page`, unless `qs` annotates or combines)."""
    query = qs.query
    if query.annotations or query.extra or query.combinator or query.distinct:
        return qs.prefetch_related(None).filter(pk__in=ids)
    rows = qs.model._default_manager.filter(pk__in=ids)
    rows.query.order_by = query.order_by
    rows.query.default_ordering = query.default_ordering
    rows.query.standard_ordering = query.standard_ordering
    return rows


def _row_maker(
    keys: tuple[str, ...], joins: Sequence[tuple[str, str, tuple[str, ...]]]
) -> Callable[[tuple[Any, ...]], ContactRow]:
    """The function that makes a ContactRow of one `values_list(*keys, *joined columns)` tuple:
    positions and each joined row's constructor worked out once per page, not looked up by name
    in a dict per row."""
    width = count = len(keys)
    spans = []
    for key, fk, names in joins:
        spans.append((key, keys.index(fk), _joined_maker(key, names), width, width + len(names)))
        width += len(names)
    avatar = keys.index("avatar") if "avatar" in keys else None

    def make(values: tuple[Any, ...]) -> ContactRow:
        row = dict(zip(keys, values[:count], strict=True))
        for key, fk, joined, start, end in spans:
            pk = values[fk]
            row[key] = None if pk is None else joined(pk, values[start:end])
        if avatar is not None:
            row["avatar"] = _avatar(values[avatar])
        return ContactRow(**row)

    return make


def _joined_maker(key: str, names: tuple[str, ...]) -> Callable[[int, tuple[Any, ...]], Any]:
    """The constructor of a joined row of `key` from its primary key and its columns `names`."""
    if key in ("author", "assigned_to") and names == USER_FIELDS:
        return lambda pk, values: UserRow(pk, *values)
    return lambda pk, values: _joined_row(key, pk, dict(zip(names, values, strict=True)))


def _joined_row(key: str, pk: int, parts: dict[str, Any]) -> Any:
    if key in ("author", "assigned_to"):
        return UserRow(pk=pk, **parts)
    if key == "company":
        parts["avatar"] = _avatar(parts["avatar"])
        return ContactRow(pk=pk, company_id=None, access_list=[], **parts)
    return SimpleNamespace(pk=pk, code=parts.pop("code", ""), **parts)
