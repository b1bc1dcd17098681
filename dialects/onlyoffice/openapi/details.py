"""The paths of what a contact carries: contact information, tags, custom fields, types and statuses."""

from __future__ import annotations

from typing import Any

from dialects.onlyoffice import inputs
from dialects.onlyoffice.openapi.schemas import CONTACT_ID, INFO_TYPES, XML, Operation, op
from dialects.openapi import INTEGER, JSON, STRING, parameter, path_id, ref, response


def detail_paths() -> dict[str, dict[str, Any]]:
    """Contact information, tags, and the contact types and statuses."""
    return {
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
