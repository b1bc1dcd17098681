"""The OpenAPI 3 document of the ONLYOFFICE routes (docs/onlyoffice.md, "OpenAPI document").

ONLYOFFICE binds every parameter by name from the query string, a form or a JSON body alike
(`parsers.py`): reads and deletes document them as query parameters, writes as a body whose
schema is the input serializers' own (DRF's mapping). Replies are the envelope of
`pagination.py` around a `response` whose shape is the view's `XmlShape` (`renderers.py`):
the XML document as declared, the JSON as the same keys. Every route also answers with a
`.json` or `.xml` suffix (`x-format-suffixes`); without one the answer is JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from rest_framework.serializers import Serializer

from dialects.onlyoffice import filters, inputs, renderers
from dialects.onlyoffice.codes import InfoType
from dialects.openapi import (
    FORM,
    INTEGER,
    JSON,
    MULTIPART,
    STRING,
    body,
    document,
    json_node,
    obj,
    operation,
    parameter,
    path_id,
    query,
    ref,
    response,
    serializer_schema,
    xml_schema,
)
from dialects.xml import XmlShape

TITLE = "ONLYOFFICE CRM contacts API"
XML = "text/xml"
SUFFIXES = {"x-format-suffixes": [".json", ".xml"]}
ENTITIES = ("contact", "person", "company")
GROUPS = ("person", "company")
# An operation awaiting its method: the key it is written under in its path item.
Operation = Callable[[str], dict[str, Any]]

# The view's shape of `response`, by name: the component schemas are named after them.
SHAPES: dict[str, XmlShape] = {
    "Contact": renderers.CONTACT_XML,
    "Contacts": renderers.CONTACTS_XML,
    "ContactInfo": renderers.CONTACT_INFO_XML,
    "ContactInfos": renderers.CONTACT_INFOS_XML,
    "CustomField": renderers.CUSTOM_FIELD_XML,
    "CustomFields": renderers.CUSTOM_FIELDS_XML,
    "CustomValue": renderers.CUSTOM_VALUE_XML,
    "CustomValues": renderers.CUSTOM_VALUES_XML,
    "ListItem": renderers.LIST_ITEM_XML,
    "ListItems": renderers.LIST_ITEMS_XML,
    "Tags": renderers.TAGS_XML,
    "Token": renderers.TOKEN_XML,
    "String": renderers.STRING_XML,
    "Strings": renderers.STRINGS_XML,
}


def response_node(shape: XmlShape) -> Any:
    return next(node for node in shape.root.fields if node.key == "response")


def envelope(response_schema: dict[str, Any]) -> dict[str, Any]:
    """`{count, startIndex, nextIndex, total, status, statusCode, response}` (zeros and nulls left out)."""
    return obj(
        {
            "count": INTEGER,
            "startIndex": INTEGER,
            "nextIndex": INTEGER,
            "total": INTEGER,
            "status": {"type": "integer", "enum": [0]},
            "statusCode": INTEGER,
            "response": response_schema,
        },
        required=["status", "response"],
    )


ERROR = obj(
    {
        "status": {"type": "integer", "enum": [1]},
        "statusCode": INTEGER,
        "error": obj({"message": STRING}, required=["message"]),
    },
    required=["status", "statusCode", "error"],
)

SCHEMAS = {
    **{f"{name}Reply": envelope(json_node(response_node(shape))) for name, shape in SHAPES.items()},
    **{f"{name}ReplyXml": xml_schema(shape) for name, shape in SHAPES.items()},
    "Error": ERROR,
    "ErrorXml": xml_schema(renderers.STRING_XML),
}

SECURITY_SCHEMES = {
    "token": {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "The token from POST /authentication (or the user's API key), with no scheme word.",
    },
}

ERROR_BODY = {JSON: ref("Error"), XML: ref("ErrorXml")}
ERRORS = {
    400: response("Invalid parameters (ArgumentException); the message names the parameter.", ERROR_BODY),
    401: response("No or wrong token.", ERROR_BODY),
    403: response("Not allowed (SecurityException), e.g. an administrator's route.", ERROR_BODY),
    404: response("No such item.", ERROR_BODY),
    405: response("The route does not take this method.", ERROR_BODY),
    406: response("No acceptable format.", ERROR_BODY),
    412: response("If-Match names another version.", ERROR_BODY),
    413: response("The body is too large.", ERROR_BODY),
    415: response("The body is not JSON or a form.", ERROR_BODY),
    429: response("Too many attempts.", ERROR_BODY, headers={"Retry-After": "Seconds to wait."}),
}

PAGE_PARAMS = [
    query("startIndex", {"type": "integer", "minimum": 0}, "How many to skip."),
    query("count", {"type": "integer", "minimum": 0}, "Page size (default 25, at most 100)."),
]
CONTACT_ID = path_id("contactid", "The contact's id.")
PROJECT_ID = path_id("projectid", "The project's id.")
INFO_TYPES = [label for _, label in InfoType.choices]


def params_of(serializers: Iterable[type[Serializer]]) -> list[dict[str, Any]]:
    """The serializers' fields as query parameters."""
    schema = serializer_schema(*serializers)
    required = set(schema.get("required", ()))
    return [
        parameter(name, "query", field, description=field.get("description", name), required=name in required)
        for name, field in schema["properties"].items()
    ]


