"""Projects: creation, roles, visibility of projects."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from projects.models import Membership
from projects.selectors import (
    project_can_add_contacts,
    project_can_create,
    project_get,
    project_list,
    project_role,
)
from projects.services import LAST_MANAGER, membership_remove, membership_set, project_create, project_update

pytestmark = pytest.mark.django_db


def test_creator_becomes_manager(alice):
    project = project_create(name="Sales", identifier="sales", creator=alice)
    assert Membership.objects.get(project=project, user=alice).role == "manager"


def test_identifier_must_be_a_slug_and_not_only_digits(alice):
    with pytest.raises(ValidationError) as info:
        project_create(name="X", identifier="Bad Id", creator=alice)
    assert "identifier" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        project_create(name="X", identifier="123", creator=alice)
    assert "identifier" in info.value.message_dict


def test_project_get_by_id_or_identifier_respects_membership(project, outsider, bob):
    assert project_get(user=bob, key="support") == project
    assert project_get(user=bob, key=project.pk) == project
    assert project_get(user=outsider, key="support") is None
    project.is_public = True
    project.save()
    assert project_get(user=outsider, key="support") == project
    assert list(project_list(user=outsider)) == [project]


def test_viewers_cannot_add_contacts(project, outsider):
    membership_set(project=project, user=outsider, role=Membership.Role.VIEWER)
    assert not project_can_add_contacts(user=outsider, project=project)
    membership_set(project=project, user=outsider, role=Membership.Role.MEMBER)
    assert project_can_add_contacts(user=outsider, project=project)


def test_the_last_manager_can_be_neither_demoted_nor_removed(project, alice, bob):
    with pytest.raises(ValidationError) as demoted:
        membership_set(project=project, user=alice, role=Membership.Role.MEMBER)
    assert demoted.value.message_dict == {"role": [LAST_MANAGER]}
    with pytest.raises(ValidationError):
        membership_remove(project=project, user=alice)
    assert project.memberships.get(user=alice).role == Membership.Role.MANAGER


def test_a_manager_steps_down_once_another_manages(project, alice, bob):
    membership_set(project=project, user=bob, role=Membership.Role.MANAGER)
    membership_set(project=project, user=alice, role=Membership.Role.VIEWER)
    with pytest.raises(ValidationError):
        membership_remove(project=project, user=bob)
    membership_set(project=project, user=alice, role=Membership.Role.MANAGER)
    membership_remove(project=project, user=bob)
    assert list(project.memberships.values_list("user__username", "role")) == [("alice", "manager")]


def test_an_unknown_role_is_refused_and_nothing_changes(project, bob):
    with pytest.raises(ValidationError) as exc:
        membership_set(project=project, user=bob, role="owner")
    assert "role" in exc.value.message_dict
    assert project.memberships.get(user=bob).role == Membership.Role.MEMBER


def test_a_project_without_managers_still_takes_role_changes(alice, bob):
    project = project_create(name="Ops", identifier="ops")
    membership_set(project=project, user=bob, role=Membership.Role.MEMBER)
    membership_set(project=project, user=bob, role=Membership.Role.VIEWER)
    membership_remove(project=project, user=bob)
    assert not project.memberships.exists()


def test_managers_superusers_and_holders_of_add_project_create_projects(project, alice, bob, outsider, admin_user):
    assert [project_can_create(user=u) for u in (alice, bob, outsider, admin_user)] == [True, False, False, True]
    outsider.user_permissions.add(Permission.objects.get(codename="add_project"))
    outsider = type(outsider).objects.get(pk=outsider.pk)  # permissions are cached on the instance
    assert project_can_create(user=outsider)


def test_writable_projects_are_those_with_a_write_role(project, other_project, outsider, bob, admin_user):
    from django.contrib.auth.models import AnonymousUser

    from projects.selectors import project_list_writable

    membership_set(project=project, user=outsider, role=Membership.Role.VIEWER)
    assert list(project_list_writable(user=outsider)) == [other_project]
    assert list(project_list_writable(user=bob)) == [project]
    assert set(project_list_writable(user=admin_user)) == {project, other_project}
    assert list(project_list_writable(user=AnonymousUser())) == []


def test_project_get_and_project_role_read_afresh_what_changed_since_the_last_request(project, bob, admin_user):
    # Their statements are compiled once and kept; what they read never is.
    assert project_get(user=bob, key="support") == project
    assert project_role(user=bob, project=project) == Membership.Role.MEMBER
    project_update(project=project, identifier="helpdesk", name="Help desk")
    assert project_get(user=bob, key="support") is None
    assert project_get(user=bob, key="helpdesk").name == "Help desk"
    assert project_get(user=admin_user, key="helpdesk").name == "Help desk"
    membership_set(project=project, user=bob, role=Membership.Role.VIEWER)
    assert project_role(user=bob, project=project) == Membership.Role.VIEWER
    membership_remove(project=project, user=bob)
    assert project_role(user=bob, project=project) is None
    assert project_get(user=bob, key=project.pk) is None
    assert project_get(user=admin_user, key=project.pk) == project
    assert project_role(user=admin_user, project=project) == Membership.Role.MANAGER


def test_project_get_refuses_keys_no_project_can_have(project, bob):
    for key in ("", " ", "0", "99999999999999999999999", "sup\x00port", str(project.pk) + "x"):
        assert project_get(user=bob, key=key) is None
    assert project_get(user=bob, key=f" {project.pk} ") == project


def test_project_get_and_project_role_cost_one_query_each(project, bob, django_assert_num_queries):
    with django_assert_num_queries(2):
        found = project_get(user=bob, key="support")
        assert project_role(user=bob, project=found) == Membership.Role.MEMBER
