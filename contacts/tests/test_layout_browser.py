"""Long words never break the layout: a 200-character name, email, URL or tag wraps or is cut short
(with the whole text on hover) on every main page, at desktop (1280 px) and phone (390 px) widths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from contacts.models import Tag
from contacts.services import contact_create, note_create
from contacts.tests.test_browser import CHROMIUM, PASSWORD, browser, new_page  # noqa: F401
from projects.services import project_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Chromium is not installed at {CHROMIUM}"),
]

WORD = "Supercalifragilistic" * 10  # 200 characters, no space to break at
EMAIL = f"{'e' * 60}@{'d' * 60}.{'c' * 60}.example"
URL = f"https://{'u' * 60}.example/{'p' * 130}"
TAG = "t" * 100  # the longest tag name


@pytest.fixture
def long_words(alice: Any) -> dict[str, Any]:
    project = project_create(name=f"Project {WORD}", identifier="long", description=WORD, creator=alice)
    firm = contact_create(
        user=alice,
        fields={"is_company": True, "name": f"Firm {WORD}", "industry": WORD},
        items=[{"kind": "url", "value": URL}, {"kind": "email", "value": EMAIL}],
        projects=[project],
        tags=[TAG],
    )
    person = contact_create(
        user=alice,
        fields={"first_name": WORD, "last_name": WORD, "job_title": WORD, "company": firm},
        items=[
            {"kind": "tel", "value": "+1 415 555 0100"},
            {"kind": "email", "value": EMAIL},
            {"kind": "url", "value": URL},
        ],
        projects=[project],
        tags=[TAG, "vip"],
    )
    Tag.objects.filter(name=TAG).update(color="#2563eb")
    note_create(contact=person, user=alice, kind="call", subject=WORD, content=f"Called about {WORD} and {URL}.")
    return {"project": project, "firm": firm, "person": person}


def signed_in(new_page: Any, width: int) -> Any:  # noqa: F811
    page = new_page(width=width)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    return page


def pages(data: dict[str, Any]) -> list[str]:
    person, firm, project = data["person"], data["firm"], data["project"]
    return [
        "/",
        "/contacts/",
        f"/contacts/{person.pk}/",
        f"/contacts/{person.pk}/edit/",
        f"/contacts/{firm.pk}/",
        "/firms/",
        f"/firms/{firm.pk}/",
        "/projects/",
        f"/projects/{project.pk}/",
        "/tags/",
    ]


def overflowing(page: Any) -> list[str]:
    """The elements that stick out on the right of the viewport (what makes a page scroll sideways)."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const out = [];
          for (const el of document.querySelectorAll('body *')) {
            if (el.closest('.table-wrap, pre, textarea, .nav')) continue;
            const box = el.getBoundingClientRect();
            if (box.width && box.right > width + 1) out.push(`${el.tagName}.${el.className} ${Math.round(box.right)}`);
          }
          return out.slice(0, 5);
        }"""
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_no_page_is_wider_than_the_viewport_with_200_character_words(new_page, long_words, width):  # noqa: F811
    page = signed_in(new_page, width)
    too_wide = []
    for url in pages(long_words):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide.append((url, scroll_width, overflowing(page)))
    assert too_wide == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_contacts_list_keeps_its_columns_in_view_and_shows_the_whole_text_on_hover(new_page, long_words, width):  # noqa: F811
    page = signed_in(new_page, width)
    page.goto("/contacts/")
    row = page.locator("tbody tr", has_text="+1 415 555 0100")
    table_right = page.evaluate("document.querySelector('.table-wrap').getBoundingClientRect().right")
    assert table_right <= width
    # The table itself fits: nothing to scroll sideways inside it either.
    assert page.evaluate(
        "(() => { const w = document.querySelector('.table-wrap'); return w.scrollWidth <= w.clientWidth; })()"
    )
    # One of each is in view: in its column on a desktop, under the name on a phone.
    phone = row.locator('a[href^="tel:"]:visible')
    email = row.locator('a[href^="mailto:"]:visible')
    for link in (phone, email):
        assert link.is_visible()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1
    name = row.locator(".name-cell a").first
    assert name.get_attribute("title") == f"{WORD} {WORD}"
    assert email.get_attribute("title") == EMAIL
    if width == 1280:
        for text in ("Firm " + WORD, TAG):
            cell = row.locator(f'a[title="{text}"]:visible')
            assert cell.is_visible() and cell.get_attribute("title") == text
