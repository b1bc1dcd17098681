"""The contacts list in a real headless Chromium: select every matching contact, act on them; save a view, pick it."""

from __future__ import annotations

import re
from typing import Any

import pytest

from contacts.models import Contact, ContactStage
from contacts.services import contact_create
from contacts.tests.test_browser import (  # noqa: F401 (fixtures)
    CHROMIUM,
    browser,
    new_page,
    page,
    screenshot,
    sign_in,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not __import__("pathlib").Path(CHROMIUM).exists(), reason=f"Chromium is not at {CHROMIUM}"),
]


@pytest.fixture
def thirty(alice: Any, project: Any) -> list[Contact]:
    """30 vip contacts, more than the first page holds, and two others."""
    made = [
        contact_create(
            user=alice, fields={"first_name": f"Vip{n:02}", "last_name": "Lead"}, tags=["vip"], projects=[project]
        )
        for n in range(30)
    ]
    for name in ("Plain", "Other"):
        contact_create(user=alice, fields={"first_name": name, "last_name": "Person"}, projects=[project])
    return made


def test_select_every_matching_contact_and_change_their_stage(page, thirty):  # noqa: F811
    from playwright.sync_api import expect

    hot = ContactStage.objects.get_or_create(name="Hot")[0]
    sign_in(page)
    page.goto("/contacts/?tag=vip")
    expect(page.locator("#results tbody tr")).to_have_count(25)
    page.get_by_label("Select all on this page").check()
    expect(page.locator("[data-selected-count]")).to_have_text("25 selected")
    page.get_by_role("button", name="Select all 30 matching").click()
    expect(page.locator("[data-selected-count]")).to_have_text("All 30 selected")
    page.get_by_label("Bulk action").select_option("stage")
    page.get_by_label("New stage").select_option(str(hot.pk))
    screenshot(page, "contacts-list-select-all")
    page.get_by_role("button", name="Apply to all 30").click()
    expect(page.locator("#messages")).to_contain_text("Changed the stage of 30 contacts to Hot.")
    assert Contact.objects.filter(stage=hot).count() == 30
    assert not Contact.objects.filter(last_name="Person", stage=hot).exists()


def test_sort_by_a_column_save_the_view_and_pick_it_from_the_menu(page, thirty):  # noqa: F811
    from playwright.sync_api import expect

    sign_in(page)
    page.goto("/contacts/")
    page.get_by_label("Filter by tags").click()
    page.get_by_role("checkbox", name="vip", exact=True).check()
    expect(page).to_have_url(re.compile(r"tag=vip"))
    expect(page.locator("#results tbody tr")).to_have_count(25)
    page.keyboard.press("Escape")  # closes the tags menu
    expect(page.locator("details[data-dropdown][open]")).to_have_count(0)
    page.get_by_role("link", name="Name").click()
    expect(page).to_have_url(re.compile(r"sort=-name"))
    expect(page.locator("#results tbody tr").first).to_contain_text("Vip29 Lead")
    page.locator(".views-menu summary").click()
    page.get_by_label("Save this view as").fill("Vips, newest name first")
    screenshot(page, "contacts-list-views")
    page.get_by_role("button", name="Save view").click()
    expect(page.locator("#messages")).to_contain_text("View Vips, newest name first saved.")
    page.goto("/contacts/")
    expect(page.locator("#results tbody tr")).to_have_count(25)
    expect(page.locator("#results tbody tr").first).to_contain_text("Other Person")
    page.locator(".views-menu summary").click()
    page.get_by_role("list", name="Saved views").get_by_role("link", name="Vips, newest name first").click()
    expect(page.locator(".views-menu summary")).to_have_text("View: Vips, newest name first")
    expect(page.locator("#results tbody tr").first).to_contain_text("Vip29 Lead")
    expect(page).to_have_url(re.compile(r"tag=vip&.*sort=-name&view=\d+"))
