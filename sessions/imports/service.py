"""The one way forms come in from outside: check and match rows, then store the valid ones.

Every source (a CSV or Excel sheet: `sessions.imports.readers`; a FHIR bundle of
QuestionnaireResponses) is first turned into `ImportRow`s; then:

    plan = plan_import(organisation, rows, user)      # the preview: nothing stored
    plan.summary()                                     # counts: new / already stored
    plan.problems                                      # [Problem(line, code, params)], .message
    result = apply_import(plan, only_valid=True)      # store the valid rows, in one transaction

or both at once: `import_rows(organisation, rows, user, only_valid=True) -> (plan, result)`.

Rules, the same for every source:
- Who: a team leader (clients they manage, new clients in the teams they lead) or an
  organisation administrator (every team of the organisation). Anyone else: PermissionError.
- Idempotent: a form already stored with the same values is counted as already stored and not
  written again; with other values it is a conflict, reported and never overwritten. Stored
  clients, episodes and meetings are never changed.
- Imported forms have `source = import` and `entered_by = user`; the status and flags of every
  episode touched are recomputed with the app's read model; one audit row per client touched
  ("create", detail what=import), and one "view" row per stored client whose forms the
  preview read to match them.
"""

from __future__ import annotations

from collections.abc import Iterable

from clients.models import Client
from kor.access import may_import
from kor.audit import record_many
from kor.models import Organisation, User
from sessions.imports.apply import ImportResult, Progress, apply_import
from sessions.imports.plan import ImportPlan
from sessions.imports.plan import plan_import as _plan
from sessions.imports.problems import Problem
from sessions.imports.rows import ImportRow

__all__ = [
    "ImportPlan",
    "ImportResult",
    "ImportRow",
    "Problem",
    "apply_import",
    "import_rows",
    "plan_import",
]


def plan_import(
    organisation: Organisation,
    rows: Iterable[ImportRow],
    user: User,
    *,
    lines: int | None = None,
    progress: Progress | None = None,
    audit_path: str = "",
) -> ImportPlan:
    """Check and match the rows for `user`; store nothing (but the audit of what was read).

    `lines`: how many lines the source had, when some did not become rows (parse problems).
    Raises PermissionError when the user may not import into the organisation.
    """
    if not may_import(user) or user.organisation_id != organisation.pk:
        raise PermissionError("only a team leader or an organisation administrator imports")
    plan = _plan(organisation, rows, user, lines=lines, progress=progress)
    # The stored forms of these clients were read to match the rows: their trail says so.
    record_many(
        "view",
        [Client(pk=pk) for pk in sorted(plan.clients_matched)],
        user=user,
        organisation_id=organisation.pk,
        path=audit_path,
        what="import preview",
    )
    return plan


def import_rows(
    organisation: Organisation,
    rows: Iterable[ImportRow],
    user: User,
    *,
    only_valid: bool = True,
    progress: Progress | None = None,
) -> tuple[ImportPlan, ImportResult]:
    """Plan and store in one call (a command, a FHIR round trip): returns both, so the caller
    can report the problems of the rows that were left out."""
    plan = plan_import(organisation, rows, user)
    return plan, apply_import(plan, only_valid=only_valid, progress=progress)
