"""The UI in a real headless Chromium (Debian's), driven by Playwright.

One browser per module and a fresh context per test. The tests also take the
screenshots the README shows: `make screenshots` (UPDATE_SCREENSHOTS=1) writes
them to docs/screenshots/; otherwise they go to a temporary folder, so a test
run leaves the tree clean.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve

from contacts.models import Contact, ContactStage, ContactType, CustomField, Tag
from contacts.services import contact_create, note_create, webform_create
from contacts.webforms import webform_snippet
from projects.models import Membership
from projects.services import membership_set, project_create

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = (
    Path(settings.BASE_DIR) / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "crm-screenshots"
)
PASSWORD = "secret-pass-123"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"Chromium is not installed at {CHROMIUM}: apt-get install chromium to run the browser tests",
    ),
]


def intake_exists() -> bool:
    try:
        resolve("/redmine/contacts.json")
    except Resolver404:
        return False
    return True


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed").sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still plain synchronous code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """Open pages in fresh browser contexts: new_page(), or new_page(color_scheme="dark", width=390)."""
    contexts = []

    def open_page(*, color_scheme: str = "light", width: int = 1280) -> Any:
        context = browser.new_context(
            base_url=live_server.url, color_scheme=color_scheme, viewport={"width": width, "height": 900}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Any) -> Any:
    return new_page()


def sign_in(page: Any, username: str = "alice") -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))


def screenshot(page: Any, name: str, *, full_page: bool = True) -> None:
    """Save a PNG of the page; phone shots keep to the first screen (full_page=False), to stay small."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_load_state("networkidle")
    # A full-page shot of a scrolled page would paint the sticky top bar mid-page.
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


@pytest.fixture
def showcase(alice: Any, bob: Any, project: Any) -> dict[str, Any]:
    """A small, realistic data set, so the screenshots show what a team's CRM looks like."""
    sales = project_create(name="Sales", identifier="sales", description="Leads and deals.", creator=bob)
    membership_set(project=sales, user=alice, role=Membership.Role.MEMBER)
    acme = contact_create(
        user=alice,
        fields={"is_company": True, "name": "Acme Corporation", "industry": "Manufacturing"},
        items=[{"kind": "tel", "value": "+1 415 555 0100"}, {"kind": "url", "value": "https://acme.example.com"}],
        addresses=[{"street1": "1 Market St", "city": "San Francisco", "region": "CA", "country": "US"}],
        projects=[project],
        tags=["customer"],
    )
    people = [
        ("Grace", "Hopper", "CTO", ["vip", "customer"]),
        ("Alan", "Turing", "Research lead", ["partner"]),
        ("Katherine", "Johnson", "Head of analytics", ["vip"]),
        ("Linus", "Pauling", "Buyer", []),
        ("Barbara", "Liskov", "Architect", ["customer"]),
        ("Edsger", "Dijkstra", "Consultant", ["partner", "newsletter"]),
    ]
    client, _ = ContactType.objects.get_or_create(code="client", defaults={"name": "Client", "color": "#0891b2"})
    partner, _ = ContactType.objects.get_or_create(code="partner", defaults={"name": "Partner", "color": "#7c3aed"})
    hot, _ = ContactStage.objects.get_or_create(name="Hot", defaults={"color": "#dc2626"})
    contacts = []
    for index, (first, last, title, tags) in enumerate(people):
        contacts.append(
            contact_create(
                user=alice,
                fields={
                    "first_name": first,
                    "last_name": last,
                    "job_title": title,
                    "company": acme if index < 3 else None,
                    "assigned_to": alice if index % 2 == 0 else None,
                    "contact_type": partner if "partner" in tags else client,
                    "stage": hot if "vip" in tags else None,
                },
                items=[
                    {"kind": "tel", "tel_type": "cell", "value": f"+1 415 555 01{10 + index}"},
                    {"kind": "email", "value": f"{first.lower()}@example.com"},
                ],
                tags=tags,
                projects=[project],
            )
        )
    for name, color in (("vip", "#d97706"), ("customer", "#059669"), ("partner", "#2563eb"), ("newsletter", "#7c3aed")):
        Tag.objects.filter(name=name).update(color=color)
    note_create(contact=contacts[0], user=alice, kind="call", subject="Renewal", content="Wants the Pro plan from May.")
    note_create(contact=contacts[0], user=bob, kind="meeting", subject="Kick-off", content="Met the whole team.")
    note_create(contact=contacts[1], user=alice, content="Sent the brochure.")
    return {"acme": acme, "contacts": contacts, "sales": sales}


