"""Contact search: one meaning in every face, answered from a full-text index.

A search text is split into terms at whitespace; a contact matches when every
term matches one of its searchable fields: the display name, the name of the
person's company, the job title, an email address or a phone number.

- A term of three characters or more matches anywhere inside a field, in any
  case ("lic" finds "Alice").
- A term of one or two characters matches the start of a word, words being
  separated by spaces ("al" finds "Bob Allen", not "Sally").
- A term made only of digits and phone punctuation (``+-.()/``) also matches
  the digits of a phone number, whatever its punctuation ("4242" and
  "224-4242" find "+1 383 224 4242"), by the same two rules.
- A term with no letter and no digit ("&", "--") is left out.

The index is the table ``contacts_contactsearch``: one row per contact whose
``rowid`` is the contact's id, with two columns, ``doc`` (the searchable fields,
each preceded by two spaces and with every space doubled, so that the start of
a word is a space followed by the word) and ``digits`` (the digits of each
phone, likewise). Database triggers, created by the migration
``0004_contact_search_index``, keep it in step with every write, ORM or raw
SQL: on SQLite it is an FTS5 table with the trigram tokenizer, on PostgreSQL a
table with pg_trgm GIN indexes. Both answer the same patterns: the term itself
(3+ characters), or a space and the term (2), or two spaces and the term (1).

A search is asked in one of two forms (`SearchMatch`): the contacts whose id is among the
index's matches (one pass over the matches: counts, rare terms), or a check of one contact's
own index row (`probe_sql`: the first pages of a common term, walked along a sort index).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Expression, F, Q
from django.db.models.lookups import Exact

SEARCH_TABLE = "contacts_contactsearch"
PHONE_TERM = re.compile(r"[0-9+\-.()/]+")
NOT_DIGITS = re.compile(r"[^0-9]+")
MAX_TERMS = 16


def digits_of(value: str) -> str:
    """The ASCII digits of a text, in order ("+1 (383) 224-4242" → "13832244242")."""
    return NOT_DIGITS.sub("", value)


def search_terms(text: str) -> list[str]:
    """The terms of a search text that take part in matching, lower-cased."""
    words = text.replace("\x00", "").split()
    return [w.lower() for w in words if any(ch.isalnum() for ch in w)][:MAX_TERMS]


def term_pattern(term: str) -> str:
    """What the index must contain for a term to match (see the module docstring)."""
    return {1: "  ", 2: " "}.get(len(term), "") + term


def term_digits(term: str) -> str:
    """The digits a term looks for in phone numbers, or "" when it is not a phone term."""
    return digits_of(term) if PHONE_TERM.fullmatch(term) else ""


def _fts_phrase(column: str, pattern: str) -> str:
    return f'{column} : "{pattern.replace(chr(34), chr(34) * 2)}"'


def _like(pattern: str) -> str:
    escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _fts_query(terms: list[str]) -> str:
    clauses = []
    for term in terms:
        alternatives = [_fts_phrase("doc", term_pattern(term))]
        if digits := term_digits(term):
            alternatives.append(_fts_phrase("digits", term_pattern(digits)))
        clauses.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(clauses)


def search_sql(terms: list[str], *, vendor: str) -> tuple[str, list[Any]]:
    """A statement selecting the ids of the contacts matching every term."""
    if vendor == "sqlite":
        return f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH %s", [_fts_query(terms)]
    where, params = _conditions(terms, vendor=vendor, table="")
    return f"SELECT rowid FROM {SEARCH_TABLE} WHERE {where}", params


def probe_sql(terms: list[str], *, vendor: str, ref: str) -> tuple[str, list[Any]]:
    """A condition on the one contact whose id is the SQL `ref`: it matches every term.

    The same meaning as `search_sql`, checked on that contact's index row (read by its id)
    instead of looking the terms up in the index: what a walk along a sort index calls per
    contact. SQLite compares with ``crm_contains``, a substring test under the trigram
    tokenizer's own case folding (`sqlite_fold`); PostgreSQL's document is lower-cased already.
    """
    where, params = _conditions(terms, vendor=vendor, table="s.")
    return f"EXISTS (SELECT 1 FROM {SEARCH_TABLE} s WHERE s.rowid = {ref} AND {where})", params


def _conditions(terms: list[str], *, vendor: str, table: str) -> tuple[str, list[Any]]:
    """Every term matched on one index row's columns (named with the `table` prefix): a
    substring test of its pattern on the document, or on the phone digits for a phone term.
    SQLite tests with ``crm_contains`` under the trigram tokenizer's case folding, PostgreSQL
    with LIKE on its lower-cased document."""
    conditions, params = [], []
    for term in terms:
        pattern, digits = term_pattern(term), term_digits(term)
        if vendor == "sqlite":
            alternatives = [f"crm_contains({table}doc, %s)"]
            params.append(sqlite_fold(pattern))
            if digits:
                alternatives.append(f"crm_contains({table}digits, %s)")
                params.append(term_pattern(digits))
        else:
            alternatives = [f"{table}doc LIKE lower(%s)"]
            params.append(_like(pattern))
            if digits:
                alternatives.append(f"{table}digits LIKE %s")
                params.append(_like(term_pattern(digits)))
        conditions.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(conditions), params


class SearchMatch(Expression):
    """The search condition on a contact's id, in one of two forms decided when it is compiled.

    By default ``id IN (the index's matches)``: the index is read once, O(matches), which is
    what a count needs and what a page of a rare term wants. A query whose attribute
    ``search_walk`` is a number of rows (`search_walk_page` sets it for the first pages of a
    common term) walks its sort index instead, checking each contact (`probe_sql`) until that
    many match, O(page), within a bound past which it reads every match after all. A query
    whose ``search_probe`` is true checks each contact it reads, unbounded. A query whose
    ``search_found`` is a JSON array of ids (`search_found_page`: the matches a capped count has
    just read) takes them as they are, without reading the index again.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, ref: Any, *, terms: list[str]) -> None:
        super().__init__()
        self.ref = ref
        self.terms = terms

    def get_source_expressions(self) -> list[Any]:
        return [self.ref]

    def set_source_expressions(self, exprs: list[Any]) -> None:
        (self.ref,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        ref, ref_params = compiler.compile(self.ref)
        query = compiler.query
        if getattr(query, "search_everything", False):
            return "1 = 1", []
        if getattr(query, "search_driven", False):
            return f"{ref} = s.rowid", ref_params
        if getattr(query, "search_probe", False):
            sql, params = probe_sql(self.terms, vendor=connection.vendor, ref=ref)
            return sql, [*ref_params, *params]
        if (found := getattr(query, "search_found", None)) is not None:
            return f"{ref} IN (SELECT value FROM json_each(%s))", [*ref_params, found]
        if walk := getattr(query, "search_walk", None):
            sql, params = self._walk_sql(query, need=walk[0], span=walk[1], connection=connection)
            return f"{ref} IN ({sql})", [*ref_params, *params]
        sql, params = search_sql(self.terms, vendor=connection.vendor)
        return f"{ref} IN ({sql})", [*ref_params, *params]

    def _walk_sql(self, query: Any, *, need: int, span: int, connection: Any) -> tuple[str, list[Any]]:
        """The ids a page of `need` rows from the start of `query`'s order may come from: the
        first `need` matches among the first contacts of the order (the list's other conditions
        met), when the walk finds that many within its bound; every match otherwise.

        One statement either way, so a page costs the same number of queries. The walk is
        bounded: matches gathered at one end of the order (a name search sorted by name, whose
        matches all sort under the same letters) would otherwise have it visit every contact
        before the page fills. Past the bound, reading every match costs O(matches).

        PostgreSQL checks each of the first `span` contacts on its own index row. SQLite does so
        for the first `need` × NEAR_SPAN of them (at most `span`): a check reads the contact's
        index row by its id, a page of the index's table away from the last one (about 5 µs at a
        million contacts), which suits a term common enough to fill the page within a few
        thousand contacts. When that falls short, it walks again, SIFT_SPAN × `span` contacts at
        most, testing each id against the index's matches, read once into a temporary b-tree
        (about 0.2 µs a match to build, 0.5 µs a contact to walk): a term of tens of thousands
        of matches spread over the order fills its page there for a fraction of reading and
        sorting every match (about 2 µs a match), which is what is left when both fall short.
        """
        sqlite = connection.vendor == "sqlite"
        walk_sql, walk_params = self._walked(
            query, span=min(span, need * NEAR_SPAN) if sqlite else span, connection=connection
        )
        probe, probe_params = probe_sql(self.terms, vendor=connection.vendor, ref="crm_walk.pk")
        short = "(SELECT COUNT(*) FROM crm_found) < %s"
        # The walk runs as the check asks for contacts (never stored whole), its finds once.
        # SQLite before 3.35 takes no such hints: it runs each use of the finds (bounded) anew.
        hints = not sqlite or sqlite3.sqlite_version_info >= (3, 35)
        lazy, stored = ("NOT MATERIALIZED ", "MATERIALIZED ") if hints else ("", "")
        found = (
            f"WITH crm_walk(pk) AS {lazy}({walk_sql}), "
            f"crm_found AS {stored}(SELECT pk FROM crm_walk WHERE {probe} LIMIT %s)"
        )
        found_params = [*walk_params, *probe_params, need]
        if not sqlite:  # PostgreSQL tests a condition without columns once, before reading anything
            every, every_params = search_sql(self.terms, vendor=connection.vendor)
            every, every_params = f"{every} AND {short}", [*every_params, need]
            return f"{found} SELECT pk FROM crm_found UNION ALL {every}", [*found_params, *every_params]
        # The second walk is as long as SIFT_SPAN × `span` when the first fell short, and empty
        # otherwise: SQLite computes a LIMIT once, before the walk starts, so neither the walk
        # nor the matches are read then. The unary + keeps the id test a filter on the walk,
        # which must not be driven by the matches (that would lose the walk's order). SQLite
        # tests a subquery in a WHERE row by row: the one-row table `crm_shorter`, empty when a
        # walk found enough, comes first (CROSS JOIN keeps that order), so the index's matches
        # are not read at all then.
        sift_sql, sift_params = self._walked(query, span=None, connection=connection)
        fts = _fts_query(self.terms)
        sql = (
            f"{found}, crm_sift(pk) AS {lazy}({sift_sql} LIMIT CASE WHEN {short} THEN %s ELSE 0 END), "
            f"crm_sifted AS {stored}(SELECT pk FROM crm_sift "
            f"WHERE +crm_sift.pk IN (SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH %s) LIMIT %s) "
            f"SELECT pk FROM crm_found UNION ALL SELECT pk FROM crm_sifted UNION ALL "
            f"SELECT s.rowid FROM (SELECT 1 WHERE {short} AND (SELECT COUNT(*) FROM crm_sifted) < %s) crm_shorter "
            f"CROSS JOIN {SEARCH_TABLE} s WHERE s.{SEARCH_TABLE} MATCH %s"
        )
        params = [*found_params, *sift_params, need, span * SIFT_SPAN, fts, need, need, need, fts]
        return sql, params

    @staticmethod
    def _walked(query: Any, *, span: int | None, connection: Any) -> tuple[str, list[Any]]:
        """The ids of the first `span` contacts (all of them for None) of `query`'s order that its
        other conditions let through."""
        walk = query.clone()
        walk.search_walk = None
        walk.search_everything = True
        walk.clear_limits()
        if span is not None:
            walk.set_limits(high=span)
        return walk.get_compiler(connection=connection).as_sql()


def search_q(text: str) -> Q:
    """The condition a contact must meet to match a search text (everything when it has no terms)."""
    terms = search_terms(text)
    if not terms:
        return Q()
    return Q(SearchMatch(F("pk"), terms=terms))


# A search matching at least PROBE_FROM contacts pages by walking the sort index, for pages
# within its first 1 / PROBE_SHARE (see search_walk_page). The walk visits at most WALK_SPAN
# contacts for each row the page needs, or as many as the matches known when that is more,
# before it reads every match instead: checking a contact costs less than reading a match (at
# a million contacts about 1.6 against 3.4 µs), so a walk that fails at most doubles the read.
PROBE_FROM = 2000
PROBE_SHARE = 100
WALK_SPAN = 40
# On SQLite the walk checks at most NEAR_SPAN contacts for each row on their own index rows,
# then walks SIFT_SPAN times as far testing ids against the matches (see SearchMatch._walk_sql).
NEAR_SPAN = 100
SIFT_SPAN = 3
# A capped count of at most KEEP_FOUND matches hands their ids to the page (SQLite).
KEEP_FOUND = PROBE_FROM


def search_walk_page(query: Any, *, total: int, rows: int) -> None:
    """Let the query of a page's ids walk its sort index, checking each contact against the
    search (`probe_sql`), when that is cheaper than reading every match from the search index.

    `total` is the list's count and `rows` how many rows the page reads from its end of the
    list. When the matches are spread over the order, the walk visits about rows × N / total
    contacts (N: the contacts the list's other conditions let through); reading the index
    visits `total`. A common term (`total` ≥ PROBE_FROM) whose page lies within its first
    `total` / PROBE_SHARE rows is walked, for at most max(WALK_SPAN × rows, total) contacts:
    when the matches gather elsewhere in the order, the same statement then reads every match
    instead (see `SearchMatch`), so a walk costs at most about what reading the matches would
    have. An order by an annotation (no sort index) is never walked. A query
    without a search is left as it is either way.
    """
    if total >= PROBE_FROM and rows * PROBE_SHARE <= total and not query.annotations:
        query.search_walk = (rows, max(rows * WALK_SPAN, total))


def search_count_capped(query: Any, *, cap: int) -> tuple[int, str | None] | None:
    """`min(count, cap + 1)` of a query of contact ids that a search filters, on SQLite, reading
    the search index in its own (rowid) order and stopping after `cap + 1` visible matches:
    O(cap), where the usual form reads every match first. None when this does not apply (not
    SQLite, or not exactly one search among the query's plain AND conditions).

    Beside the count, the ids it found (a JSON array) when they are all the matches (the count
    is at most `cap`) and at most KEEP_FOUND, else None: the page of so few matches reads them
    by id (`search_found_page`) instead of evaluating the search again, which for a term of
    several trigrams (a phone number, an email address) costs as much as the count did."""
    if connection.vendor != "sqlite":
        return None
    found = list(_searches(query.where, plain=True))
    if len(found) != 1 or not found[0][1]:
        return None
    match = found[0][0]
    inner = query.clone()
    inner.search_driven = True  # the search renders as "id = s.rowid": the index drives
    inner_sql, inner_params = inner.get_compiler(connection=connection).as_sql()
    sql = (
        f"SELECT COUNT(*), CASE WHEN COUNT(*) <= %s THEN json_group_array(crm_id) END "
        f"FROM (SELECT s.rowid AS crm_id FROM {SEARCH_TABLE} s WHERE s.{SEARCH_TABLE} MATCH %s "
        f"AND EXISTS ({inner_sql}) LIMIT %s)"
    )
    with connection.cursor() as cursor:
        # Past the cap the count has read only some of the matches: it keeps none then.
        cursor.execute(sql, [min(KEEP_FOUND, cap), _fts_query(match.terms), *inner_params, cap + 1])
        count, ids = cursor.fetchone()
        return count, ids


def search_found_page(query: Any, *, found: str) -> None:
    """Let the query of a page's ids take its search's matches from `found`, the JSON array of
    ids that `search_count_capped` read for the same list (the search and the list's other
    conditions met), instead of reading the search index again."""
    query.search_found = found


def search_count_live(match: SearchMatch) -> int | None:
    """The count of the contacts out of the trash that match a search, on SQLite: the index's
    matches, less those of the contacts in the trash (each checked on its own index row).

    The index holds one row per contact (its triggers see to it), so this counts the matches
    from the index alone, O(matches) in the index's lists without reading each match's contact:
    at a million contacts a common two-letter term costs about a tenth of the usual form. None
    off SQLite (PostgreSQL answers its form already from the trigram indexes' bitmaps).
    """
    if connection.vendor != "sqlite":
        return None
    probe, probe_params = probe_sql(match.terms, vendor="sqlite", ref="c.id")
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH %s)"
        f" - (SELECT COUNT(*) FROM contacts_contact c WHERE c.deleted_at IS NOT NULL AND {probe})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_fts_query(match.terms), *probe_params])
        return cursor.fetchone()[0]


