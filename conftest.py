"""Shared pytest fixtures: users, projects, API keys and contact factories."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings

from contacts.models import ApiKey, Contact, CustomField
from contacts.services import contact_create
from crm.testing import ServedCRM
from projects.models import Membership, Project
from projects.services import membership_set, project_create

User = get_user_model()


DATABASE_CACHE = {"BACKEND": "crm.cache.DatabaseCache", "LOCATION": "crm_cache"}  # CACHE_URL=db://crm_cache


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The default cache is a database table (CACHE_URL=db://...), which migrations do not make."""
    with django_db_blocker.unblock(), override_settings(CACHES={"default": DATABASE_CACHE}):
        call_command("createcachetable", verbosity=0)


@pytest.fixture(autouse=True)
def _cache_in_memory(settings: Any) -> None:
    """Tests that count a page's SQL queries count them without the session read from the cache table.

    Tests of what the shared cache is for (rate limits across workers) ask for `database_cache`.
    """
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}


@pytest.fixture
def database_cache(settings: Any, db: None) -> None:
    """The default cache of a deployment: a database table shared by every worker process."""
    settings.CACHES = {"default": DATABASE_CACHE or {"BACKEND": "crm.cache.DatabaseCache", "LOCATION": "crm_cache"}}


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings: Any) -> None:
    """A task enqueued in a test runs there and then, in-process (django-tasks' immediate backend).

    The database backend and its worker are tested on their own in contacts/tests/test_jobs.py.
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Real hashing costs ~0.3 s per user; tests only need it to round-trip."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    def make(username: str, *, superuser: bool = False, password: str = "secret-pass-123") -> Any:
        if superuser:
            return User.objects.create_superuser(username=username, email=f"{username}@example.com", password=password)
        return User.objects.create_user(
            username=username,
            email=f"{username}@example.com",
            password=password,
            first_name=username.title(),
            last_name="Tester",
        )

    return make


@pytest.fixture
def alice(make_user: Callable[..., Any]) -> Any:
    """A project manager."""
    return make_user("alice")


@pytest.fixture
def bob(make_user: Callable[..., Any]) -> Any:
    """A project member."""
    return make_user("bob")


@pytest.fixture
def outsider(make_user: Callable[..., Any]) -> Any:
    """A signed-in user in no project."""
    return make_user("outsider")


@pytest.fixture
def admin_user(make_user: Callable[..., Any]) -> Any:
    return make_user("admin", superuser=True, password="admin")


@pytest.fixture
def project(alice: Any, bob: Any) -> Project:
    project = project_create(name="Support", identifier="support", creator=alice)
    membership_set(project=project, user=bob, role=Membership.Role.MEMBER)
    return project


@pytest.fixture
def other_project(outsider: Any) -> Project:
    return project_create(name="Elsewhere", identifier="elsewhere", creator=outsider)


@pytest.fixture
def api_key(alice: Any) -> str:
    return ApiKey.objects.create(user=alice).key


@pytest.fixture
def make_contact(alice: Any, project: Project) -> Callable[..., Contact]:
    """Create a contact through the service (author alice, in `project` unless told otherwise)."""

    def make(*, user: Any = None, projects: list[Project] | None = None, **kwargs: Any) -> Contact:
        nested = {
            k: kwargs.pop(k) for k in ("items", "addresses", "custom_values", "tags", "access_list") if k in kwargs
        }
        fields = {"first_name": "Ada", "last_name": "Lovelace"} | kwargs
        if fields.get("is_company"):
            fields.pop("first_name", None)
            fields.pop("last_name", None)
        return contact_create(
            user=user or alice, fields=fields, projects=[project] if projects is None else projects, **nested
        )

    return make


@pytest.fixture
def license_field(db: None) -> CustomField:
    return CustomField.objects.create(
        name="License", field_format=CustomField.Format.LIST, choices=["Basic", "Pro"], position=1
    )


@pytest.fixture
def served_crm(tmp_path: Any) -> Any:
    """A migrated instance served by gunicorn with two workers (see crm/testing.py)."""
    served = ServedCRM(tmp_path).start()
    yield served
    served.stop()
