"""DRF's renderer and parser classes over shapes: the base of every dialect's XML renderer and parser."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.core.exceptions import RequestDataTooBig
from rest_framework.exceptions import ParseError as DRFParseError
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer

from dialects.base import read_body
from dialects.xml.reader import XmlError, XmlTooLarge, parse_tree
from dialects.xml.shapes import XmlShape


class XmlShapeRenderer(BaseRenderer):
    """Renders a reply with the shape `shape_for` picks, the same way for every dialect.

    An error reply (one made by the exception handler) takes `error_shape`. Any other takes its
    view's shape: `xml_shapes[method]` where one method's reply differs, else `xml_shape`.
    A view that names none falls back to the first of `shapes` whose root key is in the data
    (or whose root has key=None).
    """

    media_type = "application/xml"
    format = "xml"
    charset = "utf-8"
    shapes: ClassVar[tuple[XmlShape, ...]] = ()
    error_shape: ClassVar[XmlShape | None] = None

    def shape_for(self, data: Any, renderer_context: Mapping[str, Any] | None) -> XmlShape:
        context = renderer_context or {}
        response, view, request = context.get("response"), context.get("view"), context.get("request")
        if self.error_shape is not None and getattr(response, "exception", False):
            return self.error_shape
        if view is not None:
            method = request.method if request is not None else "GET"
            shape = getattr(view, "xml_shapes", {}).get(method) or getattr(view, "xml_shape", None)
            if shape is not None:
                return shape
        for shape in self.shapes:
            if shape.root.key is None or (isinstance(data, Mapping) and shape.root.key in data):
                return shape
        keys = sorted(data) if isinstance(data, Mapping) else type(data).__name__
        raise ValueError(f"No XML shape of {type(self).__name__} fits {keys}.")

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Mapping[str, Any] | None = None
    ) -> bytes:
        if data is None:
            return b""
        return self.shape_for(data, renderer_context).render(data)


class XmlShapeParser(BaseParser):
    """Parses with the one of `shapes` whose root tag the document has; anything else is a 400."""

    # Matches application/xml and text/xml.
    media_type = "*/xml"
    shapes: ClassVar[tuple[XmlShape, ...]] = ()

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        body = read_body(stream, parser_context)
        try:
            tree = parse_tree(body)
            for shape in self.shapes:
                if shape.root.name == tree.tag:
                    return shape.read(tree)
            raise XmlError(f"Unexpected root element <{tree.tag}>.")
        except XmlTooLarge as exc:
            raise RequestDataTooBig(str(exc)) from None
        except XmlError as exc:
            raise DRFParseError(str(exc)) from None
