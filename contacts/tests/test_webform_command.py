"""`manage.py webform` creates a web form and prints its snippet."""

from __future__ import annotations

import html
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

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
    assert f'action="https://crm.example/forms/{form.key}/"' in html
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


def test_the_admin_creates_a_web_form_and_shows_its_snippet(admin_client, project):
    response = admin_client.post(
        reverse("admin:contacts_webform_add"),
        {
            "project": project.pk,
            "name": "From the admin",
            "allowed_fields": '["first_name", "email"]',
            "allowed_hosts": '["shop.example"]',
            "honeypot_field": "website_url",
            "rate_limit_per_hour": 20,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content
    form = WebForm.objects.get(name="From the admin")
    page = html.unescape(admin_client.get(reverse("admin:contacts_webform_change", args=[form.pk])).content.decode())
    assert f"/forms/{form.key}/" in page and 'name="contact[email]"' in page


def test_creates_a_form_with_the_script_its_allowed_origins_and_the_managers_notice(project):
    snippet = run(
        "support",
        "Shop leads",
        "--script",
        "--allowed-origin",
        "https://shop.example",
        "--notify-managers",
        "--base-url",
        "https://crm.example",
    )
    form = WebForm.objects.get()
    assert (form.use_script, form.allowed_origins, form.notify_managers) == (True, ["https://shop.example"], True)
    assert '<script src="https://crm.example/static/js/webform.js" defer></script>' in snippet


def test_refuses_an_allowed_origin_with_a_path(project):
    with pytest.raises(CommandError, match="Not an origin"):
        run("support", "Shop leads", "--allowed-origin", "https://shop.example/contact")
    assert not WebForm.objects.exists()


def test_key_prints_only_the_new_forms_key_for_scripts(project):
    key = run("support", "Website leads", "--key").strip()
    assert key == WebForm.objects.get().key
