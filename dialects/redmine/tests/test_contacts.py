"""The contact routes: list parameters, show includes, create, update, delete, project links, tags."""

from __future__ import annotations

import pytest

from contacts.models import Address, Contact, ContactItem, CustomField, Visibility
from contacts.services import contact_create
from projects.models import Membership
from projects.services import membership_set, project_create

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [c["first_name"] for c in response.json()["contacts"]]


# List


def test_list_wraps_contacts_in_envelope_with_counts(api, make_contact):
    make_contact(first_name="Ada")
    body = api.get("/redmine/contacts.json").json()
    assert list(body) == ["contacts", "total_count", "offset", "limit"]
    assert (body["total_count"], body["offset"], body["limit"]) == (1, 0, 25)


@pytest.mark.parametrize(
    ("query", "offset", "limit", "count"),
    [
        ("", 0, 25, 25),
        ("?limit=0", 0, 25, 25),
        ("?limit=abc", 0, 25, 25),
        ("?limit=500", 0, 100, 30),
        ("?limit=10&page=3", 20, 10, 10),
        ("?limit=10&offset=25", 25, 10, 5),
        ("?offset=-3&limit=5", 0, 5, 5),
    ],
)
def test_paging_follows_redmine_core(api, make_contact, query, offset, limit, count):
    for n in range(30):
        make_contact(first_name=f"P{n:02}")
    body = api.get(f"/redmine/contacts.json{query}").json()
    assert (body["offset"], body["limit"], len(body["contacts"]), body["total_count"]) == (offset, limit, count, 30)


def test_nometa_drops_the_counts_in_both_formats(api, make_contact):
    make_contact()
    assert list(api.get("/redmine/contacts.json?nometa=1").json()) == ["contacts"]
    xml = api.get("/redmine/contacts.xml", HTTP_X_REDMINE_NOMETA="1").content
    assert b'<contacts type="array"><contact>' in xml


def test_project_id_filters_by_id_or_identifier(api, alice, make_contact, project):
    other = project_create(name="Sales", identifier="sales", creator=alice)
    make_contact(first_name="InSupport")
    make_contact(first_name="InSales", projects=[other])
    assert names(api.get("/redmine/contacts.json?project_id=sales")) == ["InSales"]
    assert names(api.get(f"/redmine/contacts.json?project_id={project.pk}")) == ["InSupport"]
    assert names(api.get("/redmine/projects/sales/contacts.json")) == ["InSales"]
    xml = api.get(f"/redmine/projects/{other.pk}/contacts.xml", HTTP_ACCEPT="application/json").content
    assert b'total_count="1"><contact><id>' in xml


def test_an_unknown_or_invisible_project_is_404(api, other_project):
    assert api.get("/redmine/contacts.json?project_id=nope").status_code == 404
    assert api.get("/redmine/projects/elsewhere/contacts.json").status_code == 404


def test_search_needs_every_word_to_match_a_name_company_email_or_phone(api, make_contact):
    make_contact(first_name="Tom", last_name="Hanks", items=[{"kind": "email", "value": "tom@studio.example"}])
    make_contact(first_name="Tom", last_name="Cruise")
    assert names(api.get("/redmine/contacts.json?search=tom")) == ["Tom", "Tom"]
    assert [c["last_name"] for c in api.get("/redmine/contacts.json?search=tom studio").json()["contacts"]] == ["Hanks"]


def test_tags_must_all_match(api, make_contact):
    make_contact(first_name="Both", tags=["vip", "referral"])
    make_contact(first_name="One", tags=["vip"])
    assert names(api.get("/redmine/contacts.json?tags=vip")) == ["Both", "One"]
    assert names(api.get("/redmine/contacts.json?tags=vip,referral")) == ["Both"]


def test_is_company_and_assigned_to_id_filter(api, alice, bob, make_contact):
    make_contact(is_company=True, name="Acme")
    make_contact(first_name="Person", assigned_to=bob)
    assert names(api.get("/redmine/contacts.json?is_company=1")) == ["Acme"]
    assert names(api.get("/redmine/contacts.json?is_company=0")) == ["Person"]
    assert names(api.get(f"/redmine/contacts.json?assigned_to_id={bob.pk}")) == ["Person"]
    assert names(api.get("/redmine/contacts.json?assigned_to_id=me")) == []


