"""Likely duplicates among the contacts a user can see: the editor's warning and the duplicates page.

Two contacts are likely duplicates when they share (score in brackets):

- an email address, in any case (100);
- a phone number, whatever its punctuation: the items' `normalized` E.164 form (80);
- a name and a company: two persons of the same name at the same company, or two companies of
  the same name, in any case (70);
- a similar name: two persons with the same last name and the same first initial (40).

A pair is shown once, with its best score and every reason it matched. The page never compares
contacts pairwise: each rule is one GROUP BY over an index (the items' (kind, normalized, contact),
the contacts' lower(display_name) with the company, or lower(last_name) with the first initial),
keeping the values shared by 2 to MAX_GROUP contacts with the ids of those contacts, then one read by
primary key of the members the user can see (a visibility test per grouped row would cost a look-up
of every row's contact). A value shared by more contacts than MAX_GROUP (a switchboard number, a
common name) says nothing about duplicates and is left out, whoever sees them. Pairs someone marked
"not a duplicate" are left out too (`DuplicateDismissal`).

The groups are found by a scan over every live contact, which costs O(contacts) (seconds at a
million), so it runs as a background task and its groups are kept (`DuplicateScan`); the page reads
the latest scan and costs O(groups) at any size. A scan is stale, and the page queues a new one,
once a contact changed or an item was added after it began, or after RESCAN_AFTER. Contacts trashed,
merged or hidden since are left out when the page reads the scan's members, so removals show at once;
new pairs show once the next scan is done. The editor's warning (`duplicate_matches`) is always live.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import combinations
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Aggregate, CharField, Count, F, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from contacts.history import MERGED_INTO
from contacts.models import (
    LIVE,
    ChangeAction,
    Contact,
    ContactChange,
    ContactItem,
    DuplicateDismissal,
    DuplicateScan,
    Initial,
    MergeRecord,
    normalize_phone,
)
from contacts.selectors import AnyUser, contact_list, contact_visibility_q

SCORES = {"email": 100, "phone": 80, "name_company": 70, "similar_name": 40}
REASONS = {
    "email": "Same email",
    "phone": "Same phone",
    "name_company": "Same name and company",
    "similar_name": "Similar name",
}
# A value more contacts than this share is no sign of a duplicate (an office's number, "John Smith").
MAX_GROUP = 10
# Groups read per rule, and pairs listed at most: merging or dismissing pairs brings the next ones in.
MAX_GROUPS = 500
MAX_PAIRS = 2000
MAX_MATCHES = 10


@dataclass
class DuplicatePair:
    """Two contacts (by id, `first` < `second`) that look like one, with why."""

    first: int
    second: int
    score: int = 0
    reasons: list[str] = field(default_factory=list)

    def add(self, rule: str) -> None:
        if REASONS[rule] not in self.reasons:
            self.reasons.append(REASONS[rule])
            self.score = max(self.score, SCORES[rule])

    @property
    def ids(self) -> tuple[int, int]:
        return (self.first, self.second)


class GroupIds(Aggregate):
    """The ids of a group as one text, "3,17,42" (SQLite's GROUP_CONCAT, PostgreSQL's STRING_AGG):
    the grouping query itself names each group's members, so no second read by key is needed."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s((%(expressions)s)::text, ',')",
            **extra,
        )


def _grouped_ids(rows: QuerySet, *keys: str, member: str) -> list[list[int]]:
    """One GROUP BY over `keys` (in the order of the index they are read from: the index gives the
    groups one after the other, with no sort, and the LIMIT stops the scan early), keeping the groups
    of 2 to MAX_GROUP members, each with its members' ids. No ORDER BY: which groups come first does
    not matter, and on SQLite sorting by the indexed expression again costs more than the grouping."""
    groups = (
        rows.order_by()
        .values(*keys)
        .annotate(n=Count(member), ids=GroupIds(member))
        .filter(n__gte=2, n__lte=MAX_GROUP)
        .values_list("ids", flat=True)[:MAX_GROUPS]
    )
    return [sorted({int(pk) for pk in ids.split(",")}) for ids in groups]


def _item_groups(*, kind: str) -> list[list[int]]:
    """Contacts sharing an item's normalized value, group by group (one query over the index)."""
    items = ContactItem.objects.filter(kind=kind).exclude(normalized="")
    # Items are counted, not distinct contacts: a DISTINCT aggregate costs a temporary b-tree per
    # value. A contact holding a value twice is one member once its ids are read.
    return [group for group in _grouped_ids(items, "normalized", member="contact_id") if len(group) > 1]


