"""Notes in Chromium: add one backdated, follow its link's safety, edit it, delete it."""

from __future__ import annotations

from contacts.models import Note
from contacts.services import contact_create
from contacts.tests.test_browser import browser, new_page, page, sign_in  # noqa: F401 (fixtures)
from contacts.tests.test_browser import pytestmark as browser_marks

pytestmark = browser_marks


def test_add_a_backdated_note_with_a_link_then_edit_and_delete_it(page, alice, project):  # noqa: F811
    from playwright.sync_api import expect

    ada = contact_create(user=alice, fields={"first_name": "Ada"}, projects=[project])
    sign_in(page)
    page.goto(ada.get_absolute_url())
    notes = page.locator("#notes")
    notes.get_by_label("Note", exact=True).fill("Spec at https://example.com/spec, see you.")
    notes.get_by_label("When").fill("2024-03-01T09:30")
    notes.get_by_role("button", name="Add note").click()
    link = notes.get_by_role("link", name="https://example.com/spec")
    expect(link).to_have_attribute("rel", "noopener nofollow")
    expect(notes.locator(".timeline-note time")).to_have_text("Mar 1, 2024 09:30")

    notes.get_by_role("link", name="Edit this note").click()
    page.get_by_label("Note", exact=True).fill("Spec moved to https://example.org/spec.")
    page.get_by_role("button", name="Save note").click()
    expect(page.locator("#messages")).to_contain_text("Note saved.")
    expect(page.locator("#notes").get_by_role("link", name="https://example.org/spec")).to_be_visible()
    assert Note.objects.get().content == "Spec moved to https://example.org/spec."

    page.locator("#notes").get_by_role("link", name="Delete this note").click()
    page.get_by_role("button", name="Delete note").click()
    expect(page.locator("#messages")).to_contain_text("Note deleted.")
    expect(page.locator("#notes .timeline-note")).to_have_count(0)
    assert not Note.objects.exists()
