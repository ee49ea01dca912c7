"""Case code patterns: how an organisation numbers its clients, e.g. "{year}-{seq:04d}".

Only two placeholders exist, `{year}` (the year the client is registered) and `{seq}` (the next
number of the organisation's sequence), the latter optionally zero-padded as `{seq:04d}`. The
pattern is read by hand rather than with str.format, which would let an administrator's pattern
reach into the attributes of the values it formats.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PLACEHOLDER = re.compile(r"\{(year|seq)(?::0?(\d)d)?\}")
MAX_LENGTH = 30  # Client.case_code


def _parts(pattern: str):
    """Split into literal text and placeholders; None if anything else stands in braces."""
    out, at = [], 0
    for match in PLACEHOLDER.finditer(pattern):
        out.append(("text", pattern[at : match.start()]))
        out.append((match[1], int(match[2] or 0)))
        at = match.end()
    out.append(("text", pattern[at:]))
    if any(kind == "text" and ("{" in value or "}" in value) for kind, value in out):
        return None
    return out


def validate_pattern(pattern: str) -> None:
    if not pattern:
        return  # no pattern: case codes are typed by hand
    parts = _parts(pattern)
    if parts is None or not any(kind == "seq" for kind, _w in parts):
        raise ValidationError(
            _(
                "Use {seq} (or {seq:04d} for four digits) and optionally {year}, e.g. {year}-{seq:04d}."  # noqa: E501
            ),
            code="pattern",
        )
    if len(format_code(pattern, year=2000, seq=1)) > MAX_LENGTH - 4:
        raise ValidationError(_("The pattern makes case codes that are too long."), code="length")


def uses_year(pattern: str) -> bool:
    return "{year" in pattern


def format_code(pattern: str, *, year: int, seq: int) -> str:
    parts = _parts(pattern)
    if parts is None:
        raise ValueError(f"not a case code pattern: {pattern!r}")
    out = []
    for kind, value in parts:
        if kind == "text":
            out.append(value)
        elif kind == "year":
            out.append(str(year))
        else:
            out.append(str(seq).zfill(value))
    return "".join(out)
