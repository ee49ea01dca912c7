"""Organisations with closed episodes to fit on, and expected-change models written by hand."""

from __future__ import annotations

import pytest

from kor.models import TrajectoryModel
from kor.outcomes.synthetic import synthetic_raters
from sessions.norms.bench import seed_closed

CLOSED = 240  # above the engine's minimum of 200 usable closed episodes


def flat_model(slope: float) -> dict:
    """Every set: ETR(m) = intake + slope * (m - 1) (I = 20 and Ix = 1 give the intake back)."""
    one = {
        "I": 20.0, "L": slope, "Q": 0.0, "C": 0.0, "Ix": 1.0, "Lx": 0.0, "Qx": 0.0, "Cx": 0.0,
        "flatten": 9, "target_flatten": 5, "sd": 7.75,
    }  # fmt: skip
    return {
        "name": f"slope {slope}",
        **{k: dict(one) for k in ("adult_short", "adult_long", "youth_short", "youth_long")},
    }


@pytest.fixture
def closed_north(org, north, alice):
    """240 closed episodes of team North, with synthetic ratings."""
    return seed_closed(org, north, alice, synthetic_raters(CLOSED, seed=11, long_share=0.1))


@pytest.fixture
def gentle(org):
    """Own norms of the organisation that expect one point a meeting."""
    return TrajectoryModel.objects.create(
        organisation=org, name="Gentle", source="fitted", version=1, coefficients=flat_model(1.0)
    )


@pytest.fixture
def foreign_model(other_org):
    return TrajectoryModel.objects.create(
        organisation=other_org, name="Theirs", source="fitted", version=1,
        coefficients=flat_model(2.0),
    )  # fmt: skip
