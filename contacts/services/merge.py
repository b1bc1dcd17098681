"""Merging contacts into one survivor, and undoing a merge.

`contact_merge` is the one merge of the CRM (the UI's merge page, the firms page and ONLYOFFICE's
`contact/merge` all call it): two or more persons, or two or more companies, become the survivor.

- The survivor's fields take the values picked (`picks` maps a field, or `cf_<custom field id>`,
  to the id of the contact whose value wins); by default the survivor's own non-empty value, else
  the first other contact's.
- Everything the others had is kept: items (an exact duplicate of one the survivor already has
  stays behind), addresses, notes, custom values (the picked one where several have one), tags,
  projects and access entries; a merged company's employees move to the survivor.
- The others move to the trash (`contacts/services/trash.py`) with what did not move (an item the
  survivor already had, a custom value not picked, their own tags, projects, access entries and
  history), their `deleted` entry saying whom they were merged into. A `MergeRecord` keeps what
  `merge_undo` needs: the survivor's old values and the ids of the rows that moved, with where each
  came from. Undo takes the others out of the trash and moves every row back; once one of them is
  purged from the trash (TRASH_DAYS after the merge), the merge can no longer be undone.
- Restoring a merged-away contact from the trash brings it back as it is there (what it kept, not
  what moved to the survivor); the merge can still be undone afterwards, which moves the rest back.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from contacts.duplicates import RESCAN_AFTER, duplicate_groups, duplicate_last_item_id
from contacts.history import MERGED_INTO, history_channel, history_record, history_record_many
from contacts.models import (
    Address,
    ChangeAction,
    Contact,
    ContactItem,
    CustomValue,
    DuplicateDismissal,
    DuplicateScan,
    MergeRecord,
    Note,
    TaggedContact,
)
from contacts.selectors import contact_can_delete, contact_can_edit
from contacts.services.trash import trash_move

AnyUser = AbstractBaseUser | AnonymousUser | None

# The fields a merge picks a value for, in the order the merge page shows them.
PERSON_FIELDS = ("salutation", "first_name", "middle_name", "last_name", "company", "birthday")
COMPANY_FIELDS = ("name", "registration_number", "vat_number")
SHARED_FIELDS = (
    "job_title",
    "department",
    "industry",
    "contact_type",
    "stage",
    "currency",
    "priority",
    "assigned_to",
    "visibility",
    "avatar",
    "background",
)


def merge_fields(*, is_company: bool) -> tuple[str, ...]:
    return (COMPANY_FIELDS if is_company else PERSON_FIELDS) + SHARED_FIELDS


def _stored(contact: Contact, name: str) -> Any:
    """A field's value as the merge compares and stores it (an id for a relation, a name for a file)."""
    field = Contact._meta.get_field(name)
    value = getattr(contact, field.attname)
    return value.name if hasattr(value, "name") and name == "avatar" else value


def _empty(value: Any) -> bool:
    return value is None or value == ""


def merge_default_picks(*, survivor: Contact, others: Sequence[Contact]) -> dict[str, int]:
    """For each field and custom value: the survivor's if it has one, else the first other's that does."""
    picks: dict[str, int] = {}
    everyone = [survivor, *others]
    for name in merge_fields(is_company=survivor.is_company):
        holder = next((c for c in everyone if not _empty(_stored(c, name))), survivor)
        picks[name] = holder.pk
    for contact in reversed(everyone):
        for value in contact.custom_values.all():
            if value.value != "" or f"cf_{value.field_id}" not in picks:
                picks[f"cf_{value.field_id}"] = contact.pk
    return picks


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def _check(*, user: AnyUser, survivor: Contact, others: Sequence[Contact]) -> None:
    if not others:
        raise ValidationError("Choose at least two contacts to merge.")
    ids = [c.pk for c in others]
    if survivor.pk in ids:
        raise ValidationError("A contact cannot be merged into itself.")
    if len(set(ids)) != len(ids):
        raise ValidationError("Each contact can be merged only once.")
    trashed = next((c for c in [survivor, *others] if c.deleted_at is not None), None)
    if trashed is not None:
        raise ValidationError(f"{trashed} is in the trash: restore it before merging.")
    if any(c.is_company != survivor.is_company for c in others):
        raise ValidationError("A person and a company cannot be merged.")
    if (
        user is None
        or not contact_can_edit(user=user, contact=survivor)
        or not all(contact_can_delete(user=user, contact=c) for c in others)
    ):
        raise PermissionDenied(f"You may not merge these {'companies' if survivor.is_company else 'persons'}.")


