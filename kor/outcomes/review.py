"""After the red flag: the spell a review answers, and what came of reviews (issue 16, part 1).

Pure Python, no Django. The web app gives the status and flags the episode had at each of its
meetings (`MeetingState`, worked out by the same `assess` rule on the ratings given up to that
meeting) and the meeting numbers where a review was recorded.

The project's own rules (KOR-REFERENCE does not fix them):

- **Signal.** A meeting signals when the episode's status is off track or deteriorated, or it has
  an alliance alert. The *spell* is the run of consecutive signalling meetings up to the latest one;
  it began at its first meeting ("turned off track"). A review counts for the spell when it was
  recorded at one of the spell's meetings. A spell of `after` meetings or more (the organisation's
  setting, default 3) with no review is *due* for the leader.

- **What came of it** (`review_effect`). Each episode counts once, by its first *red* spell: the
  first run of consecutive meetings with the status off track or deteriorated (the alliance alert
  alone is not a lack of progress). The *reference meeting* is the first review recorded at one of
  the spell's meetings; an episode without one is measured from the meeting where it turned off
  track (the spell's first meeting), which is when a review was first possible. The episode is
  *back on track* when one of the next `FOLLOW_UP` (4) meetings held after the reference meeting
  has the status "on track". The answer is known when it is back, when four meetings were held
  after the reference, or when the episode has ended; otherwise it is *pending* and counted apart
  (not in n), so a recent spell does not pull the share down.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .assess import ALLIANCE_ALERT, DETERIORATED, OFF_TRACK, ON_TRACK

FOLLOW_UP = 4  # meetings after the reference meeting in which "back on track" is looked for
DEFAULT_AFTER = 3  # meetings in a spell without a review before the leader is told
RED = (DETERIORATED, OFF_TRACK)  # most urgent first
TRIGGERS = (DETERIORATED, OFF_TRACK, ALLIANCE_ALERT)


@dataclass(frozen=True, slots=True)
class MeetingState:
    """The episode as it stood at one meeting: its status and flags, and who held the meeting."""

    number: int
    status: str
    flags: frozenset[str] = frozenset()
    helper: int | None = None
    day: datetime.date | None = None

    @property
    def red(self) -> bool:
        return self.status in RED

    @property
    def trigger(self) -> str:
        """What makes the meeting signal ("" when nothing does): the status before the flag."""
        if self.red:
            return self.status
        return ALLIANCE_ALERT if ALLIANCE_ALERT in self.flags else ""


@dataclass(frozen=True, slots=True)
class Spell:
    """The current run of signalling meetings: from meeting `since`, `meetings` long."""

    trigger: str  # the latest meeting's
    since: int
    meetings: int
    reviewed: int | None = None  # the meeting of the latest review in the spell

    def due(self, after: int = DEFAULT_AFTER) -> bool:
        """A spell of `after` meetings or more that nobody has reviewed."""
        return self.reviewed is None and self.meetings >= after

    def to_dict(self) -> dict[str, object]:
        """JSON-ready; "reviewed" only when there is a review (a missing key is what a database
        filter for "not reviewed" finds alike on SQLite and PostgreSQL)."""
        out: dict[str, object] = {"trigger": self.trigger, "since": self.since}
        out["meetings"] = self.meetings
        if self.reviewed is not None:
            out["reviewed"] = self.reviewed
        return out


def current_spell(states: Sequence[MeetingState], reviews: Iterable[int] = ()) -> Spell | None:
    """The spell the latest meeting is in (None when it does not signal), with its review."""
    run = 0
    for state in reversed(states):
        if not state.trigger:
            break
        run += 1
    if not run:
        return None
    spell = states[len(states) - run :]
    numbers = {s.number for s in spell}
    reviewed = max((r for r in reviews if r in numbers), default=None)
    return Spell(spell[-1].trigger, spell[0].number, run, reviewed)


@dataclass(frozen=True, slots=True)
class Case:
    """One episode's first red spell and what followed its reference meeting."""

    reviewed: bool
    back: bool  # on track in one of the FOLLOW_UP meetings after the reference
    known: bool  # False: too early to tell (open episode, fewer meetings since)
    reference: int  # the meeting measured from
    helper: int | None  # who held the reference meeting
    day: datetime.date | None  # its date


def case_of(
    states: Sequence[MeetingState], reviews: Iterable[int] = (), *, ended: bool = False
) -> Case | None:
    """The case of one episode (the rule in the module's docstring); None without a red spell."""
    start = next((i for i, s in enumerate(states) if s.red), None)
    if start is None:
        return None
    end = start
    while end + 1 < len(states) and states[end + 1].red:
        end += 1
    numbers = {s.number for s in states[start : end + 1]}
    review = min((r for r in reviews if r in numbers), default=None)
    at = start if review is None else next(i for i, s in enumerate(states) if s.number == review)
    after = states[at + 1 : at + 1 + FOLLOW_UP]
    back = any(s.status == ON_TRACK for s in after)
    ref = states[at]
    known = back or len(after) >= FOLLOW_UP or ended
    return Case(review is not None, back, known, ref.number, ref.helper, ref.day)


@dataclass(frozen=True, slots=True)
class Share:
    """How many of the known cases got back on track: `back` of `n`, and the pending ones."""

    back: int
    n: int
    pending: int
    too_few: bool

    @property
    def percent(self) -> float | None:
        return 100.0 * self.back / self.n if self.n else None


@dataclass(frozen=True, slots=True)
class ReviewEffect:
    reviewed: Share
    not_reviewed: Share
    cases: tuple[Case, ...] = field(default=(), repr=False)


def share(cases: Iterable[Case], least: int) -> Share:
    cases = tuple(cases)
    known = [c for c in cases if c.known]
    pending = sum(1 for c in cases if not c.known)
    n = len(known)
    return Share(sum(c.back for c in known), n, pending, n < least)


def review_effect(cases: Iterable[Case], least: int = 10) -> ReviewEffect:
    """Back on track within FOLLOW_UP meetings, after a review against without one. `least`:
    below this many known cases a share is marked too few to read (the statistics' rule)."""
    cases = tuple(cases)
    return ReviewEffect(
        share([c for c in cases if c.reviewed], least),
        share([c for c in cases if not c.reviewed], least),
        cases,
    )
