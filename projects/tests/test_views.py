"""The project pages: list, members and roles, contacts, and web forms with their snippet."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contacts.models import WebForm
from contacts.services import webform_create
from projects.models import Project
from projects.services import LAST_MANAGER

pytestmark = pytest.mark.django_db


def test_project_list_shows_only_projects_the_user_belongs_to_or_public_ones(client, bob, project, other_project):
    client.force_login(bob)
    response = client.get(reverse("projects:project-list"))
    assert [p.name for p in response.context["projects"]] == ["Support"]


def test_a_project_the_user_may_not_see_is_a_404(client, outsider, project):
    client.force_login(outsider)
    assert client.get(project.get_absolute_url()).status_code == 404
    assert client.post(reverse("contacts:webform-create", args=[project.pk]), {"name": "x"}).status_code == 404
    assert not WebForm.objects.exists()


def test_project_page_shows_members_roles_and_visible_contacts(make_contact, client, bob, project):
    make_contact(first_name="Inside")
    make_contact(first_name="Private", visibility="private")
    make_contact(first_name="Outside", projects=[])
    client.force_login(bob)
    response = client.get(project.get_absolute_url())
    html = response.content.decode()
    assert "Alice Tester" in html and "Manager" in html
    assert "Bob Tester" in html and "Member" in html
    assert [c.first_name for c in response.context["page"].object_list] == ["Inside"]


def test_project_page_shows_each_web_form_snippet_ready_to_copy(client, alice, project):
    webform = webform_create(project=project, name="Leads", redirect_url="https://shop.example/thanks")
    client.force_login(alice)
    html = client.get(project.get_absolute_url()).content.decode()
    assert f'data-copy="#snippet-{webform.pk}"' in html
    assert f"action=&quot;http://testserver/forms/{webform.key}/&quot;" in html
    assert f"value=&quot;{webform.key}&quot;" in html
    assert "name=&quot;contact[first_name]&quot;" in html
    assert "name=&quot;website_url&quot;" in html


def test_a_manager_creates_a_web_form_with_chosen_fields(client, alice, project):
    client.force_login(alice)
    data = {"name": "Newsletter", "allowed_fields": ["first_name", "email"], "tags": "newsletter"}
    response = client.post(reverse("contacts:webform-create", args=[project.pk]), data, follow=True)
    webform = WebForm.objects.get()
    assert (webform.project, webform.allowed_fields, webform.tags) == (project, ["first_name", "email"], "newsletter")
    assert webform.created_by == alice
    assert "Web form Newsletter was created" in response.content.decode()


def test_a_web_form_with_a_bad_thank_you_page_shows_the_error(client, alice, project):
    client.force_login(alice)
    response = client.post(reverse("contacts:webform-create", args=[project.pk]), {"name": "x", "redirect_url": "no"})
    assert response.context["webform_form"].errors["redirect_url"] == ["Enter a valid URL."]
    assert not WebForm.objects.exists()


def test_only_managers_create_web_forms(client, bob, project):
    client.force_login(bob)
    assert "New web form" not in client.get(project.get_absolute_url()).content.decode()
    assert client.post(reverse("contacts:webform-create", args=[project.pk]), {"name": "x"}).status_code == 404
    assert not WebForm.objects.exists()


@pytest.mark.parametrize("count", [5, 30])
def test_project_page_costs_a_fixed_number_of_queries(
    count, make_contact, client, alice, project, django_assert_num_queries
):
    for index in range(count):
        make_contact(first_name=f"C{index}", items=[{"kind": "email", "value": f"c{index}@example.com"}])
    webform_create(project=project, name="Leads")
    client.force_login(alice)
    # Session, user, project, role, members, count, page, five prefetched relations, web forms
    # and their custom fields.
    with django_assert_num_queries(13):
        response = client.get(project.get_absolute_url())
    assert len(response.context["page"].object_list) == min(count, 25)


def test_a_manager_creates_a_project_and_becomes_its_manager(client, alice, project):
    client.force_login(alice)
    assert "New project" in client.get(reverse("projects:project-list")).content.decode()
    data = {"name": "Sales", "identifier": "sales", "description": "Deals.", "is_public": "on"}
    response = client.post(reverse("projects:project-create"), data, follow=True)
    sales = Project.objects.get(identifier="sales")
    assert (sales.name, sales.description, sales.is_public) == ("Sales", "Deals.", True)
    assert list(sales.memberships.values_list("user__username", "role")) == [("alice", "manager")]
    assert "Project Sales was created; you manage it." in response.content.decode()


def test_superusers_create_projects_others_get_a_403(client, admin_user, bob, project):
    client.force_login(bob)
    assert "New project" not in client.get(reverse("projects:project-list")).content.decode()
    assert client.get(reverse("projects:project-create")).status_code == 403
    assert client.post(reverse("projects:project-create"), {"name": "X", "identifier": "x"}).status_code == 403
    client.force_login(admin_user)
    assert client.post(reverse("projects:project-create"), {"name": "X", "identifier": "x"}).status_code == 302
    assert Project.objects.filter(identifier="x").exists()


def test_project_form_errors_show_on_their_fields(client, alice, project):
    client.force_login(alice)
    response = client.post(reverse("projects:project-create"), {"name": "", "identifier": "Bad Id"})
    form = response.context["form"]
    assert form.errors["name"] == ["This field is required."]
    assert form.errors["identifier"] == ["Use lower-case letters, digits, '-' and '_', starting with a letter."]
    response = client.post(reverse("projects:project-create"), {"name": "Again", "identifier": "support"})
    assert response.context["form"].errors["identifier"] == ["Project with this Identifier already exists."]
    response = client.post(reverse("projects:project-create"), {"name": "Digits", "identifier": "123"})
    assert "Identifier cannot be only digits." in response.context["form"].errors["identifier"]
    assert Project.objects.count() == 1


def test_a_manager_edits_the_project(client, alice, project):
    client.force_login(alice)
    assert "Edit project" in client.get(project.get_absolute_url()).content.decode()
    data = {"name": "Customer support", "identifier": "care", "description": "Tickets.", "is_public": "on"}
    response = client.post(reverse("projects:project-update", args=[project.pk]), data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.identifier, project.description, project.is_public) == (
        "Customer support",
        "care",
        "Tickets.",
        True,
    )


def test_a_bad_edit_changes_nothing(client, alice, project, other_project):
    client.force_login(alice)
    data = {"name": "Renamed", "identifier": "elsewhere"}
    response = client.post(reverse("projects:project-update", args=[project.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["identifier"] == ["Project with this Identifier already exists."]
    assert "Edit Support" in response.content.decode()
    project.refresh_from_db()
    assert (project.name, project.identifier) == ("Support", "support")


def test_members_may_not_change_the_project_and_outsiders_do_not_see_it(client, bob, outsider, project):
    urls = [
        reverse("projects:project-update", args=[project.pk]),
        reverse("projects:member-add", args=[project.pk]),
        reverse("projects:member-update", args=[project.pk, bob.pk]),
        reverse("projects:member-remove", args=[project.pk, bob.pk]),
    ]
    client.force_login(bob)
    assert "Edit project" not in client.get(project.get_absolute_url()).content.decode()
    assert [client.post(url, {"role": "manager", "username": "bob"}).status_code for url in urls] == [403] * 4
    client.force_login(outsider)
    assert [client.post(url, {"role": "manager", "username": "outsider"}).status_code for url in urls] == [404] * 4
    assert list(project.memberships.order_by("role").values_list("user__username", "role")) == [
        ("alice", "manager"),
        ("bob", "member"),
    ]


def test_a_manager_adds_a_member_changes_the_role_and_removes_them(client, alice, outsider, project):
    client.force_login(alice)
    response = client.post(
        reverse("projects:member-add", args=[project.pk]), {"username": "outsider", "role": "viewer"}, follow=True
    )
    assert "outsider is now viewer." in response.content.decode()
    assert project.memberships.get(user=outsider).role == "viewer"
    client.post(reverse("projects:member-update", args=[project.pk, outsider.pk]), {"role": "manager"})
    assert project.memberships.get(user=outsider).role == "manager"
    response = client.post(reverse("projects:member-remove", args=[project.pk, outsider.pk]), follow=True)
    assert "outsider was removed from Support." in response.content.decode()
    assert not project.memberships.filter(user=outsider).exists()


def test_adding_an_unknown_user_or_a_bad_role_shows_the_error(client, alice, project):
    client.force_login(alice)
    url = reverse("projects:member-add", args=[project.pk])
    response = client.post(url, {"username": "ghost", "role": "member"})
    assert response.status_code == 400
    assert response.context["member_form"].errors["username"] == ["No active user is called ghost."]
    response = client.post(url, {"username": "bob", "role": "owner"})
    assert "Select a valid choice." in response.context["member_form"].errors["role"][0]
    assert project.memberships.count() == 2


def test_the_last_manager_cannot_step_down_or_leave_from_the_page(client, alice, bob, project):
    client.force_login(alice)
    response = client.post(
        reverse("projects:member-update", args=[project.pk, alice.pk]), {"role": "member"}, follow=True
    )
    assert LAST_MANAGER in response.content.decode()
    response = client.post(reverse("projects:member-remove", args=[project.pk, alice.pk]), follow=True)
    assert LAST_MANAGER in response.content.decode()
    assert project.memberships.get(user=alice).role == "manager"
    response = client.post(reverse("projects:member-update", args=[project.pk, bob.pk]), {"role": "boss"}, follow=True)
    assert "Choose a role." in response.content.decode()
    assert (
        client.post(reverse("projects:member-update", args=[project.pk, 999999]), {"role": "member"}).status_code == 404
    )


def test_member_actions_need_a_post(client, alice, project):
    client.force_login(alice)
    assert client.get(reverse("projects:member-remove", args=[project.pk, alice.pk])).status_code == 405
    assert project.memberships.filter(user=alice).exists()


def test_the_add_member_form_cannot_demote_the_last_manager_either(client, alice, project):
    client.force_login(alice)
    response = client.post(reverse("projects:member-add", args=[project.pk]), {"username": "alice", "role": "viewer"})
    assert response.status_code == 400
    assert response.context["member_form"].errors["role"] == [LAST_MANAGER]
    assert project.memberships.get(user=alice).role == "manager"


def test_a_superuser_manages_a_project_they_are_not_a_member_of(client, admin_user, bob, project):
    client.force_login(admin_user)
    client.post(reverse("projects:member-update", args=[project.pk, bob.pk]), {"role": "viewer"})
    assert project.memberships.get(user=bob).role == "viewer"
    data = {"name": "Support", "identifier": "support", "description": "", "is_public": ""}
    assert client.post(reverse("projects:project-update", args=[project.pk]), data).status_code == 302
