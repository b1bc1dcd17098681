"""The web-form intake: a public form on another site posts a lead into its project.

The rules, whichever API the form posts to (seed 001 "Web-form example"):

- the form authenticates with its own create-only key, bound to one project;
  a project the post names must be that one;
- a hidden honeypot field (`WebForm.honeypot_field`) that people leave empty:
  a post that fills it is discarded and nothing is stored;
- a per-IP rate limit counted in Django's cache, so it holds across worker
  processes when the cache is shared (CACHE_URL=redis://...);
- only the form's allowed fields and custom fields are taken, each with a
  bounded length;
- an email that already belongs to a contact of the project creates no
  duplicate and changes nothing: a note with the new data goes on that contact;
- `redirect_on_success` is followed only to hosts the form allows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from contacts.models import WEBFORM_FIELDS, Contact, ContactItem, Note, Visibility, WebForm
from contacts.selectors import contact_list
from contacts.services import contact_save_with_company_name, note_create, split_tag_list
from contacts.webforms import FIELD_LABELS
from projects.models import Membership

MAX_FIELD_LENGTH = 255
MAX_TEXT_LENGTH = 5000
MAX_CUSTOM_VALUE_LENGTH = 1000
RATE_WINDOW_SECONDS = 3600
NAME_FIELDS = ("first_name", "last_name", "middle_name", "job_title", "background")


class TooManySubmissions(Exception):
    """This address has posted to this form too often in the current window."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("Too many submissions; try again later.")
        self.retry_after = retry_after


@dataclass(frozen=True)
class IntakeResult:
    contact: Contact | None  # None when the post was discarded as spam
    created: bool
    redirect_url: str | None


def webform_redirect_allowed(*, webform: WebForm, url: str) -> bool:
    """Whether `url` is an http(s) address on the form's redirect host or one of its allowed hosts."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    hosts = {host.strip().lower() for host in webform.allowed_hosts or [] if host.strip()}
    if webform.redirect_url:
        hosts.add((urlsplit(webform.redirect_url).hostname or "").lower())
    return parts.hostname.lower() in hosts


def webform_count_submission(*, webform: WebForm, ip: str) -> None:
    """Count a post from `ip`; raise TooManySubmissions past the form's hourly limit."""
    key = f"webform-rate:{webform.pk}:{ip}"
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=RATE_WINDOW_SECONDS)
        count = 1
    if count > webform.rate_limit_per_hour:
        raise TooManySubmissions(retry_after=RATE_WINDOW_SECONDS)


def webform_submit(
    *,
    webform: WebForm,
    fields: Mapping[str, Any],
    custom_values: Mapping[int | str, Any] | None = None,
    project_key: str | None = None,
    honeypot: str = "",
    ip: str = "",
    redirect_url: str | None = None,
) -> IntakeResult:
    """Take one post of a web form (fields in the seed form's names, see WEBFORM_FIELDS)."""
    if not webform.is_active:
        raise PermissionDenied("This form is closed.")
    if project_key not in (None, "") and str(project_key).strip() not in (
        str(webform.project.pk),
        webform.project.identifier,
    ):
        raise PermissionDenied("This form belongs to another project.")
    webform_count_submission(webform=webform, ip=ip)
    redirect = redirect_url if redirect_url and webform_redirect_allowed(webform=webform, url=redirect_url) else None
    if str(honeypot or "").strip():
        return IntakeResult(contact=None, created=False, redirect_url=redirect)

    values = _allowed_values(webform, fields)
    custom = _allowed_custom_values(webform, custom_values or {})
    reader = _reader(webform)
    emails = [e for e in split_tag_list(values.get("email", "")) if e]
    with transaction.atomic():
        existing = _contact_with_email(reader, webform, emails) if emails else None
        if existing is not None:
            note_create(
                contact=existing,
                user=None,
                subject=f"Web form: {webform.name}"[:255],
                content=_note_text(values, custom, webform),
                kind=Note.Kind.NOTE,
                check_permissions=False,
            )
            return IntakeResult(contact=existing, created=False, redirect_url=redirect)
        contact = contact_save_with_company_name(
            user=reader,
            company_name=values.get("company") or None,
            fields={
                **{name: values[name] for name in NAME_FIELDS if name in values},
                "visibility": Visibility.PROJECT,
                "assigned_to": webform.assigned_to,
            },
            projects=[webform.project],
            items=_items(values),
            custom_values=custom,
            tags=[*split_tag_list(webform.tags), *split_tag_list(values.get("tag_list", ""))],
            check_permissions=False,
        )
    return IntakeResult(contact=contact, created=True, redirect_url=redirect)


