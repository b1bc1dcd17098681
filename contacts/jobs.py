"""Background jobs: long work (imports, large exports, bulk actions) handed to a task worker.

A view calls `job_start` with a task and answers at once with the job page; the task, running on
a worker (`manage.py db_worker`), wraps its work in `job_run`, reports with `job_progress` and
leaves its summary and file with `job_finish`. The job row is what the page shows: status,
progress, result, error.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task

from contacts.models import Job

logger = logging.getLogger(__name__)

# Work over more contacts (or rows) than this runs as a job; less may run inside the request.
INLINE_LIMIT = 500


def job_start(
    *,
    user: AbstractBaseUser | None,
    kind: str,
    title: str,
    task: Task,
    params: dict[str, Any] | None = None,
) -> Job:
    """Store a queued job and enqueue `task(job_id=...)` for it.

    With the database backend the queued task is a row written in the same transaction as the job,
    so a worker never sees one without the other.
    """
    with transaction.atomic():
        job = Job.objects.create(user=user, kind=kind, title=title[:200], params=params or {})
        result = task.enqueue(job_id=job.pk)
        Job.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id))
    job.refresh_from_db()
    return job


@contextmanager
def job_run(*, job_id: int) -> Iterator[Job]:
    """Run the body as the work of job `job_id`: running, then done, or failed with the reason."""
    Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING, started_at=timezone.now())
    job = Job.objects.get(pk=job_id)
    try:
        yield job
    except Exception as exc:
        logger.exception("Job %s failed", job_id)
        reason = str(exc) or exc.__class__.__name__
        Job.objects.filter(pk=job_id).update(status=Job.Status.FAILED, error=reason, finished_at=timezone.now())
        raise
    job.refresh_from_db(fields=["total", "done"])
    done = job.total if job.total is not None else job.done
    Job.objects.filter(pk=job_id).update(status=Job.Status.DONE, done=done, finished_at=timezone.now())


def job_progress(*, job: Job, done: int, total: int | None = None) -> None:
    """Record how far the job is (one UPDATE; call it once a chunk, not once a row)."""
    job.done = done
    fields: dict[str, Any] = {"done": done}
    if total is not None:
        job.total = fields["total"] = total
    Job.objects.filter(pk=job.pk).update(**fields)


def job_finish(
    *,
    job: Job,
    result: dict[str, Any] | None = None,
    file_name: str | None = None,
    file: File | IO[bytes] | None = None,
) -> None:
    """Keep the job's summary and, where there is one, the file to download."""
    if result is not None:
        job.result = result
    if file is not None:
        name = file_name or getattr(file, "name", None) or f"job-{job.pk}"
        job.file_name = name.rsplit("/", 1)[-1][:200]
        job.file.save(job.file_name, file if isinstance(file, File) else File(file), save=False)
    job.save(update_fields=["result", "file", "file_name"])
