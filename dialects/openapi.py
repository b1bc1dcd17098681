"""OpenAPI 3 documents of the dialects: building blocks, the `openapi.json` view and the docs page.

Each dialect describes its routes in its own `openapi.py` as plain dicts (the outputs are built
by functions over rows, not serializers, so there is nothing to introspect): a `paths` dict,
its component `schemas`, its `security_schemes`. `document()` assembles them; `OpenApiView`
serves the result at `<dialect base>/openapi.json`, with the base the request came in on as the
server URL (so incwo's document names the business file it was fetched under), and
`OpenApiDocsView` shows it in the vendored Swagger UI at `<dialect base>/docs/`.

Routes that also answer with a `.json` or `.xml` suffix carry the extension
`x-format-suffixes` on their path item (docs/redmine.md and docs/onlyoffice.md, "OpenAPI document").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import View
from django.views.generic import TemplateView
from rest_framework.schemas.openapi import AutoSchema
from rest_framework.serializers import Serializer

from dialects.xml import Array, Element, Leaf, XmlShape

OPENAPI_VERSION = "3.0.3"
JSON = "application/json"
XML = "application/xml"
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    """`schema` or null (OpenAPI 3.0 spells it `nullable`)."""
    return {**schema, "nullable": True}


STRING: Schema = {"type": "string"}
INTEGER: Schema = {"type": "integer"}
NUMBER: Schema = {"type": "number"}
BOOLEAN: Schema = {"type": "boolean"}
TEXT_OR_NULL: Schema = nullable(STRING)
ANY: Schema = {}


def obj(
    properties: Mapping[str, Schema],
    *,
    required: Iterable[str] = (),
    xml: str | None = None,
    description: str | None = None,
) -> Schema:
    """An object schema; `xml` names its element when it travels as XML."""
    schema: Schema = {"type": "object", "properties": dict(properties)}
    required = list(required)
    if required:
        schema["required"] = required
    if xml:
        schema["xml"] = {"name": xml}
    if description:
        schema["description"] = description
    return schema


def array(items: Schema, *, xml: str | None = None, wrapped: bool = False) -> Schema:
    """An array schema; `xml` names the repeated element, `wrapped` puts them in one parent element."""
    schema: Schema = {"type": "array", "items": items}
    if xml:
        schema["xml"] = {"name": xml, "wrapped": wrapped}
    return schema


LEAF_TYPES: dict[type, str] = {int: "integer", bool: "boolean", float: "number", Decimal: "number"}


def xml_node(node: Leaf | Element | Array) -> Schema:
    """The OpenAPI schema (with its `xml` object) of one node of an `XmlShape`."""
    if isinstance(node, Leaf):
        schema: Schema = {"type": LEAF_TYPES.get(node.type, "string"), "xml": {"name": node.name}}
        if node.attribute:
            schema["xml"]["attribute"] = True
        return schema
    if isinstance(node, Array):
        schema = {"type": "array", "items": xml_node(node.item)}
        if not node.repeated:
            schema["xml"] = {"name": node.name, "wrapped": True}
        if node.meta:
            names = ", ".join(leaf.name for leaf in node.meta)
            schema["description"] = f"The wrapper element carries the attributes {names}."
        return schema
    properties: dict[str, Schema] = {}
    for field in node.fields:
        if isinstance(field, Element) and field.key is None:
            properties.update(xml_node(field)["properties"])
        elif isinstance(field, Array) and field.repeated:
            properties[field.key] = {**xml_node(field), "xml": {"name": field.item.name}}
        else:
            properties[field.key] = xml_node(field)
    return {"type": "object", "xml": {"name": node.name}, "properties": properties}


def xml_schema(shape: XmlShape) -> Schema:
    """The schema of a whole XML document declared as an `XmlShape` (every element optional)."""
    return xml_node(shape.root)


def json_node(node: Leaf | Element | Array) -> Schema:
    """The JSON schema of the data an `XmlShape` node writes, for dialects whose XML is their JSON
    converted (ONLYOFFICE): keys as in the shape, any scalar or object possibly null."""
    if isinstance(node, Leaf):
        return nullable({"type": LEAF_TYPES.get(node.type, "string")})
    if isinstance(node, Array):
        return array(json_node(node.item))
    properties: dict[str, Schema] = {}
    for field in node.fields:
        if isinstance(field, Element) and field.key is None:
            properties.update(json_node(field)["properties"])
        else:
            properties[field.key] = json_node(field)
    return nullable({"type": "object", "properties": properties})


def serializer_schema(*serializers: type[Serializer], description: str | None = None) -> Schema:
    """The JSON schema of what the input serializers accept together (DRF's own mapping)."""
    schema: Schema = {"type": "object", "properties": {}}
    required: list[str] = []
    for serializer in serializers:
        mapped = AutoSchema().map_serializer(serializer())
        schema["properties"].update(mapped["properties"])
        required += mapped.get("required", [])
    if required:
        schema["required"] = required
    if description:
        schema["description"] = description
    return schema


def parameter(
    name: str, where: str, schema: Schema, *, description: str, required: bool | None = None
) -> dict[str, Any]:
    """A path, query or header parameter (path parameters are always required)."""
    return {
        "name": name,
        "in": where,
        "required": where == "path" if required is None else required,
        "description": description,
        "schema": schema,
    }


def path_id(name: str, description: str) -> dict[str, Any]:
    """A numeric id in the path."""
    return parameter(name, "path", {"type": "integer", "minimum": 1}, description=description)


def query(name: str, schema: Schema, description: str) -> dict[str, Any]:
    return parameter(name, "query", schema, description=description)


def content(media: Mapping[str, Schema]) -> dict[str, Any]:
    return {media_type: {"schema": schema} for media_type, schema in media.items()}


def body(media: Mapping[str, Schema], *, required: bool = True, description: str | None = None) -> dict[str, Any]:
    """A request body in each of the given media types."""
    request_body: dict[str, Any] = {"required": required, "content": content(media)}
    if description:
        request_body["description"] = description
    return request_body


def response(
    description: str, media: Mapping[str, Schema] | None = None, *, headers: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A response: its description, its bodies by media type, the headers it sets (name → description)."""
    answer: dict[str, Any] = {"description": description}
    if media:
        answer["content"] = content(media)
    if headers:
        answer["headers"] = {name: {"description": text, "schema": STRING} for name, text in headers.items()}
    return answer


def operation(
    operation_id: str,
    summary: str,
    *,
    tag: str,
    responses: Mapping[int | str, dict[str, Any]],
    errors: Mapping[int, dict[str, Any]],
    parameters: Iterable[dict[str, Any]] = (),
    request_body: dict[str, Any] | None = None,
    description: str | None = None,
) -> dict[str, Any]:
    """One operation; `errors` are the dialect's error responses, added after the operation's own."""
    answer: dict[str, Any] = {"operationId": operation_id, "summary": summary, "tags": [tag]}
    if description:
        answer["description"] = description
    parameters = list(parameters)
    if parameters:
        answer["parameters"] = parameters
    if request_body is not None:
        answer["requestBody"] = request_body
    answer["responses"] = {str(code): value for code, value in {**errors, **responses}.items()}
    answer["responses"] = dict(sorted(answer["responses"].items()))
    return answer


def document(
    *,
    base: str,
    title: str,
    description: str,
    paths: Mapping[str, dict[str, Any]],
    schemas: Mapping[str, Schema],
    security_schemes: Mapping[str, dict[str, Any]],
    tags: Iterable[tuple[str, str]] = (),
    server: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The whole document; every operation accepts any one of the security schemes. The server is
    `base` unless `server` (a Server Object, with variables) is given."""
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": title, "version": "1.0", "description": description},
        "servers": [server or {"url": base.rstrip("/") or "/"}],
        "tags": [{"name": name, "description": text} for name, text in tags],
        "security": [{name: []} for name in security_schemes],
        "paths": dict(paths),
        "components": {"schemas": dict(schemas), "securitySchemes": dict(security_schemes)},
    }


def mount_of(request: HttpRequest, *, leaf: str) -> str:
    """The dialect base a request came in on: its path without the trailing `leaf`."""
    path = request.path
    return path[: -len(leaf)] if path.endswith(leaf) else path


class OpenApiView(View):
    """GET `<dialect base>/openapi.json`: the dialect's document, readable without credentials."""

    http_method_names: ClassVar[list[str]] = ["get", "head", "options"]
    # The dialect's `build(base=...)`, given to `as_view(build=...)` in its urls.py.
    build: Callable[..., dict[str, Any]] | None = None

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        assert self.build is not None, "as_view(build=...) names the dialect's document"
        return JsonResponse(self.build(base=mount_of(request, leaf="openapi.json")))


class OpenApiDocsView(TemplateView):
    """GET `<dialect base>/docs/`: the document in the vendored Swagger UI."""

    template_name = "dialects/openapi_docs.html"
    title: ClassVar[str] = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["schema_url"] = mount_of(self.request, leaf="docs/") + "openapi.json"
        return context
