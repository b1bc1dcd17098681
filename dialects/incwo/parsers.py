"""incwo request bodies: `<contact>` or `<firm>` documents, parsed safely through the shapes of `renderers.py`.

Clients send `Content-Type: application/xml` (text/xml works too). On top of
what `dialects.xml` refuses (DTDs, entities, oversized bodies), a document
nested deeper than any incwo object is refused before it is read, and a field
that holds elements where text belongs is a 422 rather than a silent blank.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from xml.etree import ElementTree as ET

from django.core.exceptions import RequestDataTooBig
from rest_framework.exceptions import ParseError, ValidationError

from dialects.base import read_body
from dialects.incwo.renderers import CONTACT_SHAPE, FIRM_SHAPE
from dialects.xml import Array, Element, Leaf, XmlError, XmlShapeParser, XmlTooLarge, parse_tree

# <contact><contact_items><contact_item><value> is 4 deep; leave room, refuse abuse.
MAX_DEPTH = 8


def depth(root: ET.Element) -> int:
    """How deeply elements nest under (and including) the root, without recursion."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        element, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in element)
    return deepest


class IncwoXMLParser(XmlShapeParser):
    shapes = (CONTACT_SHAPE, FIRM_SHAPE)

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        body = read_body(stream, parser_context)
        try:
            tree = parse_tree(body)
        except XmlTooLarge as exc:
            raise RequestDataTooBig(str(exc)) from None
        except XmlError as exc:
            raise ParseError(str(exc)) from None
        if depth(tree) > MAX_DEPTH:
            raise ParseError(f"The XML is nested more than {MAX_DEPTH} levels deep.")
        for shape in self.shapes:
            if shape.root.name == tree.tag:
                wrong = text_leaves_with_elements(shape.root, tree)
                if wrong:
                    raise ValidationError({name: ["must be text, not elements."] for name in wrong})
                return shape.read(tree)
        raise ParseError(f"Unexpected root element <{tree.tag}>.")


def text_leaves_with_elements(node: Element, element: ET.Element, path: str = "") -> list[str]:
    """The names of the text fields of `node` that hold elements instead of text, where `element` has them."""
    found: list[str] = []
    for field in node.fields:
        children = [child for child in element if child.tag == field.name]
        if isinstance(field, Leaf):
            found += [f"{path}{field.name}" for child in children if len(child)]
        elif isinstance(field, Array):
            for wrapper in children:
                for item in wrapper:
                    if isinstance(field.item, Element) and item.tag == field.item.name:
                        found += text_leaves_with_elements(field.item, item, f"{path}{field.name}.")
        elif isinstance(field, Element):
            for child in children:
                found += text_leaves_with_elements(field, child, f"{path}{field.name}.")
    return found
