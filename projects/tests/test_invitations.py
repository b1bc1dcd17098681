"""Inviting people to a project by email: existing accounts join at once, others get a link."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from projects.models import Membership
from projects.selectors import project_invitations
from projects.services import project_invite

pytestmark = pytest.mark.django_db
User = get_user_model()
LINK = re.compile(r"(http://testserver/projects/invitations/\S+/)")


@pytest.fixture
def manager_client(client, alice, project):
    client.force_login(alice)
    return client


def invite(client, project, email, role="member"):
    return client.post(reverse("projects:member-invite", args=[project.pk]), {"email": email, "role": role})


def test_an_existing_user_is_added_with_the_role_and_no_email(manager_client, project, outsider):
    response = invite(manager_client, project, "OUTSIDER@example.com", "viewer")
    assert response.status_code == 302
    assert Membership.objects.get(project=project, user=outsider).role == "viewer"
    assert mail.outbox == []


def test_an_unknown_email_gets_an_inactive_account_and_an_invitation(manager_client, project):
    invite(manager_client, project, "new.person@example.com", "member")
    user = User.objects.get(email="new.person@example.com")
    assert (user.username, user.is_active, user.has_usable_password()) == ("new.person@example.com", False, False)
    assert Membership.objects.get(project=project, user=user).role == "member"
    (message,) = mail.outbox
    assert message.to == ["new.person@example.com"] and "Support" in message.subject
    assert "Alice Tester invited you to the project Support as member." in message.body
    page = manager_client.get(reverse("projects:member-invite", args=[project.pk])).content.decode()
    assert "new.person@example.com" in page and "Pending invitations" in page


def test_the_invitation_link_sets_the_password_and_activates_the_account(manager_client, project):
    invite(manager_client, project, "new.person@example.com")
    link = LINK.search(mail.outbox[0].body).group(1)
    visitor = Client()
    form_page = visitor.get(link.removeprefix("http://testserver"), follow=True)
    assert "Choose a password for new.person@example.com" in form_page.content.decode()
    done = visitor.post(
        form_page.redirect_chain[-1][0], {"new_password1": "pass-4711-x", "new_password2": "pass-4711-x"}
    )
    assert done.status_code == 302 and done["Location"] == reverse("login")
    user = User.objects.get(email="new.person@example.com")
    assert user.is_active and user.check_password("pass-4711-x")
    assert not project_invitations(project=project).exists()
    signed_in = visitor.post(reverse("login"), {"username": "new.person@example.com", "password": "pass-4711-x"})
    assert signed_in.status_code == 302
    assert visitor.get(reverse("projects:project-detail", args=[project.pk])).status_code == 200


def test_inviting_a_pending_invitee_again_resends_and_keeps_one_account(manager_client, project):
    invite(manager_client, project, "new.person@example.com")
    invite(manager_client, project, "new.person@example.com", "viewer")
    assert User.objects.filter(email="new.person@example.com").count() == 1
    assert len(mail.outbox) == 2
    assert project_invitations(project=project).get().role == "viewer"


@pytest.mark.parametrize("email", ["not an email", "", "a@b@c"])
def test_a_bad_email_is_a_form_error_and_creates_nothing(manager_client, project, email):
    before = User.objects.count()
    response = invite(manager_client, project, email)
    assert response.status_code == 200 and response.context["form"].errors["email"]
    assert User.objects.count() == before and mail.outbox == []


def test_a_deactivated_account_is_not_revived_by_an_invitation(alice, project, make_user):
    gone = make_user("gone")
    gone.is_active = False
    gone.save()
    with pytest.raises(ValidationError, match="deactivated"):
        project_invite(project=project, email=gone.email, role="member", invited_by=alice, base_url="http://x/")
    assert not Membership.objects.filter(user=gone).exists() and mail.outbox == []


def test_only_managers_invite(client, bob, project):
    client.force_login(bob)
    assert invite(client, project, "new.person@example.com").status_code == 403
    assert not User.objects.filter(email="new.person@example.com").exists()


def test_the_project_page_links_managers_to_the_invite_page(manager_client, project):
    page = manager_client.get(reverse("projects:project-detail", args=[project.pk])).content.decode()
    assert reverse("projects:member-invite", args=[project.pk]) in page
