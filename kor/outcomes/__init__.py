"""The outcome engine of KOR/FIT: forms, expected change, status and flags, statistics, norms.

Pure Python (NumPy for the bulk work); no Django import here, so the rules can be tested, benchmarked
and reused outside the web app. Everything follows KOR-REFERENCE.md.
"""

from .assess import FLAGS, STATUSES, Assessment, assess, erratic_count
from .config import DEFAULT_SETTINGS, OutcomeSettings
from .instruments import (
    AGE_GROUPS,
    INSTRUMENTS,
    Instrument,
    Item,
    ScoreError,
    age_group_for,
    alliance_instrument,
    from_tenths,
    instrument,
    outcome_instrument,
    to_tenths,
    total,
    validate_items,
)
from .model import (
    PUBLISHED_MODEL,
    Coefficients,
    EtrModel,
    expected_trajectory,
    is_high_intake,
    model_group,
    target,
)
from .texts import Reason

__all__ = [
    "AGE_GROUPS",
    "DEFAULT_SETTINGS",
    "FLAGS",
    "INSTRUMENTS",
    "PUBLISHED_MODEL",
    "STATUSES",
    "Assessment",
    "Coefficients",
    "EtrModel",
    "Instrument",
    "Item",
    "OutcomeSettings",
    "Reason",
    "ScoreError",
    "age_group_for",
    "alliance_instrument",
    "assess",
    "erratic_count",
    "expected_trajectory",
    "from_tenths",
    "instrument",
    "is_high_intake",
    "model_group",
    "outcome_instrument",
    "target",
    "to_tenths",
    "total",
    "validate_items",
]
