"""The paths of contacts, persons and companies: the lists, the writes, projects, access, status, photos."""

from __future__ import annotations

from typing import Any

from dialects.onlyoffice import filters, inputs
from dialects.onlyoffice.openapi.schemas import CONTACT_ID, PROJECT_ID, op
from dialects.openapi import path_id


def contact_paths() -> dict[str, dict[str, Any]]:
    """Contacts, persons and companies: the lists, the writes, their projects, access, status and photos."""
    company_id = path_id("companyid", "The company's id.")
    person_id = path_id("personid", "The person's id.")
    filter_inputs = (filters.ContactFilterSerializer,)
    return {
        "/authentication": {
            "post": op(
                "authenticate",
                "A token for a user name and password",
                tag="Authentication",
                reply="Token",
                inputs=[inputs.AuthenticationInputSerializer],
                security=[],
            ),
        },
        "/crm/contact": {
            "put": op(
                "deleteContacts",
                "Delete contacts by id (ONLYOFFICE's bulk delete is a PUT)",
                tag="Contacts",
                reply="Contacts",
                inputs=[inputs.BulkIdsSerializer],
            ),
        },
        "/crm/contact/filter": {
            "get": op(
                "filterContacts",
                "Contacts matching the filters",
                tag="Contacts",
                reply="Contacts",
                inputs=filter_inputs,
                paged=True,
                description="`filterValue` is a free-text search; the reply counts the matches in `total`.",
            ),
            "delete": op(
                "deleteFilteredContacts",
                "Delete every contact the filters match",
                tag="Contacts",
                reply="Contacts",
                inputs=filter_inputs,
            ),
        },
        "/crm/contact/filter/taglist": {
            "post": op(
                "tagFilteredContacts",
                "Tag every contact the filters match",
                tag="Tags",
                reply="String",
                inputs=[*filter_inputs, inputs.TagNameSerializer],
            ),
        },
        "/crm/contact/filter/access": {
            "put": op(
                "setFilteredAccess",
                "Set the access of every contact the filters match",
                tag="Contacts",
                reply="Contacts",
                inputs=[filters.ContactFilterAccessSerializer, inputs.AccessInputSerializer],
            ),
        },
        "/crm/contact/bycontactinfo": {
            "get": op(
                "contactsByInfo",
                "Contacts with a matching item of contact information",
                tag="Contacts",
                reply="Contacts",
                inputs=[filters.ContactByInfoSerializer, filters.ContactSortSerializer],
                paged=True,
            ),
        },
        "/crm/contact/merge": {
            "put": op(
                "mergeContacts",
                "Merge two persons or two companies",
                tag="Contacts",
                reply="Contact",
                inputs=[inputs.MergeInputSerializer],
            ),
        },
        "/crm/contact/person": {
            "post": op(
                "createPerson",
                "Create a person",
                tag="Contacts",
                reply="Contact",
                inputs=[inputs.PersonInputSerializer],
            ),
        },
        "/crm/contact/person/quick": {
            "post": op(
                "createPersonsQuick",
                "Create persons from name pairs",
                tag="Contacts",
                reply="Contacts",
                inputs=[inputs.QuickPersonsInputSerializer],
            ),
        },
        "/crm/contact/company/quick": {
            "post": op(
                "createCompaniesQuick",
                "Create companies from names",
                tag="Contacts",
                reply="Contacts",
                inputs=[inputs.QuickCompaniesInputSerializer],
            ),
        },
        "/crm/contact/person/{personid}": {
            "put": op(
                "updatePerson",
                "Change a person",
                tag="Contacts",
                reply="Contact",
                path_params=[person_id],
                inputs=[inputs.PersonInputSerializer],
            ),
        },
        "/crm/contact/company": {
            "post": op(
                "createCompany",
                "Create a company",
                tag="Contacts",
                reply="Contact",
                inputs=[inputs.CompanyInputSerializer],
            ),
        },
        "/crm/contact/company/{companyid}": {
            "put": op(
                "updateCompany",
                "Change a company",
                tag="Contacts",
                reply="Contact",
                path_params=[company_id],
                inputs=[inputs.CompanyInputSerializer],
            ),
        },
        "/crm/contact/company/{companyid}/person": {
            "get": op(
                "listCompanyPersons",
                "A company's people",
                tag="Contacts",
                reply="Contacts",
                path_params=[company_id],
                inputs=[filters.ContactSortSerializer],
                paged=True,
            ),
            "post": op(
                "addCompanyPerson",
                "Add a person to a company",
                tag="Contacts",
                reply="Contact",
                path_params=[company_id],
                inputs=[inputs.PersonIdSerializer],
            ),
            "delete": op(
                "removeCompanyPerson",
                "Remove a person from a company",
                tag="Contacts",
                reply="Contact",
                path_params=[company_id],
                inputs=[inputs.PersonIdSerializer],
            ),
        },
        "/crm/contact/project/{projectid}": {
            "get": op(
                "listProjectContacts",
                "A project's contacts",
                tag="Contacts",
                reply="Contacts",
                path_params=[PROJECT_ID],
                inputs=[filters.ContactSortSerializer],
                paged=True,
            ),
            "post": op(
                "linkProjectContacts",
                "Add contacts to a project",
                tag="Contacts",
                reply="Contacts",
                path_params=[PROJECT_ID],
                inputs=[inputs.ContactIdsSerializer],
            ),
            "delete": op(
                "unlinkProjectContacts",
                "Remove contacts from a project",
                tag="Contacts",
                reply="Contacts",
                path_params=[PROJECT_ID],
                inputs=[inputs.ContactIdsSerializer],
            ),
        },
        "/crm/contact/{contactid}": {
            "get": op("showContact", "A contact", tag="Contacts", reply="Contact", path_params=[CONTACT_ID]),
            "delete": op(
                "deleteContact",
                "Delete a contact (to the trash); replies with it",
                tag="Contacts",
                reply="Contact",
                path_params=[CONTACT_ID],
            ),
        },
        "/crm/contact/{contactid}/project/{projectid}": {
            "post": op(
                "linkContactProject",
                "Add a contact to a project",
                tag="Contacts",
                reply="Contact",
                path_params=[CONTACT_ID, PROJECT_ID],
            ),
            "delete": op(
                "unlinkContactProject",
                "Remove a contact from a project",
                tag="Contacts",
                reply="Contact",
                path_params=[CONTACT_ID, PROJECT_ID],
            ),
        },
        "/crm/contact/access": {
            "put": op(
                "setContactsAccess",
                "Set the access of several contacts",
                tag="Contacts",
                reply="Contacts",
                inputs=[inputs.ContactAccessManyInputSerializer],
            ),
        },
        "/crm/contact/{contactid}/access": {
            "put": op(
                "setContactAccess",
                "Set a contact's access",
                tag="Contacts",
                reply="Contact",
                path_params=[CONTACT_ID],
                inputs=[inputs.AccessInputSerializer],
            ),
        },
        "/crm/contact/{contactid}/status": {
            "put": op(
                "setContactStatus",
                "Set a contact's status",
                tag="Contacts",
                reply="Contact",
                path_params=[CONTACT_ID],
                inputs=[inputs.ContactStatusInputSerializer],
            ),
        },
        "/crm/contact/{contactid}/changephoto": {
            "put": op(
                "changePhoto",
                "Upload a contact's photo",
                tag="Contacts",
                reply="String",
                path_params=[CONTACT_ID],
                inputs=[inputs.PhotoInputSerializer],
                multipart=True,
                description="A multipart `photo`; the reply is the photo's URL.",
            ),
        },
        "/crm/contact/{contactid}/changephotobyurl": {
            "put": op(
                "changePhotoByUrl",
                "Set a photo from a URL (refused: the CRM fetches nothing)",
                tag="Contacts",
                reply="String",
                path_params=[CONTACT_ID],
            ),
        },
    }


def group_paths(entity: str) -> dict[str, dict[str, Any]]:
    """A person's or company's circle: tag it and its company or people at once."""
    name = entity.capitalize()
    return {
        f"/crm/{entity}/{{contactid}}/tag/group": {
            "post": op(
                f"tag{name}Group",
                f"Tag a {entity} and its circle",
                tag="Tags",
                reply="String",
                path_params=[CONTACT_ID],
                inputs=[inputs.TagNameSerializer],
            ),
            "delete": op(
                f"untag{name}Group",
                f"Untag a {entity} and its circle",
                tag="Tags",
                reply="String",
                path_params=[CONTACT_ID],
                inputs=[inputs.TagNameSerializer],
            ),
        },
        f"/crm/contact/{entity}/{{contactid}}/status": {
            "put": op(
                f"set{name}Status",
                f"Set a {entity}'s status",
                tag="Contacts",
                reply="Contact",
                path_params=[CONTACT_ID],
                inputs=[inputs.ContactStatusInputSerializer],
            ),
        },
    }
