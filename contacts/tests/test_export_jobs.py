"""Large exports run as background jobs; small ones stream at once, both through the list's filters."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
import vobject
from django.test import Client
from django.urls import reverse

from contacts.models import Job

pytestmark = pytest.mark.django_db

CSV_URL = reverse("contacts:contact-export-csv")
VCF_URL = reverse("contacts:contact-export-vcard")


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def small_limit(monkeypatch: Any) -> int:
    """A job limit of 3 contacts, so a handful makes a large export."""
    from contacts.views import exports

    monkeypatch.setattr(exports, "INLINE_LIMIT", 3)
    return 3


@pytest.fixture
def crowd(make_contact: Any, outsider: Any) -> None:
    for i in range(4):
        make_contact(first_name=f"Vip{i}", tags=["vip"], items=[{"kind": "tel", "value": f"+1 202 555 010{i}"}])
    make_contact(first_name="Plain")
    make_contact(user=outsider, first_name="Secret", visibility="private", projects=[], tags=["vip"])


def test_a_small_export_streams_at_once_and_starts_no_job(crowd: None, alice_client: Client) -> None:
    response = alice_client.get(CSV_URL, {"q": "Plain"})
    assert response.streaming and "Plain" in response.getvalue().decode()
    assert not Job.objects.exists()


def test_a_large_export_asks_first_then_runs_as_a_job_with_a_download(
    crowd: None, small_limit: int, alice_client: Client, alice: Any, media: None
) -> None:
    page = alice_client.get(CSV_URL, {"tag": "vip"})
    assert page.status_code == 200 and b"Export 4 contacts as CSV?" in page.content
    assert not Job.objects.exists()  # a followed link starts nothing

    response = alice_client.post(f"{CSV_URL}?tag=vip")

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.kind, job.user, job.status, job.params) == (
        Job.Kind.EXPORT,
        alice,
        Job.Status.DONE,
        {"format": "csv", "filters": {"tags": "vip"}},
    )
    assert (job.done, job.total, job.result["Contacts"], job.result["Format"]) == (4, 4, 4, "CSV")
    assert b"Download contacts.csv" in alice_client.get(job.get_absolute_url()).content
    download = alice_client.get(reverse("jobs:job-download", args=[job.pk]))
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert sorted(r["First name"] for r in rows) == ["Vip0", "Vip1", "Vip2", "Vip3"]
    assert rows[0]["Phone 1"].startswith("'+1 202")


def test_a_large_vcard_export_is_a_job_too(crowd: None, small_limit: int, alice_client: Client, media: None) -> None:
    alice_client.post(VCF_URL)
    job = Job.objects.get()
    assert job.title == "vCard export of 5 contacts" and job.file_name == "contacts.vcf"
    download = alice_client.get(reverse("jobs:job-download", args=[job.pk]))
    cards = list(vobject.readComponents(b"".join(download.streaming_content).decode()))
    assert len(cards) == 5 and "Secret" not in {card.fn.value for card in cards}


def test_the_job_exports_what_its_user_may_see_and_only_its_owner_downloads_it(
    crowd: None, small_limit: int, client: Client, outsider: Any, alice: Any, media: None
) -> None:
    client.force_login(outsider)
    client.post(f"{CSV_URL}?tag=vip")
    job = Job.objects.get()
    assert job.result["Contacts"] == 5  # outsider sees the public four and their own private one

    client.force_login(alice)
    for name in ("jobs:job-detail", "jobs:job-status", "jobs:job-download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_the_job_rereads_the_contacts_through_the_stored_filters_when_it_runs(
    crowd: None, small_limit: int, alice_client: Client, make_contact: Any, settings: Any, media: None
) -> None:
    from contacts.tasks import contacts_export

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    alice_client.post(f"{CSV_URL}?tag=vip")
    job = Job.objects.get()
    assert job.status == Job.Status.QUEUED
    make_contact(first_name="Late", tags=["vip"])

    contacts_export.call(job_id=job.pk)  # what the worker runs

    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result["Contacts"] == 5
    assert b"Late" in job.file.read()


def test_an_export_needs_a_signed_in_user(client: Client) -> None:
    response = client.post(CSV_URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
