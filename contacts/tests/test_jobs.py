"""Background jobs: started from a view, run by a task, followed on the job page."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks import task

from contacts.jobs import job_finish, job_progress, job_run, job_start
from contacts.models import Job


@task()
def count_to(*, job_id: int) -> None:
    with job_run(job_id=job_id) as job:
        total = job.params["to"]
        for done in range(0, total + 1, 10):
            job_progress(job=job, done=done, total=total)
        job_finish(job=job, result={"Counted": total}, file_name="count.txt", file=io.BytesIO(b"1 2 3"))


@task()
def fail_halfway(*, job_id: int) -> None:
    with job_run(job_id=job_id) as job:
        job_progress(job=job, done=5, total=10)
        raise ValueError("Row 6: the file ends in the middle of a quoted field.")


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_a_job_runs_its_task_and_keeps_progress_result_and_file(alice: Any, media: None) -> None:
    job = job_start(user=alice, kind=Job.Kind.EXPORT, title="Count to 40", task=count_to, params={"to": 40})

    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == (Job.Status.DONE, 40, 40, 100)
    assert job.result == {"Counted": 40}
    assert job.file_name == "count.txt"
    assert job.file.read() == b"1 2 3"
    assert job.task_id
    assert job.started_at is not None and job.finished_at is not None


def test_a_failed_job_says_why(alice: Any) -> None:
    job = job_start(user=alice, kind=Job.Kind.IMPORT, title="Import", task=fail_halfway)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "Row 6: the file ends in the middle of a quoted field."
    assert (job.done, job.total, job.percent) == (5, 10, 50)


def test_the_database_worker_runs_a_queued_job(settings: Any, alice: Any, media: None) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    job = job_start(user=alice, kind=Job.Kind.EXPORT, title="Count to 20", task=count_to, params={"to": 20})
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    job.refresh_from_db()
    assert (job.status, job.done, job.result) == (Job.Status.DONE, 20, {"Counted": 20})


def test_the_job_page_and_its_status_show_progress_to_the_owner(alice_client: Client, alice: Any, media: None) -> None:
    job = job_start(user=alice, kind=Job.Kind.EXPORT, title="Count to 30", task=count_to, params={"to": 30})

    page = alice_client.get(reverse("jobs:job-detail", args=[job.pk]))
    status = alice_client.get(reverse("jobs:job-status", args=[job.pk])).json()
    listing = alice_client.get(reverse("jobs:job-list"))

    assert page.status_code == 200
    assert b"Count to 30" in page.content and b"Download count.txt" in page.content
    assert status == {
        "status": "done",
        "status_label": "Done",
        "done": 30,
        "total": 30,
        "percent": 100,
        "result": {"Counted": 30},
        "error": "",
        "download_url": reverse("jobs:job-download", args=[job.pk]),
        "finished": True,
    }
    assert b"Count to 30" in listing.content


def test_only_the_owner_sees_a_job_or_downloads_its_file(client: Client, alice: Any, bob: Any, media: None) -> None:
    job = job_start(user=alice, kind=Job.Kind.EXPORT, title="Count to 10", task=count_to, params={"to": 10})
    client.force_login(bob)

    for name in ("jobs:job-detail", "jobs:job-status", "jobs:job-download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert b"Count to 10" not in client.get(reverse("jobs:job-list")).content

    client.force_login(alice)
    download = client.get(reverse("jobs:job-download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"1 2 3"
    assert 'filename="count.txt"' in download["Content-Disposition"]


def test_a_job_page_needs_a_signed_in_user(client: Client, alice: Any) -> None:
    job = job_start(user=alice, kind=Job.Kind.IMPORT, title="Import", task=fail_halfway)

    response = client.get(reverse("jobs:job-detail", args=[job.pk]))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