def op(
    operation_id: str,
    summary: str,
    *,
    tag: str,
    reply: str,
    path_params: Iterable[dict[str, Any]] = (),
    inputs: Iterable[type[Serializer]] = (),
    paged: bool = False,
    multipart: bool = False,
    description: str | None = None,
    security: list[dict[str, Any]] | None = None,
) -> Operation:
    """One operation, built for the method it is written under in its path item (`path_item`):
    its parameters (path, then the inputs: query for GET and DELETE, else a body), its success
    reply (201 for POST) in JSON and XML, and the error replies. `security` overrides the
    document's (`[]`: no credentials)."""
    path_params = tuple(path_params)
    inputs = tuple(inputs)

    def at(method: str) -> dict[str, Any]:
        parameters = list(path_params)
        request_body = None
        if method in ("get", "delete"):
            parameters += params_of(inputs)
        elif inputs:
            schema = serializer_schema(*inputs)
            media = {MULTIPART: schema} if multipart else {JSON: schema, FORM: schema}
            request_body = body(media, required=bool(schema.get("required")))
        if paged:
            parameters += PAGE_PARAMS
        status = 201 if method == "post" else 200
        answer = operation(
            operation_id,
            summary,
            tag=tag,
            description=description,
            parameters=parameters,
            request_body=request_body,
            responses={status: response("The reply.", {JSON: ref(f"{reply}Reply"), XML: ref(f"{reply}ReplyXml")})},
            errors=ERRORS,
        )
        if security is not None:
            answer["security"] = security
        return answer

    return at


def path_item(item: Mapping[str, Any]) -> dict[str, Any]:
    """A path item with each operation built for its method; other keys are kept as they are."""
    return {key: value(key) if callable(value) else value for key, value in item.items()}


