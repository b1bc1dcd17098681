"""Bulk actions of the contacts list: over the ticked rows or every matching contact, inline or as a job."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.history import history_channel
from contacts.models import Channel, Contact, ContactChange, ContactStage, ContactType, Job, Tag
from contacts.selectors import contact_list_selection
from contacts.services import bulk as bulk_service
from contacts.services import contact_bulk_apply
from projects.models import Membership
from projects.services import membership_set

pytestmark = pytest.mark.django_db
BULK = reverse("contacts:contact-bulk")


def post_all(client: Any, query: str, **data: Any) -> Any:
    return client.post(BULK, {"scope": "all", "query": query, "next": "/contacts/", **data}, follow=True)


@pytest.fixture
def hot(db):
    return ContactStage.objects.get_or_create(name="Hot")[0]


@pytest.fixture
def crowd(make_contact, outsider):
    """30 visible vip contacts (more than a page), 3 visible others, one vip contact alice cannot see."""
    vips = [make_contact(first_name=f"V{n:02}", tags=["vip"]) for n in range(30)]
    others = [make_contact(first_name=f"O{n}") for n in range(3)]
    hidden = make_contact(user=outsider, projects=[], visibility="private", first_name="Hidden", tags=["vip"])
    return {"vips": vips, "others": others, "hidden": hidden}


def test_an_action_on_every_matching_contact_covers_every_page_and_nothing_else(crowd, alice_client, hot):
    response = post_all(alice_client, "tag=vip&sort=-name", action="stage", stage=hot.pk)
    assert "Changed the stage of 30 contacts to Hot." in response.content.decode()
    assert set(Contact.objects.filter(stage=hot).values_list("pk", flat=True)) == {c.pk for c in crowd["vips"]}
    assert Contact.objects.get(pk=crowd["hidden"].pk).stage is None


def test_an_action_on_the_ticked_rows_changes_only_those(crowd, alice_client, hot):
    ids = [crowd["vips"][0].pk, crowd["others"][0].pk, crowd["hidden"].pk]
    alice_client.post(BULK, {"action": "stage", "stage": hot.pk, "ids": ids, "query": "tag=vip"})
    assert set(Contact.objects.filter(stage=hot).values_list("pk", flat=True)) == set(ids[:2])


@pytest.fixture
def three(make_contact):
    return [make_contact(first_name=name, tags=["old"]) for name in ("Ann", "Ben", "Cy")]


def field_of(contact: Contact, name: str) -> Any:
    return getattr(Contact.objects.get(pk=contact.pk), name)


def test_assign_sets_and_clears_the_assignee(three, alice_client, bob):
    response = post_all(alice_client, "", action="assign", assigned_to=bob.pk)
    assert "Assigned 3 contacts to Bob Tester." in response.content.decode()
    assert {field_of(c, "assigned_to") for c in three} == {bob}
    response = post_all(alice_client, "", action="assign", assigned_to="")
    assert "Assigned 3 contacts to nobody." in response.content.decode()
    assert {field_of(c, "assigned_to") for c in three} == {None}


def test_change_type_and_visibility(three, alice_client):
    client_type = ContactType.objects.create(code="vendor", name="Vendor")
    post_all(alice_client, "", action="type", contact_type=client_type.pk)
    assert {field_of(c, "contact_type") for c in three} == {client_type}
    post_all(alice_client, "", action="visibility", visibility="project")
    assert {field_of(c, "visibility") for c in three} == {"project"}


def test_add_and_remove_tags(three, alice_client):
    three[0].tags.add("vip")
    post_all(alice_client, "", action="tag", tag="vip, q3")
    assert all(sorted(t.name for t in c.tags.all()) == ["old", "q3", "vip"] for c in three)
    post_all(alice_client, "", action="untag", tag="old, vip, unknown")
    assert all([t.name for t in c.tags.all()] == ["q3"] for c in three)


def test_add_to_and_remove_from_a_project(three, alice_client, alice, other_project):
    membership_set(project=other_project, user=alice, role=Membership.Role.MEMBER)
    post_all(alice_client, "", action="project", project=other_project.pk)
    assert set(other_project.contacts.all()) == set(three)
    post_all(alice_client, "q=ann", action="unproject", project=other_project.pk)
    assert set(other_project.contacts.all()) == set(three[1:])


@pytest.fixture
def public_elsewhere(other_project):
    """A project alice sees (it is public) but may not add contacts to."""
    other_project.is_public = True
    other_project.save()
    return other_project


def test_adding_to_a_project_the_user_may_not_write_changes_nothing(three, alice_client, public_elsewhere):
    other_project = public_elsewhere
    response = post_all(alice_client, "", action="project", project=other_project.pk)
    assert "You may not add contacts to Elsewhere." in response.content.decode()
    assert not other_project.contacts.exists()


def test_delete_every_matching_contact_after_confirming(crowd, alice_client):
    response = alice_client.post(BULK, {"scope": "all", "query": "tag=vip", "action": "delete"})
    html = response.content.decode()
    assert "Delete 30 contacts?" in html
    assert 'name="query" value="tag=vip"' in html and 'name="scope" value="all"' in html
    assert Contact.objects.count() == 34
    post_all(alice_client, "tag=vip", action="delete", confirmed="1")
    assert set(Contact.objects.filter(deleted_at__isnull=True)) == {*crowd["others"], crowd["hidden"]}


def test_export_of_every_matching_contact_hands_the_filter_to_the_export(crowd, alice_client):
    response = alice_client.post(BULK, {"scope": "all", "query": "tag=vip&page=2", "action": "export"})
    assert response["Location"] == reverse("contacts:contact-export-csv") + "?tag=vip"
    body = alice_client.get(response["Location"]).getvalue().decode()
    assert body.count("\n") == 31 and "Hidden" not in body


def test_export_of_the_ticked_rows_holds_those_rows(crowd, alice_client):
    ids = [crowd["vips"][3].pk, crowd["hidden"].pk]
    body = alice_client.post(BULK, {"action": "export", "ids": ids}).getvalue().decode()
    assert "V03" in body and "Hidden" not in body and body.count("\n") == 2


def test_contacts_the_user_may_see_but_not_edit_are_skipped_and_counted(make_contact, client, outsider, hot):
    mine = make_contact(user=outsider, projects=[], first_name="Mine")
    locked = make_contact(first_name="Locked")  # public, in a project the outsider is not in
    client.force_login(outsider)
    response = post_all(client, "", action="stage", stage=hot.pk)
    assert "Changed the stage of 1 contact to Hot. 1 skipped: you may not edit them." in response.content.decode()
    assert (field_of(mine, "stage"), field_of(locked, "stage")) == (hot, None)


def test_bulk_changes_are_in_each_contacts_history_through_the_web(three, alice_client, alice, hot):
    post_all(alice_client, "", action="stage", stage=hot.pk)
    post_all(alice_client, "", action="tag", tag="old, new")
    changes = ContactChange.objects.filter(contact=three[0]).exclude(action="created").order_by("id")
    assert [(c.channel, c.action, c.changes, c.user) for c in changes] == [
        (Channel.WEB, "updated", {"Stage": ["", "Hot"]}, alice),
        (Channel.WEB, "updated", {"Tags": ["", "new"]}, alice),
    ]


def test_an_unchanged_contact_gets_no_history_entry(three, alice_client, hot):
    Contact.objects.filter(pk=three[0].pk).update(stage=hot)
    post_all(alice_client, "", action="stage", stage=hot.pk)
    assert set(ContactChange.objects.exclude(action="created").values_list("contact_id", flat=True)) == {
        three[1].pk,
        three[2].pk,
    }


@pytest.mark.parametrize(
    "data, message",
    [
        ({"action": "stage", "stage": "999999"}, "Select a valid choice."),
        ({"action": "nope"}, "Select a valid choice."),
        ({"action": "tag", "tag": " "}, "Give a tag name."),
        ({"action": "visibility", "visibility": "secret"}, "Select a valid choice."),
        ({"action": "project"}, "Choose a project."),
    ],
)
def test_bad_input_is_a_message_never_an_error_page(data, message, three, alice_client):
    response = post_all(alice_client, "", **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ContactChange.objects.exclude(action="created").exists()


def test_every_matching_contact_beyond_the_inline_limit_runs_as_a_job(crowd, alice_client, monkeypatch, hot):
    monkeypatch.setattr(bulk_service, "INLINE_LIMIT", 10)
    monkeypatch.setattr(bulk_service, "BULK_CHUNK", 7)
    response = alice_client.post(BULK, {"scope": "all", "query": "tag=vip", "action": "stage", "stage": hot.pk})
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert (job.kind, job.status, job.done, job.total) == (Job.Kind.BULK, Job.Status.DONE, 30, 30)
    assert job.params["filters"] == {"tags": "vip"} and job.params["ids"] is None
    assert job.result == {"Action": "Changed the stage of 30 contacts to Hot.", "Changed": 30, "Skipped": 0}
    assert Contact.objects.filter(stage=hot).count() == 30
    assert set(ContactChange.objects.filter(action="updated").values_list("channel", flat=True)) == {Channel.WEB}
    status = alice_client.get(reverse("jobs:job-status", args=[job.pk])).json()
    assert (status["percent"], status["finished"]) == (100, True)


def test_a_job_refused_as_a_whole_is_refused_before_it_starts(crowd, alice_client, monkeypatch, public_elsewhere):
    other_project = public_elsewhere
    monkeypatch.setattr(bulk_service, "INLINE_LIMIT", 10)
    response = post_all(alice_client, "tag=vip", action="project", project=other_project.pk)
    assert "You may not add contacts to Elsewhere." in response.content.decode()
    assert not Job.objects.exists()


def test_progress_is_reported_after_every_chunk(crowd, alice, monkeypatch):
    monkeypatch.setattr(bulk_service, "BULK_CHUNK", 8)
    seen: list[int] = []
    contacts = contact_list_selection(user=alice, filters={"tags": "vip"})
    contact_bulk_apply(user=alice, contacts=contacts, action="tag", value=["x"], progress=seen.append)
    assert seen == [8, 16, 24, 30]


@pytest.mark.parametrize(
    "action, value",
    [("stage", "hot"), ("assign", "bob"), ("visibility", "project"), ("tag", ["vip", "new"]), ("untag", ["vip"])]
    + [("project", "the project"), ("unproject", "the project"), ("delete", None)],
)
def test_a_chunk_costs_the_same_queries_for_2_or_20_contacts(action, value, make_contact, alice, bob, project, hot):
    value = (
        {"hot": hot.pk, "bob": bob.pk, "the project": project.pk}.get(value, value) if isinstance(value, str) else value
    )
    Tag.objects.create(name="vip"), Tag.objects.create(name="new")
    counts = []
    for size in (2, 20):
        people = [make_contact(first_name=f"S{size}-{n}", tags=["vip"], projects=[]) for n in range(size)]
        if action == "unproject":
            project.contacts.add(*people)
        contacts = contact_list_selection(user=alice, ids=[p.pk for p in people])
        with history_channel("web"), CaptureQueriesContext(connection) as captured:
            contact_bulk_apply(user=alice, contacts=contacts, action=action, value=value)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts
