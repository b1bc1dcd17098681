"""Projects: creation, roles, visibility of projects."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from projects.models import Membership
from projects.selectors import project_can_add_contacts, project_get, project_list
from projects.services import membership_set, project_create

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
