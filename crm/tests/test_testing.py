"""Served instances start from a template database built once per version of what makes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm import testing
from crm.testing import ServedCRM, fingerprint

MARK = [
    "shell",
    "--no-imports",
    "-c",
    "from projects.models import Project; Project.objects.create(name='Mark', identifier='mark')",
]
COUNT = "from projects.models import Project; print(Project.objects.filter(identifier='mark').count())"


def test_a_template_is_named_after_its_setup_so_another_setup_gets_its_own() -> None:
    assert fingerprint([["migrate"]]) == fingerprint([["migrate"]])
    assert fingerprint([["migrate"]]) != fingerprint([["migrate"], MARK])


def test_a_template_is_named_after_the_settings_its_users_are_hashed_with(monkeypatch: pytest.MonkeyPatch) -> None:
    before = fingerprint([["migrate"]])
    monkeypatch.setattr(
        testing, "SERVED_SETTINGS", {"PASSWORD_HASHERS": "django.contrib.auth.hashers.PBKDF2PasswordHasher"}
    )
    assert fingerprint([["migrate"]]) != before


def test_a_served_instance_hashes_passwords_with_the_fast_hasher(tmp_path: Path) -> None:
    served = ServedCRM(tmp_path)
    served._copy_template()
    try:
        stored, right, wrong = served.manage(
            "shell",
            "--no-imports",
            "-c",
            "from django.contrib.auth.models import User; admin = User.objects.get(username='admin'); "
            "print(admin.password, admin.check_password('admin-pass-123'), admin.check_password('wrong'))",
        ).split()
        assert stored.startswith("md5$")
        assert (right, wrong) == ("True", "False")
    finally:
        served.stop()


def test_a_served_instance_keeps_its_database_connections_between_requests(tmp_path: Path) -> None:
    served = ServedCRM(tmp_path)
    served._copy_template()
    try:
        max_age = served.manage(
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])",
        )
        assert int(max_age) >= 60
    finally:
        served.stop()


def test_each_instance_gets_its_own_copy_of_the_template_with_its_setup_done(tmp_path: Path) -> None:
    first = ServedCRM(tmp_path / "first", setup=[MARK])
    second = ServedCRM(tmp_path / "second", setup=[MARK])
    (tmp_path / "first").mkdir()
    (tmp_path / "second").mkdir()
    try:
        first._copy_template()
        second._copy_template()
        first.manage(
            "shell", "--no-imports", "-c", "from projects.models import Project; Project.objects.all().delete()"
        )
        assert first.manage("shell", "--no-imports", "-c", COUNT).strip() == "0"
        assert second.manage("shell", "--no-imports", "-c", COUNT).strip() == "1"
        assert "admin" in second.manage(
            "shell",
            "--no-imports",
            "-c",
            "from django.contrib.auth.models import User; print(list(User.objects.values_list('username', flat=True)))",
        )
    finally:
        first.stop()
        second.stop()