def _allowed_values(webform: WebForm, fields: Mapping[str, Any]) -> dict[str, str]:
    allowed = set(webform.fields) & set(WEBFORM_FIELDS)
    values: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for name in WEBFORM_FIELDS:
        if name not in allowed or fields.get(name) in (None, ""):
            continue
        value = fields[name]
        text = ", ".join(str(v) for v in value) if isinstance(value, (list, tuple)) else str(value)
        limit = MAX_TEXT_LENGTH if name == "background" else MAX_FIELD_LENGTH
        if len(text) > limit:
            errors[name] = [f"{FIELD_LABELS[name]} is too long ({limit} characters at most)."]
        values[name] = text.strip()
    if errors:
        raise ValidationError(errors)
    return values


def _allowed_custom_values(webform: WebForm, raw: Mapping[int | str, Any]) -> dict[int, Any]:
    allowed = {field.pk: field for field in webform.custom_fields.all()}
    values: dict[int, Any] = {}
    for key, value in raw.items():
        try:
            field = allowed.get(int(key))
        except (TypeError, ValueError):
            field = None
        if field is None:
            continue  # a field the form does not offer (a stale page): ignored, like unknown inputs
        if len(str(value)) > MAX_CUSTOM_VALUE_LENGTH:
            raise ValidationError({f"custom_fields[{key}]": [f"{field.name} is too long."]})
        values[field.pk] = value
    return values


def _items(values: Mapping[str, str]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for name, kind in (("phone", ContactItem.Kind.TEL), ("email", ContactItem.Kind.EMAIL)):
        items += [{"kind": kind, "value": v} for v in split_tag_list(values.get(name, ""))]
    if values.get("website"):
        items.append({"kind": ContactItem.Kind.URL, "value": values["website"]})
    for position, item in enumerate(items):
        item["position"] = position
    return items


def _reader(webform: WebForm) -> AbstractBaseUser | AnonymousUser:
    """Whose eyes the intake reads with: the form's creator, its assignee, or a project manager."""
    for user in (webform.created_by, webform.assigned_to):
        if user is not None and user.is_active:
            return user
    manager = (
        Membership.objects.filter(project=webform.project, role=Membership.Role.MANAGER, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return manager.user if manager else AnonymousUser()


def _contact_with_email(reader: Any, webform: WebForm, emails: list[str]) -> Contact | None:
    normalized = [email.lower() for email in emails]
    in_project = contact_list(user=reader, filters={"project": str(webform.project.pk)}, prefetch=False)
    matching = ContactItem.objects.filter(kind=ContactItem.Kind.EMAIL, normalized__in=normalized)
    return in_project.filter(pk__in=matching.values("contact_id")).order_by("pk").first()


def _note_text(values: Mapping[str, str], custom: Mapping[int, Any], webform: WebForm) -> str:
    lines = [f"Sent again through the web form {webform.name}:"]
    lines += [f"{FIELD_LABELS[name]}: {value}" for name, value in values.items()]
    fields = {field.pk: field.name for field in webform.custom_fields.all()}
    lines += [f"{fields[pk]}: {value}" for pk, value in custom.items() if str(value).strip()]
    return "\n".join(lines)
