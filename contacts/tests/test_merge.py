"""contacts.services.merge: one merge for persons and companies, keeping everything, and its undo."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from contacts.models import (
    Address,
    ChangeAction,
    Contact,
    ContactChange,
    ContactItem,
    CustomField,
    CustomValue,
    MergeRecord,
    Note,
    TaggedContact,
)
from contacts.services import contact_create, contact_merge, merge_undo
from contacts.services.merge import merge_default_picks
from projects.services import project_create

pytestmark = pytest.mark.django_db


def state(contact_ids: list[int]) -> dict[str, Any]:
    """Everything the contacts have, by contact, to compare before a merge and after its undo."""
    result: dict[str, Any] = {}
    for pk in contact_ids:
        contact = Contact.objects.filter(pk=pk).first()
        if contact is None:
            result[pk] = None
            continue
        fields = {
            f.attname: getattr(contact, f.attname)
            for f in Contact._meta.concrete_fields
            if f.attname not in ("updated_at",)
        }
        result[pk] = {
            "fields": {k: str(v) for k, v in fields.items()},
            "items": sorted(
                ContactItem.objects.filter(contact=contact).values_list("pk", "kind", "value", "is_primary")
            ),
            "addresses": sorted(Address.objects.filter(contact=contact).values_list("pk", "street1", "is_primary")),
            "notes": sorted(Note.objects.filter(contact=contact).values_list("pk", "content")),
            "custom": sorted(CustomValue.objects.filter(contact=contact).values_list("pk", "field_id", "value")),
            "tags": sorted(TaggedContact.objects.filter(content_object=contact).values_list("tag__name", flat=True)),
            "projects": sorted(contact.projects.values_list("pk", flat=True)),
            "access": sorted(contact.access_list.values_list("pk", flat=True)),
            "people": sorted(Contact.objects.filter(company=contact).values_list("pk", flat=True)),
        }
    return result


@pytest.fixture
def trio(make_contact, alice, bob, project, license_field):
    """A survivor and two duplicates of it, each with rows of every kind."""
    sales = project_create(name="Sales", identifier="sales", creator=alice)
    notes_field = CustomField.objects.create(name="Notes", field_format=CustomField.Format.STRING)
    survivor = make_contact(
        first_name="Ada",
        last_name="Lovelace",
        job_title="",
        items=[{"kind": "email", "value": "ada@example.com", "is_primary": True}],
        addresses=[{"street1": "1 Main St", "is_primary": True}],
        custom_values={license_field.pk: "Pro"},
        tags=["vip"],
    )
    twin = make_contact(
        first_name="Ada",
        last_name="King",
        job_title="Countess",
        items=[
            {"kind": "email", "value": "ada@example.com"},
            {"kind": "tel", "value": "+44 20 7946 0000", "is_primary": True},
        ],
        addresses=[{"street1": "2 Side St", "is_primary": True}],
        custom_values={license_field.pk: "Basic", notes_field.pk: "From the fair"},
        tags=["fair"],
        projects=[project, sales],
        visibility="private",
        access_list=[bob],
    )
    third = make_contact(
        first_name="A.",
        last_name="Lovelace",
        items=[{"kind": "email", "value": "countess@example.com"}],
        tags=["vip", "poet"],
    )
    Note.objects.create(contact=twin, author=alice, content="Met at the fair")
    Note.objects.create(contact=third, author=alice, content="Wrote about engines")
    return {"survivor": survivor, "twin": twin, "third": third, "sales": sales, "notes_field": notes_field}


def test_merge_of_persons_keeps_every_row_of_every_contact(trio, alice, bob, license_field):
    survivor, twin, third = trio["survivor"], trio["twin"], trio["third"]
    record = contact_merge(user=alice, survivor=survivor, others=[twin, third])
    after = state([survivor.pk])[survivor.pk]
    # The twin's copy of ada@example.com is an exact duplicate: it stays behind.
    assert sorted(v for _, _, v, _ in after["items"]) == ["+44 20 7946 0000", "ada@example.com", "countess@example.com"]
    assert [primary for *_, primary in after["items"]].count(True) == 1
    assert sorted(street for _, street, _ in after["addresses"]) == ["1 Main St", "2 Side St"]
    assert sorted(content for _, content in after["notes"]) == ["Met at the fair", "Wrote about engines"]
    custom = {field_id: value for _, field_id, value in after["custom"]}
    assert custom == {license_field.pk: "Pro", trio["notes_field"].pk: "From the fair"}
    assert after["tags"] == ["fair", "poet", "vip"]
    assert trio["sales"].pk in after["projects"]
    assert after["access"] == [bob.pk]
    assert record.merged_ids == [twin.pk, third.pk]
    # The others wait in the trash with what did not move: the twin's duplicate email, its own
    # custom value that was not picked, its tags, projects and access entries.
    gone = Contact.objects.filter(pk__in=[twin.pk, third.pk], deleted_at__isnull=False, deleted_by=alice)
    assert gone.count() == 2
    kept = state([twin.pk])[twin.pk]
    assert [v for _, _, v, _ in kept["items"]] == ["ada@example.com"]
    assert [value for *_, value in kept["custom"]] == ["Basic"]
    assert kept["tags"] == ["fair"] and kept["access"] == [bob.pk] and len(kept["projects"]) == 2
    assert kept["notes"] == [] and kept["addresses"] == []


def test_merge_fills_the_survivors_empty_fields_by_default_and_follows_the_picks(trio, alice, license_field):
    survivor, twin, third = trio["survivor"], trio["twin"], trio["third"]
    picks = merge_default_picks(survivor=survivor, others=[twin, third])
    assert picks["job_title"] == twin.pk and picks["last_name"] == survivor.pk
    picks |= {"last_name": twin.pk, f"cf_{license_field.pk}": twin.pk}
    contact_merge(user=alice, survivor=survivor, others=[twin, third], picks=picks)
    survivor.refresh_from_db()
    assert (survivor.first_name, survivor.last_name, survivor.job_title) == ("Ada", "King", "Countess")
    assert survivor.display_name == "Ada King"
    assert CustomValue.objects.get(contact=survivor, field=license_field).value == "Basic"


def test_merge_records_a_merged_entry_in_the_survivors_history(trio, alice):
    survivor = trio["survivor"]
    contact_merge(user=alice, survivor=survivor, others=[trio["twin"]])
    entry = ContactChange.objects.filter(contact=survivor, action=ChangeAction.MERGED).get()
    assert entry.channel == "merge" and entry.user == alice
    assert entry.changes["Merged from"] == ["", "Ada King"]
    assert entry.changes["Job title"] == ["", "Countess"]


def test_undo_restores_the_exact_state_before_the_merge(trio, alice, license_field):
    survivor, twin, third = trio["survivor"], trio["twin"], trio["third"]
    ids = [survivor.pk, twin.pk, third.pk]
    before = state(ids)
    picks = merge_default_picks(survivor=survivor, others=[twin, third]) | {
        "last_name": twin.pk,
        f"cf_{license_field.pk}": twin.pk,
    }
    record = contact_merge(user=alice, survivor=survivor, others=[twin, third], picks=picks)
    assert state(ids) != before
    merge_undo(user=alice, record=record)
    after = state(ids)
    for pk in ids:
        for key in before[pk]:
            assert (pk, key, after[pk][key]) == (pk, key, before[pk][key])
    record.refresh_from_db()
    assert record.undone_at is not None
    assert ContactChange.objects.filter(contact=twin.pk, action=ChangeAction.RESTORED).exists()
    with pytest.raises(ValidationError):
        merge_undo(user=alice, record=record)


def test_merge_of_companies_moves_their_employees_and_undo_moves_them_back(make_contact, alice):
    acme, acme_ltd = make_contact(is_company=True, name="Acme"), make_contact(is_company=True, name="ACME Ltd")
    grace, alan = make_contact(first_name="Grace", company=acme_ltd), make_contact(first_name="Alan", company=acme)
    record = contact_merge(user=alice, survivor=acme, others=[acme_ltd])
    assert set(Contact.objects.filter(company=acme).values_list("pk", flat=True)) == {grace.pk, alan.pk}
    merge_undo(user=alice, record=record)
    grace.refresh_from_db()
    alan.refresh_from_db()
    assert (grace.company_id, alan.company_id) == (acme_ltd.pk, acme.pk)


def test_merge_refuses_a_person_with_a_company_and_itself(make_contact, alice):
    person, company = make_contact(), make_contact(is_company=True, name="Acme")
    with pytest.raises(ValidationError, match="A person and a company cannot be merged"):
        contact_merge(user=alice, survivor=person, others=[company])
    with pytest.raises(ValidationError):
        contact_merge(user=alice, survivor=person, others=[person])
    with pytest.raises(ValidationError):
        contact_merge(user=alice, survivor=person, others=[])
    assert Contact.objects.count() == 2


def test_merge_refuses_a_pick_naming_a_contact_outside_the_merge(make_contact, alice):
    a, b, c = make_contact(), make_contact(), make_contact()
    with pytest.raises(ValidationError):
        contact_merge(user=alice, survivor=a, others=[b], picks={"first_name": c.pk})
    with pytest.raises(ValidationError):
        contact_merge(user=alice, survivor=a, others=[b], picks={"password": b.pk})
    assert Contact.objects.count() == 3


def test_merge_needs_the_right_to_edit_the_survivor_and_delete_the_others(make_contact, alice, bob, project):
    survivor, other = make_contact(), make_contact(first_name="Eve")
    with pytest.raises(PermissionDenied):
        contact_merge(user=bob, survivor=survivor, others=[other])  # bob is a member: may edit, not delete
    assert Contact.objects.get(pk=other.pk).deleted_at is None
    record = contact_merge(user=alice, survivor=survivor, others=[other])
    with pytest.raises(PermissionDenied):
        merge_undo(user=bob, record=record)
    assert Contact.objects.get(pk=other.pk).deleted_at is not None
    assert MergeRecord.objects.get().undone_at is None


def test_undo_after_the_survivor_lost_a_moved_item_still_brings_the_others_back(make_contact, alice):
    survivor = make_contact(items=[{"kind": "email", "value": "a@example.com"}])
    other = make_contact(first_name="Ann", items=[{"kind": "email", "value": "b@example.com"}])
    record = contact_merge(user=alice, survivor=survivor, others=[other])
    ContactItem.objects.filter(value="b@example.com").delete()
    merge_undo(user=alice, record=record)
    assert Contact.objects.filter(pk=other.pk, first_name="Ann").exists()
    assert list(survivor.items.values_list("value", flat=True)) == ["a@example.com"]


def test_merge_and_undo_cost_a_bounded_number_of_queries(make_contact, alice, django_assert_max_num_queries):
    survivor = make_contact()
    others = [make_contact(items=[{"kind": "email", "value": f"x{n}@example.com"}]) for n in range(2)]
    with django_assert_max_num_queries(40):
        record = contact_merge(user=alice, survivor=survivor, others=others)
    with django_assert_max_num_queries(20):
        merge_undo(user=alice, record=record)


def test_a_contact_created_as_private_keeps_its_access_list_through_a_merge_and_undo(alice, bob):
    private = contact_create(
        user=alice, fields={"first_name": "P", "visibility": "private"}, access_list=[bob], projects=[]
    )
    public = contact_create(user=alice, fields={"first_name": "P"}, projects=[])
    record = contact_merge(user=alice, survivor=public, others=[private])
    assert list(public.access_list.all()) == [bob]
    merge_undo(user=alice, record=record)
    assert list(public.access_list.all()) == []
    assert list(Contact.objects.get(pk=private.pk).access_list.all()) == [bob]


def test_a_contact_brought_back_by_undo_is_found_by_search_again(make_contact, alice, admin_user):
    from contacts.selectors import contact_list

    survivor = make_contact(first_name="Ada", last_name="Lovelace")
    other = make_contact(first_name="Augusta", last_name="Byron", items=[{"kind": "email", "value": "gus@example.com"}])
    record = contact_merge(user=alice, survivor=survivor, others=[other])
    assert list(contact_list(user=admin_user, filters={"search": "byron"})) == []
    merge_undo(user=alice, record=record)
    found = contact_list(user=admin_user, filters={"search": "byron"}).values_list("pk", flat=True)
    assert list(found) == [other.pk]
    assert list(contact_list(user=admin_user, filters={"search": "gus@"}).values_list("pk", flat=True)) == [other.pk]


def test_merged_away_contacts_are_in_the_trash_and_out_of_lists_search_and_counts(trio, alice, admin_user):
    from contacts.selectors import contact_count, contact_list, trash_list

    survivor, twin, third = trio["survivor"], trio["twin"], trio["third"]
    contact_merge(user=alice, survivor=survivor, others=[twin, third])
    visible = contact_list(user=admin_user)
    assert list(visible.values_list("pk", flat=True)) == [survivor.pk]
    assert contact_count(visible) == 1
    assert list(contact_list(user=admin_user, filters={"search": "king"})) == []
    assert sorted(trash_list(user=alice).values_list("pk", flat=True)) == sorted([twin.pk, third.pk])
    entry = ContactChange.objects.get(contact=twin.pk, action=ChangeAction.DELETED)
    assert entry.channel == "merge" and entry.changes == {"Merged into": ["", "Ada Lovelace"]}


def test_undo_after_the_merged_contacts_were_purged_is_refused_with_a_clear_message(trio, alice, settings):
    from datetime import timedelta

    from django.utils import timezone

    from contacts.services import trash_purge_expired

    survivor, twin = trio["survivor"], trio["twin"]
    record = contact_merge(user=alice, survivor=survivor, others=[twin])
    later = timezone.now() + timedelta(days=settings.TRASH_DAYS + 1)
    assert trash_purge_expired(now=later) == 1
    before = state([survivor.pk])
    with pytest.raises(ValidationError, match="can no longer be undone: the merged contacts were purged"):
        merge_undo(user=alice, record=record)
    assert state([survivor.pk]) == before
    record.refresh_from_db()
    assert record.undone_at is None


def test_restoring_a_merged_away_contact_brings_it_back_as_it_is_and_undo_still_moves_the_rest_back(
    trio, alice, license_field
):
    from contacts.services import contact_restore

    survivor, twin = trio["survivor"], trio["twin"]
    ids = [survivor.pk, twin.pk]
    before = state(ids)
    record = contact_merge(user=alice, survivor=survivor, others=[twin])
    contact_restore(contact=Contact.objects.get(pk=twin.pk), user=alice)
    restored = state([twin.pk])[twin.pk]
    assert [v for _, _, v, _ in restored["items"]] == ["ada@example.com"]
    assert restored["notes"] == [] and restored["tags"] == ["fair"]
    merge_undo(user=alice, record=record)
    assert state(ids) == before


def test_merge_refuses_a_contact_in_the_trash(make_contact, alice):
    from contacts.services import contact_delete

    survivor, other = make_contact(), make_contact(first_name="Eve")
    contact_delete(contact=other, user=alice)
    with pytest.raises(ValidationError, match="is in the trash"):
        contact_merge(user=alice, survivor=survivor, others=[other])
    assert not MergeRecord.objects.exists()


def test_a_merge_whose_contacts_are_gone_for_good_cannot_be_undone(make_contact, alice):
    survivor = make_contact()
    record = MergeRecord.objects.create(survivor_id=survivor.pk, merged_ids=[10**9], merged_names=["Gone"])
    with pytest.raises(ValidationError, match="can no longer be undone"):
        merge_undo(user=alice, record=record)