def entity_paths(entity: str) -> dict[str, dict[str, Any]]:
    """The custom field routes of one entity type (contact, person or company)."""
    field_id = path_id("fieldid", "The custom field's id.")
    name = entity.capitalize()
    return {
        f"/crm/{entity}/customfield/definitions": {
            "get": op(
                f"list{name}CustomFields",
                f"Custom fields of {entity}s",
                tag="Custom fields",
                reply="CustomFields",
            ),
        },
        f"/crm/{entity}/customfield/reorder": {
            "put": op(
                f"reorder{name}CustomFields",
                "Reorder custom fields (administrators)",
                tag="Custom fields",
                reply="CustomFields",
                inputs=[inputs.FieldIdsSerializer],
            ),
        },
        f"/crm/{entity}/customfield": {
            "post": op(
                f"create{name}CustomField",
                "Create a custom field (administrators)",
                tag="Custom fields",
                reply="CustomField",
                inputs=[inputs.CustomFieldInputSerializer],
            ),
        },
        f"/crm/{entity}/customfield/{{fieldid}}": {
            "put": op(
                f"update{name}CustomField",
                "Change a custom field (administrators)",
                tag="Custom fields",
                reply="CustomField",
                path_params=[field_id],
                inputs=[inputs.CustomFieldInputSerializer],
            ),
            "delete": op(
                f"delete{name}CustomField",
                "Delete a custom field (administrators)",
                tag="Custom fields",
                reply="CustomField",
                path_params=[field_id],
            ),
        },
        f"/crm/{entity}/{{contactid}}/customfield": {
            "get": op(
                f"list{name}CustomValues",
                "A contact's custom values",
                tag="Custom fields",
                reply="CustomValues",
                path_params=[CONTACT_ID],
            ),
        },
        f"/crm/{entity}/{{contactid}}/customfield/{{fieldid}}": {
            "post": op(
                f"set{name}CustomValue",
                "Set a contact's custom value",
                tag="Custom fields",
                reply="CustomValue",
                path_params=[CONTACT_ID, field_id],
                inputs=[inputs.FieldValueSerializer],
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


def paths() -> dict[str, dict[str, Any]]:
    company_id = path_id("companyid", "The company's id.")
    person_id = path_id("personid", "The person's id.")
    filter_inputs = (filters.ContactFilterSerializer,)
    contact_paths: dict[str, dict[str, Any]] = {
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
        "/crm/contact/data/infoType": {
            "get": op("listInfoTypes", "The InfoType names", tag="Contact information", reply="Strings"),
        },
        "/crm/contact/data/{infotype}/category": {
            "get": op(
                "listInfoCategories",
                "The categories of an InfoType",
                tag="Contact information",
                reply="Strings",
                path_params=[parameter("infotype", "path", STRING, description="An InfoType name or number.")],
            ),
        },
        "/crm/contact/{contactid}/data": {
            "get": op(
                "listContactInfo",
                "A contact's contact information",
                tag="Contact information",
                reply="ContactInfos",
                path_params=[CONTACT_ID],
            ),
            "post": op(
                "addContactInfo",
                "Add an item of contact information",
                tag="Contact information",
                reply="ContactInfo",
                path_params=[CONTACT_ID],
                inputs=[inputs.ContactInfoInputSerializer],
            ),
        },
        "/crm/contact/{contactid}/data/{infoid}": {
            "get": show_contact_info(),
            "put": op(
                "updateContactInfo",
                "Change an item of contact information",
                tag="Contact information",
                reply="ContactInfo",
                path_params=[CONTACT_ID, parameter("infoid", "path", INTEGER, description="The item's id.")],
                inputs=[inputs.ContactInfoInputSerializer],
            ),
            "delete": op(
                "deleteContactInfo",
                "Delete an item of contact information",
                tag="Contact information",
                reply="ContactInfo",
                path_params=[CONTACT_ID, parameter("infoid", "path", INTEGER, description="The item's id.")],
            ),
        },
        "/crm/contact/{contactid}/tag": contact_tags("contactTags"),
        "/crm/contact/tag/{contactid}": contact_tags("contactTagsAlt"),
        "/crm/contact/tag": {
            "get": op("listTags", "Every tag, with how many contacts carry it", tag="Tags", reply="Tags"),
            "post": op("createTag", "Add a tag", tag="Tags", reply="String", inputs=[inputs.TagNameSerializer]),
            "delete": op(
                "deleteTag",
                "Delete a tag",
                tag="Tags",
                reply="String",
                inputs=[inputs.TagNameSerializer],
            ),
        },
        "/crm/contact/tag/unused": {
            "delete": op(
                "deleteUnusedTags",
                "Delete the tags no contact carries (administrators)",
                tag="Tags",
                reply="Strings",
            ),
        },
        "/crm/contact/taglist": {
            "post": op(
                "tagContacts",
                "Tag several contacts",
                tag="Tags",
                reply="String",
                inputs=[inputs.TagListInputSerializer],
            ),
        },
        **dictionary_paths("type", "ContactType", "contact type"),
        **dictionary_paths("status", "ContactStatus", "contact status"),
    }
    for entity in GROUPS:
        contact_paths |= group_paths(entity)
    for entity in ENTITIES:
        contact_paths |= entity_paths(entity)
    return {path: {**SUFFIXES, **path_item(item)} for path, item in contact_paths.items()}


def show_contact_info() -> Operation:
    """GET contact/{id}/data/{infoid}: a number is an item id, an InfoType name a type (urls.py)."""
    info_id = parameter(
        "infoid",
        "path",
        {"oneOf": [INTEGER, {"type": "string", "enum": INFO_TYPES}]},
        description="An item's id (addresses have negative ones), or an InfoType name.",
    )
    shown = op(
        "showContactInfo",
        "One item of contact information, or the values of one InfoType",
        tag="Contact information",
        reply="ContactInfo",
        path_params=[CONTACT_ID, info_id],
        description="With an InfoType name, the reply's `response` is the list of that type's values.",
    )

    def at(method: str) -> dict[str, Any]:
        answer = shown(method)
        answer["responses"]["200"] = response(
            "The item, or the values of the InfoType.",
            {
                JSON: {"oneOf": [ref("ContactInfoReply"), ref("StringsReply")]},
                XML: {"oneOf": [ref("ContactInfoReplyXml"), ref("StringsReplyXml")]},
            },
        )
        return answer

    return at


def contact_tags(prefix: str) -> dict[str, Operation]:
    return {
        "get": op(f"list{prefix}", "A contact's tags", tag="Tags", reply="Strings", path_params=[CONTACT_ID]),
        "post": op(
            f"add{prefix}",
            "Tag a contact",
            tag="Tags",
            reply="String",
            path_params=[CONTACT_ID],
            inputs=[inputs.TagNameSerializer],
        ),
        "delete": op(
            f"remove{prefix}",
            "Untag a contact",
            tag="Tags",
            reply="String",
            path_params=[CONTACT_ID],
            inputs=[inputs.TagNameSerializer],
        ),
    }


def dictionary_paths(kind: str, name: str, label: str) -> dict[str, dict[str, Any]]:
    """Contact types or statuses: the list with counts, and one by id."""
    pk = path_id("pk", f"The {label}'s id.")
    item_inputs = [inputs.ListItemInputSerializer]
    return {
        f"/crm/contact/{kind}": {
            "get": op(f"list{name}s", f"Every {label}", tag="Dictionaries", reply="ListItems"),
            "post": op(
                f"create{name}",
                f"Add a {label} (administrators)",
                tag="Dictionaries",
                reply="ListItem",
                inputs=item_inputs,
            ),
        },
        f"/crm/contact/{kind}/{{pk}}": {
            "get": op(f"show{name}", f"A {label}", tag="Dictionaries", reply="ListItem", path_params=[pk]),
            "put": op(
                f"update{name}",
                f"Change a {label} (administrators)",
                tag="Dictionaries",
                reply="ListItem",
                path_params=[pk],
                inputs=item_inputs,
            ),
            "delete": op(
                f"delete{name}",
                f"Delete a {label} (administrators)",
                tag="Dictionaries",
                reply="ListItem",
                path_params=[pk],
            ),
        },
    }


def build(*, base: str) -> dict[str, Any]:
    """The document; its server is the mount of the routes, `/api/2.0`, whatever `base` it was fetched under."""
    return document(
        base="/api/2.0",
        title=TITLE,
        description=(
            "Contacts, their information, tags, custom fields, types and statuses as ONLYOFFICE CRM serves them. "
            "Every reply is the ONLYOFFICE envelope; every route also takes a `.json` or `.xml` suffix "
            "(`x-format-suffixes`), the latter for XML. Parameters may come in the query string, a form or "
            "a JSON body alike. See docs/onlyoffice.md."
        ),
        paths=paths(),
        schemas=SCHEMAS,
        security_schemes=SECURITY_SCHEMES,
        tags=[
            ("Authentication", "Tokens."),
            ("Contacts", "Persons and companies."),
            ("Contact information", "Phones, emails, addresses and the like."),
            ("Tags", "Tags on contacts."),
            ("Custom fields", "Custom field definitions and values."),
            ("Dictionaries", "Contact types and statuses."),
        ],
    )
