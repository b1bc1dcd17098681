"""Background tasks of the contacts app, run by the task worker (`manage.py db_worker`)."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task

from contacts.models import Contact, WebForm
from projects.models import Membership

logger = logging.getLogger(__name__)
User = get_user_model()


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
