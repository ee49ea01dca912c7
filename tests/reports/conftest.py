"""Helpers for the report tests: the PDF's text through poppler's pdftotext."""

from __future__ import annotations

import shutil
import subprocess

import pytest


def pdftotext(pdf: bytes, *options: str) -> str:
    """poppler's pdftotext on `pdf` with `options` (-layout, -bbox), as text."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: apt-get install -y poppler-utils")
    result = subprocess.run(
        ["pdftotext", *options, "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()


def pdf_text(pdf: bytes) -> str:
    """The text a reader can search and copy, in reading order."""
    return pdftotext(pdf, "-layout")


def pdf_info(pdf: bytes) -> str:
    result = subprocess.run(
        ["pdfinfo", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's objects with their streams inflated (tags, metadata and the catalog live in
    compressed object streams)."""
    import re
    import zlib

    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Report files go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
