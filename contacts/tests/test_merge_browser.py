"""The duplicates flow in a real headless Chromium: the editor's live warning, then from the
duplicates page pick fields, merge, and undo from the survivor's page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from contacts.models import Contact
from contacts.services import contact_create
from contacts.tests.test_browser import CHROMIUM, browser, new_page, page, sign_in  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Chromium is not installed at {CHROMIUM}"),
]


def test_pick_fields_merge_and_undo(page, alice, project):  # noqa: F811 (the fixture)
    from playwright.sync_api import expect

    ada = contact_create(
        user=alice,
        fields={"first_name": "Ada", "last_name": "Lovelace"},
        items=[{"kind": "email", "value": "ada@example.com"}],
        projects=[project],
    )
    twin = contact_create(
        user=alice,
        fields={"first_name": "Ada", "last_name": "King", "job_title": "Countess"},
        items=[{"kind": "email", "value": "ADA@example.com"}, {"kind": "tel", "value": "+44 20 7946 0000"}],
        projects=[project],
    )
    sign_in(page)
    page.goto("/contacts/duplicates/")
    row = page.locator("tr", has_text="Same email")
    expect(row).to_contain_text("Ada Lovelace")
    row.get_by_role("link", name="Merge").click()
    expect(page.get_by_role("heading", name="Merge 2 persons")).to_be_visible()
    page.get_by_label("King").check()
    page.get_by_role("button", name="Merge").click()
    page.wait_for_url(re.compile(rf"/contacts/{ada.pk}/$"))
    expect(page.get_by_role("heading", name="Ada King")).to_be_visible()
    expect(page.locator(".merge-banner")).to_contain_text("Merged from Ada King")
    expect(page.locator("#reach-h + ul")).to_contain_text("+44 20 7946 0000")
    assert Contact.objects.get(pk=twin.pk).deleted_at is not None
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".merge-banner").get_by_role("button", name="Undo").click()
    expect(page.locator(".messages")).to_contain_text("The merge was undone")
    expect(page.get_by_role("heading", name="Ada Lovelace")).to_be_visible()
    expect(page.locator(".merge-banner")).to_have_count(0)
    assert Contact.objects.get(pk=twin.pk).job_title == "Countess"


def test_the_editor_warns_while_typing_and_saves_anyway(page, alice, project):  # noqa: F811 (the fixture)
    from playwright.sync_api import expect

    ada = contact_create(
        user=alice, fields={"first_name": "Ada"}, items=[{"kind": "email", "value": "ada@example.com"}], projects=[]
    )
    sign_in(page)
    page.goto("/contacts/new/")
    page.get_by_label("First name").fill("Ann")
    page.locator("input[name='items-1-value']").fill("Ada@Example.com")
    live = page.locator("#duplicate-live")
    expect(live).to_contain_text("Ada")
    expect(live).to_contain_text("Same email")
    expect(live.get_by_role("link", name="Ada")).to_have_attribute("href", ada.get_absolute_url())
    page.get_by_role("button", name="Create person").click()
    expect(page.locator("#duplicate-warning")).to_contain_text("Same email")
    page.get_by_role("button", name="Save anyway").click()
    expect(page.get_by_role("heading", name="Ann")).to_be_visible()
    assert Contact.objects.filter(first_name="Ann").exists()
