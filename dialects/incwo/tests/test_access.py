"""Who reaches a business file and which contacts they see there: authentication, membership, visibility."""

from __future__ import annotations

import base64

import pytest
from rest_framework.test import APIClient

from contacts.models import Contact
from dialects.incwo.tests.conftest import xml
from dialects.xml import parse_tree
from projects.models import Membership
from projects.services import membership_remove, membership_set, project_create, project_update

pytestmark = pytest.mark.django_db

ROUTES = [
    ("get", "contacts.xml"),
    ("post", "contacts.xml"),
    ("get", "contacts/{jean}.xml"),
    ("put", "contacts/{jean}.xml"),
    ("delete", "contacts/{jean}.xml"),
    ("get", "firms.xml"),
    ("post", "firms.xml"),
    ("get", "firms/{acme}.xml"),
    ("put", "firms/{acme}.xml"),
    ("delete", "firms/{acme}.xml"),
]


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def listed(response) -> list[int]:
    tree = parse_tree(response.content)
    return [int(e.findtext("id")) for e in tree.findall("contact")]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_every_route_answers_401_with_a_basic_challenge_without_credentials(incwo_for, jean, acme, method, path):
    client = incwo_for(None)
    url = path.format(jean=jean.pk, acme=acme.pk)
    response = getattr(client, method)(url) if method in ("get", "delete") else getattr(client, method)(url, "<x/>")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="Application"'
    assert Contact.objects.filter(pk__in=[jean.pk, acme.pk]).count() == 2


def test_basic_with_login_and_password_or_with_the_key_as_login(alice, project, jean):
    client = APIClient()
    url = f"/incwo/{project.pk}/contacts.xml"
    assert client.get(url, HTTP_AUTHORIZATION=basic("alice", "secret-pass-123")).status_code == 200
    assert client.get(url, HTTP_AUTHORIZATION=basic("alice", "wrong")).status_code == 401
    from contacts.services import apikey_get_or_create

    key = apikey_get_or_create(user=alice).key
    assert client.get(url, HTTP_AUTHORIZATION=basic(key, "")).status_code == 200


def test_a_signed_in_session_works_and_needs_csrf_to_write(client, alice, project, jean):
    from django.test import Client

    session = Client(enforce_csrf_checks=True)
    session.force_login(alice)
    assert session.get(f"/incwo/{project.pk}/contacts.xml").status_code == 200
    response = session.post(
        f"/incwo/{project.pk}/contacts.xml", xml("contact", last_name="X"), content_type="application/xml"
    )
    assert response.status_code == 403
    assert not Contact.objects.filter(last_name="X").exists()


def test_the_business_file_is_found_by_id_or_identifier(incwo_for, alice, project, jean):
    assert listed(incwo_for(alice, project.identifier).get("contacts.xml")) == [jean.pk]


def test_an_unknown_business_file_is_not_found(incwo_for, alice):
    for key in ("999", "nowhere", "0", "1" * 30):
        assert incwo_for(alice, key).get("contacts.xml").status_code == 404


def test_a_private_business_file_of_others_is_not_found_and_a_public_one_is_forbidden(incwo_for, outsider, alice, jean):
    secret = project_create(name="Secret", identifier="secret", creator=alice)
    assert incwo_for(outsider, secret.pk).get("contacts.xml").status_code == 404
    public = project_create(name="Open", identifier="open", creator=alice)
    public.is_public = True
    public.save()
    response = incwo_for(outsider, public.pk).get("contacts.xml")
    assert response.status_code == 403
    assert b"You are not a member of this business file" in response.content


def test_a_superuser_reaches_every_business_file(incwo_for, admin_user, jean):
    assert listed(incwo_for(admin_user).get("contacts.xml")) == [jean.pk]


def test_only_the_business_files_contacts_are_listed_or_shown(api, make_contact, jean, other_project, outsider):
    elsewhere = make_contact(user=outsider, first_name="Else", visibility="public", projects=[other_project])
    nowhere = make_contact(first_name="Loose", visibility="public", projects=[])
    assert listed(api.get("contacts.xml")) == [jean.pk]
    for contact in (elsewhere, nowhere):
        assert api.get(f"contacts/{contact.pk}.xml").status_code == 404
        assert api.put(f"contacts/{contact.pk}.xml", xml("contact", last_name="Z")).status_code == 404
        assert api.delete(f"contacts/{contact.pk}.xml").status_code == 404


def test_a_private_contact_is_seen_only_by_whom_the_visibility_rule_lets(incwo_for, make_contact, alice, bob, jean):
    secret = make_contact(first_name="Secret", visibility="private")
    assert secret.pk in listed(incwo_for(alice).get("contacts.xml"))
    assert secret.pk not in listed(incwo_for(bob).get("contacts.xml"))
    assert incwo_for(bob).get(f"contacts/{secret.pk}.xml").status_code == 404


def test_a_firm_the_user_cannot_see_is_not_named(incwo_for, make_contact, bob, alice):
    hidden = make_contact(is_company=True, name="Hidden", visibility="private")
    person = make_contact(first_name="Open", company=hidden, visibility="public")
    shown = parse_tree(incwo_for(bob).get(f"contacts/{person.pk}.xml").content)
    assert (shown.findtext("firm_id"), shown.findtext("firm_name")) == ("", "")
    listed_person = parse_tree(incwo_for(bob).get("contacts.xml").content).find("contact")
    assert listed_person.findtext("firm_name") == ""
    assert parse_tree(incwo_for(alice).get(f"contacts/{person.pk}.xml").content).findtext("firm_name") == "Hidden"


def test_a_viewer_reads_but_cannot_write(incwo_for, make_user, project, jean):
    viewer = make_user("viewer")
    membership_set(project=project, user=viewer, role=Membership.Role.VIEWER)
    api = incwo_for(viewer)
    assert api.get("contacts.xml").status_code == 200
    assert api.post("contacts.xml", xml("contact", last_name="No")).status_code == 403
    assert api.post("firms.xml", xml("firm", name="No")).status_code == 403
    assert not Contact.objects.filter(last_name="No").exists()


def test_a_member_cannot_delete_someone_elses_contact(incwo_for, bob, jean):
    response = incwo_for(bob).delete(f"contacts/{jean.pk}.xml")
    assert response.status_code == 403
    assert b"<errors><error>You may not delete this contact</error></errors>" in response.content
    assert Contact.objects.filter(pk=jean.pk).exists()


def test_any_other_path_is_an_xml_404(api):
    response = api.get("invoices.xml")
    assert response.status_code == 404
    assert response.content.endswith(b"<errors><error>Not found</error></errors>")


def test_a_membership_or_a_business_file_changed_between_requests_shows_at_once(incwo_for, project, bob, jean):
    client = incwo_for(bob, "support")
    assert client.get("contacts.xml").status_code == 200
    project_update(project=project, identifier="helpdesk")
    assert client.get("contacts.xml").status_code == 404
    assert incwo_for(bob, "helpdesk").get("contacts.xml").status_code == 200
    membership_remove(project=project, user=bob)
    assert incwo_for(bob, "helpdesk").get("contacts.xml").status_code == 404
    project_update(project=project, is_public=True)
    assert incwo_for(bob, "helpdesk").get("contacts.xml").status_code == 403
    membership_set(project=project, user=bob, role=Membership.Role.VIEWER)
    assert incwo_for(bob, project.pk).get("contacts.xml").status_code == 200