def test_an_invalid_filter_value_is_422(api):
    response = api.get("/redmine/contacts.json?assigned_to_id=abc")
    assert response.status_code == 422
    assert response.json()["errors"]


def test_sort_takes_redmine_sort_syntax(api, make_contact):
    for name in ("Bea", "Al", "Cy"):
        make_contact(first_name=name)
    assert names(api.get("/redmine/contacts.json?sort=first_name:desc")) == ["Cy", "Bea", "Al"]
    assert names(api.get("/redmine/contacts.json?sort=bogus,first_name")) == ["Al", "Bea", "Cy"]


def test_without_a_suffix_the_accept_header_decides(api, make_contact):
    make_contact()
    assert api.get("/redmine/contacts", HTTP_ACCEPT="application/xml").content.startswith(b"<?xml")
    assert api.get("/redmine/contacts").json()["total_count"] == 1


# Show


def test_show_includes_only_what_is_asked(api, apple, steve):
    contact = api.get(f"/redmine/contacts/{apple.pk}.json").json()["contact"]
    assert "notes" not in contact and contact["projects"] == [{"id": apple.projects.get().pk, "name": "Support"}]
    contact = api.get(f"/redmine/contacts/{apple.pk}.json?include=notes,contacts").json()["contact"]
    assert [n["content"] for n in contact["notes"]] == ["Called about the order."]
    assert contact["contacts"] == [{"id": steve.pk, "name": "Steve Jobs"}]
    assert "deals" not in contact


def test_show_of_a_missing_contact_is_an_empty_404(api):
    response = api.get("/redmine/contacts/999.xml")
    assert (response.status_code, response.content) == (404, b"")


# Create


def test_create_answers_201_with_location_and_the_contact(api, project):
    response = api.post(
        "/redmine/contacts.json", {"contact": {"first_name": "John"}, "project_id": "support"}, format="json"
    )
    assert response.status_code == 201
    contact = Contact.objects.get()
    assert response["Location"] == f"http://testserver/redmine/contacts/{contact.pk}"
    assert response.json()["contact"]["first_name"] == "John"
    assert list(contact.projects.all()) == [project]
    assert contact.author.username == "alice"


@pytest.mark.parametrize("project_id", [None, "nope"])
def test_create_without_a_known_project_is_404_and_writes_nothing(api, project, project_id):
    response = api.post(
        "/redmine/contacts.json", {"contact": {"first_name": "J", "project_id": project_id}}, format="json"
    )
    assert response.status_code == 404
    assert not Contact.objects.exists()


def test_create_in_a_project_the_user_only_views_is_403(client_for, make_user, project):
    viewer = make_user("viewer")
    membership_set(project=project, user=viewer, role=Membership.Role.VIEWER)
    response = client_for(viewer).post(
        "/redmine/contacts.json", {"contact": {"first_name": "J", "project_id": "support"}}, format="json"
    )
    assert (response.status_code, response.content) == (403, b"")
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("phone", "email", "tags"),
    [
        ("+1 555 0100, +1 555 0101", "a@x.example,b@x.example", "vip, cold call"),
        (["+1 555 0100", "+1 555 0101"], ["a@x.example", "b@x.example"], ["vip", "cold call"]),
    ],
)
def test_phones_emails_and_tags_take_comma_strings_or_lists(api, project, phone, email, tags):
    body = {"contact": {"project_id": "support", "first_name": "J", "phone": phone, "email": email, "tag_list": tags}}
    contact = api.post("/redmine/contacts.json", body, format="json").json()["contact"]
    assert contact["phones"] == [{"number": "+1 555 0100"}, {"number": "+1 555 0101"}]
    assert contact["emails"] == [{"address": "a@x.example"}, {"address": "b@x.example"}]
    assert contact["tag_list"] == ["cold call", "vip"]