def test_sign_in_then_search_as_you_type(page, showcase):
    from playwright.sync_api import expect

    sign_in(page)
    expect(page.get_by_role("heading", name="Hello, Alice")).to_be_visible()
    screenshot(page, "dashboard")
    page.get_by_role("link", name="Contacts", exact=True).click()
    expect(page.locator("#results tbody tr")).to_have_count(7)
    screenshot(page, "contacts-list")
    page.locator("body").click()
    page.keyboard.press("/")
    expect(page.locator("#id_q")).to_be_focused()
    page.keyboard.type("hopp")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Grace Hopper")
    expect(page).to_have_url(re.compile(r"q=hopp"))
    page.locator("#id_q").fill("example.com turing")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Alan Turing")


def test_create_edit_note_tag_and_delete_a_contact(page, alice, project, license_field):
    from playwright.sync_api import expect

    CustomField.objects.create(name="Renewal date", field_format=CustomField.Format.DATE, position=2)
    sign_in(page)
    page.goto("/contacts/new/")
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Lovelace")
    page.locator("#id_items-0-value").fill("+44 20 7946 0018")
    page.get_by_role("button", name="+ Add phone, email or website").click()
    expect(page.locator("#items-rows .row")).to_have_count(3)
    page.locator("#id_items-2-tel_type").select_option("cell")
    page.locator("#id_items-2-value").fill("+44 7700 900123")
    page.locator("#id_items-1-value").fill("ada@example.com")
    page.get_by_label("License").select_option("Pro")
    page.get_by_label("Renewal date").fill("2027-05-01")
    page.get_by_label("Support").check()
    screenshot(page, "contact-form")
    page.get_by_role("button", name="Create person").click()
    expect(page.get_by_role("heading", name="Ada Lovelace")).to_be_visible()
    expect(page.locator("#messages")).to_contain_text("Ada Lovelace was created.")
    contact = Contact.objects.get(last_name="Lovelace")
    assert [(i.kind, i.tel_type, i.normalized) for i in contact.phones] == [
        ("tel", "voice", "+442079460018"),
        ("tel", "cell", "+447700900123"),
    ]
    assert sorted(v.value for v in contact.custom_values.all()) == ["2027-05-01", "Pro"]
    expect(page.locator('a[href="tel:+447700900123"]')).to_be_visible()

    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Job title").fill("Analyst")
    page.locator("#items-rows .row").nth(1).get_by_role("button", name="Remove this row").click()
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("#messages")).to_contain_text("Ada Lovelace was saved.")
    expect(page.locator(".profile")).to_contain_text("Analyst")
    assert not contact.emails

    page.evaluate("window.notReloaded = true")
    page.locator("#notes").get_by_label("Note").fill("Discussed the analytical engine.")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("#notes .timeline")).to_contain_text("Discussed the analytical engine.")
    expect(page.locator("#messages")).to_contain_text("Note added.")
    assert page.evaluate("window.notReloaded") is True

    page.get_by_label("Add tags").fill("vip")
    page.get_by_role("button", name="Add tag").click()
    expect(page.locator("#contact-tags")).to_contain_text("vip")
    screenshot(page, "contact-page")

    page.get_by_role("link", name="Delete", exact=True).click()
    page.get_by_role("button", name="Delete Ada Lovelace").click()
    expect(page.locator("#messages")).to_contain_text("Ada Lovelace was moved to the trash.")
    assert Contact.objects.get(pk=contact.pk).deleted_at is not None


def test_filter_by_tag_then_bulk_add_to_a_project(page, showcase):
    from playwright.sync_api import expect

    sales = showcase["sales"]
    sign_in(page)
    page.goto("/contacts/")
    page.get_by_label("Filter by tags").click()
    page.get_by_role("checkbox", name="vip", exact=True).check()
    page.keyboard.press("Escape")  # closes the tags menu
    expect(page.locator("#results tbody tr")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"tag=vip"))
    page.get_by_label("Select all on this page").check()
    expect(page.locator("[data-selected-count]")).to_have_text("2 selected")
    page.get_by_label("Bulk action").select_option("project")
    page.get_by_label("Project to add to").select_option(str(sales.pk))
    page.get_by_role("button", name="Apply to selected").click()
    expect(page.locator("#messages")).to_contain_text("Added 2 contacts to Sales.")
    assert sorted(c.first_name for c in sales.contacts.all()) == ["Grace", "Katherine"]
    page.goto(showcase["contacts"][0].projects.get(identifier="support").get_absolute_url())
    expect(page.get_by_role("heading", name="Members")).to_be_visible()


