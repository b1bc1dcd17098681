"""Tasks the background worker runs (`manage.py db_worker`), one module-level function each."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from contacts.services import trash_purge_expired

# The queue has no cron: the trash purge queues its own next run this long after each run.
TRASH_PURGE_INTERVAL = timedelta(days=1)


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
