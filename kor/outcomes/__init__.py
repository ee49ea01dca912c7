"""The outcome engine of KOR/FIT: forms, expected change, status and flags, statistics, norms.

Pure Python (NumPy for the bulk work) with no Django import, so the rules can be tested,
benchmarked and reused outside the web app. Everything follows KOR-REFERENCE.md.
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
from .norms import (
    CalibrationReport,
    MeetingCalibration,
    NormsError,
    SetFit,
    fit_and_compare,
    fit_norms,
)
from .stats import (
    END_REASONS,
    EXCLUSION_LABELS,
    ChangeBin,
    RaterSeries,
    Summary,
    change_histogram,
    summarize,
)
from .texts import Reason
from .track import NextRating, is_off_track, next_rating, off_track_threshold

__all__ = [
    "AGE_GROUPS",
    "DEFAULT_SETTINGS",
    "END_REASONS",
    "EXCLUSION_LABELS",
    "FLAGS",
    "INSTRUMENTS",
    "PUBLISHED_MODEL",
    "STATUSES",
    "Assessment",
    "CalibrationReport",
    "ChangeBin",
    "Coefficients",
    "EtrModel",
    "Instrument",
    "Item",
    "MeetingCalibration",
    "NextRating",
    "NormsError",
    "OutcomeSettings",
    "RaterSeries",
    "Reason",
    "ScoreError",
    "SetFit",
    "Summary",
    "age_group_for",
    "alliance_instrument",
    "assess",
    "change_histogram",
    "erratic_count",
    "expected_trajectory",
    "fit_and_compare",
    "fit_norms",
    "from_tenths",
    "instrument",
    "is_high_intake",
    "is_off_track",
    "model_group",
    "next_rating",
    "off_track_threshold",
    "outcome_instrument",
    "summarize",
    "target",
    "to_tenths",
    "total",
    "validate_items",
]
