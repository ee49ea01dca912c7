"""FHIR in: a Bundle of a client's forms read back into import rows, the same forms again."""

from __future__ import annotations

import dataclasses

import pytest

from sessions.fhir.bundles import client_resources, collection
from sessions.fhir.reader import ReadError, rows_from_bundle, rows_from_resources
from sessions.models import FormResponse

pytestmark = pytest.mark.django_db


def stored(client):
    """(date, instrument, relation, label, status, total) of every stored form."""
    forms = FormResponse.objects.filter(meeting__episode__client=client).select_related(
        "meeting", "rater"
    )
    return sorted(
        (
            f.meeting.date,
            f.instrument,
            f.rater.relation,
            f.rater.label,
            f.status,
            None if f.total is None else f.total / 10,
        )
        for f in forms
    )


def test_a_family_bundle_reads_back_as_the_same_forms(family):
    bundle = collection(client_resources(family), base="https://kor.test/fhir")
    rows = rows_from_bundle(bundle.model_dump_json())
    read = sorted(
        (
            r.meeting_date,
            r.instrument,
            r.relation,
            r.rater_label,
            r.status,
            None if r.status != "completed" else (r.total if not r.items else sum(r.items)),
        )
        for r in rows
    )
    assert [row[:5] for row in read] == [row[:5] for row in stored(family)]
    for got, want in zip(read, stored(family), strict=True):
        assert got[5] == pytest.approx(want[5]) if want[5] is not None else got[5] is None
    assert {r.case_code for r in rows} == {"F-010"}
    assert {r.age_group for r in rows} == {"child"}
    declined = [r for r in rows if r.status == "declined"]
    assert sorted(r.declined_reason for r in declined) == ["test", "travelling"]
    assert {r.status for r in rows} == {"completed", "declined", "not_offered"}


def test_resources_in_any_order_read_the_same(family):
    resources = list(client_resources(family))

    def unordered(rows):
        return sorted(repr(dataclasses.replace(r, line=0)) for r in rows)

    assert unordered(rows_from_resources(reversed(resources))) == unordered(
        rows_from_resources(resources)
    )


def test_a_response_without_its_patient_is_refused(family):
    resources = [r for r in client_resources(family) if r.get_resource_type() != "Patient"]
    with pytest.raises(ReadError, match="Patient/"):
        rows_from_resources(resources)
