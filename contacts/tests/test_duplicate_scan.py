"""The duplicates page reads a kept scan: when a scan runs, when it is stale, what shows at once and
what waits for the next scan, and the database queue's one-at-a-time scans."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from contacts.duplicates import RESCAN_AFTER, duplicate_scan_latest, duplicate_scan_stale
from contacts.models import Contact, ContactItem, DuplicateScan
from contacts.services import contact_create, contact_delete, duplicate_scan_run

pytestmark = pytest.mark.django_db

PAGE = reverse("contacts:duplicate-list")


def person(user: Any, first: str, last: str, email: str) -> Contact:
    return contact_create(
        user=user, fields={"first_name": first, "last_name": last}, items=[{"kind": "email", "value": email}]
    )


def grouping_queries(ctx: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if "GROUP BY" in q["sql"].upper()]


def test_the_first_visit_scans_and_later_visits_read_the_kept_scan_without_grouping(alice_client, alice):
    person(alice, "Ada", "Lovelace", "ada@example.com")
    person(alice, "Ann", "Other", "ada@example.com")
    first = alice_client.get(PAGE).content.decode()
    assert "Ada Lovelace" in first and "Ann Other" in first
    scan = duplicate_scan_latest()
    assert scan is not None and scan.finished_at is not None
    with CaptureQueriesContext(connection) as ctx:
        again = alice_client.get(PAGE).content.decode()
    assert "Ada Lovelace" in again and "Checked" in again and "Looking for" not in again
    assert grouping_queries(ctx) == []
    assert duplicate_scan_latest().pk == scan.pk
    assert DuplicateScan.objects.count() == 1


def test_a_new_contact_makes_the_scan_stale_and_the_next_visit_shows_its_pair(alice_client, alice):
    person(alice, "Ada", "Lovelace", "ada@example.com")
    assert "No likely duplicates" in alice_client.get(PAGE).content.decode()
    scan = duplicate_scan_latest()
    person(alice, "Ann", "Other", "ada@example.com")
    assert duplicate_scan_stale(scan)
    assert "Ann Other" in alice_client.get(PAGE).content.decode()
    assert duplicate_scan_latest().pk != scan.pk
    assert DuplicateScan.objects.count() == 1  # the older scan went


def test_an_item_added_without_touching_its_contact_makes_the_scan_stale(alice):
    ada = person(alice, "Ada", "Lovelace", "ada@example.com")
    ann = person(alice, "Ann", "Other", "ann@example.com")
    scan = duplicate_scan_run()
    assert not duplicate_scan_stale(scan)
    ContactItem.objects.bulk_create(
        [ContactItem(contact=ann, kind="email", value="ada@example.com", normalized="ada@example.com")]
    )
    assert duplicate_scan_stale(scan)
    assert [ada.pk, ann.pk] in duplicate_scan_run().groups["email"]


def test_a_scan_older_than_a_day_is_stale_whatever_changed(alice):
    person(alice, "Ada", "Lovelace", "ada@example.com")
    scan = duplicate_scan_run()
    assert not duplicate_scan_stale(scan)
    DuplicateScan.objects.filter(pk=scan.pk).update(started_at=timezone.now() - RESCAN_AFTER - timedelta(minutes=1))
    scan.refresh_from_db()
    assert duplicate_scan_stale(scan)
    assert duplicate_scan_stale(None)


def test_a_trashed_contact_leaves_its_pairs_at_once_without_a_new_scan(alice_client, alice):
    person(alice, "Ada", "Lovelace", "ada@example.com")
    ann = person(alice, "Ann", "Other", "ada@example.com")
    alice_client.get(PAGE)
    groups = duplicate_scan_latest().groups
    contact_delete(contact=ann, user=alice)
    assert duplicate_scan_latest().groups == groups
    assert "Ann Other" not in alice_client.get(PAGE).content.decode()


def test_with_a_worker_a_stale_page_shows_the_last_scan_and_queues_one_scan_however_often_it_is_opened(
    settings, alice_client, alice
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    person(alice, "Ada", "Lovelace", "ada@example.com")
    person(alice, "Ann", "Other", "ada@example.com")
    first = alice_client.get(PAGE).content.decode()
    assert "Looking for duplicates" in first and "Ada Lovelace" not in first
    duplicate_scan_run()  # what the worker does
    DBTaskResult.objects.all().delete()
    person(alice, "Bea", "Third", "bea@example.com")
    for _ in range(3):
        page = alice_client.get(PAGE).content.decode()
        assert "Ada Lovelace" in page and "Looking for changes since then" in page
    assert DBTaskResult.objects.filter(task_path__endswith="duplicates_scan").count() == 1


def test_check_again_queues_a_scan_and_says_so(settings, alice_client, alice):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    response = alice_client.post(reverse("contacts:duplicate-scan"), follow=True)
    assert "Looking for duplicates again." in response.content.decode()
    again = alice_client.post(reverse("contacts:duplicate-scan"), follow=True)
    assert "already under way" in again.content.decode()
    assert DBTaskResult.objects.filter(task_path__endswith="duplicates_scan").count() == 1
    assert alice_client.get(reverse("contacts:duplicate-scan")).status_code == 405


def test_check_again_runs_at_once_without_a_worker(alice_client, alice):
    person(alice, "Ada", "Lovelace", "ada@example.com")
    scan = duplicate_scan_run()
    alice_client.post(reverse("contacts:duplicate-scan"))
    assert duplicate_scan_latest().pk != scan.pk


def test_the_duplicates_page_needs_a_sign_in(client):
    assert client.get(PAGE).status_code == 302
    assert client.post(reverse("contacts:duplicate-scan")).status_code == 302
    assert not DuplicateScan.objects.exists()
