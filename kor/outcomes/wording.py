"""What the client reads on each form: an instruction with its time frame, and words at both ends
of every item's line, in bokmål and English. Data, as the item labels are (instruments.py).

The defaults below are the project's own plain-language text, written for this app. They are NOT
the authors' published wording, which is licensed: a service that holds a licence loads its own
wording as overrides (`wording(code, overrides)`), checked by `check_overrides`. The shape of the
overrides (every key optional, anything left out keeps the default):

    {"ORS": {"instruction": {"nb": "...", "en": "..."},
             "items": {"individually": {"low": {"nb": "...", "en": "..."},
                                        "high": {"nb": "...", "en": "..."}}}}}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .instruments import INSTRUMENTS

LANGUAGES = ("nb", "nn", "en")


@dataclass(frozen=True, slots=True)
class Text:
    nb: str
    en: str
    nn: str = ""  # nynorsk where it is written; bokmål stands in where it is not

    def in_language(self, lang: str) -> str:
        if lang.startswith("nn") and self.nn:
            return self.nn
        return self.nb if lang.startswith(("nb", "no", "nn")) else self.en


@dataclass(frozen=True, slots=True)
class ItemEnds:
    low: Text  # the left end of the line (0, or 1 on the pictorial forms)
    high: Text  # the right end (10, or 4)


@dataclass(frozen=True, slots=True)
class FormWording:
    instruction: Text
    items: dict[str, ItemEnds]  # by item key, in form order
    licensed: bool = False  # True when any of it came from the service's own (licensed) text


def _ends(
    low_nb: str, low_en: str, high_nb: str, high_en: str, low_nn: str = "", high_nn: str = ""
) -> ItemEnds:
    return ItemEnds(Text(low_nb, low_en, low_nn), Text(high_nb, high_en, high_nn))


_BAD_GOOD = _ends(
    "Svært dårlig", "Very badly", "Svært bra", "Very well", "Svært dårleg", "Svært bra"
)
_CHILD_BAD_GOOD = _ends("Veldig dårlig", "Really bad", "Veldig bra", "Really good")

DEFAULT_WORDING: dict[str, FormWording] = {
    "ORS": FormWording(
        Text(
            "Tenk på den siste uka, også i dag. Hvordan har du hatt det på hvert av disse "
            "områdene? Sett et merke på hver linje: jo lenger til høyre, jo bedre.",
            "Think about the last week, including today. How have things been for you in each "
            "of these areas? Put a mark on each line: the further to the right, the better.",
            "Tenk på den siste veka, også i dag. Korleis har du hatt det på kvart av desse "
            "områda? Set eit merke på kvar linje: di lenger til høgre, di betre.",
        ),
        {
            "individually": _BAD_GOOD,
            "interpersonally": _BAD_GOOD,
            "socially": _BAD_GOOD,
            "overall": _BAD_GOOD,
        },
    ),
    "CORS": FormWording(
        Text(
            "Hvordan har du hatt det den siste uka? Sett et merke på hver linje. Helt til venstre "
            "er veldig dårlig, helt til høyre er veldig bra.",
            "How have things been for you this last week? Put a mark on each line. Far left is "
            "really bad, far right is really good.",
        ),
        {
            "me": _CHILD_BAD_GOOD,
            "family": _CHILD_BAD_GOOD,
            "school": _CHILD_BAD_GOOD,
            "everything": _CHILD_BAD_GOOD,
        },
    ),
    "YCORS": FormWording(
        Text(
            "Hvordan har du hatt det i det siste? Velg fra 1 (veldig dårlig) til 4 (veldig bra).",
            "How have you been lately? Choose from 1 (really bad) to 4 (really good).",
        ),
        {"picture": _CHILD_BAD_GOOD},
    ),
    "SRS": FormWording(
        Text(
            "Tenk på møtet i dag. Sett et merke på hver linje for hvordan det var for deg. "
            "Svarene hjelper oss å gjøre neste møte bedre.",
            "Think about today's meeting. Put a mark on each line for how it was for you. "
            "Your answers help us make the next meeting better.",
            "Tenk på møtet i dag. Set eit merke på kvar linje for korleis det var for deg. "
            "Svara hjelper oss å gjere neste møte betre.",
        ),
        {
            "relationship": _ends(
                "Jeg ble ikke lyttet til",
                "I was not listened to",
                "Jeg ble lyttet til og tatt på alvor",
                "I was listened to and taken seriously",
                "Eg vart ikkje lytta til",
                "Eg vart lytta til og teken på alvor",
            ),
            "goals_topics": _ends(
                "Vi snakket ikke om det jeg ville",
                "We did not talk about what I wanted",
                "Vi snakket om det jeg ville",
                "We talked about what I wanted",
                "Vi snakka ikkje om det eg ville",
                "Vi snakka om det eg ville",
            ),
            "approach": _ends(
                "Måten vi jobbet på passet ikke for meg",
                "The way we worked did not suit me",
                "Måten vi jobbet på passet godt for meg",
                "The way we worked suited me well",
                "Måten vi jobba på passa ikkje for meg",
                "Måten vi jobba på passa godt for meg",
            ),
            "overall": _ends(
                "Noe manglet i dag",
                "Something was missing today",
                "Møtet i dag var riktig for meg",
                "Today's meeting was right for me",
                "Noko mangla i dag",
                "Møtet i dag var rett for meg",
            ),
        },
    ),
    "GSRS": FormWording(
        Text(
            "Tenk på gruppemøtet i dag. Sett et merke på hver linje for hvordan det var for deg. "
            "Svarene hjelper oss å gjøre neste gruppemøte bedre.",
            "Think about today's group meeting. Put a mark on each line for how it was for you. "
            "Your answers help us make the next group meeting better.",
        ),
        {
            "relationship": _ends(
                "Jeg ble ikke hørt i gruppa",
                "I was not heard in the group",
                "Jeg ble hørt og respektert i gruppa",
                "I was heard and respected in the group",
            ),
            "goals_topics": _ends(
                "Vi jobbet ikke med det jeg ville",
                "We did not work on what I wanted",
                "Vi jobbet med det jeg ville",
                "We worked on what I wanted",
            ),
            "approach": _ends(
                "Måten gruppa jobbet på passet ikke for meg",
                "The way the group worked did not suit me",
                "Måten gruppa jobbet på passet godt for meg",
                "The way the group worked suited me well",
            ),
            "overall": _ends(
                "Gruppemøtet i dag var ikke riktig for meg",
                "Today's group meeting was not right for me",
                "Gruppemøtet i dag var riktig for meg",
                "Today's group meeting was right for me",
            ),
        },
    ),
    "CSRS": FormWording(
        Text(
            "Hvordan var timen i dag? Sett et merke på hver linje. Helt til høyre betyr at det "
            "var veldig bra.",
            "How was today's meeting? Put a mark on each line. Far right means it was really good.",
        ),
        {
            "listening": _ends(
                "Ingen hørte på meg",
                "Nobody listened to me",
                "De hørte på meg",
                "They listened to me",
            ),
            "how_important": _ends(
                "Vi snakket om ting som ikke var viktige for meg",
                "We talked about things that did not matter to me",
                "Vi snakket om ting som var viktige for meg",
                "We talked about things that mattered to me",
            ),
            "what_we_did": _ends(
                "Jeg likte ikke det vi gjorde",
                "I did not like what we did",
                "Jeg likte det vi gjorde",
                "I liked what we did",
            ),
            "overall": _ends(
                "Timen i dag var ikke bra for meg",
                "Today was not good for me",
                "Timen i dag var bra for meg",
                "Today was good for me",
            ),
        },
    ),
    "YCSRS": FormWording(
        Text(
            "Hvordan var det å være her i dag? Velg fra 1 (ikke bra) til 4 (veldig bra).",
            "How was it to be here today? Choose from 1 (not good) to 4 (really good).",
        ),
        {"picture": _ends("Ikke bra", "Not good", "Veldig bra", "Really good")},
    ),
}


class WordingError(ValueError):
    """Overrides that do not fit the forms: names the place, so the file can be fixed."""


def check_overrides(overrides: object) -> dict:
    """The overrides if every form, item, end and language is known and every text is a
    non-empty string; raises WordingError naming the first place that is not."""
    if not isinstance(overrides, Mapping):
        raise WordingError("the wording must be an object keyed by form code (ORS, SRS, ...)")
    for code, form in overrides.items():
        if code not in DEFAULT_WORDING:
            raise WordingError(f"{code}: unknown form; known: {', '.join(DEFAULT_WORDING)}")
        if not isinstance(form, Mapping) or set(form) - {"instruction", "items"}:
            raise WordingError(f"{code}: only 'instruction' and 'items' may be given")
        if "instruction" in form:
            _check_text(form["instruction"], f"{code}.instruction")
        items = form.get("items", {})
        if not isinstance(items, Mapping):
            raise WordingError(f"{code}.items: must be an object keyed by item")
        for key, ends in items.items():
            if key not in INSTRUMENTS[code].item_keys:
                known = ", ".join(INSTRUMENTS[code].item_keys)
                raise WordingError(f"{code}.items.{key}: unknown item; known: {known}")
            if not isinstance(ends, Mapping) or set(ends) - {"low", "high"}:
                raise WordingError(f"{code}.items.{key}: only 'low' and 'high' may be given")
            for end, text in ends.items():
                _check_text(text, f"{code}.items.{key}.{end}")
    return dict(overrides)


def _check_text(text: object, where: str) -> None:
    if not isinstance(text, Mapping) or set(text) - set(LANGUAGES):
        raise WordingError(f"{where}: give the text as {{'nb': ..., 'en': ...}}")
    for lang, value in text.items():
        if not isinstance(value, str) or not value.strip():
            raise WordingError(f"{where}.{lang}: must be a non-empty text")


def _merged(default: Text, given: Mapping | None) -> Text:
    if not given:
        return default
    return Text(
        given.get("nb", default.nb), given.get("en", default.en), given.get("nn", default.nn)
    )


def wording(code: str, overrides: Mapping | None = None) -> FormWording:
    """The wording of one form: the defaults, with the service's own text where it has any.
    Overrides are assumed checked (check_overrides) when they were stored; a form or item they
    do not name keeps the default."""
    default = DEFAULT_WORDING[code]
    own = (overrides or {}).get(code)
    if not own:
        return default
    items = own.get("items", {})
    return FormWording(
        _merged(default.instruction, own.get("instruction")),
        {
            key: ItemEnds(
                _merged(ends.low, items.get(key, {}).get("low")),
                _merged(ends.high, items.get(key, {}).get("high")),
            )
            for key, ends in default.items.items()
        },
        licensed=True,
    )
