"""The off-track review rules of the engine, held against worked examples computed by hand."""

from hypothesis import given
from hypothesis import strategies as st

from kor.outcomes.review import (
    FOLLOW_UP,
    Case,
    MeetingState,
    case_of,
    current_spell,
    review_effect,
)

WORDS = {"G": "on_track", "A": "at_risk", "O": "off_track", "D": "deteriorated", "I": "intake"}


def course(text: str, alert_at: tuple[int, ...] = ()) -> list[MeetingState]:
    """'IAOOG' -> meetings 1..5 with those statuses; `alert_at`: meetings with an alliance alert."""
    return [
        MeetingState(
            n,
            WORDS[c],
            frozenset({"alliance_alert"}) if n in alert_at else frozenset(),
            helper=7,
        )
        for n, c in enumerate(text, 1)
    ]


def test_the_spell_runs_back_from_the_latest_meeting_to_where_it_turned():
    # Meetings 3-5 signal (off track, alert only, deteriorated): a spell of 3 since meeting 3.
    spell = current_spell(course("IAOGD", alert_at=(4,)))
    assert (spell.since, spell.meetings, spell.trigger) == (3, 3, "deteriorated")
    assert spell.due(3) and not spell.due(4)


def test_a_review_in_the_spell_answers_it_and_one_before_does_not():
    states = course("IOAOO")  # meeting 3 at risk: the spell is 4-5
    assert current_spell(states, reviews=[2]).reviewed is None
    assert current_spell(states, reviews=[2]).due(2)
    spell = current_spell(states, reviews=[2, 4])
    assert spell.reviewed == 4 and not spell.due(1)


def test_no_spell_when_the_latest_meeting_does_not_signal():
    assert current_spell(course("IOOG")) is None
    assert current_spell([]) is None


def test_worked_example_of_cases():
    # Reviewed at meeting 4 (off track since 3): meetings 5-8 follow; 7 is on track -> back.
    a = case_of(course("IAOOAAGO"), reviews=[4])
    assert (a.reviewed, a.reference, a.back, a.known) == (True, 4, True, True)
    # Not reviewed: measured from meeting 3 where it turned; 4-7 are A O A A -> not back, known.
    b = case_of(course("IAOOAAAG"))
    assert (b.reviewed, b.reference, b.back, b.known) == (False, 3, False, True)
    # A review after the red spell ended does not count for it.
    c = case_of(course("IOAG"), reviews=[3])
    assert (c.reviewed, c.reference, c.back, c.known) == (False, 2, True, True)
    # Open, two meetings after the review and not back yet: pending; ended, it is a "no".
    d = case_of(course("IOOAA"), reviews=[3])
    assert (d.reference, d.known) == (3, False)
    assert case_of(course("IOOAA"), reviews=[3], ended=True).known
    # Alliance alert alone is no red spell.
    assert case_of(course("IAGG", alert_at=(2, 3))) is None


def test_worked_example_of_the_shares():
    cases = [
        Case(True, True, True, 4, 1, None),
        Case(True, False, True, 3, 1, None),
        Case(True, True, True, 5, 2, None),
        Case(True, False, False, 5, 2, None),  # pending: not in n
        Case(False, False, True, 3, 1, None),
        Case(False, True, True, 2, 2, None),
    ]
    effect = review_effect(cases, least=3)
    # Reviewed: 2 back of 3 known (66.7 %), 1 pending; not reviewed: 1 of 2, too few (< 3).
    assert (effect.reviewed.back, effect.reviewed.n, effect.reviewed.pending) == (2, 3, 1)
    assert round(effect.reviewed.percent, 1) == 66.7 and not effect.reviewed.too_few
    assert (effect.not_reviewed.back, effect.not_reviewed.n) == (1, 2)
    assert effect.not_reviewed.percent == 50.0 and effect.not_reviewed.too_few
    assert review_effect([], least=1).reviewed.percent is None


statuses = st.sampled_from(["intake", "on_track", "at_risk", "off_track", "deteriorated"])


@given(
    st.lists(statuses, min_size=1, max_size=20),
    st.lists(st.integers(1, 20), max_size=4),
    st.booleans(),
)
def test_a_case_is_measured_from_a_red_meeting_and_looks_only_four_ahead(raw, reviews, ended):
    states = [MeetingState(n, s) for n, s in enumerate(raw, 1)]
    case = case_of(states, reviews, ended=ended)
    if case is None:
        assert not any(s.red for s in states)
        return
    assert states[case.reference - 1].red  # a review counts only at a red meeting
    window = states[case.reference : case.reference + FOLLOW_UP]
    assert case.back == any(s.status == "on_track" for s in window)
    assert case.known == (case.back or len(window) == FOLLOW_UP or ended)
    # The spell's review, whatever it is, never moves the reference before the spell began.
    first_red = next(s.number for s in states if s.red)
    assert case.reference >= first_red
    spell = current_spell(states, reviews)
    if spell is not None:
        assert all(s.trigger for s in states[spell.since - 1 :])
        assert spell.since == 1 or not states[spell.since - 2].trigger
