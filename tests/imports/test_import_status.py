"""The status and flags an import stores are those a save computes (sessions.outcome)."""

from __future__ import annotations

import datetime

from clients.models import Episode, Rater
from sessions.imports.rows import ImportRow
from sessions.imports.service import import_rows
from sessions.outcome import refresh_episode


def rows_for(code, totals, srs=(), start=datetime.date(2026, 1, 5), relation="client"):
    rows = []
    for k, total in enumerate(totals):
        day = start + datetime.timedelta(weeks=k)
        rows.append(
            ImportRow(k * 2 + 2, code, day, "ORS", relation=relation, items=(), total=total)
        )
        if k < len(srs):
            rows.append(ImportRow(k * 2 + 3, code, day, "SRS", items=(), total=srs[k]))
    return rows


def test_every_episode_gets_the_status_a_save_would_give(carol, org):
    rows = (
        rows_for("A-1", [20, 24, 28, 30], [38, 38, 37, 38])  # on track
        + rows_for("A-2", [20, 19, 18, 17], [38, 34, 33, 32])  # off track, alliance alert
        + rows_for("A-3", [30, 22])  # deteriorated
        + rows_for("A-4", [35, 36])  # high intake
        + rows_for("A-5", [10, 14, 8, 15, 7, 16])  # erratic
        + rows_for("A-5", [12, 13], relation="mother")
    )
    plan, result = import_rows(org, rows, carol)
    assert plan.problems == [] and result.episodes == 5
    stored = {
        e.client.case_code: (e.status, list(e.flags), e.assessment, e.latest_ors, e.meeting_count)
        for e in Episode.objects.select_related("client")
    }
    raters = {r.pk: (r.status, r.assessment) for r in Rater.objects.all()}
    assert stored["A-1"][0] == "on_track" and stored["A-3"][0] == "deteriorated"
    assert stored["A-4"][0] == "high_intake"
    assert stored["A-2"][0] == "off_track" and stored["A-2"][1]  # with its flags
    for episode in Episode.objects.select_related("client__organisation"):
        refresh_episode(episode)  # the one-episode path of a save
        episode.refresh_from_db()
        again = (
            episode.status,
            list(episode.flags),
            episode.assessment,
            episode.latest_ors,
            episode.meeting_count,
        )
        assert again == stored[episode.client.case_code], episode.client.case_code
    assert {r.pk: (r.status, r.assessment) for r in Rater.objects.all()} == raters