def test_a_persons_company_string_links_to_the_company_of_that_name(api, make_contact, project):
    acme = make_contact(is_company=True, name="Acme")
    body = {"contact": {"project_id": "support", "first_name": "J", "company": "acme"}}
    contact = api.post("/redmine/contacts.json", body, format="json").json()["contact"]
    assert contact["company"] == "Acme"
    assert Contact.objects.get(pk=contact["id"]).company == acme
    assert Contact.objects.filter(is_company=True).count() == 1


def test_a_new_company_name_creates_the_company(api, project):
    body = {"contact": {"project_id": "support", "first_name": "J", "company": "Newco"}}
    api.post("/redmine/contacts.json", body, format="json")
    assert Contact.objects.get(first_name="J").company.name == "Newco"


def test_a_company_keeps_its_name_in_first_name(api, project):
    body = {"contact": {"project_id": "support", "first_name": "Acme", "is_company": True}}
    contact = api.post("/redmine/contacts.json", body, format="json").json()["contact"]
    assert (contact["first_name"], contact["is_company"]) == ("Acme", True)
    assert Contact.objects.get().name == "Acme"


def test_custom_fields_go_in_as_a_list_or_a_hash_and_come_out(api, project, license_field):
    seats = CustomField.objects.create(name="Seats", field_format=CustomField.Format.INTEGER, position=2)
    body = {
        "contact": {
            "project_id": "support",
            "first_name": "J",
            "custom_fields": [{"id": license_field.pk, "value": "Pro"}],
            "custom_field_values": {str(seats.pk): "12"},
        }
    }
    contact = api.post("/redmine/contacts.json", body, format="json").json()["contact"]
    assert contact["custom_fields"] == [
        {"id": license_field.pk, "name": "License", "value": "Pro"},
        {"id": seats.pk, "name": "Seats", "value": "12"},
    ]


def test_an_invalid_custom_value_is_422_naming_the_field(api, project, license_field):
    body = {
        "contact": {
            "project_id": "support",
            "first_name": "J",
            "custom_fields": [{"id": license_field.pk, "value": "Gold"}],
        }
    }
    response = api.post("/redmine/contacts.json", body, format="json")
    assert response.status_code == 422
    assert response.json() == {"errors": ["License: Gold is not one of the choices"]}
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("code", "visibility"), [(0, Visibility.PROJECT), ("1", Visibility.PUBLIC), (2, Visibility.PRIVATE)]
)
def test_visibility_codes_map_to_project_public_private(api, project, code, visibility):
    body = {"contact": {"project_id": "support", "first_name": "J", "visibility": code}}
    response = api.post("/redmine/contacts.json", body, format="json")
    assert response.json()["contact"]["visibility"] == int(code)
    assert Contact.objects.get().visibility == visibility


def test_assigned_to_id_must_be_a_user(api, project, bob):
    ok = api.post(
        "/redmine/contacts.json",
        {"contact": {"project_id": "support", "first_name": "J", "assigned_to_id": bob.pk}},
        format="json",
    )
    assert ok.json()["contact"]["assigned_to"] == {"id": bob.pk, "name": "Bob Tester"}
    bad = api.post(
        "/redmine/contacts.json",
        {"contact": {"project_id": "support", "first_name": "K", "assigned_to_id": 999}},
        format="json",
    )
    assert (bad.status_code, bad.json()) == (422, {"errors": ["Assigned to is invalid"]})


def test_a_refused_person_does_not_leave_a_new_company_behind(api, project):
    body = {"contact": {"project_id": "support", "last_name": "", "company": "Ghost Inc", "email": "bad"}}
    assert api.post("/redmine/contacts.json", body, format="json").status_code == 422
    assert not Contact.objects.exists()


def test_create_from_the_seeds_xml_body(api, project):
    body = (
        "<contact><first_name>API contact name</first_name><is_company>true</is_company>"
        "<project_id>support</project_id></contact>"
    )
    response = api.post("/redmine/contacts.xml", body, content_type="application/xml")
    assert response.status_code == 201
    assert Contact.objects.get().name == "API contact name"


def test_xml_input_keeps_strings_as_strings(api, project):
    body = (
        "<contact><first_name>0042</first_name><project_id>support</project_id>"
        "<address_attributes><postcode>01234</postcode><country_code>fr</country_code></address_attributes></contact>"
    )
    api.post("/redmine/contacts.xml", body, content_type="application/xml")
    contact = Contact.objects.get()
    assert (contact.first_name, contact.addresses.get().postcode, contact.addresses.get().country.code) == (
        "0042",
        "01234",
        "FR",
    )


