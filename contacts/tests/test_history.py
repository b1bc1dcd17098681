"""What the services record in a contact's history: one entry per write, old and new values as display text."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts import history
from contacts.history import history_channel
from contacts.models import ContactChange, ContactStage, CustomField, Tag, Visibility
from contacts.services import (
    choice_delete,
    contact_add_tags,
    contact_add_tags_many,
    contact_create,
    contact_delete_nested,
    contact_link_project,
    contact_link_project_many,
    contact_merge,
    contact_remove_tags_many,
    contact_unlink_project,
    contact_update,
    contact_update_slotted,
    custom_field_delete,
    group_create,
    group_set_members,
    tag_delete,
    tag_merge,
    tag_rename,
)
from contacts.slots import Slot
from projects.services import project_create

pytestmark = pytest.mark.django_db


def entries(contact: Any, **filters: Any) -> list[ContactChange]:
    return list(ContactChange.objects.filter(contact=contact, **filters).order_by("id"))


def last(contact: Any) -> ContactChange:
    return ContactChange.objects.filter(contact=contact).latest("id")


def test_creating_records_created_with_the_initial_values(alice, project):
    acme = contact_create(user=alice, fields={"is_company": True, "name": "Acme"}, projects=[project])
    ada = contact_create(
        user=alice,
        fields={"first_name": "Ada", "last_name": "Lovelace", "company": acme, "job_title": ""},
        items=[{"kind": "email", "value": "ada@example.com"}, {"kind": "tel", "tel_type": "cell", "value": "0612"}],
        addresses=[{"city": "London", "country": "GB", "context": "home"}],
        tags=["b", "a"],
        projects=[project],
    )

    [entry] = entries(ada)
    assert (entry.action, entry.channel, entry.user) == ("created", "system", alice)
    assert entry.changes == {
        "First name": ["", "Ada"],
        "Last name": ["", "Lovelace"],
        "Company": ["", "Acme"],
        "Email (work)": ["", "ada@example.com"],
        "Mobile (work)": ["", "0612"],
        "Address (home)": ["", "London, United Kingdom"],
        "Projects": ["", "Support"],
        "Tags": ["", "a, b"],
    }


def test_an_update_is_one_entry_with_old_and_new_display_values(alice, make_contact):
    acme = make_contact(is_company=True, name="Acme")
    globex = make_contact(is_company=True, name="Globex")
    ada = make_contact(company=acme, tags=["a", "b"], items=[{"kind": "email", "context": "work", "value": "x@a.com"}])
    [item] = ada.items.all()

    contact_update(
        contact=ada,
        user=alice,
        fields={"job_title": "CTO", "company": globex},
        items=[{"id": item.pk, "kind": "email", "value": "y@a.com"}],
        tags=["a", "b", "c"],
    )

    [created, entry] = entries(ada)
    assert (entry.action, entry.user) == ("updated", alice)
    assert entry.changes == {
        "Job title": ["", "CTO"],
        "Company": ["Acme", "Globex"],
        "Email (work)": ["x@a.com", "y@a.com"],
        "Tags": ["a, b", "a, b, c"],
    }


def test_a_partial_update_records_only_what_it_changed(alice, make_contact):
    ada = make_contact(job_title="Engineer", department="R&D", tags=["a"])

    contact_update(contact=ada, user=alice, fields={"job_title": "CTO", "department": "R&D"})

    assert last(ada).changes == {"Job title": ["Engineer", "CTO"]}


def test_a_save_that_changes_nothing_records_nothing(alice, make_contact):
    ada = make_contact(job_title="CTO", tags=["a"], items=[{"kind": "email", "value": "ada@example.com"}])
    before = ContactChange.objects.count()

    contact_update(
        contact=ada,
        user=alice,
        fields={"job_title": "CTO", "first_name": "Ada"},
        items=[{"id": ada.items.get().pk, "kind": "email", "value": "ada@example.com"}],
        tags=["a"],
    )

    assert ContactChange.objects.count() == before


def test_the_old_value_is_the_stored_one_not_the_callers_stale_copy(alice, make_contact):
    ada = make_contact(job_title="Engineer")
    stale = type(ada).objects.get(pk=ada.pk)
    contact_update(contact=ada, user=alice, fields={"job_title": "Lead"})

    contact_update(contact=stale, user=alice, fields={"job_title": "CTO"})

    assert last(ada).changes == {"Job title": ["Lead", "CTO"]}


def test_ownership_values_are_named_as_people_read_them(alice, bob, make_contact, license_field):
    ada = make_contact(visibility=Visibility.PUBLIC)

    contact_update(
        contact=ada,
        user=alice,
        fields={"visibility": Visibility.PRIVATE, "assigned_to": bob, "priority": 3},
        access_list=[bob],
        custom_values={license_field.pk: "Pro"},
    )

    assert last(ada).changes == {
        "Visibility": ["Public", "Private"],
        "Assigned to": ["", "Bob Tester"],
        "Priority": ["", "3"],
        "License": ["", "Pro"],
        "Access list": ["", "Bob Tester"],
    }


def test_a_custom_value_change_shows_both_values(alice, make_contact):
    vip = CustomField.objects.create(name="VIP", field_format=CustomField.Format.BOOLEAN)
    ada = make_contact(custom_values={vip.pk: "yes"})

    contact_update(contact=ada, user=alice, custom_values={vip.pk: "no"})

    assert last(ada).changes == {"VIP": ["Yes", "No"]}


def test_removed_items_and_addresses_show_what_they_held(alice, make_contact):
    ada = make_contact(
        items=[{"kind": "tel", "value": "+44 20 7946 0000"}, {"kind": "email", "value": "ada@example.com"}],
        addresses=[{"city": "Paris", "context": "work"}],
    )
    phone = ada.items.get(kind="tel")

    contact_delete_nested(contact=ada, user=alice, item_ids=[phone.pk], address_ids=[ada.addresses.get().pk])

    assert last(ada).changes == {"Phone (work)": ["+44 20 7946 0000", ""], "Address (work)": ["Paris", ""]}


def test_replacing_items_records_each_label_once(alice, make_contact):
    ada = make_contact(items=[{"kind": "email", "value": "a@x.com"}, {"kind": "email", "value": "b@x.com"}])

    contact_update(contact=ada, user=alice, items=[{"kind": "email", "value": "b@x.com"}])

    assert last(ada).changes == {"Email (work)": ["a@x.com, b@x.com", "b@x.com"]}


def test_joining_and_leaving_projects_is_recorded(alice, make_contact, project):
    other = project_create(name="Atlas", identifier="atlas", creator=alice)
    ada = make_contact()

    contact_link_project(contact=ada, project=other, user=alice)
    contact_unlink_project(contact=ada, project=project, user=alice)

    *_, joined, left = entries(ada)
    assert joined.changes == {"Projects": ["Support", "Atlas, Support"]}
    assert left.changes == {"Projects": ["Atlas, Support", "Atlas"]}


def test_adding_a_tag_the_contact_has_records_nothing(alice, make_contact):
    ada = make_contact(tags=["VIP"])
    contact_add_tags(contact=ada, user=alice, tags=["vip"])
    contact_add_tags(contact=ada, user=alice, tags=["new"])

    assert [entry.changes for entry in entries(ada, action="updated")] == [{"Tags": ["VIP", "new, VIP"]}]


def test_a_bulk_tag_is_one_insert_with_each_contacts_own_values(alice, make_contact, django_assert_max_num_queries):
    small = [make_contact(first_name=f"S{n}", tags=["a"]) for n in range(2)]
    large = [make_contact(first_name=f"L{n}", tags=["b"] if n % 2 else []) for n in range(20)]
    with CaptureQueriesContext(connection) as two:
        contact_add_tags_many(contacts=small, user=alice, tags=["x"])
    inserts = [q for q in two.captured_queries if 'INSERT INTO "contacts_contactchange"' in q["sql"]]
    assert len(inserts) == 1

    with history_channel("web"), CaptureQueriesContext(connection) as twenty:
        contact_add_tags_many(contacts=large, user=alice, tags=["x"])

    inserts = [q for q in twenty.captured_queries if 'INSERT INTO "contacts_contactchange"' in q["sql"]]
    assert len(inserts) == 1
    assert last(large[0]).changes == {"Tags": ["", "x"]}
    assert (last(large[1]).changes, last(large[1]).channel) == ({"Tags": ["b", "b, x"]}, "web")
    contact_remove_tags_many(contacts=small, user=alice, tags=["a"])
    assert last(small[0]).changes == {"Tags": ["a, x", "x"]}


def test_a_bulk_project_link_records_every_contact_in_one_insert(alice, make_contact, django_assert_num_queries):
    atlas = project_create(name="Atlas", identifier="atlas", creator=alice)
    contacts = [make_contact(first_name=f"P{n}") for n in range(5)]

    with CaptureQueriesContext(connection) as queries:
        contact_link_project_many(contacts=contacts, project=atlas, user=alice)

    assert sum('INSERT INTO "contacts_contactchange"' in q["sql"] for q in queries.captured_queries) == 1
    assert {entry.changes["Projects"][1] for entry in ContactChange.objects.filter(action="updated")} == {
        "Atlas, Support"
    }


def test_group_members_gaining_the_tag_are_recorded(alice, make_contact):
    ada, bea = make_contact(first_name="Ada"), make_contact(first_name="Bea")
    group = group_create(user=alice, name="Engineers", code="engineers", members=[ada])

    group_set_members(tag=group, user=alice, members=[bea])

    assert last(ada).changes == {"Tags": ["Engineers", ""]}
    assert last(bea).changes == {"Tags": ["", "Engineers"]}


def test_a_merge_records_merged_on_the_target_and_moves_the_people(alice, make_contact):
    old = make_contact(is_company=True, name="Old Co", items=[{"kind": "email", "value": "info@old.com"}])
    new = make_contact(is_company=True, name="New Co", tags=["client"])
    worker = make_contact(first_name="Wanda", company=old)

    with history_channel("merge"):
        contact_merge(user=alice, survivor=new, others=[old])

    entry = last(new)
    assert (entry.action, entry.channel, entry.user) == ("merged", "merge", alice)
    assert entry.changes["Merged from"] == ["", "Old Co"]
    assert (last(worker).changes, last(worker).channel) == ({"Company": ["Old Co", "New Co"]}, "merge")
    # The merged-away company waits in the trash, its history saying whom it was merged into.
    assert (last(old).action, last(old).changes) == ("deleted", {"Merged into": ["", "New Co"]})


def test_a_slotted_update_is_one_entry_for_the_fields_and_the_slots(alice):
    layout = [Slot(name="mobile", kind="tel", tel_type="cell"), Slot(name="email", kind="email")]
    ada = contact_create(user=alice, fields={"first_name": "Ada"}, projects=[])

    contact_update_slotted(
        contact=ada, user=alice, fields={"job_title": "CTO"}, layout=layout, slots={"mobile": "0612", "email": ""}
    )

    assert last(ada).changes == {"Job title": ["", "CTO"], "Mobile (work)": ["", "0612"]}
    assert len(entries(ada)) == 2


def test_imports_record_under_their_own_channel(alice):
    with history_channel("import"):
        ada = contact_create(user=alice, fields={"first_name": "Ada"}, projects=[])

    assert (last(ada).channel, last(ada).action) == ("import", "created")


def test_purging_a_contact_removes_its_history(alice, make_contact):
    ada = make_contact()
    contact_update(contact=ada, user=alice, fields={"job_title": "CTO"})

    ada.delete()

    assert not ContactChange.objects.exists()


def _without_history(monkeypatch: Any) -> None:
    for module in ("contacts.services.contacts",):
        monkeypatch.setattr(f"{module}.history_record", lambda **kwargs: None)


def _queries(run: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        run()
    return len(queries)


def test_recording_an_update_costs_one_insert(alice, make_contact, monkeypatch):
    acme = make_contact(is_company=True, name="Acme")
    ada, bea = make_contact(first_name="Ada"), make_contact(first_name="Bea")
    fields = {"job_title": "CTO", "department": "R&D", "company": acme, "birthday": "1985-12-10"}

    recorded = _queries(lambda: contact_update(contact=ada, user=alice, fields=fields))
    _without_history(monkeypatch)
    unrecorded = _queries(lambda: contact_update(contact=bea, user=alice, fields=fields))

    assert recorded == unrecorded + 1


def test_recording_nested_changes_costs_the_same_for_2_or_40_items(alice, make_contact):
    counts = []
    for size in (2, 40):
        contact = make_contact(items=[{"kind": "email", "value": f"p{n}@example.com"} for n in range(size)])
        items = [{"kind": "email", "value": f"q{n}@example.com"} for n in range(size)]
        counts.append(_queries(lambda c=contact, i=items: contact_update(contact=c, user=alice, items=i)))
    assert counts[0] == counts[1]
    assert ContactChange.objects.filter(action="updated").count() == 2


def test_a_full_edit_records_all_its_changes_in_one_insert(alice, bob, make_contact, license_field):
    project = project_create(name="Atlas", identifier="atlas", creator=alice)
    ada = make_contact()
    edit = {
        "fields": {"job_title": "CTO", "visibility": "private"},
        "items": [{"kind": "email", "value": "ada@example.com"}],
        "custom_values": {license_field.pk: "Pro"},
        "tags": ["a"],
        "projects": [project],
        "access_list": [bob],
    }
    with CaptureQueriesContext(connection) as queries:
        contact_update(contact=ada, user=alice, **edit)
    reads = [q for q in queries.captured_queries if "contactchange" not in q["sql"]]
    assert len(queries.captured_queries) - len(reads) == 1
    assert len(last(ada).changes) == 7


def test_history_channel_names_are_the_models(alice):
    assert history.current_channel() == "system"
    with history_channel("onlyoffice"):
        assert history.current_channel() == "onlyoffice"


def test_renaming_merging_and_deleting_tags_is_recorded_on_each_contact(admin_user, make_contact):
    ada, bea = make_contact(first_name="Ada", tags=["lead", "vip"]), make_contact(first_name="Bea", tags=["prospect"])

    tag_rename(tag=Tag.objects.get(name="lead"), name="client", user=admin_user)
    tag_merge(source=Tag.objects.get(name="prospect"), target=Tag.objects.get(name="client"), user=admin_user)
    tag_delete(tag=Tag.objects.get(name="vip"), user=admin_user)

    assert [e.changes for e in entries(ada, action="updated")] == [
        {"Tags": ["lead, vip", "client, vip"]},
        {"Tags": ["client, vip", "client"]},
    ]
    assert [e.changes for e in entries(bea, action="updated")] == [{"Tags": ["prospect", "client"]}]
    assert last(ada).user == admin_user


def test_deleting_a_custom_field_or_a_stage_is_recorded_on_the_contacts_that_had_one(admin_user, make_contact):
    vip = CustomField.objects.create(name="VIP", field_format=CustomField.Format.BOOLEAN)
    hot = ContactStage.objects.create(name="Scorching")
    ada, bea = make_contact(first_name="Ada", custom_values={vip.pk: "yes"}, stage=hot), make_contact(first_name="Bea")

    custom_field_delete(field=vip, user=admin_user)
    choice_delete(item=hot, user=admin_user)

    assert [e.changes for e in entries(ada, action="updated")] == [{"VIP": ["Yes", ""]}, {"Stage": ["Scorching", ""]}]
    assert entries(bea, action="updated") == []
