"""Reading XML bodies: a safe parse (defusedxml) and a shape's data read back from the tree.

Input is parsed with defusedxml only: DTDs, entities and external references are refused, the
body size is checked before any parsing, and elements may nest no deeper than
`dialects.base.MAX_NESTING`, the bound JSON bodies share. Values stay strings unless the shape
declares a type (a postcode `01234` stays `01234`), and null (`<x/>`) is told from "" (`<x></x>`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError
from django.conf import settings

from dialects.base import MAX_NESTING
from dialects.xml.nodes import Array, Element, Leaf, Node

if TYPE_CHECKING:
    from dialects.xml.shapes import XmlShape

_INT = re.compile(r"-?\d+")


class XmlError(ValueError):
    """The XML body is malformed, unsafe, or not the expected document."""


class XmlTooLarge(XmlError):
    """The XML body is larger than the configured limit."""


class _TreeBuilder:
    """An ElementTree builder that remembers whether an empty element was `<x/>` or `<x></x>`.

    ElementTree gives both text None; we need the difference to read back
    null versus "". At an element's end event expat's byte index sits right
    after the tag, so a self-closed element is the one whose last bytes are "/>".
    """

    def __init__(self, body: bytes) -> None:
        self._builder = ET.TreeBuilder()
        self._body = body
        self._depth = 0
        self.parser: DefusedXMLParser | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        self._depth += 1
        if self._depth > MAX_NESTING:
            raise XmlError(f"The body nests deeper than {MAX_NESTING} levels.")
        return self._builder.start(tag, attrs)

    def data(self, data: str) -> None:
        self._builder.data(data)

    def end(self, tag: str) -> ET.Element:
        self._depth -= 1
        element = self._builder.end(tag)
        if len(element) == 0 and element.text is None:
            index = self.parser.parser.CurrentByteIndex
            element.text = None if self._body[index - 2 : index] == b"/>" else ""
        return element

    def close(self) -> ET.Element:
        return self._builder.close()


def parse_tree(body: bytes, *, max_bytes: int | None = None) -> ET.Element:
    """Parse untrusted XML safely: size checked first, no DTD, no entities, no external references."""
    limit = settings.API_MAX_BODY_BYTES if max_bytes is None else max_bytes
    if len(body) > limit:
        raise XmlTooLarge(f"The body is larger than {limit} bytes.")
    if not body.strip():
        raise XmlError("The body is empty.")
    builder = _TreeBuilder(body)
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(body)
        return parser.close()
    except DefusedXmlException as exc:
        raise XmlError(f"XML with a DTD, entities or external references is refused ({type(exc).__name__}).") from None
    except ParseError as exc:
        raise XmlError(f"Malformed XML: {exc}.") from None


def read_document(shape: XmlShape, root: ET.Element) -> Any:
    """The data of an already parsed (safe) tree of `shape`: the exact inverse of its writer."""
    if root.tag != shape.root.name:
        raise XmlError(f"Expected <{shape.root.name}> as the root element, got <{root.tag}>.")
    if isinstance(shape.root, Element) and shape.root.key is None:
        return _read_element(shape, shape.root, root) or {}
    container: dict[str, Any] = {}
    _read_field(shape, shape.root, {root.tag: [root]}, container)
    return container


def _read_field(
    shape: XmlShape, node: Node, children: Mapping[str, list[ET.Element]], container: dict[str, Any]
) -> None:
    if isinstance(node, Array) and node.repeated:
        found = children.get(node.item.name)
        if found:
            container[node.key] = [_read_item(shape, node.item, el) for el in found]
        return
    found = children.get(node.name)
    if not found:
        return
    element = found[0]
    if isinstance(node, Leaf):
        container[node.key] = _convert(shape, node, element.text)
    elif isinstance(node, Element):
        value = _read_element(shape, node, element)
        if node.key is None:
            container.update(value or {})
        else:
            container[node.key] = value
    else:
        _read_array(shape, node, element, container)


def _read_element(shape: XmlShape, node: Element, element: ET.Element) -> dict[str, Any] | None:
    if not element.attrib and not len(element) and element.text is None:
        return None
    children = _children_by_tag(element)
    value: dict[str, Any] = {}
    for field in node.fields:
        if isinstance(field, Leaf) and field.attribute:
            if field.name in element.attrib:
                value[field.key] = _convert(shape, field, element.attrib[field.name])
        else:
            _read_field(shape, field, children, value)
    return value


def _read_array(shape: XmlShape, node: Array, element: ET.Element, container: dict[str, Any]) -> None:
    is_array = all(element.get(name) == text for name, text in node.attrs)
    if node.scalar_ok and not is_array:
        container[node.key] = _convert(shape, Leaf(node.key, node.tag), element.text)
        return
    if not element.attrib and not len(element) and element.text is None:
        container[node.key] = None
        return
    container[node.key] = [_read_item(shape, node.item, el) for el in element if el.tag == node.item.name]
    for leaf in node.meta:
        if leaf.name in element.attrib:
            container[leaf.key] = _convert(shape, leaf, element.attrib[leaf.name])


def _read_item(shape: XmlShape, node: Leaf | Element, element: ET.Element) -> Any:
    if isinstance(node, Leaf):
        return _convert(shape, node, element.text)
    return _read_element(shape, node, element)


def _convert(shape: XmlShape, leaf: Leaf, text: str | None) -> Any:
    if text is None:
        return "" if shape.empty_string_self_closes and leaf.type is str else None
    if leaf.type is bool:
        return {shape.true_text: True, shape.false_text: False}.get(text, text)
    if leaf.type is int:
        return int(text) if _INT.fullmatch(text) else text
    if leaf.type in (Decimal, float):
        try:
            number = Decimal(text)
        except InvalidOperation:
            return text
        return number if leaf.type is Decimal else float(number)
    return text


def _children_by_tag(element: ET.Element) -> dict[str, list[ET.Element]]:
    children: dict[str, list[ET.Element]] = {}
    for child in element:
        children.setdefault(child.tag, []).append(child)
    return children
