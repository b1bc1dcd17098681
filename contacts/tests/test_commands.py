"""Management commands: apikey, seed_demo, ensure_admin."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from contacts.models import ApiKey, Contact, ContactItem, CustomValue, TaggedContact
from projects.models import Project

pytestmark = pytest.mark.django_db


def run(*args, **kwargs) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue().strip()


def test_apikey_prints_the_same_key_until_reset(alice):
    first = run("apikey", "alice")
    assert len(first) == 40
    assert run("apikey", "alice") == first
    reset = run("apikey", "alice", "--reset")
    assert reset != first
    assert ApiKey.objects.get(user=alice).key == reset


def test_apikey_for_unknown_user_fails_clearly():
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        run("apikey", "ghost")


def test_seed_demo_is_idempotent_and_tops_up():
    run("seed_demo", "--contacts", "40", "--quiet")
    counts = (Contact.objects.count(), ContactItem.objects.count(), Project.objects.count())
    assert counts[0] == 40 and counts[1] >= 80 and counts[2] == 3
    assert Contact.objects.filter(is_company=True).exists()
    assert Contact.objects.filter(company__isnull=False).exists()
    assert TaggedContact.objects.exists() and CustomValue.objects.exists()
    assert run("seed_demo", "--contacts", "40", "--quiet") == "Demo data present: 40 demo contacts."
    assert (Contact.objects.count(), ContactItem.objects.count(), Project.objects.count()) == counts
    run("seed_demo", "--contacts", "50", "--quiet")
    assert Contact.objects.count() == 50
    assert all(c.display_name == c.compute_display_name() for c in Contact.objects.all())


def test_ensure_admin_creates_one_superuser_from_env(monkeypatch):
    monkeypatch.setenv("ADMIN_USERNAME", "boss")
    monkeypatch.setenv("ADMIN_PASSWORD", "s3cret-pass")
    assert "boss" in run("ensure_admin")
    assert run("ensure_admin") == "A superuser exists already."
    user = get_user_model().objects.get(username="boss")
    assert user.is_superuser and user.check_password("s3cret-pass")
