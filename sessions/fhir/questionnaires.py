"""The forms as FHIR Questionnaires: four 0–10 items and the total (the pictorial forms of the
youngest: one 1–4 choice), the instrument identified by its SNOMED CT code."""

from __future__ import annotations

from fhir.resources.R4B.questionnaire import Questionnaire

from kor.outcomes.instruments import INSTRUMENTS, Instrument
from sessions.fhir import codes

TOTAL = "total"


def instrument_coding(ins: Instrument) -> dict:
    """The instrument's SNOMED CT code, or the app's own code where it has none (YCSRS)."""
    if ins.snomed:
        return {"system": codes.SNOMED, "code": ins.snomed, "display": ins.name_en}
    return {"system": codes.code_system("instrument"), "code": ins.code, "display": ins.name_en}


def _range(ins: Instrument, high: float) -> list[dict]:
    if ins.decimals == 0:
        return [
            {"url": codes.MIN_VALUE, "valueInteger": int(ins.min)},
            {"url": codes.MAX_VALUE, "valueInteger": int(high)},
        ]
    return [
        {"url": codes.MIN_VALUE, "valueDecimal": ins.min},
        {"url": codes.MAX_VALUE, "valueDecimal": high},
    ]


def answer_type(ins: Instrument) -> str:
    return "integer" if ins.decimals == 0 else "decimal"


def questionnaire(code: str) -> Questionnaire:
    ins = INSTRUMENTS[code]
    kind = answer_type(ins)
    items = [
        {
            "linkId": item.key,
            "text": item.label_en,
            "type": kind,
            "required": True,
            "extension": _range(ins, ins.max),
            "_text": _translation(item.label_nb),
        }
        for item in ins.items
    ]
    if len(ins.items) > 1:
        items.append(
            {
                "linkId": TOTAL,
                "text": "Total",
                "type": kind,
                "readOnly": True,
                "extension": _range(ins, ins.total_max),
                "_text": _translation("Totalskår"),
            }
        )
    return Questionnaire(
        id=ins.code.lower(),
        url=codes.questionnaire_url(ins.code),
        name=ins.code,
        title=ins.name_en,
        status="active",
        subjectType=["Patient"],
        code=[instrument_coding(ins)],
        description=f"{ins.name_en} ({ins.name_nb})",
        copyright=(
            "The form texts belong to their authors; the items here carry only their names."
        ),
        item=items,
    )


def _translation(text: str) -> dict:
    return {
        "extension": [
            {
                "url": "http://hl7.org/fhir/StructureDefinition/translation",
                "extension": [
                    {"url": "lang", "valueCode": "nb"},
                    {"url": "content", "valueString": text},
                ],
            }
        ]
    }


def all_questionnaires() -> list[Questionnaire]:
    return [questionnaire(code) for code in INSTRUMENTS]


def instrument_of(canonical: str) -> str | None:
    """The instrument code a QuestionnaireResponse's `questionnaire` points at, or None."""
    url = canonical.split("|")[0].rstrip("/")
    for code in INSTRUMENTS:
        if url == codes.questionnaire_url(code) or url.endswith(f"/Questionnaire/{code.lower()}"):
            return code
    return None
