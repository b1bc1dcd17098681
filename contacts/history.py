"""A contact's history: who changed what, when, and through which channel.

Services record one `ContactChange` per write with `history_record` (or `history_record_many` for
bulk paths, `history_record_each` when each contact of a bulk write has its own old values). The
channel is not passed around: the code where a request comes in (the UI, the admin, a dialect,
the web form, an import, a merge) sets it once with `history_channel`, and every change recorded
inside it carries it.

Values are recorded as people read them (`{label: [old, new]}`): a company by its name, a tag list
as "a, b", an item under "Email (work)", a custom value as the contact page shows it. The helpers
below the recording API build those texts from rows a write has loaded anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils import timezone

from contacts.models import (
    Address,
    ChangeAction,
    Channel,
    Contact,
    ContactChange,
    ContactItem,
    CustomField,
    CustomValue,
)

Changes = dict[str, list[str]]

_channel: ContextVar[str] = ContextVar("crm_history_channel", default=Channel.SYSTEM)


@contextmanager
def history_channel(channel: str) -> Iterator[None]:
    """Record every change made inside the block as coming through `channel`."""
    token = _channel.set(Channel(channel))
    try:
        yield
    finally:
        _channel.reset(token)


def current_channel() -> str:
    return _channel.get()


def _user_id(user: AbstractBaseUser | AnonymousUser | None) -> int | None:
    return user.pk if user is not None and user.is_authenticated else None


def history_record(
    *,
    contact: Contact,
    user: AbstractBaseUser | AnonymousUser | None,
    action: str,
    changes: Mapping[str, list[Any]] | None = None,
) -> ContactChange | None:
    """Record one entry; an update that changed nothing records nothing."""
    if action == ChangeAction.UPDATED and not changes:
        return None
    return ContactChange.objects.create(
        contact=contact,
        user_id=_user_id(user),
        channel=current_channel(),
        action=ChangeAction(action),
        changes=dict(changes or {}),
    )


def history_record_many(
    *,
    contact_ids: Iterable[int],
    user: AbstractBaseUser | AnonymousUser | None,
    action: str,
    changes: Mapping[str, list[Any]] | None = None,
) -> None:
    """Record the same entry for many contacts in one bulk insert (imports, bulk actions)."""
    action = ChangeAction(action)
    if action == ChangeAction.UPDATED and not changes:
        return
    user_id, channel, values = _user_id(user), current_channel(), dict(changes or {})
    ContactChange.objects.bulk_create(
        [
            ContactChange(contact_id=pk, user_id=user_id, channel=channel, action=action, changes=values)
            for pk in contact_ids
        ],
        batch_size=2000,
    )


def history_record_each(
    *,
    changes_by_contact: Mapping[int, Mapping[str, list[str]]],
    user: AbstractBaseUser | AnonymousUser | None,
    action: str,
) -> None:
    """Record one write to each contact, each with its own changes, in one insert (an `updated`
    without changes is left out)."""
    at, channel, user_id = timezone.now(), current_channel(), _user_id(user)
    action = ChangeAction(action)
    rows = [
        ContactChange(contact_id=pk, user_id=user_id, channel=channel, action=action, changes=dict(changes), at=at)
        for pk, changes in changes_by_contact.items()
        if changes or action != ChangeAction.UPDATED
    ]
    ContactChange.objects.bulk_create(rows, batch_size=2000)


def history_diff(*, before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """`{key: [old, new]}` for the keys of `after` whose value differs from `before`'s."""
    return {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}


def text_diff(*, before: Mapping[str, str], after: Mapping[str, str]) -> dict[str, list[str]]:
    """`history_diff` of two display snapshots: also the keys only `before` has (a removed
    item's label), a missing key reading as ""."""
    return {
        key: [before.get(key, ""), after.get(key, "")]
        for key in dict.fromkeys([*before, *after])
        if before.get(key, "") != after.get(key, "")
    }


# Display text of what a contact holds.


def field_label(name: str) -> str:
    """The label of a contact field in the history: "First name", "Company", "Assigned to"."""
    return str(Contact._meta.get_field(name).verbose_name).capitalize()


def user_text(user: Any) -> str:
    """A user as the pages name them: the full name, else the username ("" for nobody)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def related_text(obj: Any) -> str:
    """A contact by its name, a user by their name, anything else by its str()."""
    if obj is None:
        return ""
    if isinstance(obj, Contact):
        return obj.display_name or str(obj)
    if isinstance(obj, AbstractBaseUser):
        return user_text(obj)
    return str(obj)


def value_text(value: Any) -> str:
    """A stored value as text: "Yes"/"No", ISO dates, the file name of a file, "" for none."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, models.Model):
        return related_text(value)
    return str(value)


def field_text(contact: Contact, name: str) -> str:
    """The display text of one of the contact's own fields (a related row may be read once)."""
    field = Contact._meta.get_field(name)
    if field.is_relation:
        return related_text(getattr(contact, name)) if getattr(contact, field.attname) is not None else ""
    value = getattr(contact, name)
    if field.choices and value not in (None, ""):
        return str(dict(field.flatchoices).get(value, value))
    return value_text(value)


def fields_changes(
    *, contact: Contact, before: Mapping[str, Any], names: Iterable[str], creating: bool = False
) -> Changes:
    """Changes of the contact's own fields, from their stored values before the write (`before`:
    field name → the column's value, e.g. `company_id`) to what the instance holds now. A
    related row is read only when it changed and was not loaded yet."""
    changes: Changes = {}
    for name in names:
        field = Contact._meta.get_field(name)
        new = getattr(contact, field.attname)
        if not creating and new == before.get(name):
            continue
        if creating and new is False:
            continue  # "Is company: No" says nothing about a new person
        new_text = field_text(contact, name)
        old_text = "" if creating else before_text(field, before.get(name), before.get(f"{name}:object"))
        if old_text != new_text:
            changes[field_label(name)] = [old_text, new_text]
    return changes