@transaction.atomic
def contact_merge(
    *,
    user: AnyUser,
    survivor: Contact,
    others: Sequence[Contact],
    picks: Mapping[str, int] | None = None,
) -> MergeRecord:
    """Merge `others` into `survivor` (see the module docstring) and return the record of the merge.

    The user must be allowed to edit the survivor and delete each of the others. `picks` defaults to
    `merge_default_picks`; a field it leaves out keeps the survivor's value.
    """
    others = list(others)
    _check(user=user, survivor=survivor, others=others)
    everyone = {c.pk: c for c in [survivor, *others]}
    picks = merge_default_picks(survivor=survivor, others=others) if picks is None else dict(picks)
    fields = merge_fields(is_company=survivor.is_company)
    for key, pk in picks.items():
        if (key not in fields and not key.startswith("cf_")) or pk not in everyone:
            raise ValidationError({key: "Pick the value of one of the contacts merged."})
    before: dict[str, Any] = {}
    labels_before = {name: _stored(survivor, name) for name in fields}
    for name in fields:
        chosen = everyone[picks.get(name, survivor.pk)]
        value = _stored(chosen, name)
        if value != _stored(survivor, name):
            before[name] = _json(_stored(survivor, name))
            setattr(survivor, Contact._meta.get_field(name).attname, value)
    moved: dict[str, Any] = defaultdict(list)
    _move_items(survivor=survivor, others=others, moved=moved)
    for other in others:
        for address in other.addresses.all():
            moved["addresses"].append([address.pk, other.pk, address.is_primary])
        moved["notes"] += [[pk, other.pk] for pk in other.notes.values_list("pk", flat=True)]
        if other.is_company:
            moved["people"] += [
                [pk, other.pk] for pk in Contact.objects.filter(company=other).values_list("pk", flat=True)
            ]
    Address.objects.filter(pk__in=[row[0] for row in moved["addresses"]]).update(contact=survivor, is_primary=False)
    Note.objects.filter(pk__in=[row[0] for row in moved["notes"]]).update(contact=survivor)
    Contact.objects.filter(pk__in=[row[0] for row in moved["people"]]).update(company=survivor)
    _merge_custom_values(survivor=survivor, others=others, picks=picks, moved=moved, before=before)
    _merge_relations(survivor=survivor, others=others, moved=moved)
    names = [c.display_name for c in others]
    survivor.clean()
    survivor.save()
    record = MergeRecord.objects.create(
        survivor_id=survivor.pk,
        user=user if user is not None and user.is_authenticated else None,
        merged_ids=[c.pk for c in others],
        merged_names=names,
        before=before,
        moved=dict(moved),
    )
    changes = {"Merged from": ["", ", ".join(names)]}
    for name in fields:
        if name in before:
            changes[_label(name)] = [_display(survivor, name, labels_before[name]), _display(survivor, name)]
    with history_channel("merge"):
        history_record(contact=survivor, user=user, action=ChangeAction.MERGED, changes=changes)
        trash_move(contacts=others, user=user, changes={MERGED_INTO: ["", survivor.display_name]})
        # The people of a merged company changed company too: one insert per company they left.
        left: dict[int, list[int]] = defaultdict(list)
        for pk, company_id in moved["people"]:
            left[company_id].append(pk)
        for company_id, people in left.items():
            change = {"Company": [everyone[company_id].display_name, survivor.display_name]}
            history_record_many(contact_ids=people, user=user, action=ChangeAction.UPDATED, changes=change)
    return record


def _label(name: str) -> str:
    return str(Contact._meta.get_field(name).verbose_name).capitalize()


