"""Expected treatment response (ETR): the published PCOMS / Better Outcomes Now model (2023).

For intake x and meeting m (1 = intake), with d = x - 20 and i = min(m - 1, flatten):
    ETR(1) = x;  ETR(m) = (I + Ix d) + (L + Lx d) i + (Q + Qx d) i^2 + (C + Cx d) i^3
The Target is the same polynomial at i = target_flatten. The short-term set applies while the rater
has at most `short_model_max_ratings` (12) ratings, the long-term set after. Adults are 18+; youth
(child and adolescent) share a set. Young children never get trajectories.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from .config import DEFAULT_SETTINGS, OutcomeSettings
from .instruments import ADOLESCENT, ADULT, CHILD, YOUNG_CHILD, check_age_group

ADULT_SET = "adult"
YOUTH_SET = "youth"
COEFFICIENT_NAMES = ("I", "L", "Q", "C", "Ix", "Lx", "Qx", "Cx")


@dataclass(frozen=True, slots=True)
class Coefficients:
    I: float  # noqa: E741 (the published name of the intercept)
    L: float
    Q: float
    C: float
    Ix: float
    Lx: float
    Qx: float
    Cx: float
    flatten: int
    target_flatten: int
    sd: float

    def at(self, intake: float, i: int) -> float:
        """The polynomial at step i (already flattened) for this intake."""
        d = intake - 20.0
        return (
            self.I
            + self.Ix * d
            + (self.L + self.Lx * d) * i
            + (self.Q + self.Qx * d) * i * i
            + (self.C + self.Cx * d) * i * i * i
        )

    def etr(self, intake: float, meeting: int) -> float:
        if meeting <= 1:
            return intake
        return self.at(intake, min(meeting - 1, self.flatten))

    def target(self, intake: float) -> float:
        return self.at(intake, self.target_flatten)

    def vector(self) -> tuple[float, ...]:
        return tuple(getattr(self, name) for name in COEFFICIENT_NAMES)


@dataclass(frozen=True, slots=True)
class EtrModel:
    """A family of four coefficient sets: published norms, or a service's own (see norms.py)."""

    name: str
    adult_short: Coefficients
    adult_long: Coefficients
    youth_short: Coefficients
    youth_long: Coefficients

    def coefficients(
        self, age_group: str, ratings: int, settings: OutcomeSettings = DEFAULT_SETTINGS
    ) -> Coefficients:
        """The set that applies to a rater in `age_group` who has `ratings` ratings so far."""
        group = model_group(age_group)
        if group is None:
            raise ValueError("young children (5 and under) have no expected-change model")
        short = ratings <= settings.short_model_max_ratings
        if group == ADULT_SET:
            return self.adult_short if short else self.adult_long
        return self.youth_short if short else self.youth_long

    def sets(self) -> dict[str, Coefficients]:
        return {
            "adult_short": self.adult_short,
            "adult_long": self.adult_long,
            "youth_short": self.youth_short,
            "youth_long": self.youth_long,
        }

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, **{key: asdict(c) for key, c in self.sets().items()}}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EtrModel:
        try:
            return cls(
                name=str(data["name"]),
                **{key: _coefficients(data[key]) for key in SET_KEYS},
            )
        except KeyError as missing:
            raise ValueError(f"ETR model is missing {missing}") from None


SET_KEYS = ("adult_short", "adult_long", "youth_short", "youth_long")


def _coefficients(data: Mapping[str, Any]) -> Coefficients:
    return Coefficients(
        **{name: float(data[name]) for name in COEFFICIENT_NAMES},
        flatten=int(data["flatten"]),
        target_flatten=int(data["target_flatten"]),
        sd=float(data["sd"]),
    )


# bluewinginc/algorithms-23 and progress-23, as quoted in KOR-REFERENCE.md
PUBLISHED_MODEL = EtrModel(
    name="PCOMS/BON 2023",
    adult_short=Coefficients(
        20.192794,
        3.391172,
        -0.51855,
        0.027243,
        0.968895,
        -0.281445,
        0.049636,
        -0.002821,
        9,
        5,
        7.75,
    ),
    youth_short=Coefficients(
        20.311051,
        3.876662,
        -0.617576,
        0.032964,
        0.961832,
        -0.302422,
        0.053757,
        -0.003009,
        9,
        5,
        7.25,
    ),
    adult_long=Coefficients(
        20.729503,
        1.241249,
        -0.080747,
        0.001847,
        0.883757,
        -0.082032,
        0.005535,
        -0.000126,
        22,
        22,
        7.75,
    ),
    youth_long=Coefficients(
        21.217437,
        1.540001,
        -0.109128,
        0.002615,
        0.894288,
        -0.103598,
        0.007662,
        -0.00019,
        22,
        22,
        7.25,
    ),
)

_GROUPS = {ADULT: ADULT_SET, ADOLESCENT: YOUTH_SET, CHILD: YOUTH_SET, YOUNG_CHILD: None}


def model_group(age_group: str) -> str | None:
    """ "adult" or "youth" coefficient family for an age group; None for young children."""
    return _GROUPS[check_age_group(age_group)]


def expected_trajectory(
    intake: float,
    age_group: str,
    meetings: int,
    model: EtrModel | None = None,
    *,
    settings: OutcomeSettings | None = None,
) -> list[float]:
    """Expected totals for meetings 1..meetings (element 0 is the intake), not rounded.

    The set is the one that applies to a rater with `meetings` ratings (short up to 12).
    The polynomial is returned even for an intake above 32; callers decide whether it applies
    (see `is_high_intake`).
    """
    if isinstance(meetings, bool) or not isinstance(meetings, int) or meetings < 1:
        raise ValueError(f"meetings must be a whole number >= 1, not {meetings!r}")
    c = (model or PUBLISHED_MODEL).coefficients(age_group, meetings, settings or DEFAULT_SETTINGS)
    intake = float(intake)
    return [intake] + [c.at(intake, min(m - 1, c.flatten)) for m in range(2, meetings + 1)]


def target(
    intake: float,
    age_group: str,
    ratings: int = 1,
    model: EtrModel | None = None,
    *,
    settings: OutcomeSettings | None = None,
) -> float:
    """The expected end score for this intake, from the set that applies at `ratings` ratings."""
    c = (model or PUBLISHED_MODEL).coefficients(age_group, ratings, settings or DEFAULT_SETTINGS)
    return c.target(float(intake))


def is_high_intake(intake: float, settings: OutcomeSettings | None = None) -> bool:
    return intake > (settings or DEFAULT_SETTINGS).high_intake_above
