"""The settings of the outcome rules, with the defaults of KOR-REFERENCE.md.

Numbers that differ between published sources are settings, not constants: a service may store its
own overrides as JSON (`to_dict` / `from_dict`), and every assessment records the settings it used.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from .instruments import ADOLESCENT, ADULT, CHILD, check_age_group


@dataclass(frozen=True, slots=True)
class OutcomeSettings:
    cutoff_adult: float = 25.0  # Miller et al. 2003
    cutoff_adolescent: float = 28.0  # BON youth algorithm
    cutoff_child: float = 28.0  # BON youth algorithm (OpenFIT/ICCE use 32)
    rci: float = 6.0  # BON 2023 algorithm (Miller 5; NHS CYP 6.6 ORS / 10 CORS)
    srs_cutoff: float = 36.0
    srs_drop: float = 1.0
    off_track_percent: float = 50.0
    at_risk_no_change_after: int = 4  # from this many ratings, no reliable change means at risk
    erratic_jump: float = 6.0
    erratic_count: int = 4
    high_intake_above: float = 32.0
    short_model_max_ratings: int = 12

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"setting {f.name} must be a number, not {value!r}")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"setting {f.name} must be a finite number >= 0, not {value!r}")
            if f.type == "int" and value != int(value):
                raise ValueError(f"setting {f.name} must be a whole number, not {value!r}")
        for name in ("cutoff_adult", "cutoff_adolescent", "cutoff_child", "srs_cutoff"):
            if getattr(self, name) > 40:
                raise ValueError(f"setting {name} must be within 0-40")
        if self.rci <= 0 or self.erratic_jump <= 0:
            raise ValueError("settings rci and erratic_jump must be above 0")
        if self.off_track_percent > 100:
            raise ValueError("setting off_track_percent must be within 0-100")

    def cutoff(self, age_group: str) -> float | None:
        """The clinical cut-off for the group; None for young children (no validated cut-off)."""
        check_age_group(age_group)
        return {
            ADULT: self.cutoff_adult,
            ADOLESCENT: self.cutoff_adolescent,
            CHILD: self.cutoff_child,
        }.get(age_group)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> OutcomeSettings:
        """Defaults overridden by `data`; an unknown key is an error, so a typo cannot pass."""
        if not data:
            return DEFAULT_SETTINGS
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown outcome settings: {', '.join(unknown)}")
        return replace(DEFAULT_SETTINGS, **dict(data))


DEFAULT_SETTINGS = OutcomeSettings()
