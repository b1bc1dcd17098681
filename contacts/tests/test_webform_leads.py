"""Leads a web form makes: who made them (the form, not its creator) and the managers' notice."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from contacts import intake
from contacts.history import current_channel
from contacts.intake import webform_submit
from contacts.models import Channel, Contact, ContactChange
from contacts.services import apikey_get_or_create, webform_create
from contacts.tasks import webform_notify_managers
from projects.models import Membership
from projects.services import membership_set

pytestmark = pytest.mark.django_db

TYPED = {"first_name": "Grace", "last_name": "Hopper", "company": "Navy Labs", "email": "grace@navy.example"}


@pytest.fixture
def form(project, alice):
    cache.clear()
    return webform_create(
        project=project,
        name="Spring campaign",
        created_by=alice,
        allowed_fields=["first_name", "last_name", "company", "email"],
    )


def submit(form, fields=TYPED, **extra):
    return webform_submit(webform=form, fields=fields, ip="10.0.0.1", base_url="https://crm.example/", **extra)


def test_a_lead_has_no_author_and_names_its_web_form(form):
    lead = submit(form).contact
    lead.refresh_from_db()
    assert (lead.author, lead.source_webform) == (None, form)
    assert (lead.company.author, lead.company.source_webform) == (None, form)


def test_the_contact_page_shows_the_web_form_as_its_maker_at_no_extra_query(form, alice, bob, make_contact):
    lead = submit(form, {"first_name": "Grace", "email": "grace@navy.example"}).contact
    written = make_contact(
        user=bob, first_name="Ada", items=[{"kind": "email", "value": "ada@x.example"}], projects=[form.project]
    )
    client = Client()
    client.force_login(alice)
    client.get(written.get_absolute_url())  # the session and the first-visit reads
    with CaptureQueriesContext(connection) as for_written:
        client.get(written.get_absolute_url())
    with CaptureQueriesContext(connection) as for_lead:
        response = client.get(lead.get_absolute_url())
    html = response.content.decode()
    assert "Web form: Spring campaign" in html
    assert "by Alice" not in html
    extra = [q["sql"] for q in for_lead.captured_queries[len(for_written) :]]
    assert len(for_lead) <= len(for_written), extra


def test_a_contact_someone_wrote_still_shows_its_author(alice, make_contact):
    contact = make_contact(first_name="Ada")
    client = Client()
    client.force_login(alice)
    html = client.get(contact.get_absolute_url()).content.decode()
    assert "Web form:" not in html and "by Alice Tester" in html


def test_the_redmine_and_onlyoffice_dialects_show_a_lead_as_a_contact_without_author(form, alice):
    lead = submit(form).contact
    client = APIClient()
    client.credentials(HTTP_X_REDMINE_API_KEY=apikey_get_or_create(user=alice).key)
    redmine = client.get(f"/redmine/contacts/{lead.pk}.json").json()["contact"]
    assert "author" not in redmine
    only = APIClient()
    only.credentials(HTTP_AUTHORIZATION=apikey_get_or_create(user=alice).key)
    assert only.get(f"/api/2.0/crm/contact/{lead.pk}").json()["response"]["CreateBy"] is None


def test_managers_are_emailed_about_a_new_lead_once_it_is_committed(form, bob, django_capture_on_commit_callbacks):
    form.notify_managers = True
    form.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        lead = submit(form).contact
        assert mail.outbox == []  # nothing before the commit
    assert len(callbacks) == 1
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"]  # the manager; bob is a member
    assert "Spring campaign" in message.subject and "Grace Hopper" in message.subject
    assert "Spring campaign" in message.body and "Grace Hopper" in message.body
    assert f"https://crm.example/contacts/{lead.pk}/" in message.body


def test_no_email_by_default_nor_for_a_known_email(form, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(form)
    assert mail.outbox == []
    form.notify_managers = True
    form.save()
    with django_capture_on_commit_callbacks(execute=True):
        again = submit(form)
    assert not again.created and mail.outbox == []


def test_every_manager_is_emailed(form, bob, django_capture_on_commit_callbacks):
    membership_set(project=form.project, user=bob, role=Membership.Role.MANAGER)
    form.notify_managers = True
    form.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit(form)
    assert mail.outbox[0].to == ["alice@example.com", "bob@example.com"]


def test_a_mail_server_error_is_logged_and_the_lead_is_kept(form, settings, caplog, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("contacts.tasks.send_mail", refuse)
    lead = submit(form).contact
    with caplog.at_level(logging.ERROR, logger="contacts.tasks"):
        assert webform_notify_managers(webform=form, contact=lead, base_url="https://crm.example/") == 0
    assert "Could not email the managers" in caplog.text
    assert Contact.objects.filter(pk=lead.pk).exists()


def test_a_browsers_post_is_answered_even_when_the_mail_server_is_down(
    form, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("contacts.tasks.send_mail", refuse)
    form.notify_managers = True
    form.save()
    body = {"key": form.key, **{f"contact[{k}]": v for k, v in TYPED.items()}}
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(f"/forms/{form.key}/", body, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert Contact.objects.filter(first_name="Grace").exists()


def test_on_the_database_queue_the_post_only_queues_the_notice_and_the_worker_sends_it(
    form, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    # The worker drops stale connections between tasks; the test's own one, inside its transaction, must stay.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    form.notify_managers = True
    form.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit(form)
    assert mail.outbox == []  # queued, not sent inside the request
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]


def test_a_queue_that_cannot_take_the_notice_does_not_fail_the_post(
    form, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def refuse(**kwargs):
        raise RuntimeError("queue down")

    monkeypatch.setattr(intake, "webform_lead_notice", SimpleNamespace(enqueue=refuse))
    form.notify_managers = True
    form.save()
    with caplog.at_level(logging.ERROR, logger="contacts.intake"), django_capture_on_commit_callbacks(execute=True):
        result = submit(form)
    assert result.created and "Could not queue the managers' notice" in caplog.text


def test_a_posts_writes_are_made_in_the_web_form_channel_of_the_history(form):
    result = submit(form)
    entries = ContactChange.objects.filter(contact__in=[result.contact, result.contact.company])
    assert sorted(entries.values_list("channel", flat=True)) == [Channel.WEBFORM, Channel.WEBFORM]
    assert current_channel() == Channel.SYSTEM
