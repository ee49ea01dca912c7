"""k-anonymity of the research export: worked examples by hand, and properties for any input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kor.outcomes.anonymity import (
    k_anonymise,
    meetings_band,
    satisfies,
    subjects_per_combination,
    year_band,
)

QUASI = ("team", "age_group", "year", "instrument", "meetings")


def row(subject, year=2025, meetings=4, team="T1", age="adult", instrument="ORS", **extra):
    return {
        "client": subject,
        "team": team,
        "age_group": age,
        "year": year,
        "instrument": instrument,
        "meetings": meetings,
        **extra,
    }


def test_years_fall_in_two_year_bands_starting_on_an_even_year():
    assert year_band(2024) == "2024–2025"
    assert year_band(2025) == "2024–2025"
    assert year_band(2026) == "2026–2027"
    assert year_band("2024–2025") == "2024–2025"


@pytest.mark.parametrize(
    ("count", "band"),
    [(0, "0–2"), (1, "0–2"), (2, "0–2"), (3, "3–5"), (5, "3–5"), (6, "6–10"), (10, "6–10"),
     (11, "11–20"), (20, "11–20"), (21, "21+"), (90, "21+"), ("3–5", "3–5")],
)  # fmt: skip
def test_meetings_fall_in_bands(count, band):
    assert meetings_band(count) == band


def test_it_counts_subjects_not_rows():
    # One client with ten forms is one person: the combination is not safe for k = 2.
    records = [row("a") for _ in range(10)]
    assert subjects_per_combination(records, QUASI, "client") == {
        ("T1", "adult", 2025, "ORS", 4): 1
    }
    result = k_anonymise(records, QUASI, subject="client", k=2)
    assert result.records == []
    assert result.suppressed_records == 10
    assert result.suppressed_subjects == {"a"}


def test_a_worked_example_with_k_3():
    """Five clients in 2025 with 4 meetings (safe); b1, b2 in 2024 with 3 and 5 meetings, b3 in
    2025 with 5: each rare alone, all three share "2024–2025", "3–5" once coarsened; c1 alone in
    team T2: still unique after coarsening, so suppressed."""
    safe = [row(f"a{i}") for i in range(5)]
    rare = [row("b1", 2024, 3), row("b2", 2024, 5), row("b3", 2025, 5)]
    unique = [row("c1", team="T2")]
    result = k_anonymise(safe + rare + unique, QUASI, subject="client", k=3)

    assert result.records[:5] == safe  # untouched
    assert [(r["client"], r["year"], r["meetings"]) for r in result.records[5:]] == [
        ("b1", "2024–2025", "3–5"),
        ("b2", "2024–2025", "3–5"),
        ("b3", "2024–2025", "3–5"),
    ]
    assert result.to_dict() == {
        "k": 3,
        "records": 8,
        "coarsened_records": 3,
        "suppressed_records": 1,
        "coarsened_subjects": 3,
        "suppressed_subjects": 1,
    }
    assert satisfies(result.records, QUASI, "client", 3)


def test_k_of_1_changes_nothing():
    records = [row("a"), row("b", 2020, 30)]
    result = k_anonymise(records, QUASI, subject="client", k=1)
    assert result.records == records
    assert (result.coarsened_records, result.suppressed_records) == (0, 0)


def test_the_input_is_not_changed():
    records = [row("a"), row("b", 2024, 3)]
    before = [dict(r) for r in records]
    k_anonymise(records, QUASI, subject="client", k=2)
    assert records == before


def test_k_below_1_is_refused():
    with pytest.raises(ValueError):
        k_anonymise([row("a")], QUASI, subject="client", k=0)


records_strategy = st.lists(
    st.builds(
        row,
        st.integers(0, 30),  # subject
        year=st.integers(2018, 2027),
        meetings=st.integers(0, 30),
        team=st.sampled_from(["T1", "T2", "T3"]),
        age=st.sampled_from(["adult", "adolescent", "child"]),
        instrument=st.sampled_from(["ORS", "SRS", "CORS"]),
    ),
    max_size=120,
)


@settings(max_examples=200, deadline=None)
@given(records_strategy, st.integers(1, 8))
def test_the_output_always_satisfies_k_or_is_empty(records, k):
    result = k_anonymise(records, QUASI, subject="client", k=k)
    assert result.records == [] or satisfies(result.records, QUASI, "client", k)


@settings(max_examples=200, deadline=None)
@given(records_strategy, st.integers(1, 8))
def test_every_record_is_kept_or_counted_as_suppressed(records, k):
    records = [r | {"row": i} for i, r in enumerate(records)]
    result = k_anonymise(records, QUASI, subject="client", k=k)
    assert len(result.records) + result.suppressed_records == len(records)
    assert result.coarsened_records <= len(result.records)
    # Only year and meetings change, and only into their bands.
    for out in result.records:
        source = records[out["row"]]
        assert {key: v for key, v in out.items() if key not in ("year", "meetings")} == {
            key: v for key, v in source.items() if key not in ("year", "meetings")
        }
        assert out["year"] in (source["year"], year_band(source["year"]))
        assert out["meetings"] in (source["meetings"], meetings_band(source["meetings"]))


@settings(max_examples=100, deadline=None)
@given(records_strategy, st.integers(1, 8))
def test_records_already_safe_are_never_changed(records, k):
    sizes = subjects_per_combination(records, QUASI, "client")
    safe = [r for r in records if sizes[tuple(r[q] for q in QUASI)] >= k]
    result = k_anonymise(records, QUASI, subject="client", k=k)
    assert [r for r in result.records if r in safe] == safe
