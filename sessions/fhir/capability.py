"""What the FHIR server offers, as a CapabilityStatement (`/fhir/metadata`)."""

from __future__ import annotations

from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from sessions.fhir import codes

READ = [{"code": "read"}]
SEARCH = [{"code": "search-type"}]


def capability_statement(base: str) -> CapabilityStatement:
    resources = [
        {"type": "Questionnaire", "interaction": READ + SEARCH},
        {
            "type": "QuestionnaireResponse",
            "interaction": SEARCH,
            "searchParam": [
                {"name": "patient", "type": "reference"},
                {"name": "_lastUpdated", "type": "date"},
                {"name": "_count", "type": "number"},
            ],
        },
        {"type": "Patient", "interaction": READ, "supportedProfile": [codes.NO_BASIS_PATIENT]},
    ]
    return CapabilityStatement(
        status="active",
        date="2026-12-03",
        kind="instance",
        name="KOR",
        title="KOR feedback forms (ORS/SRS and their kin), read-only",
        software={"name": "KOR"},
        implementation={"description": "KOR", "url": base},
        fhirVersion="4.0.1",
        format=["json"],
        rest=[
            {
                "mode": "server",
                "security": {
                    "description": (
                        "Authorization: Bearer <token>. Tokens are made by an organisation "
                        "administrator, read one organisation's data, and expire."
                    ),
                },
                "resource": resources,
                "operation": [
                    {
                        "name": "export",
                        "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export",
                    }
                ],
            }
        ],
    )
