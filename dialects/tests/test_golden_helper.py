"""The one golden-file helper: compare byte for byte, or write with UPDATE_GOLDEN=1."""

from __future__ import annotations

import pytest

from dialects.tests.golden import assert_golden


def test_a_body_that_differs_from_its_golden_file_fails(tmp_path, monkeypatch):
    monkeypatch.delenv("UPDATE_GOLDEN", raising=False)
    path = tmp_path / "list.json"
    path.write_bytes(b'{"a":1}')
    assert_golden(path, b'{"a":1}')
    with pytest.raises(AssertionError, match="list.json differs"):
        assert_golden(path, b'{"a":2}')


def test_update_golden_writes_the_file_for_every_dialect(tmp_path, monkeypatch):
    monkeypatch.setenv("UPDATE_GOLDEN", "1")
    path = tmp_path / "show.xml"
    assert_golden(path, b"<contact/>")
    assert path.read_bytes() == b"<contact/>"