def test_project_page_dark_theme_and_phone_width(new_page, showcase, project):
    from playwright.sync_api import expect

    webform_create(project=project, name="Website leads", redirect_url="https://www.example.com/thanks")
    page = new_page()
    sign_in(page)
    page.goto(project.get_absolute_url())
    expect(page.locator(".snippet pre")).to_contain_text("/forms/")
    screenshot(page, "project-page")
    dark = new_page(color_scheme="dark")
    sign_in(dark)
    dark.goto(showcase["contacts"][0].get_absolute_url())
    assert dark.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(15, 17, 21)"
    screenshot(dark, "contact-page-dark")
    phone = new_page(width=390)
    sign_in(phone)
    phone.goto("/contacts/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "contacts-list-phone")


def test_the_main_pages_on_a_phone(new_page, showcase, project):
    webform_create(project=project, name="Website leads")
    phone = new_page(width=390)
    sign_in(phone)
    grace = showcase["contacts"][0]
    shots = {
        "dashboard-phone": "/",
        "contact-page-phone": grace.get_absolute_url(),
        "contact-form-phone": f"/contacts/{grace.pk}/edit/",
        "project-page-phone": project.get_absolute_url(),
    }
    for name, url in shots.items():
        phone.goto(url)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, url
        screenshot(phone, name, full_page=False)


@pytest.fixture
def other_origin(tmp_path: Path) -> Iterator[str]:
    """A second web server on another local port: the site a web form is embedded in."""
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.skipif(not intake_exists(), reason="the web-form intake /redmine/contacts.json is not mounted yet")
def test_web_form_embedded_on_another_origin_creates_the_contact(page, live_server, other_origin, tmp_path, project):
    webform = webform_create(project=project, name="Leads")
    snippet = webform_snippet(webform, base_url=live_server.url)
    (tmp_path / "index.html").write_text(f"<!doctype html><title>Shop</title><h1>Contact us</h1>{snippet}")
    page.goto(other_origin + "/index.html")
    page.get_by_label("First name").fill("Webby")
    page.get_by_label("Last name").fill("McForm")
    page.get_by_label("Email").fill("webby@example.com")
    page.get_by_role("button", name="Send").click()
    page.wait_for_load_state()
    contact = Contact.objects.get(first_name="Webby")
    assert list(contact.projects.all()) == [project]
    assert [e.value for e in contact.emails] == ["webby@example.com"]


def test_screenshots_of_a_web_form_on_another_site_and_of_its_error_page(
    new_page, live_server, other_origin, tmp_path, project
):
    plan = CustomField.objects.create(name="Plan", field_format=CustomField.Format.LIST, choices=["Basic", "Pro"])
    webform = webform_create(
        project=project,
        name="Leads",
        allowed_fields=["first_name", "last_name", "company", "email", "phone", "background"],
        use_script=True,
        allowed_origins=[other_origin],
    )
    webform.custom_fields.add(plan)
    snippet = webform_snippet(webform, base_url=live_server.url)
    style = (
        "body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem}"
        "input:not([type=submit]),select,textarea{width:100%;box-sizing:border-box;padding:.4rem}"
        ".crm-webform-error{color:#b91c1c}"
    )
    (tmp_path / "index.html").write_text(
        f"<!doctype html><meta name=viewport content='width=device-width'><title>Shop</title><style>{style}</style>"
        f"<h1>Contact us</h1>{snippet}"
    )
    for width, suffix in ((1280, ""), (390, "-phone")):
        page = new_page(width=width)
        page.goto(other_origin + "/index.html")
        page.get_by_label("First name").fill("Grace")
        page.get_by_label("Email").fill("grace@example.com")
        page.get_by_label("Phone").fill("call me")
        page.get_by_role("button", name="Send").click()
        page.locator(".crm-webform-error").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"web-form{suffix}", full_page=not suffix)


