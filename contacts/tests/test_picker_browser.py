"""The company picker in Chromium: creating a company from a name nobody has, by keyboard."""

from __future__ import annotations

from contacts.models import Contact
from contacts.services import contact_create
from contacts.tests.test_browser import browser, new_page, page, sign_in  # noqa: F401 (fixtures)
from contacts.tests.test_browser import pytestmark as browser_marks

pytestmark = browser_marks


def test_an_unknown_name_becomes_a_new_company_after_a_confirmation(page, alice, project):  # noqa: F811
    from playwright.sync_api import expect

    contact_create(user=alice, fields={"is_company": True, "name": "Acme Labs"})
    sign_in(page)
    page.goto("/contacts/new/")
    page.get_by_label("First name").fill("Grace")
    company = page.get_by_role("combobox", name="Company")
    company.press_sequentially("Acme")
    options = page.get_by_role("listbox", name="Matching companies").get_by_role("option")
    expect(options).to_have_text(["Acme Labs", "Create company \u2018Acme\u2019\u2026"])
    dialogs: list[str] = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    company.press("ArrowUp")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    company.press("Enter")
    created = Contact.objects.filter(is_company=True, name="Acme")
    expect(page.locator("[data-company-status]")).to_have_text("Acme created and chosen.")
    assert dialogs == ["Create company 'Acme'?"]
    acme = created.get()
    expect(page.locator("input[name=company]")).to_have_value(str(acme.pk))
    expect(company).to_have_value("Acme")
    expect(company).to_be_focused()
    page.get_by_role("button", name="Create person").click()
    expect(page.locator("#messages")).to_contain_text("Grace was created.")
    assert Contact.objects.get(first_name="Grace").company == acme


def test_declining_the_confirmation_creates_nothing(page, alice, project):  # noqa: F811
    from playwright.sync_api import expect

    sign_in(page)
    page.goto("/contacts/new/")
    company = page.get_by_role("combobox", name="Company")
    company.press_sequentially("Initech")
    option = page.get_by_role("option", name="Create company \u2018Initech\u2019\u2026")
    expect(option).to_be_visible()
    page.on("dialog", lambda dialog: dialog.dismiss())
    option.dispatch_event("mousedown")
    expect(page.get_by_role("listbox", name="Matching companies")).to_be_hidden()
    expect(page.locator("input[name=company]")).to_have_value("")
    assert not Contact.objects.filter(is_company=True).exists()
