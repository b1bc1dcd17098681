"""The order the fuzzing runs the operations in (dialects/tests/test_openapi_fuzz.py), checked
without a served instance: reads first, then the writes to every contact a filter matches, then
the creates, and deletes last."""

from __future__ import annotations

from dialects.tests.test_openapi_fuzz import BULK_WRITES, operations


def test_bulk_writes_run_after_every_read_and_before_every_create() -> None:
    order = operations()
    bulk = [index for index, op in enumerate(order) if op in BULK_WRITES]
    reads = [index for index, (_, method, _) in enumerate(order) if method in ("GET", "OPTIONS")]
    creates = [index for index, op in enumerate(order) if op[1] == "POST" and op not in BULK_WRITES]
    assert len(bulk) == len(BULK_WRITES)
    assert max(reads) < min(bulk)
    assert max(bulk) < min(creates)


def test_deletes_run_last() -> None:
    methods = [method for _, method, _ in operations()]
    assert "DELETE" not in methods[: methods.index("DELETE")]
    assert set(methods[methods.index("DELETE") :]) == {"DELETE"}