def search_match(node: Any) -> SearchMatch | None:
    """The search of a WHERE node that is one (`search_q`'s condition, as a filter holds it), or None."""
    if isinstance(node, Exact) and node.rhs is True:
        node = node.lhs
    return node if isinstance(node, SearchMatch) else None


def search_in(query: Any) -> bool:
    """Whether a query's conditions hold a search."""
    return next(_searches(query.where, plain=True), None) is not None


def _searches(node: Any, *, plain: bool) -> Iterator[tuple[SearchMatch, bool]]:
    """Every search condition under a WHERE node, each with whether only plain (not negated)
    AND conditions lead to it."""
    if isinstance(node, SearchMatch):
        yield node, plain
        return
    plain = plain and not getattr(node, "negated", False) and getattr(node, "connector", "AND") == "AND"
    children = getattr(node, "children", None)
    if children is None:  # a lookup (`Exact(SearchMatch, True)`) or another expression
        children = node.get_source_expressions() if hasattr(node, "get_source_expressions") else []
    for child in children:
        if child is not None:
            yield from _searches(child, plain=plain)


_FOLD: dict[int, str] = {}


def sqlite_fold(text: str) -> str:
    """`text` case-folded as SQLite's trigram tokenizer folds it (which is not Python's ``lower``:
    it keeps "İ", for one, and folds no letter that its Unicode tables predate).

    The table is read from SQLite itself, once per process: every letter that has a case in
    Python's tables is indexed in a scratch trigram table whose vocabulary then shows its folding.
    """
    if not _FOLD:
        letters = [c for c in (*range(0xD800), *range(0xE000, 0x10000), *range(0x10400, 0x10450)) if _cased(chr(c))]
        scratch = sqlite3.connect(":memory:")
        try:
            scratch.execute("CREATE VIRTUAL TABLE f USING fts5(doc, tokenize = 'trigram')")
            scratch.execute("CREATE VIRTUAL TABLE v USING fts5vocab(f, 'instance')")
            scratch.executemany("INSERT INTO f(rowid, doc) VALUES (?, ?)", [(c, chr(c) * 3) for c in letters])
            _FOLD.update({doc: term[0] for term, doc in scratch.execute("SELECT term, doc FROM v")})
        finally:
            scratch.close()
    # ASCII folds as Python's lower() does (and much faster than a translation).
    return text.lower() if text.isascii() else text.translate(_FOLD)


