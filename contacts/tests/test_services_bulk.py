"""Bulk services (the contacts list's actions, ONLYOFFICE's bulk routes): all or nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from contacts.models import Contact, CustomField
from contacts.selectors import contact_list_by_ids
from contacts.services import (
    contact_add_tags_many,
    contact_create,
    contact_create_many,
    contact_delete_many,
    contact_link_project_many,
    contact_merge,
    contact_set_avatar,
    custom_field_create,
    custom_field_reorder,
)


def add_tag(user, ids, tag):
    return contact_add_tags_many(contacts=contact_list_by_ids(user=user, ids=ids), user=user, tags=[tag])


pytestmark = pytest.mark.django_db


def test_bulk_tag_tags_every_contact_once(make_contact, alice):
    first, second = make_contact(tags=["vip"]), make_contact()
    assert add_tag(alice, [first.pk, str(second.pk)], " vip ") == 2
    assert [t.name for t in first.tags.all()] == ["vip"]
    assert [t.name for t in second.tags.all()] == ["vip"]


def test_bulk_tag_refuses_a_blank_or_comma_tag(make_contact, alice):
    contact = make_contact()
    for bad in ("", "a,b"):
        with pytest.raises(ValidationError):
            add_tag(alice, [contact.pk], bad)
    assert not contact.tags.exists()


def test_bulk_tag_changes_nothing_when_one_contact_may_not_be_edited(make_contact, outsider):
    mine = make_contact(user=outsider, projects=[])
    locked = make_contact(visibility="public")
    with pytest.raises(PermissionDenied):
        add_tag(outsider, [mine.pk, locked.pk], "x")
    assert not mine.tags.exists()


def test_bulk_link_project_needs_a_write_role_in_the_project(make_contact, alice, outsider, other_project, project):
    contact = make_contact()
    with pytest.raises(PermissionDenied):
        contact_link_project_many(contacts=[contact], user=alice, project=other_project)
    assert contact_link_project_many(contacts=[contact], user=alice, project=project) == 1


def test_bulk_delete_skips_unseen_ids_and_deletes_the_rest(make_contact, alice, outsider):
    own = make_contact()
    hidden = make_contact(user=outsider, projects=[], visibility="private")
    contacts = contact_list_by_ids(user=alice, ids=[own.pk, hidden.pk, "junk", str(2**70)])
    assert len(contact_delete_many(contacts=contacts, user=alice)) == 1
    assert list(Contact.objects.filter(deleted_at__isnull=True)) == [hidden]


def test_custom_fields_are_defined_by_administrators_only(alice, admin_user):
    with pytest.raises(PermissionDenied):
        custom_field_create(user=alice, fields={"name": "Plan"})
    assert custom_field_create(user=admin_user, fields={"name": "Plan"}).pk is not None
    assert CustomField.objects.count() == 1


def test_a_blank_required_custom_field_is_reported_once(alice):
    field = CustomField.objects.create(name="Region", is_required=True)
    with pytest.raises(ValidationError) as error:
        contact_create(user=alice, fields={"first_name": "Ada"}, custom_values={field.pk: ""})
    assert error.value.message_dict == {f"custom_fields[{field.pk}]": ["Region cannot be blank."]}


def test_contact_merge_keeps_the_targets_custom_values_and_drops_duplicate_items(make_contact, alice, license_field):
    source = make_contact(
        items=[{"kind": "email", "value": "a@example.com"}, {"kind": "email", "value": "b@example.com"}],
        custom_values={license_field.pk: "Basic"},
    )
    target = make_contact(items=[{"kind": "email", "value": "a@example.com"}], custom_values={license_field.pk: "Pro"})
    contact_merge(user=alice, survivor=target, others=[source])
    assert sorted(target.items.values_list("value", flat=True)) == ["a@example.com", "b@example.com"]
    assert list(target.custom_values.values_list("value", flat=True)) == ["Pro"]
    assert Contact.objects.get(pk=source.pk).deleted_at is not None  # merged away: in the trash


def test_contact_merge_refuses_a_contact_into_itself(make_contact, alice):
    contact = make_contact()
    with pytest.raises(ValidationError):
        contact_merge(user=alice, survivor=contact, others=[contact])


def test_contact_create_many_creates_none_when_one_fails(alice):
    entries = [{"first_name": "Ann", "last_name": "Zeta"}, {"first_name": "", "last_name": ""}]
    with pytest.raises(ValidationError) as caught:
        contact_create_many(user=alice, entries=entries)
    assert "first_name" in caught.value.message_dict
    assert not Contact.objects.exists()


def test_custom_field_reorder_is_for_administrators(alice, admin_user):
    a, b = CustomField.objects.create(name="A", position=7), CustomField.objects.create(name="B", position=3)
    with pytest.raises(PermissionDenied):
        custom_field_reorder(user=alice, fields=[b, a])
    custom_field_reorder(user=admin_user, fields=[b, a])
    assert list(CustomField.objects.order_by("position").values_list("name", "position")) == [("B", 0), ("A", 1)]


def test_contact_set_avatar_refuses_a_file_that_is_not_an_image(make_contact, alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    contact = make_contact()
    with pytest.raises(ValidationError) as caught:
        contact_set_avatar(contact=contact, user=alice, image=SimpleUploadedFile("a.png", b"text"))
    assert list(caught.value.message_dict) == ["avatar"]
    assert not Contact.objects.get(pk=contact.pk).avatar
