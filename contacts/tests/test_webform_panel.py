"""The project page's web-form panel: a manager creates a form with the visitor-facing options."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from contacts.models import DEFAULT_THANKS_TEXT, WebForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(alice):
    client = Client()
    client.force_login(alice)
    return client


def test_a_manager_creates_a_form_with_its_script_origins_thanks_and_notice(manager, project):
    response = manager.post(
        reverse("contacts:webform-create", args=[project.pk]),
        {
            "name": "Shop leads",
            "thanks_text": "Thanks! We call back within a day.",
            "use_script": "on",
            "allowed_origins": "https://shop.example/\nhttp://127.0.0.1:8001",
            "notify_managers": "on",
            "errors_back": "on",
        },
    )
    assert response.status_code == 302
    form = WebForm.objects.get()
    assert form.allowed_origins == ["https://shop.example", "http://127.0.0.1:8001"]
    assert (form.use_script, form.notify_managers, form.errors_back) == (True, True, True)
    assert form.thanks_text == "Thanks! We call back within a day."
    page = manager.get(project.get_absolute_url()).content.decode()
    assert "/static/js/webform.js" in page and "data-crm-webform" in page


def test_the_new_form_offers_the_default_thank_you_text(manager, project):
    page = manager.get(project.get_absolute_url()).content.decode()
    assert DEFAULT_THANKS_TEXT in page
    assert "Email the project&#x27;s managers about new leads" in page


def test_a_bad_origin_is_a_form_error_not_a_500(manager, project):
    response = manager.post(
        reverse("contacts:webform-create", args=[project.pk]), {"name": "Leads", "allowed_origins": "shop.example"}
    )
    assert response.status_code == 200
    assert "Not an origin" in response.content.decode()
    assert not WebForm.objects.exists()


def test_a_member_who_is_not_a_manager_cannot_create_a_form(bob, project):
    client = Client()
    client.force_login(bob)
    response = client.post(reverse("contacts:webform-create", args=[project.pk]), {"name": "Leads"})
    assert response.status_code == 404
    assert not WebForm.objects.exists()