def _cased(letter: str) -> bool:
    return letter.lower() != letter or letter.casefold() != letter or letter.upper() != letter


def sqlite_contains(text: str | None, pattern: str | None) -> bool | None:
    """SQLite's ``crm_contains(text, pattern)``: whether the folded `text` holds `pattern` (folded already)."""
    if text is None or pattern is None:
        return None
    return pattern in sqlite_fold(text)


def sqlite_digits(value: str | None) -> str | None:
    """SQLite's ``crm_digits(value)``, which the index triggers call (PostgreSQL uses regexp_replace)."""
    return None if value is None else digits_of(value)


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give every new SQLite connection the functions the search triggers call."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("crm_digits", 1, sqlite_digits, deterministic=True)
        connection.connection.create_function("crm_contains", 2, sqlite_contains, deterministic=True)


def search_rebuild() -> None:
    """Rebuild the whole index from the contacts (after loading data with the triggers off, say)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SEARCH_TABLE}")
        if connection.vendor == "sqlite":
            cursor.execute(f"INSERT INTO {SEARCH_TABLE}(rowid, doc, digits) {SQLITE_DOCUMENTS}")
        else:
            cursor.execute(f"INSERT INTO {SEARCH_TABLE}(rowid, doc, digits) {POSTGRESQL_REBUILD}")


# The documents of the contacts `c` (see the module docstring); the migration holds its own copy.
SQLITE_DOCUMENTS = """
SELECT c.id,
    '  ' || replace(c.display_name, ' ', '  ')
    || '  ' || replace(coalesce(co.display_name, ''), ' ', '  ')
    || '  ' || replace(c.job_title, ' ', '  ')
    || coalesce((SELECT group_concat('  ' || replace(i.value, ' ', '  '), '') FROM contacts_contactitem i
                 WHERE i.contact_id = c.id AND +i.kind IN ('email', 'tel')), ''),
    coalesce((SELECT group_concat('  ' || crm_digits(i.value), '') FROM contacts_contactitem i
              WHERE i.contact_id = c.id AND +i.kind = 'tel'), '')
