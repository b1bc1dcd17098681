"""What the contact services share: the fields a caller may set, the error bag, permission checks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from contacts.history import SNAPSHOT_FIELDS
from contacts.models import (
    Contact,
)
from contacts.selectors import contact_rights

User = get_user_model()


NestedMode = Literal["replace", "merge"]


# Fields of Contact a caller may set directly: those a contact's history shows (but its author,
# which only creation sets), and two that only imports and the web form write.
CONTACT_FIELDS = (frozenset(SNAPSHOT_FIELDS) - {"author"}) | {"created_at", "source_webform"}


ITEM_FIELDS = ("kind", "tel_type", "context", "service", "value", "is_primary", "position", "slot")


ADDRESS_FIELDS = (
    "street1",
    "street2",
    "city",
    "region",
    "postcode",
    "country",
    "context",
    "is_primary",
    "position",
)


MAX_TAG_LENGTH = 100


class DuplicateKeyError(ValidationError):
    """A write would give a second record a key that must be unique (a contact's uuid, a tag's
    slug or name). A ValidationError, so every face refuses it; APIs that answer 409 catch it."""


class ErrorBag:
    """Collects field errors so a write reports every problem at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, key: str, messages: Iterable[str]) -> None:
        self.errors.setdefault(key, []).extend(messages)

    def add_exc(self, prefix: str, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field, errs in exc.message_dict.items():
                key = prefix if field == "__all__" else (f"{prefix}.{field}" if prefix else field)
                self.add(key or "__all__", errs)
        else:
            self.add(prefix or "__all__", exc.messages)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _is_text_field(name: str) -> bool:
    field = Contact._meta.get_field(name)
    return field.get_internal_type() in ("CharField", "TextField")


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _require_rights(
    *, user: AbstractBaseUser | AnonymousUser | None, contacts: list[Contact], right: str, verb: str
) -> None:
    """Refuse the whole batch when the user lacks `right` ("can_edit"/"can_delete") on one contact."""
    rights = contact_rights(user=user or AnonymousUser(), contacts=contacts)
    refused = [c for c in contacts if not getattr(rights[c.pk], right)]
    if refused:
        raise PermissionDenied(f"You may not {verb} {refused[0]}.")


def _require_perm(user: AbstractBaseUser | AnonymousUser | None, perm: str) -> None:
    if user is None or not user.is_authenticated or not user.has_perm(perm):
        raise PermissionDenied("Only administrators may change this.")
