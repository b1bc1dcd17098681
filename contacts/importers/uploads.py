"""Uploaded import files: kept in storage under imports/, handed between the steps by a signed token.

The upload step stores the file (MEDIA_ROOT/imports/<year>/<month>/...) and gives the next steps
a token signed for the user who sent it, so a file is never named by a path a browser could
change. An upload larger than IMPORT_MAX_BYTES is stopped while it is received.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils import timezone
from django.utils.crypto import get_random_string

from contacts.importers.running import ImportSummary

TOKEN_SALT = "contacts.import"
TOKEN_MAX_AGE = 24 * 3600
EXTENSIONS = {".csv", ".txt", ".tsv", ".vcf", ".vcard"}
LISTED_IN_RESULT = 50


def import_max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", 200 * 1024 * 1024))


def size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


class ImportSizeLimitHandler(FileUploadHandler):
    """Stops an upload once it passes IMPORT_MAX_BYTES (the rest of the body is read and dropped)."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.received = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > import_max_bytes():
            self.too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def import_file_store(*, upload: UploadedFile, user_id: int) -> str:
    """Keep an uploaded file under imports/ and return the token naming it for this user."""
    suffix = Path(upload.name or "").suffix.lower()
    suffix = suffix if suffix in EXTENSIONS else ".csv"
    now = timezone.now()
    name = default_storage.save(f"imports/{now:%Y/%m}/{get_random_string(16)}{suffix}", upload)
    return signing.dumps({"file": name, "user": user_id, "name": (upload.name or "upload")[:150]}, salt=TOKEN_SALT)


def import_file_token(token: str, *, user_id: int) -> dict[str, Any] | None:
    """What a token names (file, original name) if it is this user's and still valid, else None."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("user") != user_id or not default_storage.exists(data.get("file", "")):
        return None
    return data


@contextmanager
def import_file_path(name: str) -> Iterator[Path]:
    """A local path of a stored import file (a temporary copy when the storage is not on disk)."""
    try:
        yield Path(default_storage.path(name))
        return
    except NotImplementedError:
        pass
    handle, copy = tempfile.mkstemp(suffix=Path(name).suffix)
    try:
        with os.fdopen(handle, "wb") as out, default_storage.open(name, "rb") as stored:
            shutil.copyfileobj(stored, out)
        yield Path(copy)
    finally:
        Path(copy).unlink(missing_ok=True)


def import_result(summary: ImportSummary) -> dict[str, Any]:
    """The job page's summary: the counts, then the first errors as "Row N" → "Column: message"."""
    result = summary.as_result()
    listed = summary.errors[:LISTED_IN_RESULT]
    for error in listed:
        label = f"Row {error['row']}"
        text = f"{error['column']}: {error['message']}" if error["column"] else error["message"]
        result[label] = f"{result[label]}; {text}" if label in result else text
    if summary.rejected > len({error["row"] for error in listed}):
        result["More errors"] = "in the CSV of rejected rows"
    return result
