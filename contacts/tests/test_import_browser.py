"""The import page in a real headless Chromium: upload, map, preview, run, follow the job, open the result."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from contacts.models import Contact
from contacts.tests.test_browser import CHROMIUM, browser, new_page, page, screenshot, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no Chromium")]

CSV = (
    "First Name;Last Name;E-mail Address;Mobile Phone;Interests\r\n"
    "Ada;Lovelace;ada@example.com;+44 7700 900123;maths\r\n"
    "Alan;Turing;not-an-email;;codes\r\n"
    "Grace;Hopper;grace@example.com;+1 202 555 0143;ships\r\n"
)


@contextmanager
def polls_held(tab: Any) -> Iterator[None]:
    """Runs the block while the job page asks the server nothing.

    On SQLite the live server shares the test's in-memory database connection, so a status poll served
    while the worker writes the job fails with "database table is locked". A poll that starts once the
    route is in place waits in the browser until Playwright next runs (its handlers run only then), and
    waiting for one poll's answer first leaves none in flight.
    """
    pattern = re.compile(r"/jobs/\d+/status\.json$")
    tab.route(pattern, lambda route: route.continue_())
    with tab.expect_response(pattern):
        pass
    try:
        yield
    finally:
        tab.unroute(pattern)


def test_upload_map_preview_run_and_follow_the_import_job(page, alice, project, settings, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}  # a worker runs it
    path = tmp_path / "people.csv"
    path.write_bytes(CSV.encode("cp1252"))
    sign_in(page)
    page.get_by_role("link", name="Import", exact=True).first.click()
    page.get_by_label("CSV or vCard file").set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()

    expect(page.get_by_text("semicolon-separated")).to_be_visible()
    expect(page.get_by_label("Mobile Phone")).to_have_value("tel.1:work cell")
    expect(page.locator("[data-import=unmapped]")).to_contain_text("Interests")
    page.get_by_label("Interests").select_option("tags")
    page.get_by_label("Support").check()
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("[data-import=preview]")).to_contain_text("not-an-email is not a valid email address.")
    screenshot(page, "import-mapping")
    page.get_by_role("button", name="Import", exact=True).click()

    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    expect(page.locator("[data-job=status]")).to_have_text("Queued")
    with polls_held(page):
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    expect(page.locator("[data-job=status]")).to_have_text("Done")
    expect(page.locator("[data-job=count]")).to_have_text("3 of 3")
    expect(page.locator("[data-job=result]")).to_contain_text("Row 3")
    with page.expect_download() as download:
        page.locator("[data-job=download] a").click()
    assert "not-an-email" in download.value.path().read_text(encoding="utf-8-sig")
    assert sorted(Contact.objects.values_list("last_name", flat=True)) == ["Hopper", "Lovelace"]
    assert sorted(Contact.objects.get(last_name="Lovelace").tags.names()) == ["maths"]