# Update and delete


def test_update_answers_204_and_changes_only_what_is_given(api, apple):
    response = api.put(f"/redmine/contacts/{apple.pk}.json", {"contact": {"phone": "+1 555 0199"}}, format="json")
    assert (response.status_code, response.content) == (204, b"")
    apple.refresh_from_db()
    assert [i.value for i in apple.items.filter(kind=ContactItem.Kind.TEL)] == ["+1 555 0199"]
    assert apple.items.filter(kind=ContactItem.Kind.EMAIL).count() == 1
    assert apple.name == "Apple Inc." and apple.tags.count() == 3


def test_update_of_the_seed_curl_body_renames_a_person(api, steve):
    api.put(f"/redmine/contacts/{steve.pk}", {"contact": {"first_name": "John", "last_name": "Smith"}}, format="json")
    steve.refresh_from_db()
    assert (steve.first_name, steve.last_name, steve.company.name) == ("John", "Smith", "Apple Inc.")


def test_update_address_attributes_merge_and_all_empty_deletes(api, apple):
    api.put(
        f"/redmine/contacts/{apple.pk}.json", {"contact": {"address_attributes": {"city": "Madrid"}}}, format="json"
    )
    address = Address.objects.get(contact=apple)
    assert (address.city, address.street1) == ("Madrid", "Calle Valencia, 87-89")
    empty = dict.fromkeys(["street1", "street2", "city", "region", "postcode", "country_code"], "")
    api.put(f"/redmine/contacts/{apple.pk}.json", {"contact": {"address_attributes": empty}}, format="json")
    assert not Address.objects.filter(contact=apple).exists()


def test_an_empty_company_unlinks_a_person(api, steve):
    api.put(f"/redmine/contacts/{steve.pk}.json", {"contact": {"company": ""}}, format="json")
    steve.refresh_from_db()
    assert steve.company is None


def test_update_by_a_user_who_may_only_see_is_403(client_for, outsider, apple):
    response = client_for(outsider).put(
        f"/redmine/contacts/{apple.pk}.json", {"contact": {"first_name": "X"}}, format="json"
    )
    assert response.status_code == 403


def test_delete_answers_204(api, apple):
    assert api.delete(f"/redmine/contacts/{apple.pk}.json").status_code == 204
    assert not Contact.objects.filter(pk=apple.pk).exists()


def test_delete_by_a_member_who_is_not_the_author_is_403(client_for, bob, apple):
    assert client_for(bob).delete(f"/redmine/contacts/{apple.pk}.xml").status_code == 403
    assert Contact.objects.filter(pk=apple.pk).exists()


# Project links


@pytest.fixture
def sales(alice):
    return project_create(name="Sales", identifier="sales", creator=alice)


def test_add_to_project_takes_project_id_in_json_xml_or_form(api, apple, sales, project):
    assert (
        api.post(f"/redmine/contacts/{apple.pk}/projects.json", {"project": {"id": "sales"}}, format="json").status_code
        == 204
    )
    assert set(apple.projects.values_list("identifier", flat=True)) == {"support", "sales"}
    api.delete(f"/redmine/contacts/{apple.pk}/projects/sales.json")
    xml = f"<project><id>{sales.pk}</id></project>"
    assert (
        api.post(f"/redmine/contacts/{apple.pk}/projects.xml", xml, content_type="application/xml").status_code == 204
    )
    api.delete(f"/redmine/contacts/{apple.pk}/projects/{sales.pk}.xml")
    form = api.post(
        f"/redmine/contacts/{apple.pk}/projects.json",
        "project[id]=sales",
        content_type="application/x-www-form-urlencoded",
    )
    assert form.status_code == 204
    assert apple.projects.filter(identifier="sales").exists()


def test_add_to_an_unknown_project_is_404(api, apple):
    assert (
        api.post(f"/redmine/contacts/{apple.pk}/projects.json", {"project": {"id": "nope"}}, format="json").status_code
        == 404
    )


