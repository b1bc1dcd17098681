"""Writes of firms: what is special about companies beyond contacts.services."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from contacts.models import Contact
from contacts.services import contact_merge


def firm_merge(*, source: Contact, target: Contact, user: AbstractBaseUser) -> Contact:
    """Fold the company `source` into the company `target` (contacts.services.contact_merge)."""
    if not (source.is_company and target.is_company):
        raise ValidationError("Only companies can be merged.")
    contact_merge(user=user, survivor=target, others=[source])
    return target
