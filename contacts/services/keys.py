"""API keys of users and the keys of public web forms."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from contacts.models import (
    ApiKey,
    WebForm,
    new_key,
)
from projects.models import Project


def apikey_get_or_create(*, user: AbstractBaseUser) -> ApiKey:
    api_key, _ = ApiKey.objects.get_or_create(user=user)
    return api_key


def apikey_reset(*, user: AbstractBaseUser) -> ApiKey:
    api_key, created = ApiKey.objects.get_or_create(user=user)
    if not created:
        api_key.key = new_key()
        api_key.created_at = timezone.now()
        api_key.save(update_fields=["key", "created_at"])
    return api_key


# A key's last use is recorded at most this often, so each request is not a write.
APIKEY_TOUCH_INTERVAL = timedelta(minutes=1)


def apikey_mark_used(*, api_key: ApiKey) -> None:
    """Record that the key was just used (at most once a minute)."""
    now = timezone.now()
    if api_key.last_used_at is not None and now - api_key.last_used_at < APIKEY_TOUCH_INTERVAL:
        return
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    api_key.last_used_at = now


def webform_create(
    *, project: Project, name: str, created_by: AbstractBaseUser | None = None, **fields: Any
) -> WebForm:
    form = WebForm(project=project, name=name, created_by=created_by, **fields)
    form.full_clean()
    form.save()
    return form


def webform_reset_key(*, webform: WebForm) -> WebForm:
    webform.key = new_key()
    webform.save(update_fields=["key"])
    return webform
