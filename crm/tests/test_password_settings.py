"""PASSWORD_HASHERS from the environment: Django's hashers unless a deployment names others."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from django.conf import global_settings, settings

SETTINGS = Path(settings.BASE_DIR) / "crm" / "settings.py"
MD5 = "django.contrib.auth.hashers.MD5PasswordHasher"


@pytest.mark.parametrize("value", [None, ""])
def test_unset_or_empty_password_hashers_are_djangos(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    if value is None:
        monkeypatch.delenv("PASSWORD_HASHERS", raising=False)
    else:
        monkeypatch.setenv("PASSWORD_HASHERS", value)
    assert runpy.run_path(str(SETTINGS))["PASSWORD_HASHERS"] == list(global_settings.PASSWORD_HASHERS)


def test_password_hashers_are_read_as_a_list_strongest_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PASSWORD_HASHERS", f"{MD5}, django.contrib.auth.hashers.PBKDF2PasswordHasher")
    assert runpy.run_path(str(SETTINGS))["PASSWORD_HASHERS"] == [
        MD5,
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
