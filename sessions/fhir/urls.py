from django.urls import path

from sessions.fhir import bulk, views

urlpatterns = [
    path("metadata", views.metadata, name="fhir_metadata"),
    path("Questionnaire", views.questionnaires, name="fhir_questionnaires"),
    path(
        "Questionnaire/<str:questionnaire_id>",
        views.questionnaire_read,
        name="fhir_questionnaire",
    ),
    path(
        "QuestionnaireResponse",
        views.questionnaire_responses,
        name="fhir_questionnaire_responses",
    ),
    path("Patient/<int:patient_id>", views.patient_read, name="fhir_patient"),
    path("$export", bulk.kick_off, name="fhir_export"),
    path("$export-status/<uuid:job_id>", bulk.export_status, name="fhir_export_status"),
    path(
        "$export-file/<uuid:job_id>/<str:resource_type>",
        bulk.export_file,
        name="fhir_export_file",
    ),
]