FROM contacts_contact c LEFT JOIN contacts_contact co ON co.id = c.company_id
"""

# A document from the contact `c`, its company `co` and its items aggregated as `items`.
_POSTGRESQL_DOCUMENT = """
SELECT c.id,
    lower('  ' || replace(c.display_name, ' ', '  ')
    || '  ' || replace(coalesce(co.display_name, ''), ' ', '  ')
    || '  ' || replace(c.job_title, ' ', '  ')
    || coalesce(items.doc, '')),
    coalesce(items.digits, '')
FROM contacts_contact c LEFT JOIN contacts_contact co ON co.id = c.company_id
"""

POSTGRESQL_DOCUMENTS = (
    _POSTGRESQL_DOCUMENT
    + """CROSS JOIN LATERAL (
    SELECT string_agg('  ' || replace(i.value, ' ', '  '), '') FILTER (WHERE i.kind IN ('email', 'tel')) AS doc,
        string_agg('  ' || regexp_replace(i.value, '[^0-9]', '', 'g'), '') FILTER (WHERE i.kind = 'tel') AS digits
    FROM contacts_contactitem i WHERE i.contact_id = c.id
) items
"""
)

# Every contact's document at once, the same as POSTGRESQL_DOCUMENTS gives one contact: the items
# are aggregated in one pass grouped by contact (not looked up per contact), each contact's in
# their physical order, which is the order the per-contact lookup by contact_id reads them in.
POSTGRESQL_REBUILD = (
    _POSTGRESQL_DOCUMENT
    + """LEFT JOIN (
    SELECT i.contact_id,
        string_agg('  ' || replace(i.value, ' ', '  '), '' ORDER BY i.ctid) AS doc,
        string_agg('  ' || regexp_replace(i.value, '[^0-9]', '', 'g'), '' ORDER BY i.ctid)
            FILTER (WHERE i.kind = 'tel') AS digits
    FROM contacts_contactitem i WHERE i.kind IN ('email', 'tel') GROUP BY i.contact_id
) items ON items.contact_id = c.id
"""
)
