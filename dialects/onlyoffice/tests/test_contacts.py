"""Contacts through the ONLYOFFICE routes: filter, read, create, update, delete, projects, access."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from contacts.models import Contact, ContactStage, ContactType, Visibility
from dialects.onlyoffice.fields import user_guid
from dialects.onlyoffice.filters import ContactFilterAccessSerializer, ContactFilterSerializer
from dialects.onlyoffice.pagination import PageParamsSerializer
from dialects.onlyoffice.parsers import field_kinds
from dialects.tests.bulk import rich_contacts

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [c["DisplayName"] for c in response.json()["response"]]


@pytest.fixture
def people(make_contact, alice, bob, project):
    cold, hot = ContactStage.objects.get(name="Cold"), ContactStage.objects.get(name="Hot")
    client, press = ContactType.objects.get(code="client"), ContactType.objects.get(code="press")
    return {
        "ann": make_contact(
            first_name="Ann",
            last_name="Zeta",
            tags=["vip", "fair"],
            stage=cold,
            contact_type=client,
            assigned_to=bob,
            visibility="project",
            created_at=datetime(2024, 1, 10, tzinfo=UTC),
        ),
        "bea": make_contact(
            first_name="Bea",
            last_name="Young",
            tags=["vip"],
            stage=hot,
            contact_type=press,
            visibility="public",
            created_at=datetime(2024, 2, 10, tzinfo=UTC),
        ),
        "acme": make_contact(
            is_company=True, name="Acme", visibility="project", created_at=datetime(2024, 3, 10, tzinfo=UTC)
        ),
    }


def test_filter_lists_newest_first_with_total(api, people):
    response = api("GET", "crm/contact/filter")
    assert names(response) == ["Acme", "Bea Young", "Ann Zeta"]
    assert response.json()["total"] == 3


def test_filter_pages_with_start_index_count_next_index_and_total(api, people):
    body = api("GET", "crm/contact/filter", {"startIndex": 1, "count": 1}).json()
    assert [c["DisplayName"] for c in body["response"]] == ["Bea Young"]
    assert (body["count"], body["startIndex"], body["nextIndex"], body["total"]) == (1, 1, 2, 3)
    last = api("GET", "crm/contact/filter", {"startIndex": 2, "count": 5}).json()
    assert "nextIndex" not in last and last["total"] == 3
    beyond = api("GET", "crm/contact/filter", {"startIndex": 10}).json()
    assert beyond["response"] == [] and beyond["total"] == 3 and "count" not in beyond


def test_filter_page_size_is_capped_at_100(api, make_contact):
    for n in range(101):
        make_contact(first_name=f"N{n}")
    body = api("GET", "crm/contact/filter", {"count": 500}).json()
    assert body["count"] == 100 and body["nextIndex"] == 100 and body["total"] == 101


def test_filter_by_tags_as_json_array_or_repeated_keys(api, people):
    assert names(api("GET", 'crm/contact/filter?tags=["vip","fair"]')) == ["Ann Zeta"]
    assert names(api("GET", "crm/contact/filter?tags[]=vip&tags[]=fair")) == ["Ann Zeta"]
    assert names(api("GET", "crm/contact/filter?tags=vip")) == ["Bea Young", "Ann Zeta"]


def test_filter_by_stage_type_and_list_view(api, people):
    hot = ContactStage.objects.get(name="Hot").pk
    client = ContactType.objects.get(code="client").pk
    assert names(api("GET", "crm/contact/filter", {"contactStage": hot})) == ["Bea Young"]
    assert names(api("GET", "crm/contact/filter", {"contactType": client})) == ["Ann Zeta"]
    assert names(api("GET", "crm/contact/filter", {"contactStage": -1})) == ["Acme", "Bea Young", "Ann Zeta"]
    assert names(api("GET", "crm/contact/filter", {"contactListView": "Company"})) == ["Acme"]
    assert names(api("GET", "crm/contact/filter", {"contactListView": 2})) == ["Bea Young", "Ann Zeta"]
    assert names(api("GET", "crm/contact/filter", {"contactListView": "WithOpportunity"})) == []
    assert api("GET", "crm/contact/filter", {"contactListView": "Nope"}).status_code == 400
    assert api("GET", "crm/contact/filter", {"contactStage": 999999}).status_code == 400


def test_filter_by_responsible_shared_dates_and_search(api, people, bob):
    assert names(api("GET", "crm/contact/filter", {"responsibleid": user_guid(bob.pk)})) == ["Ann Zeta"]
    assert names(api("GET", "crm/contact/filter", {"isShared": "true"})) == ["Bea Young"]
    assert names(api("GET", "crm/contact/filter", {"isShared": "false"})) == ["Acme", "Ann Zeta"]
    dates = {"fromDate": "2024-02-01", "toDate": "2024-02-10"}
    assert names(api("GET", "crm/contact/filter", dates)) == ["Bea Young"]
    assert names(api("GET", "crm/contact/filter", {"fromDate": "2024-03-01T00:00:00.0000000Z"})) == ["Acme"]
    assert names(api("GET", "crm/contact/filter", {"filterValue": "zeta"})) == ["Ann Zeta"]
    assert api("GET", "crm/contact/filter", {"fromDate": "yesterday"}).status_code == 400
    assert api("GET", "crm/contact/filter", {"responsibleid": "bob"}).status_code == 400


def test_filter_sorts_by_sort_by_and_sort_order(api, people):
    by_name = {"sortBy": "displayname"}
    assert names(api("GET", "crm/contact/filter", by_name)) == ["Acme", "Ann Zeta", "Bea Young"]
    assert names(api("GET", "crm/contact/filter", {**by_name, "sortOrder": "descending"}))[0] == "Bea Young"
    assert names(api("GET", "crm/contact/filter", {"sortBy": "LastName"}))[1:] == ["Bea Young", "Ann Zeta"]
    # An unknown sortBy is ignored, as ONLYOFFICE does: newest first.
    assert names(api("GET", "crm/contact/filter", {"sortBy": "shoe_size"})) == ["Acme", "Bea Young", "Ann Zeta"]


def test_lists_show_only_what_the_user_may_see(api, people, outsider, make_contact):
    make_contact(first_name="Secret", visibility="private")
    as_outsider = api.as_user(outsider)
    assert names(as_outsider("GET", "crm/contact/filter")) == ["Bea Young"]
    assert as_outsider("GET", f"crm/contact/{people['ann'].pk}").status_code == 404
    assert "Secret Lovelace" not in names(api.as_user(people["ann"].assigned_to)("GET", "crm/contact/filter"))


def test_a_list_shows_each_user_their_own_rights_however_often_it_is_read(api, people, bob):
    # The second round reads every list through the statements the first round compiled.
    def rights(client):
        rows = client("GET", "crm/contact/filter", {"sortBy": "displayname"}).json()["response"]
        return {row["DisplayName"]: (row["CanEdit"], row["CanDelete"]) for row in rows}

    for _ in range(2):
        assert rights(api.as_user(bob))["Bea Young"] == (True, False)
        assert rights(api)["Bea Young"] == (True, True)


def test_can_edit_and_can_delete_follow_the_users_rights(api, people, outsider, bob):
    bea = people["bea"].pk
    as_outsider = api.as_user(outsider)("GET", f"crm/contact/{bea}").json()["response"]
    assert (as_outsider["CanEdit"], as_outsider["CanDelete"]) == (False, False)
    as_bob = api.as_user(bob)("GET", f"crm/contact/{bea}").json()["response"]
    assert (as_bob["CanEdit"], as_bob["CanDelete"]) == (True, False)
    mine = api("GET", f"crm/contact/{bea}").json()["response"]
    assert (mine["CanEdit"], mine["CanDelete"]) == (True, True)


def test_a_persons_company_is_null_when_the_user_cannot_see_it(api, make_contact, other_project, outsider, bob):
    hidden = make_contact(user=outsider, is_company=True, name="Hidden", visibility="private", projects=[other_project])
    person = make_contact(user=outsider, first_name="Vis", company=hidden, visibility="public", projects=[])
    assert api.as_user(bob)("GET", f"crm/contact/{person.pk}").json()["response"]["Company"] is None
    assert api.as_user(outsider)("GET", f"crm/contact/{person.pk}").json()["response"]["Company"]["id"] == hidden.pk


def test_values_arrive_in_query_form_or_json_body(api, alice):
    by_query = api("POST", "crm/contact/person?firstName=Q&lastName=One", {})
    by_form = api("POST", "crm/contact/person", {"firstname": "F", "LASTNAME": "Two"}, form=True)
    by_json = api("POST", "crm/contact/person", {"firstName": "J", "lastName": "Three"})
    assert [r.status_code for r in (by_query, by_form, by_json)] == [201, 201, 201]
    assert [r.json()["response"]["DisplayName"] for r in (by_query, by_form, by_json)] == ["Q One", "F Two", "J Three"]


def test_person_create_stores_company_access_and_custom_values(api, alice, bob, make_contact, license_field):
    company = make_contact(is_company=True, name="Acme")
    body = {
        "firstName": "Mike",
        "lastName": "Zanyatski",
        "jobTitle": "Manager",
        "companyId": company.pk,
        "shareType": 0,
        "managerList": [user_guid(bob.pk)],
        "customFieldList": json.dumps([{"key": license_field.pk, "value": "Pro"}]),
    }
    response = api("POST", "crm/contact/person", body, form=True)
    assert response.status_code == 201
    created = Contact.objects.get(pk=response.json()["response"]["id"])
    assert (created.company, created.job_title, created.visibility) == (company, "Manager", Visibility.PRIVATE)
    assert list(created.access_list.all()) == [bob]
    assert created.custom_values.get().value == "Pro"
    assert created.author == alice


def test_person_create_takes_indexed_form_lists(api, license_field):
    body = {"firstName": "A", "lastName": "B", "customFieldList[0][key]": license_field.pk}
    body["customFieldList[0][value]"] = "Basic"
    response = api("POST", "crm/contact/person", body, form=True)
    assert response.json()["response"]["CustomFields"][0]["FieldValue"] == "Basic"


def test_person_create_refuses_bad_values_without_writing(api, license_field):
    bad = {"firstName": "A", "lastName": "B", "customFieldList": [{"key": license_field.pk, "value": "Gold"}]}
    response = api("POST", "crm/contact/person", bad)
    assert response.status_code == 400
    assert "Gold is not one of the choices" in response.json()["error"]["message"]
    assert (
        api("POST", "crm/contact/person", {"firstName": "A", "lastName": "B", "companyId": 999999}).status_code == 400
    )
    assert not Contact.objects.exists()


def test_share_type_maps_onto_visibility_both_ways(api, make_contact):
    contact = make_contact(visibility="project")
    path = f"crm/contact/person/{contact.pk}"
    names_ = {"firstName": "Ada", "lastName": "Lovelace"}
    shown = api("GET", f"crm/contact/{contact.pk}").json()["response"]
    assert (shown["ShareType"], shown["IsShared"], shown["IsPrivate"]) == (0, False, False)
    assert api("PUT", path, {**names_, "shareType": 2}).json()["response"]["ShareType"] == 1
    contact.refresh_from_db()
    assert contact.visibility == Visibility.PUBLIC
    api("PUT", path, {**names_, "shareType": 0})
    contact.refresh_from_db()
    assert contact.visibility == Visibility.PROJECT


def test_person_update_needs_both_names_and_a_person(api, make_contact):
    person = make_contact()
    company = make_contact(is_company=True, name="Acme")
    assert api("PUT", f"crm/contact/person/{person.pk}", {"firstName": "Ada"}).status_code == 400
    assert api("PUT", f"crm/contact/person/{company.pk}", {"firstName": "A", "lastName": "B"}).status_code == 404
    assert api("PUT", f"crm/contact/company/{person.pk}", {"companyName": "X"}).status_code == 404


def test_company_create_attaches_its_people_all_or_nothing(api, make_contact, outsider, other_project):
    ada = make_contact()
    response = api("POST", "crm/contact/company", {"companyName": "Acme", "personList": [ada.pk]})
    assert response.status_code == 201
    assert response.json()["response"]["PersonsCount"] == 1
    ada.refresh_from_db()
    assert ada.company.name == "Acme"
    hidden = make_contact(user=outsider, visibility="private", projects=[other_project])
    refused = api("POST", "crm/contact/company", {"companyName": "Other", "personList": [ada.pk, hidden.pk]})
    assert refused.status_code == 404
    assert not Contact.objects.filter(name="Other").exists()


def test_delete_returns_the_deleted_contact_and_needs_the_right(api, make_contact, bob):
    contact = make_contact()
    assert api.as_user(bob)("DELETE", f"crm/contact/{contact.pk}").status_code == 403
    response = api("DELETE", f"crm/contact/{contact.pk}")
    assert response.status_code == 200
    assert response.json()["response"]["DisplayName"] == "Ada Lovelace"
    assert Contact.objects.get(pk=contact.pk).deleted_at is not None
    assert api("GET", f"crm/contact/{contact.pk}").status_code == 404


def test_bulk_delete_is_a_put_and_all_or_nothing(api, make_contact, bob):
    mine = make_contact(user=bob, first_name="Bobs")
    alices = make_contact()
    refused = api.as_user(bob)("PUT", "crm/contact", {"contactids": [mine.pk, alices.pk]})
    assert refused.status_code == 403
    assert Contact.objects.filter(deleted_at__isnull=True).count() == 2
    done = api("PUT", "crm/contact", {"contactids": [mine.pk, alices.pk]})
    assert done.status_code == 200 and done.json()["count"] == 2
    assert not Contact.objects.filter(deleted_at__isnull=True).exists()


def test_link_and_unlink_a_contact_and_a_project(api, make_contact, project, alice):
    from projects.services import project_create

    sales = project_create(name="Sales", identifier="sales", creator=alice)
    contact = make_contact()
    linked = api("POST", f"crm/contact/{contact.pk}/project/{sales.pk}")
    assert linked.status_code == 201 and linked.json()["statusCode"] == 201
    assert set(contact.projects.values_list("identifier", flat=True)) == {"support", "sales"}
    unlinked = api("DELETE", f"crm/contact/{contact.pk}/project/{project.pk}")
    assert unlinked.status_code == 200
    assert "Addresses" not in unlinked.json()["response"]  # a ContactBase
    assert list(contact.projects.values_list("identifier", flat=True)) == ["sales"]
    many = api("POST", f"crm/contact/project/{project.pk}", {"contactid": [contact.pk]})
    assert many.status_code == 201 and many.json()["response"][0]["id"] == contact.pk


def test_access_makes_a_contact_private_to_its_managers(api, make_contact, bob, outsider):
    contact = make_contact(visibility="public")
    response = api("PUT", f"crm/contact/{contact.pk}/access", {"isPrivate": True, "managerList": [user_guid(bob.pk)]})
    body = response.json()["response"]
    assert (body["IsPrivate"], body["ShareType"]) == (True, 0)
    assert [u["Id"] for u in body["AccessList"]] == [user_guid(bob.pk)]
    assert api.as_user(outsider)("GET", f"crm/contact/{contact.pk}").status_code == 404
    assert api("PUT", f"crm/contact/{contact.pk}/access", {"isShared": True}).json()["response"]["IsShared"] is True


def test_set_status_changes_the_stage(api, make_contact):
    contact = make_contact()
    hot = ContactStage.objects.get(name="Hot")
    body = api("PUT", f"crm/contact/{contact.pk}/status", {"contactStatusid": hot.pk}).json()["response"]
    assert body["ContactStatus"]["Title"] == "Hot"
    assert (
        api("PUT", f"crm/contact/{contact.pk}/status", {"contactStatusid": 0}).json()["response"]["ContactStatus"]
        is None
    )


def test_no_suffix_means_json_whatever_the_accept_header(client, api, make_contact):
    contact = make_contact()
    response = client.get(f"/api/2.0/crm/contact/{contact.pk}", HTTP_AUTHORIZATION=api.token, HTTP_ACCEPT="text/xml")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    xml = client.get(f"/api/2.0/crm/contact/{contact.pk}.xml", HTTP_AUTHORIZATION=api.token)
    assert xml.content.startswith(b"<result>")


def test_malformed_or_oversized_bodies_are_4xx_in_the_envelope(client, api):
    bad = client.post(
        "/api/2.0/crm/contact/person", "{oops", content_type="application/json", HTTP_AUTHORIZATION=api.token
    )
    assert bad.status_code == 400 and bad.json()["status"] == 1
    with override_settings(API_MAX_BODY_BYTES=100):
        big = api("POST", "crm/contact/person", {"firstName": "x" * 200, "lastName": "y"})
    assert big.status_code == 413 and big.json()["statusCode"] == 413
    wrong_type = api("POST", "crm/contact/person", ["a", "list"])
    assert wrong_type.status_code == 400


def test_a_companys_people_are_listed_attached_and_detached(api, make_contact, outsider, other_project):
    acme = make_contact(is_company=True, name="Acme")
    ada = make_contact(company=acme)
    make_contact(user=outsider, first_name="Hidden", company=acme, visibility="private", projects=[other_project])
    bob_ = make_contact(first_name="Bob")
    assert names(api("GET", f"crm/contact/company/{acme.pk}/person")) == ["Ada Lovelace"]
    added = api("POST", f"crm/contact/company/{acme.pk}/person", {"personid": bob_.pk})
    assert added.status_code == 201 and added.json()["response"]["Company"]["id"] == acme.pk
    assert api("GET", f"crm/contact/{acme.pk}").json()["response"]["PersonsCount"] == 2
    removed = api("DELETE", f"crm/contact/company/{acme.pk}/person", {"personid": ada.pk})
    assert removed.json()["response"]["Company"] is None
    assert api("DELETE", f"crm/contact/company/{acme.pk}/person", {"personid": ada.pk}).status_code == 404
    assert api("POST", f"crm/contact/company/{acme.pk}/person", {"personid": acme.pk}).status_code == 404


def test_filter_costs_the_same_queries_for_1_or_25_contacts(
    api, make_contact, license_field, django_assert_num_queries
):
    acme = make_contact(is_company=True, name="Acme", visibility="project")
    for n in range(30):
        make_contact(
            first_name=f"P{n}",
            company=acme,
            tags=["vip"],
            items=[{"kind": "email", "value": f"p{n}@example.com"}],
            custom_values={license_field.pk: "Pro"},
        )
    # The token's user, the page (rights, company visibility and people counts in the same
    # query), the count for `total`, items and addresses, custom values and tags.
    with django_assert_num_queries(6):
        one = api("GET", "crm/contact/filter", {"count": 1, "tags": "vip"})
    with django_assert_num_queries(6):
        many = api("GET", "crm/contact/filter", {"count": 25, "tags": "vip"})
    assert (one.json()["total"], many.json()["total"]) == (30, 30)
    assert (one.json()["count"], many.json()["count"]) == (1, 25)


def test_access_of_many_contacts_changes_all_or_none(api, make_contact, bob, outsider, other_project):
    ada, eve = make_contact(visibility="public"), make_contact(first_name="Eve", visibility="public")
    body = {"contactid": [ada.pk, eve.pk], "isPrivate": True, "managerList": [user_guid(bob.pk)]}
    response = api("PUT", "crm/contact/access", body)
    assert response.status_code == 200 and response.json()["count"] == 2
    assert set(Contact.objects.values_list("visibility", flat=True)) == {Visibility.PRIVATE}
    foreign = make_contact(user=outsider, visibility="public", projects=[other_project])
    refused = api("PUT", "crm/contact/access", {"contactid": [ada.pk, foreign.pk], "isShared": True})
    assert refused.status_code == 403
    ada.refresh_from_db()
    assert ada.visibility == Visibility.PRIVATE


def test_filter_costs_the_same_queries_for_a_page_of_1_or_100(
    api, alice, bob, project, license_field, django_assert_num_queries
):
    rich_contacts(n=120, author=alice, project=project, field=license_field, sharer=bob)
    # The token's user, the count for `total`, the page (rights, company visibility and people
    # counts in the same query), items and addresses, custom values, tags, and the access lists
    # of the private contacts on the page.
    with django_assert_num_queries(7):
        one = api("GET", "crm/contact/filter", {"count": 1, "tags": "bulk"})
    with django_assert_num_queries(7):
        many = api("GET", "crm/contact/filter", {"count": 100, "startIndex": 10, "tags": "bulk"})
    assert (one.json()["total"], many.json()["total"]) == (120, 120)
    assert (one.json()["count"], many.json()["count"]) == (1, 100)
    rows = many.json()["response"]
    assert all(row["Company"]["DisplayName"] == "Bulk Corp" for row in rows)
    assert all(len(row["CommonData"]) == 2 and row["Addresses"][0]["City"] == "Riga" for row in rows)
    private = [row for row in rows if row["IsPrivate"]]
    assert len(private) == 50 and all(len(row["AccessList"]) == 1 for row in private)


def test_filter_in_xml_costs_the_same_queries_for_a_page_of_1_or_100(
    api, alice, bob, project, license_field, django_assert_num_queries
):
    rich_contacts(n=120, author=alice, project=project, field=license_field, sharer=bob)
    # As in JSON: the rows are the same, only the renderer differs.
    with django_assert_num_queries(7):
        one = api("GET", "crm/contact/filter.xml", {"count": 1, "tags": "bulk"})
    with django_assert_num_queries(7):
        many = api("GET", "crm/contact/filter.xml", {"count": 100, "startIndex": 10, "tags": "bulk"})
    assert one.status_code == many.status_code == 200
    assert (one.content.count(b"<DisplayName>Bulk Corp</DisplayName>"), many.content.count(b"<City>Riga</City>")) == (
        1,
        100,
    )


def test_a_page_past_the_middle_is_read_from_the_nearer_end(api, people):
    with CaptureQueriesContext(connection) as queries:
        body = api("GET", "crm/contact/filter", {"startIndex": 2, "count": 1}).json()
    assert [c["DisplayName"] for c in body["response"]] == ["Ann Zeta"]
    assert body["total"] == 3 and "nextIndex" not in body
    page = next(q["sql"] for q in queries if q["sql"].count("ORDER BY") == 2)  # the ids, inside the rows
    inner_order = page.rsplit(" LIMIT ", 1)[0].rsplit("ORDER BY", 1)[1]
    assert '"created_at" ASC' in inner_order  # newest first, so the last page is read from the oldest end


def test_a_list_makes_each_parameter_serializer_once(api, seed_contact, monkeypatch):
    made = []
    for serializer_class in (ContactFilterSerializer, PageParamsSerializer):
        field_kinds(serializer_class)  # its fields' kinds, worked out once per process
        init = serializer_class.__init__

        def counted(self, *args, init=init, **kwargs):
            made.append(type(self).__name__)
            init(self, *args, **kwargs)

        monkeypatch.setattr(serializer_class, "__init__", counted)
    response = api("GET", "crm/contact/filter", {"count": 5, "startIndex": 0, "tags": ["a", "b"]})
    assert response.status_code == 200
    assert sorted(made) == ["ContactFilterSerializer", "PageParamsSerializer"]
    assert field_kinds(ContactFilterSerializer)[0:1] == (("sortBy", False),)
    assert ("tags", True) in field_kinds(ContactFilterSerializer)
    assert "isShared" not in dict(field_kinds(ContactFilterAccessSerializer))
