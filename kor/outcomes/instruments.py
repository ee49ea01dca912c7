"""The feedback forms as data, the choice of form from age, and validation of item scores.

Every form except the young-child ones has four items, each a 10 cm line measured to one decimal:
items 0.0-10.0, total 0.0-40.0. The young-child forms are one pictorial choice coded 1-4.
The wording is copyrighted by the authors, so the labels here are short names a service may replace.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .texts import number_en, number_nb

ADULT = "adult"
ADOLESCENT = "adolescent"
CHILD = "child"
YOUNG_CHILD = "young_child"
AGE_GROUPS: tuple[str, ...] = (ADULT, ADOLESCENT, CHILD, YOUNG_CHILD)

OUTCOME = "outcome"
ALLIANCE = "alliance"


class ScoreError(ValueError):
    """A score that cannot be stored: the field, a stable code for why, messages in nb and en."""

    def __init__(self, field: str, code: str, message_nb: str, message_en: str) -> None:
        super().__init__(message_en)
        self.field = field
        self.code = code
        self.message_nb = message_nb
        self.message_en = message_en

    def message(self, lang: str = "en") -> str:
        return self.message_nb if lang.startswith(("nb", "no", "nn")) else self.message_en


@dataclass(frozen=True, slots=True)
class Item:
    key: str
    label_nb: str
    label_en: str


@dataclass(frozen=True, slots=True)
class Instrument:
    code: str
    kind: str  # OUTCOME or ALLIANCE
    name_nb: str
    name_en: str
    items: tuple[Item, ...]
    age_groups: tuple[str, ...]
    snomed: str | None
    min: float = 0.0
    max: float = 10.0
    decimals: int = 1  # the 10 cm line is read to one decimal; pictorial forms are whole numbers
    trajectories: bool = True  # False for the young-child forms: record, never compute ETR

    @property
    def item_keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)

    @property
    def total_max(self) -> float:
        return self.max * len(self.items)


def _items(*triples: tuple[str, str, str]) -> tuple[Item, ...]:
    return tuple(Item(key, nb, en) for key, nb, en in triples)


INSTRUMENTS: dict[str, Instrument] = {
    instrument.code: instrument
    for instrument in (
        Instrument(
            "ORS",
            OUTCOME,
            "Skala for endringsvurdering",
            "Outcome Rating Scale",
            _items(
                ("individually", "Individuelt", "Individually"),
                ("interpersonally", "Mellommenneskelig", "Interpersonally"),
                ("socially", "Sosialt", "Socially"),
                ("overall", "Generelt", "Overall"),
            ),
            (ADULT, ADOLESCENT),
            "716613004",
        ),
        Instrument(
            "SRS",
            ALLIANCE,
            "Skala for samtalevurdering",
            "Session Rating Scale",
            _items(
                ("relationship", "Relasjon", "Relationship"),
                ("goals_topics", "Mål og tema", "Goals and topics"),
                ("approach", "Tilnærming eller metode", "Approach or method"),
                ("overall", "Generelt", "Overall"),
            ),
            (ADULT, ADOLESCENT),
            "720482000",
        ),
        Instrument(
            "CORS",
            OUTCOME,
            "Skala for endringsvurdering – barn og unge",
            "Child Outcome Rating Scale",
            _items(
                ("me", "Meg", "Me"),
                ("family", "Familie", "Family"),
                ("school", "Skole", "School"),
                ("everything", "Alt i alt", "Everything"),
            ),
            (CHILD,),
            "718458005",
        ),
        Instrument(
            "CSRS",
            ALLIANCE,
            "Skala for samtalevurdering – barn og unge",
            "Child Session Rating Scale",
            _items(
                ("listening", "Lyttet", "Listening"),
                ("how_important", "Hvor viktig", "How important"),
                ("what_we_did", "Det vi gjorde", "What we did"),
                ("overall", "Alt i alt", "Overall"),
            ),
            (CHILD,),
            "718762000",
        ),
        Instrument(
            "GSRS",
            ALLIANCE,
            "Skala for gruppevurdering",
            "Group Session Rating Scale",
            _items(
                ("relationship", "Relasjon", "Relationship"),
                ("goals_topics", "Mål og tema", "Goals and topics"),
                ("approach", "Tilnærming eller metode", "Approach or method"),
                ("overall", "Generelt", "Overall"),
            ),
            (ADULT, ADOLESCENT),
            "718441000",
        ),
        Instrument(
            "YCORS",
            OUTCOME,
            "Skala for endringsvurdering – små barn",
            "Young Child Outcome Rating Scale",
            _items(("picture", "Bilde", "Picture")),
            (YOUNG_CHILD,),
            "718461006",
            min=1.0,
            max=4.0,
            decimals=0,
            trajectories=False,
        ),
        Instrument(
            "YCSRS",
            ALLIANCE,
            "Skala for samtalevurdering – små barn",
            "Young Child Session Rating Scale",
            _items(("picture", "Bilde", "Picture")),
            (YOUNG_CHILD,),
            None,
            min=1.0,
            max=4.0,
            decimals=0,
            trajectories=False,
        ),
    )
}


def instrument(code: str) -> Instrument:
    try:
        return INSTRUMENTS[code]
    except KeyError:
        raise ValueError(f"unknown instrument {code!r}; known: {', '.join(INSTRUMENTS)}") from None


def check_age_group(age_group: str) -> str:
    if age_group not in AGE_GROUPS:
        raise ValueError(f"unknown age group {age_group!r}; known: {', '.join(AGE_GROUPS)}")
    return age_group


def age_group_for(age: int) -> str:
    """Adult 18+, adolescent 13-17, child 6-12, young child 5 and under (age in whole years)."""
    if isinstance(age, bool) or not isinstance(age, int) or age < 0:
        raise ValueError(f"age must be a whole number of years, 0 or more, not {age!r}")
    if age >= 18:
        return ADULT
    if age >= 13:
        return ADOLESCENT
    if age >= 6:
        return CHILD
    return YOUNG_CHILD


def outcome_instrument(age_group: str) -> str:
    check_age_group(age_group)
    return {ADULT: "ORS", ADOLESCENT: "ORS", CHILD: "CORS", YOUNG_CHILD: "YCORS"}[age_group]


def alliance_instrument(age_group: str, group_meeting: bool = False) -> str:
    check_age_group(age_group)
    # GSRS is the group form for 13+; children keep their own forms in groups too.
    if group_meeting and age_group in (ADULT, ADOLESCENT):
        return "GSRS"
    return {ADULT: "SRS", ADOLESCENT: "SRS", CHILD: "CSRS", YOUNG_CHILD: "YCSRS"}[age_group]


# -- numbers ------------------------------------------------------------------------------------


def parse_score(value: object, field: str, low: float, high: float, decimals: int = 1) -> int:
    """One score as an integer count of tenths (so sums are exact); raises ScoreError.

    Accepts ints, floats, Decimals and strings (a Norwegian decimal comma is fine).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ScoreError(
            field, "missing", f"{field}: mangler verdi.", f"{field}: value is missing."
        )
    if isinstance(value, bool):
        raise _not_a_number(field, value)
    if isinstance(value, (int, float)):
        try:
            x = float(value)
        except OverflowError:  # an int too large for a float is simply out of range
            nb, en = f"{field}: tallet er altfor stort.", f"{field}: the number is far too large."
            raise ScoreError(field, "out_of_range", nb, en) from None
    else:
        try:
            x = float(Decimal(str(value).strip().replace(",", ".")))
        except (InvalidOperation, ValueError, TypeError):
            raise _not_a_number(field, value) from None
    if not math.isfinite(x):
        raise ScoreError(
            field, "not_finite", f"{field}: må være et endelig tall.", f"{field}: must be finite."
        )
    if not low <= x <= high:
        lo, hi = (number_nb(low, decimals), number_nb(high, decimals))
        raise ScoreError(
            field,
            "out_of_range",
            f"{field}: {number_nb(x)} er utenfor {lo}–{hi}.",
            f"{field}: {x:g} is outside {number_en(low, decimals)}-{number_en(high, decimals)}.",
        )
    tenths = round(x * 10)
    step = 10 ** (1 - decimals)  # 1 tenth for one decimal, 10 tenths for whole numbers
    if abs(x * 10 - tenths) > 1e-6 or tenths % step:
        if decimals == 0:
            nb, en = "må være et helt tall", "must be a whole number"
        else:
            nb, en = "høyst én desimal", "at most one decimal"
        raise ScoreError(
            field, "too_many_decimals", f"{field}: {value} – {nb}.", f"{field}: {value} – {en}."
        )
    return tenths


