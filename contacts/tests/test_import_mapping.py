"""The column guesser: this CRM's export headers, Google Contacts, Outlook, HubSpot and plain sheets."""

from __future__ import annotations

import pytest

from contacts.importers import guess_mapping, mapping_override
from contacts.importers.mapping import mapping_problems, target_choices, target_label, target_parse

EXPORT_HEADERS = [
    "ID", "Kind", "First name", "Middle name", "Last name", "Company name", "Company", "Salutation", "Job title",
    "Department", "Industry", "Background", "Birthday", "Type", "Stage", "Currency", "Priority", "Assigned to",
    "Visibility", "Projects", "Tags", "Phone 1", "Phone 1 type", "Phone 2", "Phone 2 type", "Email 1",
    "Email 1 type", "Website 1", "Website 1 type", "Skype 1", "Skype 1 type", "Messenger 1", "Messenger 1 type",
    "Social 1", "Social 1 type", "Address 1 street", "Address 1 street 2", "Address 1 city", "Address 1 region",
    "Address 1 postcode", "Address 1 country", "Address 1 type", "Custom: License", "Created", "Updated",
]  # fmt: skip


@pytest.mark.django_db
def test_the_exports_own_headers_map_one_to_one(license_field):
    guess = guess_mapping(EXPORT_HEADERS, custom_fields=[license_field])

    assert guess.unknown == []
    assert dict(zip(EXPORT_HEADERS, guess.targets, strict=True)) == {
        "ID": "id", "Kind": "kind", "First name": "first_name", "Middle name": "middle_name",
        "Last name": "last_name", "Company name": "name", "Company": "company", "Salutation": "salutation",
        "Job title": "job_title", "Department": "department", "Industry": "industry", "Background": "background",
        "Birthday": "birthday", "Type": "contact_type", "Stage": "stage", "Currency": "currency",
        "Priority": "priority", "Assigned to": "assigned_to", "Visibility": "visibility", "Projects": "projects",
        "Tags": "tags", "Phone 1": "tel.1", "Phone 1 type": "tel.1.type", "Phone 2": "tel.2",
        "Phone 2 type": "tel.2.type", "Email 1": "email.1", "Email 1 type": "email.1.type", "Website 1": "url.1",
        "Website 1 type": "url.1.type", "Skype 1": "skype.1", "Skype 1 type": "skype.1.type",
        "Messenger 1": "messenger.1", "Messenger 1 type": "messenger.1.type", "Social 1": "social.1",
        "Social 1 type": "social.1.type", "Address 1 street": "address.1.street1",
        "Address 1 street 2": "address.1.street2", "Address 1 city": "address.1.city",
        "Address 1 region": "address.1.region", "Address 1 postcode": "address.1.postcode",
        "Address 1 country": "address.1.country", "Address 1 type": "address.1.type",
        "Custom: License": f"custom.{license_field.pk}", "Created": "", "Updated": "",
    }  # fmt: skip


def test_outlook_headers_get_numbers_and_types():
    headers = ["First Name", "Last Name", "Company", "Job Title", "E-mail Address", "E-mail 2 Address",
               "Business Phone", "Mobile Phone", "Home Phone", "Business Fax", "Business Street", "Business City",
               "Business Postal Code", "Business Country/Region", "Home Street", "Home City", "Web Page",
               "Birthday", "Notes", "Categories"]  # fmt: skip

    targets = guess_mapping(headers, custom_fields=[]).targets

    assert targets == [
        "first_name", "last_name", "company", "job_title", "email.1", "email.2", "tel.1:work", "tel.2:work cell",
        "tel.3:home", "tel.4:work fax", "address.1.street1:work", "address.1.city:work", "address.1.postcode:work",
        "address.1.country:work", "address.2.street1:home", "address.2.city:home", "url.1", "birthday",
        "background", "tags",
    ]  # fmt: skip


def test_google_contacts_headers():
    headers = ["Given Name", "Family Name", "Name Prefix", "Organization 1 - Name", "Organization 1 - Title",
               "E-mail 1 - Type", "E-mail 1 - Value", "Phone 1 - Type", "Phone 1 - Value", "Address 1 - Street",
               "Address 1 - Postal Code", "Address 1 - Type", "Group Membership"]  # fmt: skip

    assert guess_mapping(headers, custom_fields=[]).targets == [
        "first_name", "last_name", "salutation", "company", "job_title", "email.1.type", "email.1", "tel.1.type",
        "tel.1", "address.1.street1", "address.1.postcode", "address.1.type", "tags",
    ]  # fmt: skip


def test_hubspot_and_plain_sheet_headers_in_any_case_and_punctuation():
    headers = ["FIRST NAME", "last_name", "Email", "Phone Number", "Mobile Phone Number", "Company Name",
               "Lifecycle Stage", "Contact owner", "Street Address", "ZIP", "State/Region", "Country", "Title",
               "Full name", "Website URL"]  # fmt: skip

    assert guess_mapping(headers, custom_fields=[]).targets == [
        "first_name", "last_name", "email.1", "tel.1", "tel.2:work cell", "company", "stage", "assigned_to",
        "address.1.street1", "address.1.postcode", "address.1.region", "address.1.country", "job_title",
        "full_name", "url.1",
    ]  # fmt: skip


@pytest.mark.django_db
def test_a_column_that_maps_nowhere_is_reported_and_left_out(license_field):
    guess = guess_mapping(["Name", "Shoe size", "Custom: Nothing like it"], custom_fields=[license_field])

    assert guess.targets == ["full_name", "", ""]
    assert guess.unknown == [1, 2]


def test_a_mapping_without_a_name_or_with_two_columns_on_one_target_is_refused():
    headers = ["Email", "Mail", "Notes"]

    assert mapping_problems(["email.1", "email.1", "background"], headers=headers) == [
        "Columns 'Email' and 'Mail' both go to Email 1.",
        "No column gives a contact's name: map one to First name, Last name, Full name or Company name.",
    ]
    assert mapping_problems(["last_name", "tags", "tags"], headers=headers) == []


def test_overrides_name_a_column_and_a_target_or_say_what_is_wrong():
    headers = ["Name", "Mobile", "Notes"]
    targets = ["full_name", "tel.1:work cell", "background"]

    assert mapping_override(targets, headers=headers, overrides=["notes=ignore", "MOBILE=tel.1:home cell"]) == [
        "full_name",
        "tel.1:home cell",
        "",
    ]
    with pytest.raises(ValueError, match="the file has no column 'Fax'"):
        mapping_override(targets, headers=headers, overrides=["Fax=tel.2"])
    with pytest.raises(ValueError, match="'phone' is not an import target"):
        mapping_override(targets, headers=headers, overrides=["Mobile=phone"])
    with pytest.raises(ValueError, match='write it as "Header=target"'):
        mapping_override(targets, headers=headers, overrides=["Mobile"])


@pytest.mark.django_db
def test_targets_have_labels_and_the_choices_offer_the_guessed_ones(license_field):
    choices = dict(target_choices(custom_fields=[license_field], extra=["tel.7:home fax"]))

    assert target_label("tel.2.type") == "Phone 2 type"
    assert target_label("address.1.postcode:home") == "Address 1 postcode (home)"
    assert choices[f"custom.{license_field.pk}"] == "Custom: License"
    assert choices["tel.7:home fax"] == "Phone 7 (home fax)"
    assert choices[""] == "(not imported)"
    assert target_parse("first_name:home") is None and target_parse("tel.0") is None
