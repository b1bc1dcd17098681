"""Background tasks of the contacts app, run by the task worker (`manage.py db_worker`).

Each task is started by `contacts.jobs.job_start` with the id of its Job, reads what it needs
from `job.params`, and reports through the job (see contacts/jobs.py).
"""

from __future__ import annotations

import logging
import tempfile
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from contacts.duplicates import duplicate_scan_latest, duplicate_scan_stale
from contacts.exporters import EXPORT_LABELS, write_export
from contacts.history import history_channel
from contacts.importers import import_run, source_open
from contacts.importers.uploads import import_file_path, import_result
from contacts.jobs import job_finish, job_progress, job_run
from contacts.models import Channel, Contact, DuplicateScan, WebForm
from contacts.selectors import contact_count, contact_list, contact_list_selection
from contacts.services import duplicate_scan_run, trash_purge_expired
from contacts.services.bulk import contact_bulk_apply
from projects.models import Membership

logger = logging.getLogger(__name__)
User = get_user_model()

# The queue has no cron: the trash purge queues its own next run this long after each run.
TRASH_PURGE_INTERVAL = timedelta(days=1)


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


@task()
def trash_purge(*, reschedule: bool = True) -> int:
    """Purge the contacts whose time in the trash is over, then queue the next run a day later.

    Returns how many contacts were purged (kept as the task's result).
    """
    purged = trash_purge_expired()
    if reschedule:
        trash_purge_schedule(run_after=timezone.now() + TRASH_PURGE_INTERVAL)
    return purged


def trash_purge_schedule(*, run_after: datetime | None = None) -> bool:
    """Make sure a trash purge is queued, at `run_after` (now when None); returns whether one was
    queued. Nothing is queued on a backend without deferred tasks (the immediate one), nor when the
    database queue already holds a waiting purge (`manage.py purge_trash --schedule` starts the chain)."""
    backend = trash_purge.get_backend()
    if not backend.supports_defer:
        return False
    if isinstance(backend, DatabaseBackend):
        waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, backend_name=backend.alias)
        if waiting.filter(task_path=trash_purge.module_path).exists():
            return False
    trash_purge.using(run_after=run_after or timezone.now()).enqueue()
    return True


@task()
def duplicates_scan() -> int:
    """Look for duplicates among every live contact and keep what was found (`duplicate_scan_run`);
    returns the number of groups found (kept as the task's result)."""
    scan = duplicate_scan_run()
    return sum(len(groups) for groups in scan.groups.values())


def duplicates_scan_request() -> bool:
    """Queue a duplicate scan unless one already waits or runs in the database queue; returns
    whether one was queued (on the immediate backend it has then already run)."""
    backend = duplicates_scan.get_backend()
    if isinstance(backend, DatabaseBackend):
        queued = DBTaskResult.objects.filter(
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
            backend_name=backend.alias,
            task_path=duplicates_scan.module_path,
        )
        if queued.exists():
            return False
    duplicates_scan.enqueue()
    return True


def duplicates_scan_current() -> tuple[DuplicateScan | None, bool]:
    """The scan the duplicates page shows, and whether a newer one is on its way: a stale scan
    (`duplicate_scan_stale`) queues the next one, which a worker runs while the page shows this one."""
    scan = duplicate_scan_latest()
    if not duplicate_scan_stale(scan):
        return scan, False
    duplicates_scan_request()
    newest = duplicate_scan_latest()
    return newest, newest is None or (scan is not None and newest.pk == scan.pk)


@task()
def webform_lead_notice(*, webform_id: int, contact_id: int, base_url: str) -> None:
    """Email the managers of a web form's project about a new lead (queued by contacts.intake)."""
    webform = WebForm.objects.select_related("project").filter(pk=webform_id).first()
    contact = Contact.objects.filter(pk=contact_id).first()
    if webform is not None and contact is not None:  # either may be gone by the time the worker runs
        webform_notify_managers(webform=webform, contact=contact, base_url=base_url)


def webform_notify_managers(*, webform: WebForm, contact: Contact, base_url: str = "") -> int:
    """Email the managers of the form's project about a new lead; the number of mails sent.

    Called once the lead is committed. A mail that cannot be sent is logged, never raised:
    the visitor's post has already succeeded.
    """
    managers = User.objects.filter(
        memberships__project=webform.project_id, memberships__role=Membership.Role.MANAGER, is_active=True
    ).exclude(email="")
    recipients = sorted({user.email for user in managers})
    if not recipients:
        return 0
    context = {"webform": webform, "contact": contact, "link": f"{base_url.rstrip('/')}{contact.get_absolute_url()}"}
    subject = f"New lead from the web form {webform.name}: {contact.display_name}"
    try:
        send_mail(
            subject=" ".join(subject.split())[:200],
            message=render_to_string("webforms/lead_email.txt", context),
            from_email=None,
            recipient_list=recipients,
        )
    except Exception:  # any transport error: the lead is stored, only the notice is lost
        logger.exception("Could not email the managers of %s about lead %s", webform.project, contact.pk)
        return 0
    return len(recipients)


@task()
def contacts_bulk(*, job_id: int) -> None:
    """A bulk action of the contacts list over more contacts than a request should handle.

    params: `action`, `value` (see `contact_bulk_apply`), and the selection: `filters` (the
    list's `contact_list` filters) and `ids` (None for every matching contact).
    """
    with job_run(job_id=job_id) as job:
        params = job.params
        user = job.user or AnonymousUser()
        contacts = contact_list_selection(user=user, filters=params.get("filters"), ids=params.get("ids"))
        job_progress(job=job, done=0, total=contact_count(contacts))
        with history_channel(params.get("channel") or Channel.WEB):
            outcome = contact_bulk_apply(
                user=user,
                contacts=contacts,
                action=params["action"],
                value=params.get("value"),
                progress=lambda done: job_progress(job=job, done=done),
            )
        job_finish(job=job, result=outcome.summary())
