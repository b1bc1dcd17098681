"""`{% merge_banner contact %}`: "Merged from X and Y · Undo" on a survivor's page, for a while after a merge."""

from __future__ import annotations

from typing import Any

from django import template

from contacts.duplicates import merge_recent
from contacts.models import Contact

register = template.Library()


@register.inclusion_tag("contacts/merge_banner.html")
def merge_banner(contact: Contact, can_edit: bool = False) -> dict[str, Any]:
    return {"merges": merge_recent(contact=contact), "contact": contact, "can_edit": can_edit}
