"""The project pages: list, members and roles, contacts, and web forms with their snippet."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contacts.models import WebForm
from contacts.services import webform_create

pytestmark = pytest.mark.django_db


def test_project_list_shows_only_projects_the_user_belongs_to_or_public_ones(client, bob, project, other_project):
    client.force_login(bob)
    response = client.get(reverse("projects:project-list"))
    assert [p.name for p in response.context["projects"]] == ["Support"]


def test_a_project_the_user_may_not_see_is_a_404(client, outsider, project):
    client.force_login(outsider)
    assert client.get(project.get_absolute_url()).status_code == 404
    assert client.post(reverse("projects:webform-create", args=[project.pk]), {"name": "x"}).status_code == 404
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
    assert "action=&quot;http://testserver/redmine/contacts.json&quot;" in html
    assert f"value=&quot;{webform.key}&quot;" in html
    assert "name=&quot;contact[first_name]&quot;" in html
    assert "name=&quot;website_url&quot;" in html


def test_a_manager_creates_a_web_form_with_chosen_fields(client, alice, project):
    client.force_login(alice)
    data = {"name": "Newsletter", "allowed_fields": ["first_name", "email"], "tags": "newsletter"}
    response = client.post(reverse("projects:webform-create", args=[project.pk]), data, follow=True)
    webform = WebForm.objects.get()
    assert (webform.project, webform.allowed_fields, webform.tags) == (project, ["first_name", "email"], "newsletter")
    assert webform.created_by == alice
    assert "Web form Newsletter was created" in response.content.decode()


def test_a_web_form_with_a_bad_thank_you_page_shows_the_error(client, alice, project):
    client.force_login(alice)
    response = client.post(reverse("projects:webform-create", args=[project.pk]), {"name": "x", "redirect_url": "no"})
    assert response.context["webform_form"].errors["redirect_url"] == ["Enter a valid URL."]
    assert not WebForm.objects.exists()


def test_only_managers_create_web_forms(client, bob, project):
    client.force_login(bob)
    assert "New web form" not in client.get(project.get_absolute_url()).content.decode()
    assert client.post(reverse("projects:webform-create", args=[project.pk]), {"name": "x"}).status_code == 404
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
