"""The code systems, identifier systems, profiles and extensions the FHIR output uses."""

from __future__ import annotations

from django.conf import settings

SNOMED = "http://snomed.info/sct"
NORWEGIAN_ID = "urn:oid:2.16.578.1.12.4.1.4.1"  # fødselsnummer (unused: not stored, see README)
ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
UCUM = "http://unitsofmeasure.org"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"

# HL7 Norway's base profiles (no-basis), where the app follows them.
NO_BASIS_PATIENT = "http://hl7.no/fhir/StructureDefinition/no-basis-Patient"
NO_BASIS_RELATED_PERSON = "http://hl7.no/fhir/StructureDefinition/no-basis-RelatedPerson"

FHIR_JSON = "application/fhir+json"
NDJSON = "application/fhir+ndjson"

# A rater's relation to the client, as HL7 v3 RoleCode (partner: significant other).
RELATION_CODES = {
    "mother": ("MTH", "mother"),
    "father": ("FTH", "father"),
    "parent": ("PRN", "parent"),
    "partner": ("SIGOTHR", "significant other"),
    "sibling": ("SIB", "sibling"),
}
RELATIONS_BY_CODE = {code: relation for relation, (code, _) in RELATION_CODES.items()}


def base() -> str:
    return settings.FHIR_SYSTEM_BASE


def case_code_system(organisation) -> str:
    """The identifier system of one organisation's case codes (case codes are unique per
    organisation only, so each has its own system)."""
    return f"{base()}/sid/{organisation.slug}/case-code"


def code_system(name: str) -> str:
    """One of the app's own code systems: instrument (YCSRS has no SNOMED CT code),
    outcome-status, outcome-flag, form-status, relation, age-group, end-reason."""
    return f"{base()}/CodeSystem/{name}"


def extension(name: str) -> str:
    """One of the app's own extensions (see README: FHIR)."""
    return f"{base()}/StructureDefinition/{name}"


def questionnaire_url(code: str) -> str:
    return f"{base()}/Questionnaire/{code.lower()}"
