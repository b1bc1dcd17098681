"""A real browser posts the documented form from another site's page to the intake."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from contacts.models import Contact
from dialects.redmine.tests.conftest import seed_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOP = "http://shop.example/contact-us"


def test_chromium_posts_the_seed_form_from_another_origin(live_server, webform):
    html = seed_form(webform).replace('action="/redmine', f'action="{live_server.url}/redmine')
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        # The form page is served as another site would serve it: a different origin than the CRM's.
        page.route(SHOP, lambda route: route.fulfill(body=html, content_type="text/html"))
        page.goto(SHOP)
        page.fill('input[name="contact[first_name]"]', "Grace")
        page.fill('input[name="contact[last_name]"]', "Hopper")
        page.fill('input[name="contact[email]"]', "grace@navy.example")
        page.fill('input[name="contact[tag_list]"]', "lead")
        page.fill('input[name="contact[custom_fields][][value]"]', "Pro")
        with page.expect_response(lambda r: r.url.startswith(live_server.url)) as answer:
            page.click('input[name="commit"]')
        status = answer.value.status
        browser.close()
    assert status == 201
    contact = Contact.objects.get(first_name="Grace")
    assert (list(contact.tags.names()), contact.custom_values.get().value) == (["lead"], "Pro")
