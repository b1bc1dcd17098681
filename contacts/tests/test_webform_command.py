"""`manage.py webform` creates a web form and prints its snippet."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from contacts.models import WebForm

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("webform", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_creates_a_web_form_and_prints_its_snippet(project):
    html = run(
        "support",
        "Website leads",
        "--redirect-url",
        "https://shop.example/thanks",
        "--allowed-host",
        "m.shop.example",
        "--base-url",
        "https://crm.example",
    )
    form = WebForm.objects.get()
    assert (form.project, form.name, form.allowed_hosts) == (project, "Website leads", ["m.shop.example"])
    assert 'action="https://crm.example/redmine/contacts.json"' in html
    assert f'value="{form.key}"' in html and 'value="https://shop.example/thanks"' in html


def test_show_prints_an_existing_forms_snippet(project):
    form = WebForm.objects.create(project=project, name="Leads")
    assert f'value="{form.key}"' in run("--show", str(form.pk))


def test_refuses_an_unknown_project_or_form(db):
    with pytest.raises(CommandError, match="No project"):
        run("nope", "Leads")
    with pytest.raises(CommandError, match="No web form"):
        run("--show", "42")
    with pytest.raises(CommandError, match="Give PROJECT and NAME"):
        run()


def test_refuses_an_invalid_redirect_url(project):
    with pytest.raises(CommandError):
        run("support", "Leads", "--redirect-url", "not a url")
    assert not WebForm.objects.exists()
