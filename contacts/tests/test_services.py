"""contacts.services: nested writes in one transaction, per-field errors, linking, display names."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import (
    Address,
    ChangeAction,
    Contact,
    ContactChange,
    ContactItem,
    CustomField,
    CustomValue,
    Note,
    Tag,
)
from contacts.selectors import contact_get
from contacts.services import (
    company_for_name,
    contact_create,
    contact_delete,
    contact_update,
    contact_update_many,
    note_create,
    tag_merge,
    tag_rename,
)
from contacts.versions import ContactChanged, contact_version

pytestmark = pytest.mark.django_db


def test_create_writes_contact_with_all_nested_data(alice, project, license_field):
    contact = contact_create(
        user=alice,
        fields={"first_name": "Grace", "last_name": "Hopper", "job_title": "Admiral"},
        items=[
            {"kind": "tel", "value": "+1 202 555 0143", "tel_type": "cell"},
            {"kind": "email", "value": "grace@example.com", "is_primary": True},
        ],
        addresses=[{"street1": "1 Navy Way", "city": "Arlington", "country": "US"}],
        custom_values={license_field.pk: "Pro"},
        tags=["vip", "Navy"],
        projects=[project],
    )
    contact.refresh_from_db()
    assert contact.display_name == "Grace Hopper"
    assert contact.author == alice
    assert [(i.kind, i.value) for i in contact.items.all()] == [
        ("tel", "+1 202 555 0143"),
        ("email", "grace@example.com"),
    ]
    assert contact.items.get(kind="tel").normalized == "+12025550143"
    assert contact.addresses.get().full_address == "1 Navy Way, Arlington, United States of America"
    assert contact.custom_values.get().value == "Pro"
    assert sorted(contact.tags.names()) == ["Navy", "vip"]
    assert list(contact.projects.all()) == [project]


def test_a_failing_nested_item_leaves_nothing_written(alice, project):
    with pytest.raises(ValidationError) as info:
        contact_create(
            user=alice,
            fields={"first_name": "Grace"},
            items=[{"kind": "email", "value": "ok@example.com"}, {"kind": "email", "value": "not-an-email"}],
            tags=["vip"],
            projects=[project],
        )
    assert info.value.message_dict == {"items[1].value": ["not-an-email is not a valid email address."]}
    assert Contact.objects.count() == 0
    assert ContactItem.objects.count() == 0
    assert Tag.objects.count() == 0


def test_update_failing_midway_keeps_the_stored_contact_intact(make_contact, alice):
    contact = make_contact(items=[{"kind": "email", "value": "ada@example.com"}], tags=["math"])
    with pytest.raises(ValidationError):
        contact_update(
            contact=contact,
            user=alice,
            fields={"first_name": "Augusta"},
            items=[{"kind": "tel", "value": "not a phone"}],
            tags=["changed"],
        )
    contact = Contact.objects.get(pk=contact.pk)
    assert contact.first_name == "Ada"
    assert list(contact.items.values_list("value", flat=True)) == ["ada@example.com"]
    assert list(contact.tags.names()) == ["math"]


def test_validation_errors_name_every_field(alice, project, license_field):
    with pytest.raises(ValidationError) as info:
        contact_create(
            user=alice,
            fields={"first_name": "", "last_name": "", "currency": "EURO"},
            addresses=[{"city": ""}],
            custom_values={license_field.pk: "Gold", 9999: "x"},
            projects=[project],
        )
    errors = info.value.message_dict
    assert errors["first_name"] == ["First name cannot be blank."]
    assert "Currency must be a three-letter ISO 4217 code." in errors["currency"]
    assert errors["addresses[0]"] == ["An address needs at least one line."]
    assert errors[f"custom_fields[{license_field.pk}]"] == ["License: Gold is not one of the choices."]
    assert errors["custom_fields[9999]"] == ["There is no custom field with id 9999."]


def test_company_needs_a_name_and_cannot_belong_to_a_company(make_contact, alice, project):
    acme = make_contact(is_company=True, name="Acme")
    with pytest.raises(ValidationError) as info:
        contact_create(user=alice, fields={"is_company": True, "name": " ", "company": acme}, projects=[project])
    assert info.value.message_dict == {
        "name": ["Name cannot be blank."],
        "company": ["A company cannot belong to another company."],
    }


def test_person_links_to_a_company_but_not_to_a_person(make_contact, alice, project):
    acme = make_contact(is_company=True, name="Acme")
    person = make_contact(first_name="Ann", company=acme)
    assert list(acme.people.all()) == [person]
    with pytest.raises(ValidationError) as info:
        make_contact(first_name="Bea", company=person)
    assert info.value.message_dict == {"company": ["The company must be a company, not a person."]}


def test_company_for_name_links_to_existing_company_case_insensitively(make_contact, alice):
    acme = make_contact(is_company=True, name="Acme Corp")
    assert company_for_name(user=alice, name="acme corp") == acme
    created = company_for_name(user=alice, name="Globex")
    assert created.is_company and created.name == "Globex" and created.author == alice
    assert company_for_name(user=alice, name="  ") is None


def test_company_for_name_does_not_link_to_a_company_the_user_cannot_see(make_contact, outsider, other_project):
    hidden = make_contact(is_company=True, name="Secret Co", visibility="private")
    found = company_for_name(user=outsider, name="Secret Co", projects=[other_project])
    assert found != hidden
    assert Contact.objects.filter(name="Secret Co").count() == 2


def test_display_name_follows_name_changes(make_contact, alice):
    contact = make_contact(first_name="Ada", middle_name="King", last_name="Lovelace")
    assert contact.display_name == "Ada King Lovelace"
    contact_update(contact=contact, user=alice, fields={"middle_name": "", "last_name": "Byron"})
    contact.refresh_from_db()
    assert contact.display_name == "Ada Byron"
    company = make_contact(is_company=True, name="Analytical Engines")
    assert company.display_name == "Analytical Engines"


def test_merge_mode_updates_items_with_id_adds_new_and_keeps_others(make_contact, alice):
    contact = make_contact(
        items=[{"kind": "email", "value": "a@example.com"}, {"kind": "tel", "value": "+44 20 7946 0018"}]
    )
    email = contact.items.get(kind="email")
    contact_update(
        contact=contact,
        user=alice,
        items=[{"id": email.pk, "value": "b@example.com"}, {"kind": "url", "value": "https://ada.example"}],
        items_mode="merge",
    )
    assert sorted(contact.items.values_list("value", flat=True)) == [
        "+44 20 7946 0018",
        "b@example.com",
        "https://ada.example",
    ]


def test_replace_mode_drops_items_not_given(make_contact, alice):
    contact = make_contact(items=[{"kind": "email", "value": "a@example.com"}])
    contact_update(contact=contact, user=alice, items=[{"kind": "tel", "value": "+33 1 23 45 67 89"}])
    assert list(contact.items.values_list("kind", flat=True)) == ["tel"]


def test_unknown_item_id_is_an_error(make_contact, alice):
    contact = make_contact()
    with pytest.raises(ValidationError) as info:
        contact_update(contact=contact, user=alice, items=[{"id": 12345, "value": "x@example.com"}], items_mode="merge")
    assert "items[0].id" in info.value.message_dict


def test_required_custom_field_and_default_on_create(alice, project):
    CustomField.objects.create(name="Source", is_required=True)
    CustomField.objects.create(name="Tier", field_format="list", choices=["A", "B"], default="B")
    with pytest.raises(ValidationError) as info:
        contact_create(user=alice, fields={"first_name": "X"}, projects=[project])
    assert list(info.value.message_dict.values()) == [["Source cannot be blank."]]
    source = CustomField.objects.get(name="Source")
    contact = contact_create(
        user=alice, fields={"first_name": "X"}, custom_values={source.pk: "Fair"}, projects=[project]
    )
    assert dict(contact.custom_values.values_list("field__name", "value")) == {"Source": "Fair", "Tier": "B"}


def test_custom_field_for_companies_is_refused_on_a_person(alice, project):
    employees = CustomField.objects.create(name="Employees", field_format="integer", applies_to="companies")
    with pytest.raises(ValidationError) as info:
        contact_create(user=alice, fields={"first_name": "X"}, custom_values={employees.pk: 5}, projects=[project])
    assert info.value.message_dict == {f"custom_fields[{employees.pk}]": ["Employees does not apply to persons."]}


def test_empty_custom_value_clears_it(make_contact, alice, license_field):
    contact = make_contact(custom_values={license_field.pk: "Basic"})
    contact_update(contact=contact, user=alice, custom_values={license_field.pk: ""})
    assert not CustomValue.objects.filter(contact=contact).exists()


def test_tags_are_trimmed_deduplicated_and_commas_refused(make_contact, alice):
    contact = make_contact(tags=[" vip ", "VIP", "", "lead"])
    assert sorted(contact.tags.names()) == ["lead", "vip"]
    with pytest.raises(ValidationError) as info:
        contact_update(contact=contact, user=alice, tags=["a,b"])
    assert info.value.message_dict == {"tags": ["Tag a,b cannot contain a comma."]}


def test_a_new_contacts_tags_reuse_the_dictionarys_in_any_case_and_spelling(make_contact):
    stored = [Tag.objects.create(name=name) for name in ("Vip", "Lead_100%", "Ünion")]
    make_contact(tags=["seed"])  # the read of one name is compiled before the read of three
    contact = make_contact(tags=["vIP", "lead_100%", "Ünion"])
    assert sorted(contact.tags.names()) == ["Lead_100%", "Vip", "Ünion"]
    assert set(contact.tags.all()) == set(stored)
    other = make_contact(tags=["lead_1000", "VIP"])  # neither LIKE wildcards nor prefixes match
    assert sorted(other.tags.names()) == ["Vip", "lead_1000"]
    assert Tag.objects.count() == 5


def test_creating_in_a_project_needs_write_role(outsider, project):
    with pytest.raises(PermissionDenied):
        contact_create(user=outsider, fields={"first_name": "X"}, projects=[project])


def test_anonymous_cannot_create(project):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        contact_create(user=AnonymousUser(), fields={"first_name": "X"}, projects=[project])


def test_outsider_cannot_edit_or_delete_a_project_contact(make_contact, outsider):
    contact = make_contact(visibility="project")
    with pytest.raises(PermissionDenied):
        contact_update(contact=contact, user=outsider, fields={"first_name": "Hacked"})
    with pytest.raises(PermissionDenied):
        contact_delete(contact=contact, user=outsider)
    assert Contact.objects.get(pk=contact.pk).first_name == "Ada"


def test_member_may_edit_but_only_author_or_manager_may_delete(make_contact, bob, alice, project):
    contact = make_contact()
    contact_update(contact=contact, user=bob, fields={"job_title": "Countess"})
    with pytest.raises(PermissionDenied):
        contact_delete(contact=contact, user=bob)
    contact_delete(contact=contact, user=alice)
    assert Contact.objects.get(pk=contact.pk).deleted_at is not None


def test_deleting_a_contact_keeps_its_items_addresses_and_notes_in_the_trash(make_contact, alice):
    contact = make_contact(items=[{"kind": "email", "value": "a@example.com"}], addresses=[{"city": "Paris"}])
    note_create(contact=contact, user=alice, content="Called.")
    contact_delete(contact=contact, user=alice)
    assert (ContactItem.objects.count(), Address.objects.count(), Note.objects.count()) == (1, 1, 1)
    assert contact_get(user=alice, pk=contact.pk) is None


def test_note_needs_content(make_contact, alice):
    contact = make_contact()
    with pytest.raises(ValidationError) as info:
        note_create(contact=contact, user=alice, content="  ")
    assert info.value.message_dict == {"content": ["Content cannot be blank."]}


def test_tag_rename_onto_existing_tag_merges(make_contact):
    one = make_contact(first_name="One", tags=["customer"])
    two = make_contact(first_name="Two", tags=["client", "customer"])
    customer = Tag.objects.get(name="customer")
    result = tag_rename(tag=customer, name="Client")
    assert result.name == "client"
    assert list(one.tags.names()) == ["client"]
    assert list(two.tags.names()) == ["client"]
    assert Tag.objects.count() == 1


def test_tag_merge_moves_contacts(make_contact):
    contact = make_contact(tags=["a"])
    a, b = Tag.objects.get(name="a"), Tag.objects.create(name="b")
    tag_merge(source=a, target=b)
    assert list(contact.tags.names()) == ["b"]


def test_two_stale_copies_updating_different_fields_keep_both_changes(make_contact, alice):
    stored = make_contact(first_name="Ada", last_name="Lovelace", job_title="Analyst")
    first, second = Contact.objects.get(pk=stored.pk), Contact.objects.get(pk=stored.pk)
    contact_update(contact=first, user=alice, fields={"job_title": "Countess"})
    contact_update(contact=second, user=alice, fields={"last_name": "King"})
    stored.refresh_from_db()
    assert (stored.first_name, stored.last_name, stored.job_title) == ("Ada", "King", "Countess")
    assert stored.display_name == "Ada King"
    assert second.job_title == "Countess"


def test_a_partial_update_writes_only_the_given_columns(make_contact, alice):
    contact = make_contact(first_name="Ada", job_title="Analyst")
    with CaptureQueriesContext(connection) as queries:
        contact_update(contact=contact, user=alice, fields={"job_title": "Countess"})
    (update,) = [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "contacts_contact" in q["sql"]]
    assert '"job_title"' in update
    assert '"first_name"' not in update and '"background"' not in update


def test_an_update_based_on_an_old_version_is_refused_and_changes_nothing(make_contact, alice):
    contact = make_contact(first_name="Ada", job_title="Analyst")
    opened = contact_version(contact)
    contact_update(contact=Contact.objects.get(pk=contact.pk), user=alice, fields={"job_title": "Countess"})
    with pytest.raises(ContactChanged) as caught:
        contact_update(contact=contact, user=alice, fields={"first_name": "Augusta"}, expected_versions=[opened])
    assert caught.value.contact.job_title == "Countess"
    assert Contact.objects.get(pk=contact.pk).first_name == "Ada"
    current = contact_version(Contact.objects.get(pk=contact.pk))
    contact_update(contact=contact, user=alice, fields={"first_name": "Augusta"}, expected_versions=[current])
    assert Contact.objects.get(pk=contact.pk).first_name == "Augusta"
    assert contact_version(contact) != current


def history_inserts(queries: CaptureQueriesContext) -> int:
    table = ContactChange._meta.db_table
    return sum(
        1 for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(f'INSERT INTO "{table}"'.upper())
    )


@pytest.mark.parametrize("size", [3, 12])
def test_a_bulk_update_is_one_history_insert_whatever_the_number_of_contacts(size, make_contact, alice, bob):
    contacts = [make_contact(first_name=f"P{n}", job_title=f"Job {n % 2}") for n in range(size)]
    with CaptureQueriesContext(connection) as queries:
        contact_update_many(contacts=contacts, user=alice, fields={"job_title": "CTO"}, access_list=[bob])
    assert history_inserts(queries) == 1
    entries = ContactChange.objects.filter(action=ChangeAction.UPDATED).order_by("contact_id")
    assert [e.contact_id for e in entries] == [c.pk for c in contacts]
    for n, entry in enumerate(entries):
        # Each contact's own old value is kept.
        assert entry.changes == {"Job title": [f"Job {n % 2}", "CTO"], "Access list": ["", "Bob Tester"]}
        assert entry.user == alice


def test_a_bulk_update_that_changes_nothing_records_nothing(make_contact, alice):
    contacts = [make_contact(job_title="CTO") for _ in range(2)]
    contact_update_many(contacts=contacts, user=alice, fields={"job_title": "CTO"})
    assert not ContactChange.objects.filter(action=ChangeAction.UPDATED).exists()


def test_a_bulk_update_refused_for_one_contact_changes_none(make_contact, alice, outsider):
    mine = make_contact(job_title="A")
    theirs = contact_create(
        user=outsider, fields={"first_name": "O", "job_title": "B", "visibility": "private"}, projects=[]
    )
    with pytest.raises(PermissionDenied):
        contact_update_many(contacts=[mine, theirs], user=alice, fields={"job_title": "CTO"})
    assert Contact.objects.get(pk=mine.pk).job_title == "A"
    assert not ContactChange.objects.filter(action=ChangeAction.UPDATED).exists()
