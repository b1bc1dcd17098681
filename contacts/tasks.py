"""Background tasks of the contacts app, run by the task worker (`manage.py db_worker`).

Each task is started by `contacts.jobs.job_start` with the id of its Job, reads what it needs
from `job.params`, and reports through the job (see contacts/jobs.py).
"""

from __future__ import annotations

import tempfile

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django_tasks import task

from contacts.exporters import EXPORT_LABELS, write_export
from contacts.importers import import_run, source_open
from contacts.importers.uploads import import_file_path, import_result
from contacts.jobs import job_finish, job_progress, job_run
from contacts.selectors import contact_count, contact_list


@task()
def contacts_import(*, job_id: int) -> None:
    """Import the uploaded file named in the job's params, with its mapping and options."""
    with job_run(job_id=job_id) as job:
        params = job.params
        user = get_user_model().objects.filter(pk=params.get("user")).first() if params.get("user") else None
        with import_file_path(params["file"]) as path:
            summary = import_run(
                source=source_open(path),
                targets=params.get("targets") or [],
                user=user,
                projects=params.get("projects") or [],
                update_existing=bool(params.get("update_existing")),
                match_target=params.get("match_target") or "",
                progress=lambda done, total: job_progress(job=job, done=done, total=total),
            )
        if summary.rejected_path is not None:
            with open(summary.rejected_path, "rb") as rejected:
                job_finish(job=job, result=import_result(summary), file_name="rejected-rows.csv", file=rejected)
            summary.rejected_path.unlink(missing_ok=True)
        else:
            job_finish(job=job, result=import_result(summary))


@task()
def contacts_export(*, job_id: int) -> None:
    """A large export: the job's user's contacts through the list's filters, written to the job's file.

    `params`: `format` ("csv" or "vcf") and `filters` (those of `contact_list`). The contacts are
    read again here, as the user sees them now; the file is written to disk a chunk at a time.
    """
    with job_run(job_id=job_id) as job:
        fmt = job.params["format"]
        user = job.user or AnonymousUser()
        contacts = contact_list(user=user, filters=job.params.get("filters") or {}, prefetch=False)
        total = contact_count(contacts)
        job_progress(job=job, done=0, total=total)
        written = [0]

        def progress(done: int) -> None:
            written[0] = done
            job_progress(job=job, done=done)

        with tempfile.TemporaryFile() as out:
            size = write_export(contacts, user=user, fmt=fmt, out=out, progress=progress)
            out.seek(0)
            # Contacts added or removed while the job ran: the file has what was read.
            job_progress(job=job, done=written[0], total=written[0])
            result = {"Contacts": written[0], "Format": EXPORT_LABELS[fmt], "Size": _size_text(size)}
            job_finish(job=job, result=result, file_name=f"contacts.{fmt}", file=out)


def _size_text(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / 1024 / 1024:.1f} MiB"
