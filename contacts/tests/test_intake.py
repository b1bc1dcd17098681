"""The web-form intake rules as a service (the HTTP side is in dialects/redmine/tests/test_webform.py)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from contacts.intake import TooManySubmissions, webform_count_submission, webform_redirect_allowed, webform_submit
from contacts.models import Contact, WebForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def form(project, alice):
    cache.clear()
    return WebForm.objects.create(
        project=project,
        name="Leads",
        created_by=alice,
        redirect_url="https://shop.example/ok",
        allowed_hosts=["a.example"],
    )


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://shop.example/thanks", True),
        ("http://A.example/x", True),
        ("https://shop.example.evil.example/", False),
        ("javascript:alert(1)", False),
        ("//shop.example/", False),
        ("", False),
    ],
)
def test_redirects_go_only_to_the_forms_hosts(form, url, allowed):
    assert webform_redirect_allowed(webform=form, url=url) is allowed


def test_the_rate_limit_counts_per_form_and_address(form):
    form.rate_limit_per_hour = 1
    webform_count_submission(webform=form, ip="10.0.0.1")
    webform_count_submission(webform=form, ip="10.0.0.2")
    with pytest.raises(TooManySubmissions):
        webform_count_submission(webform=form, ip="10.0.0.1")


def test_a_duplicate_is_looked_up_only_among_contacts_the_form_owner_sees_in_its_project(
    form, make_contact, other_project, outsider
):
    make_contact(
        user=outsider,
        first_name="Elsewhere",
        projects=[other_project],
        items=[{"kind": "email", "value": "a@x.example"}],
    )
    result = webform_submit(webform=form, fields={"first_name": "New", "email": "a@x.example"}, ip="10.0.0.9")
    assert result.created
    assert Contact.objects.filter(items__value="a@x.example").count() == 2


def test_a_blank_post_is_refused_naming_the_field(form):
    with pytest.raises(ValidationError) as caught:
        webform_submit(webform=form, fields={}, ip="10.0.0.9")
    assert "first_name" in caught.value.message_dict
