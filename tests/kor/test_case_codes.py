"""Case code patterns: {year} and {seq} only, never anything else in braces."""

import pytest
from django.core.exceptions import ValidationError

from kor.case_codes import format_code, validate_pattern


@pytest.mark.parametrize(
    ("pattern", "code"),
    [("{year}-{seq:04d}", "2026-0042"), ("K{seq}", "K42"), ("{seq:3d}/{year}", "042/2026")],
)
def test_it_formats_a_code(pattern, code):
    validate_pattern(pattern)
    assert format_code(pattern, year=2026, seq=42) == code


@pytest.mark.parametrize(
    "pattern",
    ["{year}", "{seq.__class__}", "{seq!r}", "{name}-{seq}", "{seq}}", "X" * 28 + "{seq}"],
)
def test_it_refuses_a_pattern_that_is_not_one(pattern):
    with pytest.raises(ValidationError):
        validate_pattern(pattern)
