"""`XmlShape`: one document, its root node and a vendor's spelling conventions.

The same description renders the document (Python data → bytes, `dialects.xml.writer`) and
parses it back (bytes → Python data, `dialects.xml.reader`), and the two are exact inverses
for the shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from xml.etree import ElementTree as ET

from dialects.xml import writer
from dialects.xml.nodes import Array, Element
from dialects.xml.reader import parse_tree, read_document


@dataclass(frozen=True)
class XmlShape:
    """One document: its root node and the vendor's spelling conventions."""

    root: Element | Array
    true_text: str = "true"
    false_text: str = "false"
    # "" is written `<x></x>` unless this is set; None is always a self-closing tag.
    empty_string_self_closes: bool = False
    # `<x/>` (Redmine, Rails Builder) or `<x />` (.NET, ONLYOFFICE).
    space_before_slash: bool = False
    declaration: str = '<?xml version="1.0" encoding="UTF-8"?>'

    def render(self, data: Any) -> bytes:
        """The document for `data` (the enclosing dict of the root, or its value when key=None)."""
        root = self.root
        out: list[str] = [self.declaration]
        if isinstance(root, Element) and root.key is None:
            self._writer(root)(data, out)
        else:
            if not isinstance(data, Mapping) or root.key not in data:
                raise ValueError(f"{root.key!r} is missing from the data to render.")
            if writer.STRICT_KEYS:
                meta = {leaf.key for leaf in root.meta} if isinstance(root, Array) else set()
                writer.refuse_unknown(root.name, data, {root.key, *meta})
            if isinstance(root, Array):
                self._writer(root)(data[root.key], data, out)
                if root.repeated and len(data[root.key] or ()) != 1:
                    raise ValueError(f"{root.key!r} must hold exactly one item to be a document.")
            else:
                self._writer(root)(data[root.key], out)
        return "".join(out).encode("utf-8")

    @cached_property
    def _writers(self) -> dict[tuple[int, bool], writer.Writer]:
        """The compiled writers of the shape's elements and arrays, by node (see `writer`)."""
        writers: dict[tuple[int, bool], writer.Writer] = {}
        writer.compile_writer(self, self.root, writers)
        return writers

    def _writer(self, node: Element | Array) -> writer.Writer:
        return writer.compile_writer(self, node, self._writers)

    def parse(self, body: bytes, *, max_bytes: int | None = None) -> Any:
        """The data of a document of this shape (raises XmlError on anything else)."""
        return self.read(parse_tree(body, max_bytes=max_bytes))

    def read(self, root: ET.Element) -> Any:
        """The data of an already parsed (safe) tree; see `parse_tree`."""
        return read_document(self, root)
