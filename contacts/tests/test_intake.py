"""The web-form intake rules as a service (the HTTP side is in dialects/redmine/tests/test_webform.py)."""

from __future__ import annotations

import threading

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.intake import TooManySubmissions, webform_count_submission, webform_redirect_allowed, webform_submit
from contacts.models import Contact, CustomField, Note, Visibility, WebForm
from contacts.services import contact_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def form(project, alice, database_cache):
    cache.clear()
    return WebForm.objects.create(
        project=project,
        name="Leads",
        created_by=alice,
        redirect_url="https://shop.example/ok",
        allowed_hosts=["a.example"],
    )


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://shop.example/thanks", True),
        ("http://A.example/x", True),
        ("https://shop.example.evil.example/", False),
        ("javascript:alert(1)", False),
        ("//shop.example/", False),
        ("", False),
    ],
)
def test_redirects_go_only_to_the_forms_hosts(form, url, allowed):
    assert webform_redirect_allowed(webform=form, url=url) is allowed


def test_the_rate_limit_counts_per_form_and_address(form):
    form.rate_limit_per_hour = 1
    webform_count_submission(webform=form, ip="10.0.0.1")
    webform_count_submission(webform=form, ip="10.0.0.2")
    with pytest.raises(TooManySubmissions):
        webform_count_submission(webform=form, ip="10.0.0.1")


def test_a_duplicate_is_looked_up_only_among_the_contacts_of_the_forms_project(
    form, make_contact, other_project, outsider
):
    make_contact(
        user=outsider,
        first_name="Elsewhere",
        projects=[other_project],
        items=[{"kind": "email", "value": "a@x.example"}],
    )
    result = webform_submit(webform=form, fields={"first_name": "New", "email": "a@x.example"}, ip="10.0.0.9")
    assert result.created
    assert Contact.objects.filter(items__value="a@x.example").count() == 2


def test_a_blank_post_is_refused_naming_the_field(form):
    with pytest.raises(ValidationError) as caught:
        webform_submit(webform=form, fields={}, ip="10.0.0.9")
    assert "first_name" in caught.value.message_dict


def test_a_private_contact_of_the_project_that_nobody_on_the_form_sees_is_still_a_duplicate(form, project, outsider):
    hidden = contact_create(
        user=outsider,
        fields={"first_name": "Hidden", "visibility": Visibility.PRIVATE},
        items=[{"kind": "email", "value": "Hidden@X.example"}],
        projects=[project],
        check_permissions=False,
    )
    result = webform_submit(webform=form, fields={"first_name": "New", "email": "hidden@x.example"}, ip="10.0.0.9")
    assert (result.created, result.contact) == (False, hidden)
    assert Note.objects.get().contact == hidden
    assert (result.receipt.pk, result.receipt.first_name) == (None, "New")


def test_the_company_is_found_in_any_case_among_the_projects_and_public_companies(
    form, make_contact, other_project, outsider
):
    ours = make_contact(is_company=True, name="Navy Labs", visibility=Visibility.PROJECT)
    make_contact(
        user=outsider, is_company=True, name="Hidden Labs", visibility=Visibility.PRIVATE, projects=[other_project]
    )
    first = webform_submit(webform=form, fields={"first_name": "A", "company": "NAVY labs"}, ip="10.0.0.9")
    second = webform_submit(webform=form, fields={"first_name": "B", "company": "hidden labs"}, ip="10.0.0.9")
    assert first.contact.company == ours
    assert second.contact.company.name == "hidden labs"
    assert list(second.contact.company.projects.all()) == [form.project]


@pytest.mark.parametrize("known", [False, True])
def test_a_post_costs_the_same_queries_with_2_or_40_contacts_in_the_project(
    form, make_contact, known, django_assert_max_num_queries
):
    def post(n: int) -> int:
        fields = {"first_name": "P", "email": "p0@x.example" if known else f"new{n}@x.example", "company": f"Co{n}"}
        with CaptureQueriesContext(connection) as queries:
            webform_submit(webform=form, fields=fields, ip=f"10.0.1.{n}")
        return len(queries)

    for i in range(2):
        make_contact(first_name=f"P{i}", items=[{"kind": "email", "value": f"p{i}@x.example"}])
    few = post(1)
    for i in range(2, 40):
        make_contact(first_name=f"P{i}", items=[{"kind": "email", "value": f"p{i}@x.example"}])
    assert post(2) == few
    # A new lead: its company and itself, each with its history entry; PostgreSQL adds an advisory
    # lock per email and company. The post's count is a read and a write, with no savepoint.
    with django_assert_max_num_queries(22 if not known else 16):
        post(3)


