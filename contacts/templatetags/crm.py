"""Small template filters of the UI: avatar initials and colours, names, times, the active navigation entry."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

from contacts.models import Contact, Tag
from contacts.selectors import contact_tags

register = template.Library()
HEX_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
# Web addresses with their scheme, mailto: links and bare email addresses; nothing else (no
# javascript:, data: or other schemes) becomes a link.
LINK = re.compile(
    r"(?P<url>\bhttps?://[^\s<>\"']+)|(?P<mailto>\bmailto:[^\s<>\"'@]+@[^\s<>\"']+)"
    r"|(?P<email>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+)",
    re.IGNORECASE,
)
TRAILING_PUNCTUATION = ".,;:!?)]}"


@register.filter
def initials(contact: Any) -> str:
    """Up to two capital letters standing for a contact (its avatar when it has no picture)."""
    words = contact.name.split() if getattr(contact, "is_company", False) else [contact.first_name, contact.last_name]
    letters = [word.strip()[0] for word in words if word and word.strip()]
    return "".join(letters[:2]).upper() or "?"


@register.filter
def hue(value: Any) -> int:
    """A stable hue (0-359) per object, so each contact keeps its avatar colour."""
    return (int(getattr(value, "pk", 0) or 0) * 47) % 360


@register.simple_tag(takes_context=True)
def nav_current(context: Any, prefix: str, *inner: str) -> SafeString:
    """`aria-current="page"` on the navigation link of the section being shown; `inner` are the
    prefixes of sections under this one with their own link (the trash under the contacts), which
    take the mark instead."""
    path = context["request"].path
    current = path == "/" if prefix == "/" else path.startswith(prefix)
    current = current and not any(path.startswith(other) for other in inner)
    return mark_safe('aria-current="page"' if current else "")  # noqa: S308 (a constant)


@register.filter
def tags(contact: Contact) -> list[Tag]:
    """A contact's tags, from its prefetched tagged items."""
    return contact_tags(contact)


@register.filter
def user_name(user: Any, fallback: str = "") -> str:
    """A user's full name, else their username, else the fallback (for a missing user)."""
    if user is None:
        return fallback
    return user.get_full_name() or user.get_username()


@register.filter
def ago(moment: datetime) -> str:
    """ "just now" or "3 hours ago" (timesince alone says "0 minutes" for fresh changes)."""
    if timezone.now() - moment < timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment)} ago"


@register.filter
def css_color(value: str) -> str:
    """A stored colour if it is a hex colour, else "" (it goes into a style attribute)."""
    return value if HEX_COLOR.fullmatch(value or "") else ""


@register.simple_tag
def trash_days() -> int:
    """How many days a deleted contact stays in the trash (settings.TRASH_DAYS)."""
    return settings.TRASH_DAYS


@register.filter
def linkify(text: str) -> SafeString:
    """Plain text, escaped, with its http(s) and email addresses as links (`rel="noopener nofollow"`).

    Punctuation ending a sentence is not part of the address ("see https://example.com.").
    """
    text = str(text or "")
    parts: list[str] = []
    position = 0
    for match in LINK.finditer(text):
        found = match.group(0)
        kept = found.rstrip(TRAILING_PUNCTUATION)
        if found.endswith(")") and kept.count("(") > kept.count(")"):
            kept += ")"
        parts.append(escape(text[position : match.start()]))
        if match.group("url"):
            parts.append(format_html('<a href="{}" rel="noopener nofollow" target="_blank">{}</a>', kept, kept))
        else:
            href = kept if match.group("mailto") else f"mailto:{kept}"
            parts.append(format_html('<a href="{}" rel="noopener nofollow">{}</a>', href, kept))
        position = match.start() + len(kept)
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 (every part is escaped above)
