"""Helpers shared by the programme views."""

from __future__ import annotations

import re

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header

_UNSAFE = re.compile(r'[\s\\/:*?"<>|]+')


# The largest id the databases store (a 64-bit integer): a larger one in a query string
# would overflow SQLite's driver rather than find nothing.
MAX_ID = 2**63 - 1


def int_or_none(value) -> int | None:
    """A positive id from a query string, or None for anything else."""
    try:
        number = int(value) if value else None
    except (TypeError, ValueError):
        return None
    return number if number is not None and 0 < number <= MAX_ID else None


def filename(*parts: str, ext: str) -> str:
    # Keeps Devanagari names readable (sent as filename*=UTF-8''...).
    return "-".join(_UNSAFE.sub("-", p).strip("-") for p in parts if p)[:120] + f".{ext}"


def download(content: bytes, content_type: str, name: str, *, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, name)
    # Scoped data: never kept by a shared cache.
    patch_cache_control(response, private=True, no_cache=True)
    return response



class UploadSizeLimit(FileUploadHandler):
    """Drops an uploaded file as soon as it passes `limit` bytes, so that an oversized
    file is never written to disk; the view then says why (`request.upload_too_large`).
    The same pattern as the workbook upload (assessments.views.upload)."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = True
            raise SkipFile
        return raw_data  # on to the handler that stores it

    def file_complete(self, file_size):
        return None  # the storing handler makes the file
