"""Bulk services of the contacts list: one transaction, permission per contact."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from contacts.models import Contact, CustomField
from contacts.services import (
    contact_create,
    contacts_bulk_add_tag,
    contacts_bulk_delete,
    contacts_bulk_link_project,
    customfield_save,
)

pytestmark = pytest.mark.django_db


def test_bulk_tag_tags_every_contact_once(make_contact, alice):
    first, second = make_contact(tags=["vip"]), make_contact()
    assert contacts_bulk_add_tag(user=alice, contact_ids=[first.pk, str(second.pk)], tag=" vip ") == 2
    assert [t.name for t in first.tags.all()] == ["vip"]
    assert [t.name for t in second.tags.all()] == ["vip"]


def test_bulk_tag_refuses_a_blank_or_comma_tag(make_contact, alice):
    contact = make_contact()
    for bad in ("", "a,b"):
        with pytest.raises(ValidationError):
            contacts_bulk_add_tag(user=alice, contact_ids=[contact.pk], tag=bad)
    assert not contact.tags.exists()


def test_bulk_tag_changes_nothing_when_one_contact_may_not_be_edited(make_contact, outsider):
    mine = make_contact(user=outsider, projects=[])
    locked = make_contact(visibility="public")
    with pytest.raises(PermissionDenied):
        contacts_bulk_add_tag(user=outsider, contact_ids=[mine.pk, locked.pk], tag="x")
    assert not mine.tags.exists()


def test_bulk_link_project_needs_a_write_role_in_the_project(make_contact, alice, outsider, other_project, project):
    contact = make_contact()
    with pytest.raises(PermissionDenied):
        contacts_bulk_link_project(user=alice, contact_ids=[contact.pk], project=other_project)
    assert contacts_bulk_link_project(user=alice, contact_ids=[contact.pk], project=project) == 1


def test_bulk_delete_skips_unseen_ids_and_deletes_the_rest(make_contact, alice, outsider):
    own = make_contact()
    hidden = make_contact(user=outsider, projects=[], visibility="private")
    assert contacts_bulk_delete(user=alice, contact_ids=[own.pk, hidden.pk, "junk"]) == 1
    assert list(Contact.objects.all()) == [hidden]


def test_custom_fields_are_saved_by_staff_only(alice, admin_user):
    field = CustomField(name="Plan")
    with pytest.raises(PermissionDenied):
        customfield_save(user=alice, field=field)
    assert customfield_save(user=admin_user, field=field).pk is not None


def test_a_blank_required_custom_field_is_reported_once(alice):
    field = CustomField.objects.create(name="Region", is_required=True)
    with pytest.raises(ValidationError) as error:
        contact_create(user=alice, fields={"first_name": "Ada"}, custom_values={field.pk: ""})
    assert error.value.message_dict == {f"custom_fields[{field.pk}]": ["Region cannot be blank."]}
