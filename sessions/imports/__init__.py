"""Data in: forms from spreadsheets, paper backlogs and FHIR bundles, through one import path."""
