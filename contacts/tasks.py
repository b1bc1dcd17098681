"""The background tasks of contacts, run by the task worker (`manage.py db_worker`).

Each is a module-level function taking only `job_id`: what to do is in the job's `params`.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django_tasks import task

from contacts.history import history_channel
from contacts.jobs import job_finish, job_progress, job_run
from contacts.models import Channel
from contacts.selectors import contact_count, contact_list_selection
from contacts.services.bulk import contact_bulk_apply


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