def _display(contact: Contact, name: str, value: Any = ...) -> str:
    """A field's value as the history shows it: a related row by its name, a date in ISO form."""
    field = Contact._meta.get_field(name)
    if value is ...:
        value = _stored(contact, name)
    if value is None or value == "":
        return ""
    if field.is_relation:
        return str(field.related_model._default_manager.filter(pk=value).first() or value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(_json(value))


def _move_items(*, survivor: Contact, others: Sequence[Contact], moved: dict[str, Any]) -> None:
    """Items move unless the survivor (or an item moved before) has the same kind and value."""
    known = set(survivor.items.values_list("kind", "value"))
    for other in others:
        for item in other.items.all():
            if (item.kind, item.value) in known:
                continue
            known.add((item.kind, item.value))
            moved["items"].append([item.pk, other.pk, item.is_primary])
    ContactItem.objects.filter(pk__in=[row[0] for row in moved["items"]]).update(contact=survivor, is_primary=False)


def _merge_custom_values(
    *,
    survivor: Contact,
    others: Sequence[Contact],
    picks: Mapping[str, int],
    moved: dict[str, Any],
    before: dict[str, Any],
) -> None:
    """One value per custom field: the picked contact's (the survivor's row takes it, or it moves)."""
    held: dict[int, dict[int, CustomValue]] = defaultdict(dict)
    for contact in [survivor, *others]:
        for value in CustomValue.objects.filter(contact=contact):
            held[value.field_id][contact.pk] = value
    for field_id, holders in held.items():
        chosen = picks.get(f"cf_{field_id}", survivor.pk)
        if chosen not in holders:
            chosen = survivor.pk if survivor.pk in holders else next(iter(holders))
        if chosen == survivor.pk:
            continue
        source = holders[chosen]
        own = holders.get(survivor.pk)
        if own is not None:
            if own.value != source.value:
                before[f"cf_{field_id}"] = own.value
                CustomValue.objects.filter(pk=own.pk).update(value=source.value)
        else:
            moved["custom_values"].append([source.pk, chosen])
            CustomValue.objects.filter(pk=source.pk).update(contact=survivor)


def _merge_relations(*, survivor: Contact, others: Sequence[Contact], moved: dict[str, Any]) -> None:
    """The survivor gains the others' tags, projects and access entries (theirs are left as they are)."""
    ids = [c.pk for c in others]
    tags = set(TaggedContact.objects.filter(content_object_id__in=ids).values_list("tag_id", flat=True))
    tags -= set(TaggedContact.objects.filter(content_object=survivor).values_list("tag_id", flat=True))
    TaggedContact.objects.bulk_create([TaggedContact(content_object=survivor, tag_id=pk) for pk in sorted(tags)])
    moved["tags"] = sorted(tags)
    for name in ("projects", "access_list"):
        through = getattr(Contact, name).through
        column = "project_id" if name == "projects" else "user_id"
        theirs = set(through.objects.filter(contact_id__in=ids).values_list(column, flat=True))
        theirs -= set(through.objects.filter(contact_id=survivor.pk).values_list(column, flat=True))
        through.objects.bulk_create([through(contact_id=survivor.pk, **{column: pk}) for pk in sorted(theirs)])
        moved[name] = sorted(theirs)


@transaction.atomic
def merge_undo(*, user: AnyUser, record: MergeRecord) -> Contact:
    """Undo a merge: the merged-away contacts come out of the trash with what they kept, every moved
    row goes back to where it came from, and the survivor's fields and custom values the merge changed
    get their old values. The user must be allowed to edit the survivor and delete the contacts coming
    back. Once one of them was purged from the trash, the merge can no longer be undone."""
    if record.undone_at is not None:
        raise ValidationError("This merge was already undone.")
    survivor = Contact.objects.filter(pk=record.survivor_id, deleted_at__isnull=True).first()
    if survivor is None:
        raise ValidationError("The contact this merge made is in the trash or no longer exists.")
    if user is None or not contact_can_edit(user=user, contact=survivor):
        raise PermissionDenied("You may not undo this merge.")
    merged = list(Contact.objects.filter(pk__in=record.merged_ids).order_by("pk").select_for_update())
    if len(merged) != len(record.merged_ids):
        raise ValidationError("This merge can no longer be undone: the merged contacts were purged from the trash.")
    if not all(contact_can_delete(user=user, contact=c) for c in merged):
        raise PermissionDenied("You may not undo this merge.")
    trashed = [c for c in merged if c.deleted_at is not None]
    Contact.objects.filter(pk__in=[c.pk for c in trashed]).update(deleted_at=None, deleted_by=None)
    moved = record.moved
    for model, key in ((ContactItem, "items"), (Address, "addresses")):
        _move_back(model, survivor=survivor, rows=moved.get(key, []), primary=True)
    _move_back(Note, survivor=survivor, rows=moved.get("notes", []))
    _move_back(CustomValue, survivor=survivor, rows=moved.get("custom_values", []))
    by_company: dict[int, list[int]] = defaultdict(list)
    for pk, company_id in moved.get("people", []):
        by_company[company_id].append(pk)
    for company_id, pks in by_company.items():
        Contact.objects.filter(pk__in=pks, company=survivor).update(company_id=company_id)
    TaggedContact.objects.filter(content_object=survivor, tag_id__in=moved.get("tags", [])).delete()
    survivor.projects.remove(*moved.get("projects", []))
    survivor.access_list.remove(*moved.get("access_list", []))
    changes: dict[str, list[Any]] = {"Merge undone": [", ".join(record.merged_names), ""]}
    for key, old in record.before.items():
        if key.startswith("cf_"):
            CustomValue.objects.filter(contact=survivor, field_id=int(key[3:])).update(value=old)
            continue
        field = Contact._meta.get_field(key)
        shown = _display(survivor, key)
        setattr(survivor, field.attname, field.to_python(old) if not field.is_relation else old)
        changes[_label(key)] = [shown, _display(survivor, key)]
    survivor.save()
    record.undone_at = timezone.now()
    record.save(update_fields=["undone_at"])
    with history_channel("merge"):
        history_record(contact=survivor, user=user, action=ChangeAction.UPDATED, changes=changes)
        history_record_many(contact_ids=[c.pk for c in trashed], user=user, action=ChangeAction.RESTORED)
    return survivor


def _move_back(model: Any, *, survivor: Contact, rows: list[list[Any]], primary: bool = False) -> None:
    """Rows that moved to the survivor go back to their contact (and get back their primary flag)."""
    by_owner: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        by_owner[row[1]].append(row[0])
    for owner, pks in by_owner.items():
        model.objects.filter(pk__in=pks, contact=survivor).update(contact_id=owner)
    if primary:
        model.objects.filter(pk__in=[row[0] for row in rows if row[2]]).update(is_primary=True)


def duplicate_scan_run() -> DuplicateScan:
    """Run the duplicate rules over every live contact (`duplicate_groups`, seconds at a million
    contacts: a background task's work) and keep their groups as the latest scan; older scans go."""
    scan = DuplicateScan.objects.create(last_item_id=duplicate_last_item_id())
    scan.groups = duplicate_groups()
    scan.finished_at = timezone.now()
    scan.save(update_fields=["groups", "finished_at"])
    # Finished ones before it, and any left unfinished by a worker that died long ago.
    older = DuplicateScan.objects.filter(started_at__lte=scan.started_at).exclude(pk=scan.pk)
    older.filter(Q(finished_at__isnull=False) | Q(started_at__lt=scan.started_at - RESCAN_AFTER)).delete()
    return scan


@transaction.atomic
def duplicate_dismiss(*, user: AnyUser, first: Contact, second: Contact) -> DuplicateDismissal:
    """Remember that two contacts are not duplicates, so the pair stops showing among the duplicates."""
    if first.pk == second.pk:
        raise ValidationError("A contact is not a duplicate of itself.")
    low, high = sorted([first.pk, second.pk])
    dismissal, _ = DuplicateDismissal.objects.get_or_create(
        first_id=low, second_id=high, defaults={"user": user if user is not None and user.is_authenticated else None}
    )
    return dismissal
