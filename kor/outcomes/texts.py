"""Plain-language reasons in Norwegian (bokmål) and English that quote the numbers.

A helper reads these to the client, so each one says what was measured and against what.
Numbers have one decimal; Norwegian uses a decimal comma and a space before %.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Reason:
    """One reason: `.code` names the status, flag or milestone; `.nb` and `.en` are the texts.

    The texts are rendered when first read, not when `assess` runs: the web app assesses every
    rater on a dashboard but shows few reasons, and formatting is most of the cost of `assess`.
    """

    __slots__ = ("_args", "_render", "_texts", "code")

    def __init__(self, code: str, render: Callable[..., tuple[str, str]], *args: Any) -> None:
        self.code = code
        self._render = render
        self._args = args
        self._texts: tuple[str, str] | None = None

    def _get(self) -> tuple[str, str]:
        if self._texts is None:
            self._texts = self._render(*self._args)
        return self._texts

    @property
    def nb(self) -> str:
        return self._get()[0]

    @property
    def en(self) -> str:
        return self._get()[1]

    def __str__(self) -> str:
        return self.en

    def __repr__(self) -> str:
        return f"Reason({self.code!r}, {self.en!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Reason):
            return NotImplemented
        return (self.code, self._get()) == (other.code, other._get())

    def __hash__(self) -> int:
        return hash((self.code, self._get()))

    def text(self, lang: str = "en") -> str:
        return self.nb if lang.startswith(("nb", "no", "nn")) else self.en

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "nb": self.nb, "en": self.en}


# The engine knows no Django, and a reason is stored in both languages at once (the cached status
# carries both), so the engine writes its numbers itself: here only (instruments.py uses these).
# A test holds the two to Django's formats for en and nb (tests/kor/test_number_formats.py).
def number_en(x: float, decimals: int = 1) -> str:
    return f"{x:.{decimals}f}"


def number_nb(x: float, decimals: int = 1) -> str:
    return f"{x:.{decimals}f}".replace(".", ",")


_en, _nb = number_en, number_nb


def _diff(a: float, b: float) -> tuple[str, str]:
    """How a stands to b, from the rounded numbers the text shows, so the text adds up."""
    d = round(round(a, 1) - round(b, 1), 1)
    if d > 0:
        return f"{_nb(d)} over", f"{_en(d)} above"
    if d < 0:
        return f"{_nb(-d)} under", f"{_en(-d)} below"
    return "lik", "equal to"


def _intake(form: str, s1: float) -> tuple[str, str]:
    return (
        f"Første måling: {form} {_nb(s1)}. Forventet endring regnes fra dette utgangspunktet.",
        f"First rating: {form} {_en(s1)}. Expected change is measured from this starting point.",
    )


def intake(form: str, s1: float) -> Reason:
    return Reason("intake", _intake, form, s1)


def _high_intake(form: str, s1: float, above: float) -> tuple[str, str]:
    return (
        (
            f"Første {form} {_nb(s1)} er over {_nb(above)}: "
            "modellen for forventet endring gjelder ikke."
        ),
        f"Intake {form} {_en(s1)} is above {_en(above)}: the expected-change model does not apply.",
    )


def high_intake(form: str, s1: float, above: float) -> Reason:
    return Reason("high_intake", _high_intake, form, s1, above)


def _young_child() -> tuple[str, str]:
    return (
        "Barn 5 år og yngre: skårene registreres, men sammenlignes ikke med forventet endring.",
        "Child aged 5 or under: scores are recorded but not compared with expected change.",
    )


def young_child() -> Reason:
    return Reason("young_child", _young_child)


def _deteriorated(form: str, s1: float, sn: float, rci: float) -> tuple[str, str]:
    nb, en = _diff(sn, s1)
    return (
        (
            f"Pålitelig forverring: {form} {_nb(sn)} er {nb} første skår {_nb(s1)} "
            f"({_nb(rci)} eller mer)."
        ),
        (
            f"Reliable deterioration: {form} {_en(sn)} is {en} the first score {_en(s1)} "
            f"({_en(rci)} or more)."
        ),
    )


def deteriorated(form: str, s1: float, sn: float, rci: float) -> Reason:
    return Reason("deteriorated", _deteriorated, form, s1, sn, rci)


def _off_track(
    form: str, s1: float, sn: float, etr: float, meeting: int, pct: float, limit: float
) -> tuple[str, str]:
    return (
        (
            f"{form} {_nb(sn)} ved møte {meeting} er {pct:.0f} % av forventet endring "
            f"(fra {_nb(s1)} til {_nb(etr)}); under {limit:.0f} %."
        ),
        (
            f"{form} {_en(sn)} at meeting {meeting} is {pct:.0f}% of the expected change "
            f"(from {_en(s1)} to {_en(etr)}); below {limit:.0f}%."
        ),
    )


def off_track(
    form: str, s1: float, sn: float, etr: float, meeting: int, pct: float, limit: float
) -> Reason:
    """`meeting` is the meeting number the user sees (not the count of ratings)."""
    return Reason("off_track", _off_track, form, s1, sn, etr, meeting, pct, limit)


def _below_expected(form: str, sn: float, etr: float, meeting: int) -> tuple[str, str]:
    nb, en = _diff(sn, etr)
    return (
        f"{form} {_nb(sn)} er {nb} forventet {_nb(etr)} ved møte {meeting}.",
        f"{form} {_en(sn)} is {en} the expected {_en(etr)} at meeting {meeting}.",
    )


def below_expected(form: str, sn: float, etr: float, meeting: int) -> Reason:
    return Reason("at_risk", _below_expected, form, sn, etr, meeting)


def _no_reliable_change(form: str, s1: float, sn: float, n: int, rci: float) -> tuple[str, str]:
    nb, en = _diff(sn, s1)
    return (
        (
            f"Ingen pålitelig endring etter {n} målinger: {form} {_nb(sn)} er {nb} første skår "
            f"{_nb(s1)} (pålitelig endring er {_nb(rci)} eller mer)."
        ),
        (
            f"No reliable change after {n} ratings: {form} {_en(sn)} is {en} the first score "
            f"{_en(s1)} (reliable change is {_en(rci)} or more)."
        ),
    )


def no_reliable_change(form: str, s1: float, sn: float, n: int, rci: float) -> Reason:
    return Reason("at_risk", _no_reliable_change, form, s1, sn, n, rci)


def _on_track(form: str, sn: float, etr: float, meeting: int) -> tuple[str, str]:
    nb, en = _diff(sn, etr)
    return (
        f"I rute: {form} {_nb(sn)} er {nb} forventet {_nb(etr)} ved møte {meeting}.",
        f"On track: {form} {_en(sn)} is {en} the expected {_en(etr)} at meeting {meeting}.",
    )


def on_track(form: str, sn: float, etr: float, meeting: int) -> Reason:
    return Reason("on_track", _on_track, form, sn, etr, meeting)


def _alliance_low(form: str, latest: float, cutoff: float) -> tuple[str, str]:
    return (
        f"{form} {_nb(latest)} er under grensen {_nb(cutoff)}: snakk om samarbeidet.",
        f"{form} {_en(latest)} is below the cut-off {_en(cutoff)}: talk about the collaboration.",
    )


def alliance_low(form: str, latest: float, cutoff: float) -> Reason:
    return Reason("alliance_alert", _alliance_low, form, latest, cutoff)


def _alliance_drop(form: str, previous: float, latest: float) -> tuple[str, str]:
    drop = round(round(previous, 1) - round(latest, 1), 1)
    return (
        f"{form} falt {_nb(drop)} siden forrige møte (fra {_nb(previous)} til {_nb(latest)}).",
        (
            f"{form} dropped {_en(drop)} since the previous meeting "
            f"(from {_en(previous)} to {_en(latest)})."
        ),
    )


def alliance_drop(form: str, previous: float, latest: float) -> Reason:
    return Reason("alliance_alert", _alliance_drop, form, previous, latest)


def _erratic(form: str, count: int, n: int, jump: float) -> tuple[str, str]:
    return (
        (
            f"{form} svinger fram og tilbake: {count} endringer på {_nb(jump)} eller mer "
            f"i skiftende retning over {n} målinger. Snakk om hvordan skjemaet brukes."
        ),
        (
            f"{form} swings back and forth: {count} changes of {_en(jump)} or more in alternating "
            f"directions over {n} ratings. Talk about how the form is used."
        ),
    )


def erratic(form: str, count: int, n: int, jump: float) -> Reason:
    return Reason("erratic", _erratic, form, count, n, jump)


def _reliable_change(form: str, s1: float, sn: float, rci: float) -> tuple[str, str]:
    nb, en = _diff(sn, s1)
    return (
        (
            f"Pålitelig endring: {form} {_nb(sn)} er {nb} første skår {_nb(s1)} "
            f"({_nb(rci)} eller mer)."
        ),
        (
            f"Reliable change: {form} {_en(sn)} is {en} the first score {_en(s1)} "
            f"({_en(rci)} or more)."
        ),
    )


def reliable_change(form: str, s1: float, sn: float, rci: float) -> Reason:
    return Reason("reliable_change", _reliable_change, form, s1, sn, rci)


def _clinically_significant(form: str, s1: float, sn: float, cutoff: float) -> tuple[str, str]:
    return (
        (
            f"Klinisk betydningsfull endring: fra {_nb(s1)} (på eller under grensen {_nb(cutoff)}) "
            f"til {_nb(sn)} (over grensen), med pålitelig endring."
        ),
        (
            f"Clinically significant change: from {_en(s1)} "
            f"(at or below the cut-off {_en(cutoff)}) to {_en(sn)} (above it), "
            "with reliable change."
        ),
    )


def clinically_significant(form: str, s1: float, sn: float, cutoff: float) -> Reason:
    return Reason("clinically_significant", _clinically_significant, form, s1, sn, cutoff)


def _target_reached(form: str, sn: float, goal: float) -> tuple[str, str]:
    return (
        f"Forventet sluttskår nådd: {form} {_nb(sn)} er på eller over {_nb(goal)}.",
        f"Target reached: {form} {_en(sn)} is at or above the expected end score {_en(goal)}.",
    )


def target_reached(form: str, sn: float, goal: float) -> Reason:
    return Reason("target_reached", _target_reached, form, sn, goal)


def _percent_of_expected(pct: float, s1: float, etr: float, meeting: int) -> tuple[str, str]:
    return (
        f"{pct:.0f} % av forventet endring nådd ved møte {meeting} (fra {_nb(s1)} mot {_nb(etr)}).",
        (
            f"{pct:.0f}% of the expected change reached at meeting {meeting} "
            f"(from {_en(s1)} towards {_en(etr)})."
        ),
    )


def percent_of_expected(pct: float, s1: float, etr: float, meeting: int) -> Reason:
    return Reason("percent_of_expected", _percent_of_expected, pct, s1, etr, meeting)


def _back_on_track(
    form: str, meeting: int, leave: float, s1: float, etr: float, on: float, limit: float
) -> tuple[str, str]:
    return (
        (
            f"Ved neste møte (møte {meeting}) trengs {form} på minst {_nb(leave)} for å komme ut "
            f"av «ikke i rute» ({limit:.0f} % av forventet endring fra {_nb(s1)} til "
            f"{_nb(etr)}), og minst {_nb(on)} for å være i rute."
        ),
        (
            f"At the next meeting (meeting {meeting}), {form} needs to be at least {_en(leave)} "
            f"to leave “off track” ({limit:.0f}% of the expected change from {_en(s1)} to "
            f"{_en(etr)}), and at least {_en(on)} to be on track."
        ),
    )


def back_on_track(
    form: str, meeting: int, leave: float, s1: float, etr: float, on: float, limit: float
) -> Reason:
    return Reason("back_on_track", _back_on_track, form, meeting, leave, s1, etr, on, limit)