def _name_groups(*, rule: str) -> list[list[int]]:
    """Live contacts sharing a name key (see the module docstring), group by group (one query over
    the partial index of live contacts)."""
    contacts = Contact.objects.filter(LIVE)
    if rule == "name_company":
        contacts = contacts.filter(Q(is_company=True) | Q(company__isnull=False))
        # Both keys as annotations, so the GROUP BY lists them in the index's order.
        contacts = contacts.annotate(k1=Lower("display_name"), k2=F("company_id"))
    else:
        contacts = contacts.filter(is_company=False).exclude(last_name="")
        contacts = contacts.annotate(k1=Lower("last_name"), k2=Lower(Initial("first_name")))
    return _grouped_ids(contacts, "k1", "k2", member="pk")


def _visible(*, user: AnyUser, ids: set[int]) -> set[int]:
    """The ids among `ids` of contacts the user can see (one read by primary key)."""
    if not ids:
        return set()
    visible = Contact.objects.filter(contact_visibility_q(user=user), pk__in=ids).order_by()
    return set(visible.values_list("pk", flat=True))


def duplicate_groups() -> dict[str, list[list[int]]]:
    """Each rule's groups of contact ids over every live contact (one query per rule): what a scan
    keeps. Visibility is not applied here: the page applies it when it reads them."""
    return {
        "email": _item_groups(kind=ContactItem.Kind.EMAIL),
        "phone": _item_groups(kind=ContactItem.Kind.TEL),
        "name_company": _name_groups(rule="name_company"),
        "similar_name": _name_groups(rule="similar_name"),
    }


# A scan older than this is run again, whatever changed (a contact restored from the trash, say).
RESCAN_AFTER = timedelta(days=1)


def duplicate_scan_latest() -> DuplicateScan | None:
    """The newest finished duplicate scan, or None before the first."""
    return DuplicateScan.objects.filter(finished_at__isnull=False).order_by("-finished_at", "-id").first()


def duplicate_last_item_id() -> int:
    """The id of the newest contact item (0 when there is none): a scan notes it when it begins."""
    return ContactItem.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def duplicate_scan_stale(scan: DuplicateScan | None) -> bool:
    """Whether the scan may miss pairs: there is none, it is older than RESCAN_AFTER, or a contact
    changed (its `updated_at`; editing items touches it too) or an item was added since it began.
    Two reads of an index's last entry."""
    if scan is None or timezone.now() - scan.started_at > RESCAN_AFTER:
        return True
    newest = Contact.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    if newest is not None and newest > scan.started_at:
        return True
    return duplicate_last_item_id() > scan.last_item_id


def duplicate_pairs(*, user: AnyUser, groups: dict[str, list[list[int]]]) -> list[DuplicatePair]:
    """The likely duplicate pairs among the contacts the user can see, best score first, from a scan's
    `groups` (`duplicate_groups`).

    At most MAX_PAIRS, in two queries: which of the groups' members the user can see (live ones
    only), and the dismissed pairs.
    """
    pairs: dict[tuple[int, int], DuplicatePair] = {}
    rules = [(rule, groups.get(rule, [])) for rule in SCORES]
    visible = _visible(user=user, ids={pk for _, found in rules for members in found for pk in members})
    for rule, found in rules:
        for members in found:
            for first, second in combinations([pk for pk in members if pk in visible], 2):
                pairs.setdefault((first, second), DuplicatePair(first, second)).add(rule)
    if pairs:
        ids = {pk for pair in pairs for pk in pair}
        dismissed = DuplicateDismissal.objects.filter(first_id__in=ids, second_id__in=ids)
        for key in dismissed.values_list("first_id", "second_id"):
            pairs.pop(key, None)
    ordered = sorted(pairs.values(), key=lambda p: (-p.score, -len(p.reasons), p.first, p.second))
    return ordered[:MAX_PAIRS]


def duplicate_pair_contacts(*, user: AnyUser, pairs: Iterable[DuplicatePair]) -> dict[int, Contact]:
    """The contacts of a page of pairs, by id, with their company and items (three queries)."""
    ids = {pk for pair in pairs for pk in pair.ids}
    if not ids:
        return {}
    contacts = contact_list(user=user, prefetch=False).filter(pk__in=ids).select_related("company")
    return {c.pk: c for c in contacts.prefetch_related("items")}


@dataclass
class DuplicateMatch:
    """A visible contact that looks like the one being entered, with why."""

    contact: Contact
    reasons: list[str]