def test_pick_a_company_by_keyboard_share_a_private_contact_and_clear_the_company(page, alice, bob, project):
    from playwright.sync_api import expect

    acme = contact_create(user=alice, fields={"is_company": True, "name": "Acme Corporation"})
    contact_create(user=alice, fields={"is_company": True, "name": "Acme Labs"})
    contact_create(user=alice, fields={"is_company": True, "name": "Initech"})
    sign_in(page)
    page.goto("/contacts/new/")
    page.get_by_label("First name").fill("Grace")
    company = page.get_by_role("combobox", name="Company")
    company.press_sequentially("acme")
    options = page.get_by_role("listbox", name="Matching companies").get_by_role("option")
    expect(options).to_have_text(["Acme Corporation", "Acme Labs", "Create company \u2018acme\u2019\u2026"])
    expect(company).to_have_attribute("aria-expanded", "true")
    company.press("ArrowDown")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    expect(company).to_have_attribute("aria-activedescendant", "company-options-0")
    company.press("Enter")
    expect(company).to_have_value("Acme Corporation")
    expect(page.locator("input[name=company]")).to_have_value(str(acme.pk))
    expect(page.get_by_role("listbox", name="Matching companies")).to_be_hidden()

    access = page.get_by_text("Who else may see it")
    expect(access).to_be_hidden()
    page.get_by_label("Visibility").select_option("private")
    expect(access).to_be_visible()
    page.get_by_label("Bob Tester").check()
    page.get_by_role("button", name="Create person").click()
    expect(page.locator("#messages")).to_contain_text("Grace was created.")
    expect(page.locator("#access-list")).to_have_text("Bob Tester")
    grace = Contact.objects.get(first_name="Grace")
    assert grace.company == acme
    assert list(grace.access_list.all()) == [bob]

    page.get_by_role("link", name="Edit").click()
    expect(company).to_have_value("Acme Corporation")
    page.get_by_role("button", name="Clear the company").click()
    expect(company).to_be_focused()
    expect(company).to_have_value("")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("#messages")).to_contain_text("was saved.")
    grace.refresh_from_db()
    assert grace.company is None


def test_a_manager_creates_a_project_and_manages_its_members(page, alice, bob, project):
    from playwright.sync_api import expect

    sign_in(page)
    page.goto("/projects/")
    page.get_by_role("link", name="New project").click()
    page.get_by_label("Name").fill("Sales")
    page.get_by_label("Identifier").fill("sales")
    page.get_by_label("Description").fill("Leads and deals.")
    page.get_by_role("button", name="Create project").click()
    expect(page.locator("#messages")).to_contain_text("Project Sales was created; you manage it.")
    page.get_by_label("Username").fill("bob")
    page.get_by_label("Role", exact=True).select_option("viewer")
    page.get_by_role("button", name="Add member").click()
    expect(page.locator("#messages")).to_contain_text("bob is now viewer.")
    page.get_by_label("Role of alice", exact=True).select_option("member")
    page.get_by_role("button", name="Change the role of alice").click()
    expect(page.locator("#messages")).to_contain_text("A project needs at least one manager")
    page.get_by_label("Role of bob", exact=True).select_option("manager")
    page.get_by_role("button", name="Change the role of bob").click()
    expect(page.locator("#messages")).to_contain_text("bob is now manager.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Remove bob").click()
    expect(page.locator("#messages")).to_contain_text("bob was removed from Sales.")
    expect(page.locator("#members")).not_to_contain_text("Bob Tester")


def test_merge_a_firm_into_a_duplicate_picked_with_the_mouse(page, alice):
    from playwright.sync_api import expect

    source = contact_create(user=alice, fields={"is_company": True, "name": "Acme"})
    target = contact_create(user=alice, fields={"is_company": True, "name": "ACME"})
    sign_in(page)
    page.goto(f"/firms/{source.pk}/")
    page.get_by_role("combobox", name="Merge into").press_sequentially("acm")
    options = page.get_by_role("listbox", name="Matching companies").get_by_role("option")
    expect(options).to_have_text(["ACME"])
    options.first.click()
    expect(page.locator("input[name=target]")).to_have_value(str(target.pk))
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Merge").click()
    expect(page.locator("#messages")).to_contain_text("Acme was merged into ACME.")
    assert Contact.objects.get(pk=source.pk).deleted_at is not None  # merged away: in the trash