def test_duplicate_and_company_lookups_use_indexes(form, make_contact):
    if connection.vendor != "sqlite":
        pytest.skip("reads SQLite's query plans")
    make_contact(first_name="Old", items=[{"kind": "email", "value": "old@x.example"}])
    with CaptureQueriesContext(connection) as queries:
        webform_submit(webform=form, fields={"first_name": "New", "email": "old@x.example"}, ip="10.0.0.9")
        webform_submit(webform=form, fields={"first_name": "N", "email": "n@x.example", "company": "Co"}, ip="10.0.0.9")
    lookups = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT") and ("LOWER(" in q["sql"] or "normalized" in q["sql"])
    ]
    # Each email under the lock; the new company before the lock and again under it.
    assert len(lookups) == 4
    with connection.cursor() as cursor:
        for sql in lookups:
            plan = " / ".join(row[-1] for row in cursor.execute("EXPLAIN QUERY PLAN " + sql).fetchall())
            assert "SCAN contacts_contact " not in plan + " " and "SCAN contacts_contactitem" not in plan, plan


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_of_one_email_make_one_contact(project, alice, database_cache):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads cannot share SQLite's in-memory test database")
    form = WebForm.objects.create(project=project, name="Leads", created_by=alice, rate_limit_per_hour=100)
    barrier = threading.Barrier(6)

    def post(n: int) -> None:
        try:
            barrier.wait()
            webform_submit(webform=form, fields={"first_name": f"P{n}", "email": "same@x.example"}, ip=f"10.0.2.{n}")
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Contact.objects.filter(items__normalized="same@x.example").count() == 1
    assert Note.objects.count() == 5


def test_counting_a_post_in_a_running_window_is_one_short_write(form, django_assert_max_num_queries):
    webform_count_submission(webform=form, ip="10.0.0.3")
    with django_assert_max_num_queries(4):  # BEGIN, read the count, write it, COMMIT
        webform_count_submission(webform=form, ip="10.0.0.3")
    assert cache.get(f"webform-rate:{form.pk}:10.0.0.3") == 2


def test_a_new_leads_transaction_counts_the_post_looks_for_the_duplicate_and_only_inserts(form):
    form.tags = "lead"
    webform_submit(webform=form, fields={"first_name": "W", "email": "w0@x.example"}, ip="10.0.3.1")
    with CaptureQueriesContext(connection) as queries:
        webform_submit(webform=form, fields={"first_name": "N", "email": "n1@x.example"}, ip="10.0.3.1")
    sql = [q["sql"] for q in queries]
    begin = next(i for i, text in enumerate(sql) if text.startswith("SAVEPOINT"))
    inside = [text for text in sql[begin:] if not text.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    reads = [t for t in inside if t.startswith("SELECT") and not ("crm_cache" in t or "pg_advisory" in t)]
    assert len(reads) == 1 and "normalized" in reads[0]  # the duplicate check, under the lock
    writes = [text.split(" (")[0] for text in inside if not text.startswith("SELECT")]
    assert writes[0].startswith('UPDATE "crm_cache"')  # the post's count
    assert writes[1:] == [
        'INSERT INTO "contacts_contact"',
        'INSERT INTO "contacts_contactitem"',
        'INSERT INTO "contacts_taggedcontact"',
        'INSERT INTO "contacts_contact_projects"',
        'INSERT INTO "contacts_contactchange"',
    ]


def test_a_post_with_a_known_email_is_checked_like_a_new_one(form, make_contact):
    make_contact(first_name="Old", items=[{"kind": "email", "value": "old@x.example"}])
    form.allowed_fields = [*form.fields, "website"]
    with pytest.raises(ValidationError) as caught:
        webform_submit(webform=form, fields={"first_name": "", "email": "old@x.example"}, ip="10.0.3.2")
    assert "first_name" in caught.value.message_dict
    assert not Note.objects.exists()


def test_custom_fields_are_read_once_for_the_forms_values_and_the_new_contacts_checks(form, django_assert_num_queries):
    offered = CustomField.objects.create(name="Plan", field_format=CustomField.Format.STRING)
    CustomField.objects.create(name="Region", field_format=CustomField.Format.STRING, default="EU")
    other = CustomField.objects.create(name="Budget", field_format=CustomField.Format.STRING)
    form.custom_fields.add(offered)
    fields = {"first_name": "C", "email": "c@x.example"}
    with CaptureQueriesContext(connection) as queries:
        result = webform_submit(
            webform=form, fields=fields, custom_values={offered.pk: "Pro", other.pk: "9"}, ip="10.0.4.1"
        )
    assert sum('FROM "contacts_customfield"' in q["sql"] for q in queries) == 1
    stored = dict(result.contact.custom_values.values_list("field__name", "value"))
    assert stored == {"Plan": "Pro", "Region": "EU"}  # a field the form does not offer is ignored


def test_a_required_custom_field_the_form_does_not_offer_still_refuses_the_post(form):
    CustomField.objects.create(name="Contract", field_format=CustomField.Format.STRING, is_required=True)
    with pytest.raises(ValidationError) as caught:
        webform_submit(webform=form, fields={"first_name": "R"}, ip="10.0.4.2")
    assert any(key.startswith("custom_fields[") for key in caught.value.message_dict)
