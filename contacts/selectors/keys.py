"""API keys and web forms, found by their secret key, and the web forms of a project; and the
import and export jobs a user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    QuerySet,
)

from contacts.models import (
    ApiKey,
    Job,
    WebForm,
)
from contacts.selectors.visibility import AnyUser
from crm.prepared import PreparedQuery

# Every request signed with an API key, in every dialect, starts with this read: compiled once
# (crm.prepared), and still run on each request, so a key deleted or a user deactivated is refused
# at once.
_APIKEY_BY_KEY = PreparedQuery(
    lambda key: ApiKey.objects.select_related("user").filter(key=key, user__is_active=True)[:1],
    "\x00key",
)


def apikey_get(*, key: str) -> ApiKey | None:
    """The API key with this secret, if its user is active (with the user, in one query)."""
    if not key or "\x00" in key:
        return None
    return _APIKEY_BY_KEY.first(key)


# Every post of a web form starts with this read: compiled once (crm.prepared).
_WEBFORM_BY_KEY = PreparedQuery(
    lambda key: WebForm.objects.select_related("project", "assigned_to").filter(key=key, is_active=True)[:1],
    "\x00key",
)


def webform_for_key(*, key: str) -> WebForm | None:
    """The active web form with this key (with its project and the assignee of its leads), or None."""
    if not key or "\x00" in key:
        return None
    return _WEBFORM_BY_KEY.first(key)


def webform_list(*, project: Any) -> QuerySet[WebForm]:
    """The web forms of a project (callers have checked the user may see the project)."""
    return WebForm.objects.filter(project=project).prefetch_related("custom_fields").select_related("project")


def job_list(*, user: AnyUser) -> QuerySet[Job]:
    """The user's own background jobs, newest first."""
    if not user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(user=user).order_by("-created_at", "-id")


def job_get(*, user: AnyUser, pk: int) -> Job | None:
    """One of the user's own jobs, or None (someone else's job is not there for them)."""
    return job_list(user=user).filter(pk=pk).first()
