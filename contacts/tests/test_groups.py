"""Tags seen as groups: create with a code, set members among visible contacts, rename, delete."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from contacts.models import Tag
from contacts.selectors import tag_member_contacts, tag_rows, tags_by_slug
from contacts.services import DuplicateKeyError, group_create, group_delete, group_set_members, group_update

pytestmark = pytest.mark.django_db


def test_group_create_makes_a_tag_with_the_code_as_slug_and_members(alice, make_contact):
    ada = make_contact()
    tag = group_create(user=alice, name="Engineers", code="eng", members=[ada])
    assert (tag.name, tag.slug) == ("Engineers", "eng")
    assert list(ada.tags.all()) == [tag] and tags_by_slug(slugs=["eng", "x"]) == {"eng": tag}


def test_group_create_refuses_taken_keys_bad_codes_and_anonymous_users(alice):
    from django.contrib.auth.models import AnonymousUser

    group_create(user=alice, name="Engineers", code="eng")
    with pytest.raises(DuplicateKeyError):
        group_create(user=alice, name="Other", code="eng")
    with pytest.raises(DuplicateKeyError):
        group_create(user=alice, name="ENGINEERS", code="x")
    with pytest.raises(ValidationError):
        group_create(user=alice, name="Bad", code="no spaces")
    with pytest.raises(PermissionDenied):
        group_create(user=AnonymousUser(), name="Anon")
    assert Tag.objects.count() == 1


def test_group_members_change_only_among_the_contacts_the_user_sees(alice, bob, make_contact):
    seen, hidden = make_contact(), make_contact(user=bob, visibility="private", projects=[])
    tag = group_create(user=bob, name="G", code="g", members=[hidden])
    group_set_members(tag=tag, user=alice, members=[seen])
    assert tag_member_contacts(user=alice, tag=tag) == [seen]
    assert {row["pk"]: row["members"] for row in tag_rows(user=bob, tags=Tag.objects.all())} == {
        tag.pk: [seen.pk, hidden.pk]
    }


def test_group_rename_is_for_staff_and_delete_for_administrators(alice, admin_user):
    tag = group_create(user=alice, name="G", code="g")
    with pytest.raises(PermissionDenied):
        group_update(tag=tag, user=alice, name="H")
    with pytest.raises(PermissionDenied):
        group_delete(tag=tag, user=alice)
    group_update(tag=tag, user=admin_user, name="H", code="h")
    assert Tag.objects.get().slug == "h"
    group_delete(tag=tag, user=admin_user)
    assert not Tag.objects.exists()
