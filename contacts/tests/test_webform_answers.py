"""What `/forms/<key>/` answers: pages for a visitor's browser, the JSON for scripts, CORS for the
form's allowed origins only."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from contacts.models import Contact, CustomField, Note
from contacts.services import webform_create

pytestmark = pytest.mark.django_db

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
SHOP = "https://shop.example"
TYPED = {
    "contact[first_name]": "Grace",
    "contact[last_name]": "Hopper",
    "contact[email]": "grace@navy.example",
    "contact[phone]": "+1 202 555 0143",
}

BLANK = TYPED | {"contact[first_name]": "", "contact[last_name]": ""}


@pytest.fixture
def license_field(db):
    return CustomField.objects.create(name="License", field_format=CustomField.Format.LIST, choices=["Basic", "Pro"])


@pytest.fixture
def form(project, alice, license_field):
    cache.clear()
    webform = webform_create(
        project=project,
        name="Leads",
        created_by=alice,
        allowed_fields=["first_name", "last_name", "email", "phone"],
        allowed_hosts=["shop.example"],
        thanks_text="Thanks, we will call you back within a day.",
    )
    webform.custom_fields.add(license_field)
    return webform


def post(form, data, *, accept: str = BROWSER_ACCEPT, referer: str = f"{SHOP}/contact-us", **headers):
    """Post as a browser on another site would: multipart, no CSRF token, no session."""
    body = {"key": form.key, "project_id": form.project.identifier, **data}
    headers = {"Accept": accept, "Origin": SHOP, "Referer": referer, **headers}
    return Client(enforce_csrf_checks=True).post(f"/forms/{form.key}/", body, headers=headers)


def test_a_browsers_post_gets_the_forms_thank_you_text_not_json(form):
    response = post(form, TYPED)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"Thanks, we will call you back within a day." in response.content
    assert b'href="https://shop.example/contact-us"' in response.content  # back to the page of the form
    assert Contact.objects.filter(first_name="Grace", source_webform=form).exists()


def test_a_browsers_post_goes_to_the_forms_thank_you_page_when_it_has_one(form):
    form.redirect_url = "https://shop.example/thanks"
    form.save()
    response = post(form, TYPED)
    assert (response.status_code, response["Location"]) == (303, "https://shop.example/thanks")
    chosen = post(form, TYPED | {"redirect_on_success": "https://shop.example/merci"})
    assert chosen["Location"] == "https://shop.example/merci"
    elsewhere = post(form, TYPED | {"redirect_on_success": "https://evil.example/"})
    assert elsewhere["Location"] == "https://shop.example/thanks"


def test_a_refused_post_names_what_to_fix_next_to_each_field_and_keeps_what_was_typed(form, license_field):
    response = post(
        form,
        {
            "contact[first_name]": "",
            "contact[email]": "not-an-email",
            "contact[phone]": "+1 202 555 0143",
            "contact[custom_fields][][id]": str(license_field.pk),
            "contact[custom_fields][][value]": "Gold",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    prefix = f"crm-{form.key[:8]}"
    assert "Please check the form" in html and "3 answers need fixing" in html
    assert f'<span class="crm-webform-error" id="{prefix}-first_name-error">First name cannot be blank.' in html
    assert f'id="{prefix}-email-error">not-an-email is not a valid email address.' in html
    assert f'id="{prefix}-cf{license_field.pk}-error">License: Gold is not one of the choices.' in html
    assert 'value="+1 202 555 0143"' in html and 'value="not-an-email"' in html
    assert f'action="http://testserver/forms/{form.key}/"' in html  # the re-filled form posts again
    assert not Contact.objects.exists()


def test_a_form_set_to_send_errors_back_returns_the_visitor_to_its_page(form):
    form.errors_back = True
    form.save()
    response = post(form, BLANK, referer=f"{SHOP}/contact-us?lang=en")
    assert response.status_code == 303
    location = urlsplit(response["Location"])
    assert (location.netloc, location.path) == ("shop.example", "/contact-us")
    assert parse_qs(location.query) == {"lang": ["en"], "webform_error[first_name]": ["First name cannot be blank."]}
    # What was typed stays out of the address (it would end up in server logs).
    assert "grace" not in response["Location"].lower()


def test_errors_are_never_sent_back_to_a_page_of_another_site(form):
    form.errors_back = True
    form.save()
    response = post(form, BLANK, referer="https://evil.example/form")
    assert response.status_code == 422
    assert b"First name cannot be blank." in response.content


def test_a_known_email_gets_the_same_page_as_a_new_one(form, make_contact, project):
    make_contact(first_name="Secret", items=[{"kind": "email", "value": "known@navy.example"}], projects=[project])
    known = post(form, TYPED | {"contact[email]": "known@navy.example"})
    new = post(form, TYPED | {"contact[email]": "new@navy.example"})
    assert (known.status_code, known.content) == (new.status_code, new.content)
    assert b"Secret" not in known.content
    assert Note.objects.get().contact.first_name == "Secret"


def test_a_filled_honeypot_gets_the_thank_you_page_and_stores_nothing(form):
    response = post(form, TYPED | {"website_url": "http://spam.example"})
    assert response.status_code == 200 and b"Thanks, we will call you back" in response.content
    assert not Contact.objects.exists()


@pytest.mark.parametrize("accept", ["application/json", "*/*", ""])
def test_scripts_and_api_clients_keep_getting_the_json_answers(form, accept):
    response = post(form, TYPED, accept=accept)
    assert response.status_code == 201
    receipt = {"id": None, "is_company": False, "first_name": "Grace", "last_name": "Hopper"}
    assert response.json() == {"contact": receipt}
    refused = post(form, BLANK | {"contact[email]": "blank@navy.example"}, accept=accept)
    assert (refused.status_code, refused.json()) == (422, {"errors": ["First name cannot be blank"]})


def test_the_redmine_route_answers_in_the_format_its_suffix_names(form):
    body = {"key": form.key, "project_id": form.project.identifier, **TYPED}
    response = Client().post("/redmine/contacts.json", body, headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 201
    assert response["Content-Type"].startswith("application/json")


def test_an_unknown_or_closed_form_gets_a_page(form):
    response = Client().post("/forms/not-a-key/", TYPED, headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 404
    assert b"This form does not exist, or is closed." in response.content
    form.is_active = False
    form.save()
    assert post(form, TYPED).status_code == 404
    assert not Contact.objects.exists()


def test_too_many_posts_get_a_page(form):
    form.rate_limit_per_hour = 1
    form.save()
    assert post(form, TYPED).status_code == 200
    response = post(form, TYPED | {"contact[email]": "other@navy.example"})
    assert response.status_code == 429
    assert b"Too many posts from your address" in response.content


def test_a_body_that_cannot_be_read_gets_a_page(form):
    response = Client().post(
        f"/forms/{form.key}/",
        b"contact[first_name]=Grace",
        content_type="multipart/form-data",
        headers={"Accept": BROWSER_ACCEPT},
    )
    assert response.status_code == 400
    assert b"The form could not be read" in response.content


def test_a_browsers_post_costs_a_bounded_number_of_queries(form, django_assert_max_num_queries):
    # The form, the custom fields (one read for the form's and the checks'), the tags; then one
    # transaction: the post's count, the duplicate check (and PostgreSQL's lock on the email) and
    # one INSERT per table.
    with django_assert_max_num_queries(10):
        assert post(form, TYPED).status_code == 200


# CORS: the form's script may read the answers from the form's allowed origins only.


def preflight(form, origin: str):
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "x-requested-with",
    }
    return Client().options(f"/forms/{form.key}/", headers=headers)


def test_no_origin_may_read_the_answers_by_default(form):
    answer = preflight(form, SHOP)
    assert answer.status_code == 204
    assert "Access-Control-Allow-Origin" not in answer and "Access-Control-Allow-Methods" not in answer
    assert "Access-Control-Allow-Origin" not in post(form, TYPED, accept="application/json")


def test_an_allowed_origin_passes_the_preflight_and_reads_the_answers(form):
    form.allowed_origins = [SHOP]
    form.save()
    answer = preflight(form, SHOP)
    assert answer.status_code == 204
    assert answer["Access-Control-Allow-Origin"] == SHOP
    assert answer["Access-Control-Allow-Methods"] == "POST"
    assert "x-requested-with" in answer["Access-Control-Allow-Headers"].lower()
    assert "Origin" in answer["Vary"]
    created = post(form, TYPED, accept="application/json")
    refused = post(form, BLANK, accept="application/json")
    assert created["Access-Control-Allow-Origin"] == refused["Access-Control-Allow-Origin"] == SHOP
    assert not Contact.objects.filter(first_name="").exists()


def test_another_origin_gets_no_cors_headers(form):
    form.allowed_origins = [SHOP]
    form.save()
    answer = preflight(form, "https://evil.example")
    assert "Access-Control-Allow-Origin" not in answer
    posted = post(form, TYPED, accept="application/json", Origin="https://evil.example")
    assert "Access-Control-Allow-Origin" not in posted


def test_a_preflight_stores_nothing_and_an_unknown_key_gets_no_cors_headers(form):
    form.allowed_origins = [SHOP]
    form.save()
    assert not Contact.objects.exists()
    answer = Client().options("/forms/not-a-key/", headers={"Origin": SHOP})
    assert "Access-Control-Allow-Origin" not in answer


def test_allowed_origins_must_be_origins(project):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        webform_create(project=project, name="x", allowed_origins=["https://shop.example/contact", "shop.example"])
    assert "allowed_origins" in caught.value.message_dict
    assert webform_create(project=project, name="y", allowed_origins=["http://127.0.0.1:8001"]).pk


@pytest.mark.parametrize("route", ["own", "alias"])
def test_a_scripted_posts_queries_are_one_read_each_and_one_insert_per_table(form, route, database_cache):
    # Scripts and the benchmark post urlencoded bodies to the form's route or to the Redmine alias.
    form.tags = "lead"
    form.save()
    url = f"/forms/{form.key}/" if route == "own" else "/redmine/contacts.json"

    def post(email: str) -> list[str]:
        body = {"key": form.key, "contact[first_name]": "Ada", "contact[email]": email}
        with CaptureQueriesContext(connection) as queries:
            response = Client().post(url, body, headers={"Accept": "application/json"})
        assert response.status_code == 201
        return [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]

    post("first@shop.example")  # the first lead adds the form's tag to the dictionary
    sql = post("ada@shop.example")
    # Each read by the table it reads from (the last FROM: the custom fields' has a subquery first).
    reads = [
        re.findall(r' FROM ("\w+")', text)[-1]
        for text in sql
        if text.startswith("SELECT") and "pg_advisory" not in text
    ]
    # The form (with its project and assignee), every custom field, the form's tags, the post's
    # count and the duplicate check; PostgreSQL adds the advisory lock on the email.
    assert reads == [
        '"contacts_webform"',
        '"contacts_customfield"',
        '"contacts_tag"',
        '"crm_cache"',
        '"contacts_contactitem"',
    ]
    writes = [text.split(" (")[0].split(" SET")[0] for text in sql if not text.startswith("SELECT")]
    assert writes == [
        'UPDATE "crm_cache"',
        'INSERT INTO "contacts_contact"',
        'INSERT INTO "contacts_contactitem"',
        'INSERT INTO "contacts_taggedcontact"',
        'INSERT INTO "contacts_contact_projects"',
        'INSERT INTO "contacts_contactchange"',
    ]