def _not_a_number(field: str, value: object) -> ScoreError:
    return ScoreError(
        field,
        "not_a_number",
        f"{field}: «{value}» er ikke et tall.",
        f"{field}: {value!r} is not a number.",
    )


def to_tenths(x: object) -> int:
    """An item (0.0-10.0, one decimal) as the integer tenths the database stores (0-100)."""
    return parse_score(x, "item", 0.0, 10.0)


def from_tenths(n: int) -> float:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"tenths must be an int, not {n!r}")
    return n / 10


def validate_items_tenths(
    code: str, values: Sequence[object] | Mapping[str, object]
) -> tuple[int, ...]:
    """The items of one form as tenths, in form order (`values` in form order or keyed by item)."""
    form = instrument(code)
    keys = form.item_keys
    if isinstance(values, Mapping):
        unknown = sorted(set(values) - set(keys))
        if unknown:
            raise ScoreError(
                unknown[0],
                "unknown_item",
                f"{code} har ikke feltet {unknown[0]}.",
                f"{code} has no item {unknown[0]}.",
            )
        raw = [values.get(key) for key in keys]
    elif isinstance(values, (str, bytes)):
        raise ScoreError(
            code,
            "not_a_number",
            f"{code}: ventet {len(keys)} tall.",
            f"{code}: expected {len(keys)} numbers.",
        )
    else:
        raw = list(values)
        if len(raw) < len(keys):
            missing = keys[len(raw)]
            raise ScoreError(
                missing, "missing", f"{missing}: mangler verdi.", f"{missing}: value is missing."
            )
        if len(raw) > len(keys):
            raise ScoreError(
                code,
                "too_many_items",
                f"{code} har {len(keys)} felt, ikke {len(raw)}.",
                f"{code} has {len(keys)} items, not {len(raw)}.",
            )
    return tuple(
        parse_score(value, key, form.min, form.max, form.decimals)
        for key, value in zip(keys, raw, strict=True)
    )


def validate_items(code: str, values: Sequence[object] | Mapping[str, object]) -> tuple[float, ...]:
    """The items of one form as floats with one decimal; raises ScoreError naming the bad item."""
    return tuple(t / 10 for t in validate_items_tenths(code, values))


def total(code: str, values: Sequence[object] | Mapping[str, object]) -> float:
    """The total of a form, always computed from its items (summed in tenths: no float drift)."""
    return sum(validate_items_tenths(code, values)) / 10
