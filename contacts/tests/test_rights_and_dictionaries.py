"""contacts.selectors.contact_rights and the dictionary reads and writes the dialects share."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from contacts.models import Contact, ContactType, CustomField
from contacts.selectors import (
    contact_can_delete,
    contact_can_edit,
    contact_counts_by,
    contact_list,
    contact_rights,
    custom_value_counts,
    tag_dictionary,
)
from contacts.services import (
    choice_create,
    company_create,
    contact_delete_many,
    contact_delete_nested,
    custom_field_update,
    tag_create,
)
from projects.models import Membership
from projects.services import membership_set

pytestmark = pytest.mark.django_db


def test_rights_of_a_page_match_the_single_contact_rules_in_one_query(
    make_contact, alice, bob, outsider, admin_user, project, django_assert_num_queries
):
    membership_set(project=project, user=outsider, role=Membership.Role.VIEWER)
    contacts = [
        make_contact(visibility="public", projects=[]),
        make_contact(visibility="project"),
        make_contact(user=bob, visibility="private", projects=[]),
        make_contact(visibility="private", access_list=[outsider]),
    ]
    for user in (alice, bob, outsider, admin_user):
        page = list(contact_list(user=user).prefetch_related("access_list").filter(pk__in=[c.pk for c in contacts]))
        with django_assert_num_queries(0 if user.is_superuser else 1):
            rights = contact_rights(user=user, contacts=page)
        for contact in page:
            assert rights[contact.pk].can_edit == contact_can_edit(user=user, contact=contact)
            assert rights[contact.pk].can_delete == contact_can_delete(user=user, contact=contact)
    assert contact_can_edit(user=outsider, contact=contacts[3]) and not contact_can_edit(
        user=outsider, contact=contacts[1]
    )
    assert contact_can_delete(user=alice, contact=contacts[1]) and not contact_can_delete(user=bob, contact=contacts[1])


def test_bulk_delete_is_all_or_nothing(make_contact, bob, alice):
    mine, theirs = make_contact(user=bob), make_contact()
    with pytest.raises(PermissionDenied):
        contact_delete_many(contacts=[mine, theirs], user=bob)
    assert Contact.objects.filter(deleted_at__isnull=True).count() == 2
    contact_delete_many(contacts=[mine, theirs], user=alice)
    assert not Contact.objects.filter(deleted_at__isnull=True).exists()


def test_company_create_links_people_or_writes_nothing(make_contact, alice, outsider, other_project):
    ada = make_contact()
    company = company_create(user=alice, fields={"name": "Acme"}, people=[ada])
    ada.refresh_from_db()
    assert ada.company == company and company.is_company
    foreign = make_contact(user=outsider, visibility="private", projects=[other_project])
    with pytest.raises(PermissionDenied):
        company_create(user=alice, fields={"name": "Other"}, people=[foreign])
    assert not Contact.objects.filter(name="Other").exists()


def test_tag_dictionary_hides_tags_only_on_invisible_contacts(make_contact, outsider, other_project, alice):
    make_contact(tags=["seen"])
    make_contact(user=outsider, tags=["hidden"], visibility="private", projects=[other_project])
    tag_create(user=alice, name="Fresh")
    assert tag_create(user=alice, name="fresh").name == "Fresh"
    assert [(t.name, t.count) for t in tag_dictionary(user=alice)] == [("Fresh", 0), ("seen", 1)]


def test_counts_only_count_visible_contacts(make_contact, outsider, other_project, alice, license_field):
    client = ContactType.objects.get(code="client")
    make_contact(contact_type=client, custom_values={license_field.pk: "Pro"})
    make_contact(
        user=outsider,
        contact_type=client,
        visibility="private",
        projects=[other_project],
        custom_values={license_field.pk: "Pro"},
    )
    assert contact_counts_by(user=alice, field="contact_type") == {client.pk: 1}
    assert custom_value_counts(user=alice) == {license_field.pk: 1}


def test_a_fields_format_cannot_change_once_it_has_values(make_contact, admin_user, license_field, alice):
    make_contact(custom_values={license_field.pk: "Pro"})
    with pytest.raises(ValidationError):
        custom_field_update(field=license_field, user=admin_user, fields={"field_format": CustomField.Format.STRING})
    with pytest.raises(PermissionDenied):
        custom_field_update(field=license_field, user=alice, fields={"name": "Plan"})
    assert custom_field_update(field=license_field, user=admin_user, fields={"name": "Plan"}).name == "Plan"


def test_a_new_contact_type_gets_a_unique_code(admin_user):
    first = choice_create(model=ContactType, user=admin_user, fields={"name": "Client"})
    assert first.code == "client-2"


def test_deleting_nested_rows_keeps_the_others_and_needs_the_right(make_contact, alice, outsider):
    ada = make_contact(
        items=[{"kind": "email", "value": "a@example.com"}, {"kind": "email", "value": "b@example.com"}],
        addresses=[{"city": "Riga"}],
        visibility="project",
    )
    first = ada.items.get(value="a@example.com")
    with pytest.raises(PermissionDenied):
        contact_delete_nested(contact=ada, user=outsider, item_ids=[first.pk])
    contact_delete_nested(contact=ada, user=alice, item_ids=[first.pk], address_ids=[ada.addresses.get().pk])
    assert list(ada.items.values_list("value", flat=True)) == ["b@example.com"]
    assert not ada.addresses.exists()
