"""A visitor posts a web form from another site's page in Chromium, with and without its script.

The other site is a second web server on another local port (another origin than the CRM's).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from contacts.models import Contact
from contacts.services import webform_create
from contacts.tests.test_browser import CHROMIUM, browser, new_page, other_origin, page  # noqa: F401
from contacts.webforms import webform_snippet

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Chromium is not installed at {CHROMIUM}"),
]


def embed(tmp_path: Path, live_server: Any, webform: Any) -> None:
    """The other site's page with the form's snippet in it."""
    snippet = webform_snippet(webform, base_url=live_server.url)
    page_html = f"<!doctype html><html><head><title>Shop</title></head><body><h1>Contact us</h1>{snippet}</body></html>"
    (tmp_path / "contact.html").write_text(page_html)
    (tmp_path / "thanks.html").write_text("<!doctype html><title>Thanks</title><h1>Thanks from the shop</h1>")


def fill(tab: Any, *, first: str = "Webby", phone: str = "+1 415 555 0100") -> None:
    tab.get_by_label("First name").fill(first)
    tab.get_by_label("Email").fill("webby@example.com")
    tab.get_by_label("Phone").fill(phone)


@pytest.fixture
def form(project: Any) -> Any:
    return webform_create(
        project=project,
        name="Leads",
        allowed_fields=["first_name", "email", "phone"],
        thanks_text="Thanks, the shop will call you back.",
    )


def test_without_script_the_visitor_gets_the_thank_you_page(page, live_server, other_origin, tmp_path, form):  # noqa: F811
    embed(tmp_path, live_server, form)
    page.goto(other_origin + "/contact.html")
    fill(page)
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(f"{live_server.url}/forms/{form.key}/")
    assert "Thanks, the shop will call you back." in page.inner_text("body")
    assert page.get_by_role("link", name="Back to the site").count() == 0  # a page of no site of the form
    assert Contact.objects.filter(first_name="Webby", source_webform=form).count() == 1


def test_without_script_the_form_goes_to_its_own_thank_you_page(page, live_server, other_origin, tmp_path, form):  # noqa: F811
    form.redirect_url = other_origin + "/thanks.html"
    form.save()
    embed(tmp_path, live_server, form)
    page.goto(other_origin + "/contact.html")
    fill(page)
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(other_origin + "/thanks.html")
    assert page.inner_text("h1") == "Thanks from the shop"


def test_without_script_errors_come_back_on_a_page_that_keeps_what_was_typed(
    page,  # noqa: F811
    live_server,
    other_origin,  # noqa: F811
    tmp_path,
    form,
):
    embed(tmp_path, live_server, form)
    page.goto(other_origin + "/contact.html")
    fill(page, phone="call me maybe")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(f"{live_server.url}/forms/{form.key}/")
    assert "Please check the form" in page.inner_text("h1")
    phone = page.get_by_label("Phone")
    assert phone.get_attribute("aria-invalid") == "true"
    assert "call me maybe is not a valid phone number." in page.inner_text(f"#{phone.get_attribute('id')}-error")
    assert page.get_by_label("First name").input_value() == "Webby"
    assert not Contact.objects.exists()
    phone.fill("+1 415 555 0100")
    page.get_by_role("button", name="Send").click()
    page.wait_for_selector("text=Thanks, the shop will call you back.")
    assert Contact.objects.filter(first_name="Webby").count() == 1


def test_with_script_errors_and_thanks_show_in_place_for_an_allowed_origin(
    page,  # noqa: F811
    live_server,
    other_origin,  # noqa: F811
    tmp_path,
    form,
):
    form.use_script = True
    form.allowed_origins = [other_origin]
    form.save()
    embed(tmp_path, live_server, form)
    page.goto(other_origin + "/contact.html")
    fill(page, phone="call me maybe")
    page.get_by_role("button", name="Send").click()
    error = page.locator(".crm-webform-error")
    error.wait_for()
    assert error.inner_text() == "call me maybe is not a valid phone number"  # the JSON's own message
    assert page.get_by_label("Phone").get_attribute("aria-invalid") == "true"
    assert page.url == other_origin + "/contact.html"  # the visitor never left the page
    page.get_by_label("Phone").fill("+1 415 555 0100")
    page.get_by_role("button", name="Send").click()
    page.get_by_role("status").wait_for()
    assert page.get_by_role("status").inner_text() == "Thanks, the shop will call you back."
    assert page.url == other_origin + "/contact.html"
    assert Contact.objects.filter(first_name="Webby").count() == 1


def test_with_script_a_page_of_an_origin_the_form_does_not_allow_posts_the_ordinary_way(
    page,  # noqa: F811
    live_server,
    other_origin,  # noqa: F811
    tmp_path,
    form,
):
    form.use_script = True
    form.allowed_origins = ["https://shop.example"]
    form.save()
    embed(tmp_path, live_server, form)
    page.goto(other_origin + "/contact.html")
    fill(page)
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(f"{live_server.url}/forms/{form.key}/")
    assert "Thanks, the shop will call you back." in page.inner_text("body")
    # The refused preflight stopped the script's post: one contact, from the ordinary post.
    assert Contact.objects.filter(first_name="Webby").count() == 1
