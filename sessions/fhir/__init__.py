"""FHIR R4 for the patient record: the forms as Questionnaire, QuestionnaireResponse and
Observation resources (fhir.resources.R4B models, validated by the library; never JSON by
hand), a read-only API for the organisation's systems, and a bulk NDJSON export."""
