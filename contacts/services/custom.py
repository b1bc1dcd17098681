"""Custom fields, their values on contacts, and the contact type and stage dictionaries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from contacts.history import custom_text, field_label, history_record_each, history_record_many
from contacts.models import (
    ChangeAction,
    Contact,
    ContactStage,
    ContactType,
    CustomField,
    CustomValue,
)
from contacts.services.base import ErrorBag, _as_int, _require_perm


def _prepare_custom_values(
    *,
    contact: Contact,
    raw: Mapping[int | str, Any] | None,
    bag: ErrorBag,
    creating: bool,
    known: Sequence[CustomField] | None = None,
) -> list[tuple[CustomField, str]]:
    """Validate custom values (keyed by field id) and fill defaults and required checks on create.

    `known`: every custom field, when the caller has read them already (else one read here).
    """
    raw = dict(raw or {})
    fields = {f.pk: f for f in (CustomField.objects.all() if known is None else known)}
    result: list[tuple[CustomField, str]] = []
    given: set[int] = set()
    for key, value in raw.items():
        field_id = _as_int(key)
        field = fields.get(field_id) if field_id is not None else None
        label = f"custom_fields[{key}]"
        if field is None:
            bag.add(label, [f"There is no custom field with id {key}."])
            continue
        if not field.applies_to_contact(contact):
            bag.add(label, [f"{field.name} does not apply to {'companies' if contact.is_company else 'persons'}."])
            continue
        given.add(field.pk)
        try:
            stored = field.to_storage(value)
        except ValidationError as exc:
            bag.add(label, exc.messages)
            continue
        if stored == "" and field.is_required:
            bag.add(label, [f"{field.name} cannot be blank."])
            continue
        result.append((field, stored))
    if creating:
        for field in fields.values():
            if field.pk in given or not field.applies_to_contact(contact):
                continue
            if field.default:
                result.append((field, field.to_storage(field.default)))
            elif field.is_required and field.field_format != CustomField.Format.HEADING:
                bag.add(f"custom_fields[{field.pk}]", [f"{field.name} cannot be blank."])
    return result


def custom_field_create(*, user: AbstractBaseUser | AnonymousUser | None, fields: Mapping[str, Any]) -> CustomField:
    _require_perm(user, "contacts.add_customfield")
    field = CustomField(**fields)
    field.full_clean()
    field.save()
    return field


@transaction.atomic
def custom_field_update(
    *, field: CustomField, user: AbstractBaseUser | AnonymousUser | None, fields: Mapping[str, Any]
) -> CustomField:
    """Change a custom field. Its format cannot change once contacts have values for it,
    since those values were validated by the old format."""
    _require_perm(user, "contacts.change_customfield")
    if "field_format" in fields and fields["field_format"] != field.field_format and field.values.exists():
        raise ValidationError({"field_format": "The format cannot change once contacts have values for the field."})
    for name, value in fields.items():
        setattr(field, name, value)
    field.full_clean()
    field.save()
    return field


@transaction.atomic
def custom_field_delete(*, field: CustomField, user: AbstractBaseUser | AnonymousUser | None) -> None:
    """Delete a custom field and its values; each contact that had one records losing it."""
    _require_perm(user, "contacts.delete_customfield")
    values = CustomValue.objects.filter(field=field).exclude(value="").values_list("contact_id", "value")
    changes = {pk: {field.name: [custom_text(field, value), ""]} for pk, value in values}
    field.delete()
    history_record_each(changes_by_contact=changes, user=user, action=ChangeAction.UPDATED)


def choice_create(
    *,
    model: type[ContactType] | type[ContactStage],
    user: AbstractBaseUser | AnonymousUser | None,
    fields: Mapping[str, Any],
) -> ContactType | ContactStage:
    """Create a choice of an administrator-kept list: a contact type or a contact stage (a type
    without a code gets one made from its name)."""
    _require_perm(user, f"contacts.add_{model._meta.model_name}")
    item = model(**fields)
    if isinstance(item, ContactType) and not item.code:
        item.code = _unique_code(item.name)
    item.full_clean()
    item.save()
    return item


def choice_update(
    *, item: ContactType | ContactStage, user: AbstractBaseUser | AnonymousUser | None, fields: Mapping[str, Any]
) -> ContactType | ContactStage:
    _require_perm(user, f"contacts.change_{item._meta.model_name}")
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def choice_delete(*, item: ContactType | ContactStage, user: AbstractBaseUser | AnonymousUser | None) -> None:
    """Delete a contact type or stage; contacts that had it keep everything else (and record it)."""
    _require_perm(user, f"contacts.delete_{item._meta.model_name}")
    name = "contact_type" if isinstance(item, ContactType) else "stage"
    holders = list(Contact.objects.filter(**{name: item}).values_list("pk", flat=True))
    item.delete()
    history_record_many(
        contact_ids=holders, user=user, action=ChangeAction.UPDATED, changes={field_label(name): [str(item), ""]}
    )


def contact_type_for_code(*, code: str) -> ContactType:
    """The contact type with this code, created (named after it) when there is none yet.

    This is how an API keeps a type word a client sends that the list does not hold
    yet, so that it comes back as sent. A code that is not a slug is a ValidationError
    on `contact_type`.
    """
    found = ContactType.objects.filter(code=code).first()
    if found is not None:
        return found
    item = ContactType(code=code, name=code.replace("-", " ").replace("_", " ").capitalize())
    try:
        item.full_clean()
    except ValidationError as exc:
        raise ValidationError({"contact_type": exc.message_dict.get("code", exc.messages)}) from None
    item.save()
    return item


def _unique_code(name: str) -> str:
    base = (slugify(name) or "type")[:24]
    code, n = base, 1
    while ContactType.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


@transaction.atomic
def custom_field_reorder(
    *, user: AbstractBaseUser | AnonymousUser | None, fields: Sequence[CustomField]
) -> list[CustomField]:
    """Number the given fields' positions 0, 1, 2... in the order given (administrators)."""
    _require_perm(user, "contacts.change_customfield")
    fields = list(fields)
    for position, field in enumerate(fields):
        field.position = position
    CustomField.objects.bulk_update(fields, ["position"])
    return fields