def test_removing_the_last_project_is_403(api, apple, sales, project):
    api.post(f"/redmine/contacts/{apple.pk}/projects.json", {"project": {"id": "sales"}}, format="json")
    assert api.delete(f"/redmine/contacts/{apple.pk}/projects/support.json").status_code == 204
    assert api.delete(f"/redmine/contacts/{apple.pk}/projects/sales.json").status_code == 403
    assert list(apple.projects.values_list("identifier", flat=True)) == ["sales"]


# Tags


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_contacts_tags_counts_visible_contacts(api, make_contact, fmt):
    make_contact(tags=["vip", "referral"])
    make_contact(first_name="B", tags=["vip"])
    response = api.get(f"/redmine/contacts_tags.{fmt}")
    if fmt == "json":
        assert [(t["name"], t["count"]) for t in response.json()["tags"]] == [("referral", 1), ("vip", 2)]
    else:
        assert b"<tag><id>" in response.content and b"<name>vip</name><color/><count>2</count>" in response.content


def test_unknown_paths_under_redmine_are_empty_404s(api):
    response = api.get("/redmine/issues.json")
    assert (response.status_code, response.content) == (404, b"")


def test_a_contact_created_elsewhere_is_listed(api, alice, project):
    contact_create(user=alice, fields={"first_name": "Zed"}, projects=[project])
    assert names(api.get("/redmine/contacts.json")) == ["Zed"]


def test_update_from_an_xml_body(api, steve):
    body = "<contact><job_title>CEO</job_title><phone>+1 555 0100</phone><tag_list>founder</tag_list></contact>"
    response = api.put(f"/redmine/contacts/{steve.pk}.xml", body, content_type="application/xml")
    assert (response.status_code, response.content) == (204, b"")
    steve.refresh_from_db()
    assert (steve.job_title, list(steve.tags.names())) == ("CEO", ["founder"])
    assert steve.items.get().value == "+1 555 0100"


def test_create_in_a_projects_route_from_a_form_body(api, project):
    response = api.post(
        "/redmine/projects/support/contacts.xml",
        "contact[first_name]=Formed&contact[tag_list]=a,b",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 201
    assert sorted(Contact.objects.get(first_name="Formed").tags.names()) == ["a", "b"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_contact_without_first_name_is_422_even_with_a_last_name(api, project, fmt):
    body = {"contact": {"project_id": "support", "last_name": "Jobs", "email": "not-an-email"}}

    response = api.post(f"/redmine/contacts.{fmt}", body, format="json")

    assert response.status_code == 422
    if fmt == "json":
        assert response.json() == {
            "errors": ["First name cannot be blank", "not-an-email is not a valid email address"]
        }
    else:
        assert b"<error>First name cannot be blank</error>" in response.content
    assert not Contact.objects.exists()


def test_an_update_that_blanks_first_name_is_422_and_changes_nothing(api, steve):
    response = api.put(
        f"/redmine/contacts/{steve.pk}.json", {"contact": {"first_name": " ", "job_title": "CEO"}}, format="json"
    )

    steve.refresh_from_db()
    assert (response.status_code, response.json()) == (422, {"errors": ["First name cannot be blank"]})
    assert (steve.first_name, steve.job_title) == ("Steve", "")


def test_an_update_without_first_name_keeps_it(api, steve):
    response = api.put(f"/redmine/contacts/{steve.pk}.json", {"contact": {"job_title": "CEO"}}, format="json")

    steve.refresh_from_db()
    assert response.status_code == 204
    assert (steve.first_name, steve.job_title) == ("Steve", "CEO")


def test_empty_collections_are_empty_arrays_in_json_and_xml(api, steve):
    body = api.get(f"/redmine/contacts/{steve.pk}.json").json()["contact"]
    xml = api.get(f"/redmine/contacts/{steve.pk}.xml").content

    assert (body["phones"], body["emails"], body["tag_list"], body["custom_fields"]) == ([], [], [], [])
    assert b'<phones type="array"></phones><emails type="array"></emails><tags></tags>' in xml
    assert b'<custom_fields type="array"></custom_fields>' in xml
