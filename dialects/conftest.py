"""What every dialect's tests share: XML shapes are strict, so a key a shape forgot fails a test."""

from __future__ import annotations

import pytest

from dialects.xml import writer


@pytest.fixture(autouse=True)
def _strict_xml_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """A key that an XML shape does not name raises instead of vanishing from the document."""
    monkeypatch.setattr(writer, "STRICT_KEYS", True)
