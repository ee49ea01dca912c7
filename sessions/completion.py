"""Data quality and completion of a team or a helper over a period (issue 16, section 3).

How complete the forms are, so a leader can tell whether the outcome statistics can be trusted.
One function, `completion`, serves the statistics page and the team PDF (as
`sessions.statistics.team_and_helper_statistics` serves both), with four aggregate queries
whatever the amount of data: the counting is done in the database.

The figures (per responsible helper of the client, as the outcome statistics are, and the team):
- meetings held in the period with a completed outcome form (ORS, CORS or YCORS, any rater), and
  with a completed alliance form (SRS, CSRS, YCSRS or GSRS);
- episodes open at some time in the period that have a meeting, with an intake score: a completed
  outcome form in meeting 1 (the expected change is drawn from it);
- episodes closed in the period that have a meeting, with a last score: a completed outcome form
  in their last meeting (else the change is measured to an earlier meeting);
- forms of the period's meetings declined or not offered, by the reason chosen;
- remote forms: the completed forms whose source is a remote link, against the forms sent by
  link for the period's meetings (each link asks for one or two forms; a reminder is the same
  link, not a second one). `remote_sent` is None when no link was sent at all.

The warning rule: a share is flagged when more than MAX_MISSING (20 %) of what it counts lacks
the form (fewer than 80 % with it), and only when there is something to count.
The figures read whether forms exist and why they were declined, not any score: they write no
audit rows (as the head counts of active clients on the statistics page do not).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from clients.models import Episode
from sessions.decline import reason_label
from sessions.models import (
    ALLIANCE_INSTRUMENTS,
    OUTCOME_INSTRUMENTS,
    FormResponse,
    Meeting,
    RemoteLink,
)

# More than this share missing makes the figure a warning (see the module doc and the README).
MAX_MISSING = 0.20
HELPER = "episode__client__responsible_helper_id"


@dataclass(frozen=True)
class Share:
    """`count` of `n` have the form; `pct` is None when there is nothing to count."""

    count: int = 0
    n: int = 0

    @property
    def pct(self) -> float | None:
        return 100.0 * self.count / self.n if self.n else None

    @property
    def missing(self) -> int:
        return self.n - self.count

    @property
    def warn(self) -> bool:
        return self.n > 0 and self.missing > MAX_MISSING * self.n

    def __add__(self, other: Share) -> Share:
        return Share(self.count + other.count, self.n + other.n)


@dataclass
class Completion:
    """The completion figures of one helper or of the team."""

    outcome: Share = field(default_factory=Share)  # meetings with an outcome form
    alliance: Share = field(default_factory=Share)  # meetings with an alliance form
    intake: Share = field(default_factory=Share)  # episodes with an intake score
    last: Share = field(default_factory=Share)  # closed episodes with a last score
    # (status, reason code) -> number of forms; code "" when no reason was chosen.
    not_filled: dict[tuple[str, str], int] = field(default_factory=dict)
    remote_completed: int = 0
    remote_sent: int | None = None  # None: no form was sent by link

    def __add__(self, other: Completion) -> Completion:
        not_filled = dict(self.not_filled)
        for key, n in other.not_filled.items():
            not_filled[key] = not_filled.get(key, 0) + n
        sent = (
            None
            if self.remote_sent is None and other.remote_sent is None
            else (self.remote_sent or 0) + (other.remote_sent or 0)
        )
        return Completion(
            self.outcome + other.outcome,
            self.alliance + other.alliance,
            self.intake + other.intake,
            self.last + other.last,
            not_filled,
            self.remote_completed + other.remote_completed,
            sent,
        )

    @property
    def shares(self) -> tuple[Share, Share, Share, Share]:
        """Outcome, alliance, intake, last: in the order the tables show them."""
        return (self.outcome, self.alliance, self.intake, self.last)

    @property
    def declined(self) -> int:
        return sum(n for (status, _), n in self.not_filled.items() if status == "declined")

    @property
    def not_offered(self) -> int:
        return sum(n for (status, _), n in self.not_filled.items() if status == "not_offered")

    @property
    def reasons(self) -> list[dict[str, Any]]:
        """Declined and not offered forms by reason, most frequent first, labels translated."""
        rows = [
            {
                "status": status,
                "code": code,
                "label": reason_label(code, _("the rater")) or _("no reason chosen"),
                "count": n,
            }
            for (status, code), n in self.not_filled.items()
        ]
        return sorted(rows, key=lambda r: (r["status"], -r["count"], r["label"]))

    @property
    def any_warning(self) -> bool:
        return any(s.warn for s in (self.outcome, self.alliance, self.intake, self.last))

    @property
    def warnings(self) -> list[dict[str, str]]:
        """A plain warning for every share with too much missing, in the rendering language."""
        texts = []
        if self.intake.warn:
            texts.append(
                _(
                    "%(missing)s of %(n)s episodes have no intake score. The outcome figures "
                    "leave those clients out, so they may look better or worse than the service "
                    "is."
                )
                % {"missing": self.intake.missing, "n": self.intake.n}
            )
        if self.last.warn:
            texts.append(
                _(
                    "%(missing)s of %(n)s closed episodes have no score in their last meeting. "
                    "Their change is measured to an earlier meeting; clients often stop filling "
                    "in the forms when things go badly."
                )
                % {"missing": self.last.missing, "n": self.last.n}
            )
        if self.outcome.warn:
            texts.append(
                _(
                    "Only %(count)s of %(n)s meetings have an outcome form: statuses and the "
                    "share off track rest on few scores."
                )
                % {"count": self.outcome.count, "n": self.outcome.n}
            )
        if self.alliance.warn:
            texts.append(
                _(
                    "Only %(count)s of %(n)s meetings have an alliance form: alliance alerts "
                    "may be missed."
                )
                % {"count": self.alliance.count, "n": self.alliance.n}
            )
        return texts


def _completed(instruments) -> QuerySet[FormResponse]:
    return FormResponse.objects.filter(
        status=FormResponse.Status.COMPLETED, instrument__in=instruments
    )


def _meeting_counts(meetings: QuerySet[Meeting], out: dict[int, Completion]) -> None:
    has_outcome = Exists(_completed(OUTCOME_INSTRUMENTS).filter(meeting_id=OuterRef("pk")))
    has_alliance = Exists(_completed(ALLIANCE_INSTRUMENTS).filter(meeting_id=OuterRef("pk")))
    rows = (
        meetings.order_by()
        .values(HELPER)
        .annotate(
            n=Count("pk"),
            outcome=Count("pk", filter=Q(has_outcome)),
            alliance=Count("pk", filter=Q(has_alliance)),
        )
    )
    for row in rows:
        c = out[row[HELPER]]
        c.outcome, c.alliance = Share(row["outcome"], row["n"]), Share(row["alliance"], row["n"])


def _episode_counts(
    episodes: QuerySet[Episode],
    start: datetime.date,
    end: datetime.date,
    out: dict[int, Completion],
) -> None:
    last_meeting = Meeting.objects.filter(episode_id=OuterRef(OuterRef("pk"))).order_by("-number")
    outcome = _completed(OUTCOME_INSTRUMENTS)
    has_intake = Exists(outcome.filter(meeting__episode_id=OuterRef("pk"), meeting__number=1))
    has_last = Exists(outcome.filter(meeting_id=Subquery(last_meeting.values("pk")[:1])))
    closed = Q(ended_on__gte=start, ended_on__lte=end)
    helper = "client__responsible_helper_id"
    rows = (
        episodes.filter(started_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .filter(Exists(Meeting.objects.filter(episode_id=OuterRef("pk"))))
        .order_by()
        .values(helper)
        .annotate(
            n=Count("pk"),
            intake=Count("pk", filter=Q(has_intake)),
            closed=Count("pk", filter=closed),
            last=Count("pk", filter=closed & Q(has_last)),
        )
    )
    for row in rows:
        c = out[row[helper]]
        c.intake, c.last = Share(row["intake"], row["n"]), Share(row["last"], row["closed"])


def _form_counts(meetings: QuerySet[Meeting], out: dict[int, Completion]) -> None:
    helper = f"meeting__{HELPER}"
    rows = (
        FormResponse.objects.filter(meeting__in=meetings.values("pk"))
        .filter(
            Q(status__in=[FormResponse.Status.DECLINED, FormResponse.Status.NOT_OFFERED])
            | Q(status=FormResponse.Status.COMPLETED, source=FormResponse.Source.REMOTE)
        )
        .order_by()
        .values(helper, "status", "declined_reason_code")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        c = out[row[helper]]
        if row["status"] == FormResponse.Status.COMPLETED:
            c.remote_completed += row["n"]
        else:
            c.not_filled[(row["status"], row["declined_reason_code"])] = row["n"]


def _remote_links_sent(meetings: QuerySet[Meeting], out: dict[int, Completion]) -> None:
    """Forms sent by remote link for the period's meetings, per helper (one query; the forms a
    link asks for are a short JSON list, summed here)."""
    rows = RemoteLink.objects.filter(meeting__in=meetings.values("pk")).values_list(
        "meeting__" + HELPER, "instruments"
    )
    for helper_id, instruments in rows:
        c = out[helper_id]
        c.remote_sent = (c.remote_sent or 0) + len(instruments or ())


def completion(
    episodes_qs: QuerySet[Episode],
    period_start: datetime.date,
    period_end: datetime.date,
    *,
    per_helper: bool = True,
) -> tuple[Completion, dict[int, Completion]]:
    """(team figures, {responsible helper id: figures}) over the episodes in `episodes_qs`
    (already limited to what the reader may see), for the period. Four queries."""
    out: dict[int, Completion] = defaultdict(Completion)
    if period_end >= period_start:
        meetings = Meeting.objects.filter(
            episode__in=episodes_qs.values("pk"), date__gte=period_start, date__lte=period_end
        )
        _meeting_counts(meetings, out)
        _episode_counts(episodes_qs, period_start, period_end, out)
        _form_counts(meetings, out)
        _remote_links_sent(meetings, out)
    team = sum(out.values(), Completion())
    return team, (dict(out) if per_helper else {})
