"""The web-form intake: a public form on another site posts a lead into its project.

The rules, whichever API the form posts to (seed 001 "Web-form example"):

- the form authenticates with its own create-only key, bound to one project;
  a project the post names must be that one;
- a hidden honeypot field (`WebForm.honeypot_field`) that people leave empty:
  a post that fills it is discarded and nothing is stored;
- a per-IP rate limit counted in Django's cache, which is shared by every
  worker process (a database table by default, Redis with CACHE_URL=redis://...);
- only the form's allowed fields and custom fields are taken, each with a
  bounded length;
- an email that already belongs to a contact of the project creates no
  duplicate and changes nothing: a note with the new data goes on that contact;
- the answer is the same whether the email was known or not (a receipt of
  what was posted, never a stored contact), so the public form tells nobody
  who is in the CRM;
- `redirect_on_success` is followed only to hosts the form allows;
- a lead has no author: it remembers its form (`Contact.source_webform`) and
  shows "Web form: <name>" where an author would be shown;
- a form may email the project's managers about each new lead: the notice is
  queued for the task worker once the lead is committed, so the post never
  waits for a mail server, and a failing one never fails it (it is logged);
- every change a post makes is recorded in the contacts' history as coming
  through the web form.

Duplicates and companies are found by indexed lookups scoped to the form's
project (normalized email; lower-cased company name), never through a user's
visibility, so the time of a post does not grow with the number of contacts,
and SQLite's write lock is held only for a few indexed reads and the inserts.
The reads every post makes (the form by its key, the custom fields, the
duplicate check, the form's tags) are compiled once per process
(`crm.prepared`): compiling them cost more than running them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Lower

from contacts.history import history_channel
from contacts.models import LIVE, WEBFORM_FIELDS, Channel, Contact, ContactItem, CustomField, Note, Visibility, WebForm
from contacts.services import (
    ContactDraft,
    contact_draft,
    contact_draft_save,
    note_create,
    split_tag_list,
)
from contacts.tasks import webform_lead_notice
from contacts.webforms import FIELD_LABELS
from crm.prepared import PreparedQuery
from projects.models import Project

logger = logging.getLogger(__name__)

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
    receipt: Contact | None = None  # what the poster may be told: an unsaved copy of what was posted


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
    # Increment first: one write in the usual case. The first post of a window adds the key;
    # when a concurrent post added it first, this one increments it.
    try:
        count = cache.incr(key)
    except ValueError:
        if cache.add(key, 1, timeout=RATE_WINDOW_SECONDS):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired in between: a new window
                cache.set(key, 1, timeout=RATE_WINDOW_SECONDS)
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
    base_url: str = "",
) -> IntakeResult:
    """Take one post of a web form (fields in the seed form's names, see WEBFORM_FIELDS).

    `base_url` is this CRM's address, for the link in the managers' notice.

    What only reads (the checks, the company lookup, the new contact's validation) happens
    before the one write transaction, which counts the post, looks for the duplicate and
    inserts: on SQLite, whose writers take turns, a post holds the write lock only for that.
    """
    if not webform.is_active:
        raise PermissionDenied("This form is closed.")
    project = webform.project
    if project_key not in (None, "") and str(project_key).strip() not in (str(project.pk), project.identifier):
        raise PermissionDenied("This form belongs to another project.")
    redirect = redirect_url if redirect_url and webform_redirect_allowed(webform=webform, url=redirect_url) else None
    if str(honeypot or "").strip():
        webform_count_submission(webform=webform, ip=ip)
        return IntakeResult(contact=None, created=False, redirect_url=redirect)
    try:
        lead = _lead(webform=webform, fields=fields, custom_values=custom_values or {})
    except ValidationError:
        webform_count_submission(webform=webform, ip=ip)  # a refused post counts as well
        raise
    receipt = Contact(first_name=lead.values.get("first_name", ""), last_name=lead.values.get("last_name", ""))
    with history_channel(Channel.WEBFORM), transaction.atomic():
        webform_count_submission(webform=webform, ip=ip)
        new_company = lead.company_name if lead.company is None else ""
        names = [f"email:{e}" for e in lead.emails] + ([f"company:{new_company.lower()}"] if new_company else [])
        _lock(project=project, names=names)
        existing = _project_contact_with_email(project=project, emails=lead.emails) if lead.emails else None
        if existing is not None:
            note_create(
                contact=existing,
                user=None,
                subject=f"Web form: {webform.name}"[:255],
                content=_note_text(lead.values, lead.custom, webform, lead.form_fields),
                kind=Note.Kind.NOTE,
                check_permissions=False,
            )
            return IntakeResult(contact=existing, created=False, redirect_url=redirect, receipt=receipt)
        draft = lead.draft
        if new_company:  # found or made under the lock, so that two posts make one company
            company = _project_company(webform=webform, name=new_company)
            draft = _lead_draft(webform=webform, lead=lead, company=company)
        contact = contact_draft_save(draft=draft)
        if webform.notify_managers:
            transaction.on_commit(partial(_enqueue_notice, webform=webform, contact=contact, base_url=base_url))
    return IntakeResult(contact=contact, created=True, redirect_url=redirect, receipt=receipt)


@dataclass
class _Lead:
    """What a post brings, checked and read for before its transaction."""

    values: dict[str, str]
    custom: dict[int, Any]
    form_fields: list[CustomField]
    all_fields: list[CustomField]
    emails: list[str]
    company_name: str
    company: Contact | None = None  # the company of that name, found before the lock
    draft: ContactDraft | None = None  # the new contact, checked (with no company when it is still to be made)


# The reads every post makes, compiled once (crm.prepared). Every custom field in one read, each
# marked whether the form offers it: the form's own take the post's values, and the new
# contact's checks need them all (defaults, required).
_CUSTOM_FIELDS = PreparedQuery(
    lambda webform_id: CustomField.objects.annotate(
        on_form=Exists(
            WebForm.custom_fields.through.objects.filter(webform_id=webform_id, customfield_id=OuterRef("pk"))
        )
    ),
    -1,
)
# The oldest live contact of a project with an email (normalized), whoever may see it.
_EMAIL_OWNER = PreparedQuery(
    lambda project_id, email: (
        ContactItem.objects.filter(
            kind=ContactItem.Kind.EMAIL,
            normalized=email,
            contact__projects=project_id,
            contact__deleted_at__isnull=True,
        )
        .order_by("contact_id")
        .values_list("contact_id", flat=True)[:1]
    ),
    -1,
    "\x00email",
)


def _lead(*, webform: WebForm, fields: Mapping[str, Any], custom_values: Mapping[int | str, Any]) -> _Lead:
    values = _allowed_values(webform, fields)
    all_fields = _CUSTOM_FIELDS.objects(webform.pk)
    form_fields = [field for field in all_fields if field.on_form]
    lead = _Lead(
        values=values,
        custom=_allowed_custom_values(form_fields, custom_values),
        form_fields=form_fields,
        all_fields=all_fields,
        emails=sorted({email.lower() for email in split_tag_list(values.get("email", ""))}),
        company_name=values.get("company", "").strip(),
    )
    if lead.company_name:
        lead.company = _find_project_company(webform=webform, name=lead.company_name)
    lead.draft = _lead_draft(webform=webform, lead=lead, company=lead.company)
    return lead


def _lead_draft(*, webform: WebForm, lead: _Lead, company: Contact | None) -> ContactDraft:
    """The new contact of a post, validated (a ValidationError names what to fix)."""
    return contact_draft(
        user=None,
        fields={
            **{name: lead.values[name] for name in NAME_FIELDS if name in lead.values},
            "company": company,
            "visibility": Visibility.PROJECT,
            "assigned_to": webform.assigned_to,
            "source_webform": webform,
        },
        projects=[webform.project],
        items=_items(lead.values),
        custom_values=lead.custom,
        tags=[*split_tag_list(webform.tags), *split_tag_list(lead.values.get("tag_list", ""))],
        check_permissions=False,
        custom_fields=lead.all_fields,
    )


def _enqueue_notice(*, webform: WebForm, contact: Contact, base_url: str) -> None:
    """Hand the managers' notice to the task worker: the visitor does not wait for a mail server."""
    try:
        webform_lead_notice.enqueue(webform_id=webform.pk, contact_id=contact.pk, base_url=base_url)
    except Exception:  # a queue that cannot take it loses the notice, never the lead
        logger.exception("Could not queue the managers' notice about lead %s", contact.pk)


def webform_field_errors(
    *, webform: WebForm, fields: Mapping[str, Any], error: ValidationError
) -> dict[str, list[str]]:
    """The messages of a refused post by the form's own field names (`first_name`, `email`,
    `custom_fields[<id>]`), for answers that show each message next to its input; "" holds the rest.

    The services name a contact's phones, emails and website `items[<n>]`, in the order the
    intake builds them (`_items`); each is put back on the field it came from.
    """
    item_fields = [name for name, _ in _item_sources(_allowed_values_unchecked(webform, fields))]
    messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    result: dict[str, list[str]] = {}
    for key, texts in messages.items():
        name = key
        if key.startswith("items["):
            index = key[len("items[") :].split("]", 1)[0]
            name = item_fields[int(index)] if index.isdigit() and int(index) < len(item_fields) else ""
        elif key == "name":
            name = "first_name"
        elif key not in WEBFORM_FIELDS and not key.startswith("custom_fields["):
            name = ""
        result.setdefault(name, []).extend(texts)
    return result


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


def _allowed_custom_values(form_fields: list[CustomField], raw: Mapping[int | str, Any]) -> dict[int, Any]:
    allowed = {field.pk: field for field in form_fields}
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


def _allowed_values_unchecked(webform: WebForm, fields: Mapping[str, Any]) -> dict[str, str]:
    try:
        return _allowed_values(webform, fields)
    except ValidationError:
        return {}


def _item_sources(values: Mapping[str, str]) -> list[tuple[str, dict[str, Any]]]:
    """The contact items a post makes, each with the form field it came from."""
    sources: list[tuple[str, dict[str, Any]]] = []
    for name, kind in (("phone", ContactItem.Kind.TEL), ("email", ContactItem.Kind.EMAIL)):
        sources += [(name, {"kind": kind, "value": v}) for v in split_tag_list(values.get(name, ""))]
    if values.get("website"):
        sources.append(("website", {"kind": ContactItem.Kind.URL, "value": values["website"]}))
    return sources


def _items(values: Mapping[str, str]) -> list[dict[str, Any]]:
    items = [item for _, item in _item_sources(values)]
    for position, item in enumerate(items):
        item["position"] = position
    return items


def _lock(*, project: Project, names: list[str]) -> None:
    """Serialize concurrent posts of the same email (or company) to one project.

    SQLite's immediate transactions already let one writer in at a time; on PostgreSQL two
    posts could both find no duplicate and both insert, so each takes a transaction-scoped
    advisory lock per name, in sorted order so that two posts never wait on each other.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name in sorted(set(names)):
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, %s))", [name, project.pk])


def _project_contact_with_email(*, project: Project, emails: list[str]) -> Contact | None:
    """The oldest contact of the project with one of these (lower-cased) emails, out of the trash
    (a lead whose old record was deleted is a new contact).

    Read through the index on the items' normalized values, whoever may see the contacts.
    """
    # Ids only, one indexed read per email (a post has one, usually): a new lead loads no contact.
    found = min((row[0] for email in emails for row in _EMAIL_OWNER.rows(project.pk, email)), default=None)
    return None if found is None else Contact.objects.get(pk=found)


def _find_project_company(*, webform: WebForm, name: str) -> Contact | None:
    """The company of that name (any case) in the form's project or public, out of the trash.

    Read through the index on the lower-cased display name.
    """
    named = Contact.objects.alias(lower_name=Lower("display_name")).filter(
        LIVE, lower_name=Lower(Value(name)), is_company=True
    )
    ids = named.filter(Q(projects=webform.project) | Q(visibility=Visibility.PUBLIC)).values("pk")
    return Contact.objects.filter(pk__in=ids).order_by("pk").first()


def _project_company(*, webform: WebForm, name: str) -> Contact | None:
    """The company of that name, created in the project if missing (or only in the trash)."""
    name = name.strip()
    if not name:
        return None
    found = _find_project_company(webform=webform, name=name)
    if found is not None:
        return found
    company = contact_draft(
        user=None,
        fields={"is_company": True, "name": name, "source_webform": webform},
        projects=[webform.project],
        check_permissions=False,
    )
    return contact_draft_save(draft=company)


def _note_text(
    values: Mapping[str, str], custom: Mapping[int, Any], webform: WebForm, form_fields: list[CustomField]
) -> str:
    lines = [f"Sent again through the web form {webform.name}:"]
    lines += [f"{FIELD_LABELS[name]}: {value}" for name, value in values.items()]
    fields = {field.pk: field.name for field in form_fields}
    lines += [f"{fields[pk]}: {value}" for pk, value in custom.items() if str(value).strip()]
    return "\n".join(lines)