def match_values(*, emails: Sequence[str] = (), phones: Sequence[str] = ()) -> tuple[list[str], list[str]]:
    """The normalized forms of the emails and phones typed, as items store them (unreadable phones left out)."""
    clean_emails = sorted({e.strip().lower() for e in emails if e and e.strip() and "\x00" not in e})
    clean_phones: set[str] = set()
    for phone in phones:
        if not phone or "\x00" in phone:
            continue
        try:
            clean_phones.add(normalize_phone(phone))
        except ValidationError:
            continue
    return clean_emails, sorted(clean_phones)


def duplicate_matches(
    *,
    user: AnyUser,
    is_company: bool,
    first_name: str = "",
    middle_name: str = "",
    last_name: str = "",
    name: str = "",
    company_id: int | None = None,
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    exclude: int | None = None,
    limit: int = MAX_MATCHES,
) -> list[DuplicateMatch]:
    """Visible contacts sharing an email, a phone, or the name and company of the contact being
    entered (the editor's warning and its JSON check), at most `limit`, in two queries."""
    emails, phones = match_values(emails=emails, phones=phones)
    probe = Contact(is_company=is_company, first_name=first_name, middle_name=middle_name, last_name=last_name)
    probe.name = name
    display = probe.compute_display_name().lower()
    if "\x00" in display:
        display = ""
    by_item: dict[int, set[str]] = {}
    if emails or phones:
        items = ContactItem.objects.filter(
            Q(kind=ContactItem.Kind.EMAIL, normalized__in=emails) | Q(kind=ContactItem.Kind.TEL, normalized__in=phones)
        )
        if exclude is not None:
            items = items.exclude(contact_id=exclude)
        for contact_id, kind in items.values_list("contact_id", "kind")[: limit * 10]:
            by_item.setdefault(contact_id, set()).add("email" if kind == ContactItem.Kind.EMAIL else "phone")
    named = Q(pk__in=[])
    if display and (is_company or company_id is not None):
        named = Q(is_company=is_company, company_id=None if is_company else company_id)
        named &= Q(lower_name=display)
    contacts = (
        contact_list(user=user, prefetch=False)
        .annotate(lower_name=Lower("display_name"))
        .filter(Q(pk__in=list(by_item)) | named)
        .select_related("company")
        .order_by("display_name", "pk")
    )
    if exclude is not None:
        contacts = contacts.exclude(pk=exclude)
    matches = []
    for contact in contacts[:limit]:
        rules = by_item.get(contact.pk, set())
        same_company = contact.company_id == (None if is_company else company_id)
        if display and contact.lower_name == display and contact.is_company == is_company and same_company:
            rules = rules | {"name_company"}
        ordered = [REASONS[rule] for rule in SCORES if rule in rules]
        matches.append(DuplicateMatch(contact=contact, reasons=ordered))
    return matches


# Merges, for the survivor's page and the undo.

MERGE_BANNER_DAYS = 7


def merge_get(*, user: AnyUser, pk: int) -> MergeRecord | None:
    """A merge whose survivor the user can see, or None."""
    record = MergeRecord.objects.filter(pk=pk).first()
    if record is None or not contact_list(user=user, prefetch=False).filter(pk=record.survivor_id).exists():
        return None
    return record


def merge_recent(*, contact: Contact) -> list[MergeRecord]:
    """The merges into the contact of the last MERGE_BANNER_DAYS days that were not undone, newest
    first, each with `undoable`: whether all its merged-away contacts are still there (in the trash,
    or restored) for the undo to bring back (two queries)."""
    since = timezone.now() - timedelta(days=MERGE_BANNER_DAYS)
    records = list(MergeRecord.objects.filter(survivor_id=contact.pk, undone_at=None, created_at__gte=since)[:3])
    wanted = {pk for record in records for pk in record.merged_ids}
    there = set(Contact.objects.filter(pk__in=wanted).values_list("pk", flat=True)) if wanted else set()
    for record in records:
        record.undoable = all(pk in there for pk in record.merged_ids)
    return records


def merged_into_names(*, contact_ids: Iterable[int]) -> dict[int, str]:
    """For trashed contacts a merge put there, the name of the contact they were merged into (as their
    latest `deleted` history entry says), by id; one query over the history's (contact, at) index."""
    names: dict[int, str] = {}
    entries = ContactChange.objects.filter(contact_id__in=list(contact_ids), action=ChangeAction.DELETED)
    for contact_id, changes in entries.order_by("contact_id", "-at", "-id").values_list("contact_id", "changes"):
        if contact_id not in names:
            names[contact_id] = ((changes or {}).get(MERGED_INTO) or ["", ""])[-1]
    return {pk: name for pk, name in names.items() if name}