def before_text(field: models.Field, value: Any, obj: Any = None) -> str:
    """The display text of a field's old value (a related row read by id when not at hand)."""
    if value is None:
        return ""
    if field.is_relation:
        if obj is None or obj.pk != value:
            obj = field.related_model._default_manager.filter(pk=value).first()
        return related_text(obj)
    if field.choices and value != "":
        return str(dict(field.flatchoices).get(value, value))
    return value_text(value)


def fields_before(contact: Contact, names: Iterable[str]) -> dict[str, Any]:
    """The stored values of the given fields, to compare after the write (for a related field
    also the loaded row, when there is one, so its old name costs no query)."""
    before: dict[str, Any] = {}
    for name in names:
        field = Contact._meta.get_field(name)
        before[name] = getattr(contact, field.attname)
        if field.is_relation and field.is_cached(contact):
            before[f"{name}:object"] = field.get_cached_value(contact)
    return before


def item_label(item: ContactItem) -> str:
    """ "Email (work)", "Mobile (home)": the kind (a phone's type) and the context."""
    if item.kind == ContactItem.Kind.TEL:
        kind = ContactItem.TelType(item.tel_type or ContactItem.TelType.VOICE).label
        kind = "Phone" if item.tel_type in ("", ContactItem.TelType.VOICE) else kind
    else:
        kind = ContactItem.Kind(item.kind).label if item.kind in ContactItem.Kind.values else item.kind
    context = ContactItem.Context(item.context).label if item.context in ContactItem.Context.values else item.context
    return f"{kind} ({context.lower()})" if context else kind


def items_text(items: Iterable[ContactItem]) -> dict[str, str]:
    """`{"Email (work)": "a@x.com, b@x.com"}`: a contact's items by label, in display order."""
    grouped: dict[str, list[str]] = {}
    for item in _in_order(items):
        value = f"{item.service}: {item.value}" if item.service else item.value
        grouped.setdefault(item_label(item), []).append(value)
    return {label: ", ".join(values) for label, values in grouped.items()}


def addresses_text(addresses: Iterable[Address]) -> dict[str, str]:
    """`{"Address (work)": "1 Main St, Paris, France"}`, by context, in display order."""
    grouped: dict[str, list[str]] = {}
    for address in _in_order(addresses):
        context = Address.Context(address.context).label if address.context in Address.Context.values else ""
        label = f"Address ({context.lower()})" if context else "Address"
        grouped.setdefault(label, []).append(address.full_address)
    return {label: "; ".join(values) for label, values in grouped.items()}


def nested_text(model: type[ContactItem] | type[Address], rows: Iterable[Any]) -> dict[str, str]:
    return items_text(rows) if model is ContactItem else addresses_text(rows)


def _in_order(rows: Iterable[Any]) -> list[Any]:
    return sorted(rows, key=lambda row: (row.position, row.pk is None, row.pk or 0))


def names_text(names: Iterable[Any]) -> str:
    """A list of names as one string, in alphabetical order: "a, b, c"."""
    return ", ".join(sorted((related_text(n) if not isinstance(n, str) else n for n in names), key=str.casefold))


def custom_text(field: CustomField, stored: str) -> str:
    """A custom value as the contact page shows it ("Yes", "a, b", "2024-01-31")."""
    return CustomValue(field=field, value=stored).display_value if stored != "" else ""


TAGS = "Tags"
PROJECTS = "Projects"
ACCESS_LIST = "Access list"
MERGED_FROM = "Merged from"
# The change a merged-away contact's `deleted` entry carries: the survivor's name.
MERGED_INTO = "Merged into"


def contact_snapshot(contact: Contact) -> dict[str, str]:
    """Everything a contact holds as display text, read from the database in a few queries
    (for writes that do not go through the services' own before and after: the admin, merges)."""
    stored = Contact.objects.select_related("company", "contact_type", "stage", "assigned_to", "author").get(
        pk=contact.pk
    )
    snapshot = {field_label(name): field_text(stored, name) for name in SNAPSHOT_FIELDS}
    snapshot |= items_text(ContactItem.objects.filter(contact=stored))
    snapshot |= addresses_text(Address.objects.filter(contact=stored))
    for value in CustomValue.objects.filter(contact=stored).select_related("field"):
        snapshot[value.field.name] = custom_text(value.field, value.value)
    snapshot[TAGS] = names_text(stored.tags.values_list("name", flat=True))
    snapshot[PROJECTS] = names_text(stored.projects.values_list("name", flat=True))
    snapshot[ACCESS_LIST] = names_text(stored.access_list.all())
    return {key: value for key, value in snapshot.items() if value != ""}


SNAPSHOT_FIELDS = (
    "is_company",
    "salutation",
    "first_name",
    "middle_name",
    "last_name",
    "name",
    "registration_number",
    "vat_number",
    "company",
    "job_title",
    "department",
    "background",
    "industry",
    "birthday",
    "contact_type",
    "stage",
    "currency",
    "priority",
    "avatar",
    "author",
    "assigned_to",
    "visibility",
)


def changes_text(changes: Mapping[str, Any]) -> str:
    """An entry's changes on one line: "Job title: — → CTO; Tags: a → a, b"."""
    parts = []
    for label, values in (changes or {}).items():
        old, new = (list(values) + [None, None])[:2] if isinstance(values, (list, tuple)) else (None, values)
        parts.append(f"{label}: {old or '—'} → {new or '—'}")
    return "; ".join(parts)
