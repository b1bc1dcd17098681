"""Background tasks of the contacts app, run by the task worker (see contacts.jobs)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from contacts.importers import import_run, source_open
from contacts.importers.uploads import import_file_path, import_result
from contacts.jobs import job_finish, job_progress, job_run


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
