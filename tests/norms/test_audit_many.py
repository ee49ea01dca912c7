"""`record_many` above MANY rows (a fit of norms reads every closed episode) writes the same rows
as below it: one per object, with the act's user, organisation, path and detail."""

from __future__ import annotations

from clients.models import Episode
from kor.audit import MANY, record_many
from kor.models import AuditEvent


def test_many_rows_carry_the_act_and_each_its_client(org, carol):
    episodes = [Episode(pk=k, client_id=1000 + k) for k in range(1, MANY + 3)]

    count = record_many(
        "view", episodes, user=carol, organisation_id=org.pk, screen="norms_fit", model=7
    )

    rows = AuditEvent.objects.order_by("client_id")
    assert count == rows.count() == MANY + 2
    assert list(rows.values_list("client_id", flat=True)) == [1000 + k for k in range(1, MANY + 3)]
    first = rows.first()
    assert (first.user, first.organisation, first.action) == (carol, org, "view")
    assert (first.object_type, first.object_id) == ("clients.episode", "1")
    assert first.detail == {"screen": "norms_fit", "model": 7}
    assert first.at is not None
    assert all(d == first.detail for d in rows.values_list("detail", flat=True))
