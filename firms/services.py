"""Writes of firms: what is special about companies beyond contacts.services."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from contacts.models import Contact, ContactItem
from contacts.selectors import contact_can_delete, contact_can_edit


@transaction.atomic
def firm_merge(*, source: Contact, target: Contact, user: AbstractBaseUser) -> Contact:
    """Fold `source` into `target`: its people, items, addresses, notes, tags and projects move over."""
    if not (source.is_company and target.is_company):
        raise ValidationError("Only companies can be merged.")
    if source.pk == target.pk:
        raise ValidationError("A company cannot be merged into itself.")
    if not contact_can_edit(user=user, contact=target) or not contact_can_delete(user=user, contact=source):
        raise PermissionDenied("You may not merge these companies.")
    Contact.objects.filter(company=source).update(company=target)
    known = set(target.items.values_list("kind", "value"))
    for item in source.items.all():
        if (item.kind, item.value) not in known:
            ContactItem.objects.filter(pk=item.pk).update(contact=target, is_primary=False)
    source.addresses.update(contact=target, is_primary=False)
    source.notes.update(contact=target)
    target.tags.add(*source.tags.all())
    target.projects.add(*source.projects.all())
    source.delete()
    return target
