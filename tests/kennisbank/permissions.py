"""Who may do what in the kennisbank (DESIGN.md "Roles and tenancy"), as rows of tests/permissions.

Besides the six roles, the role `anoniem` is a caller without a token: the published knowledge
is public, writing needs a token (401) and the `redacteur` role (403 for any other role).

Situations, relative to one article:

| situation | the article |
| --- | --- |
| `nieuw` | none (collections, search, create) |
| `gepubliceerd` | published |
| `concept` | a draft, never published |
| `gearchiveerd` | published, then archived |
| `onbekend_id` | no article has this slug |

Drafts and archived articles exist only for editors: 404 for anyone else, so unpublished
slugs cannot be probed. A role that may never write gets 403, also for a slug that does not
exist; revisions are for editors only.
"""

from __future__ import annotations

from typing import Any

from tests.kennisbank.conftest import artikel_body
from tests.permissions import Row

BASE = "/api/kennisbank/v1"
ARTIKELEN = f"{BASE}/artikelen"
ARTIKEL = f"{BASE}/artikelen/{{slug}}"
STATUS = f"{BASE}/artikelen/{{slug}}/statuswijzigingen"
REVISIES = f"{BASE}/artikelen/{{slug}}/revisies"
ZOEKEN = f"{BASE}/zoeken"

REDACTEUR = "redacteur"
ANONIEM = "anoniem"  # no Authorization header at all
ANDERE_ROLLEN = ("melder", "behandelaar", "beveiligingsadviseur", "analist", "beheerder")
ROLES = (ANONIEM, REDACTEUR, *ANDERE_ROLLEN)
ON_ONE = ("gepubliceerd", "concept", "gearchiveerd", "onbekend_id")

# The move a redacteur asks for, per situation: each is allowed from that state.
STATUS_BODY = {
    "gepubliceerd": {"status": "gearchiveerd"},
    "concept": {"status": "gepubliceerd"},
    "gearchiveerd": {"status": "concept"},
    "onbekend_id": {"status": "gepubliceerd"},
}
PATCH_BODY = {"samenvatting": "Een bijgewerkte samenvatting voor de rechtentest."}
MAAK_BODY = artikel_body(titel="Rechtentest: een nieuw concept")  # slugs get a suffix


def _row(
    method: str,
    path: str,
    role: str,
    situation: str,
    expected: int,
    action: str,
    body: dict[str, Any] | None = None,
) -> Row:
    return Row("kennisbank", method, path, role, situation, expected, action, body)


def _lees(role: str, situation: str) -> int:
    if situation == "gepubliceerd":
        return 200
    if situation in ("concept", "gearchiveerd") and role == REDACTEUR:
        return 200
    return 404


def _schrijf(role: str, situation: str, success: int) -> int:
    if role == ANONIEM:
        return 401
    if role != REDACTEUR:
        return 403
    return 404 if situation == "onbekend_id" else success


def _rows() -> list[Row]:
    out: list[Row] = []
    for role in ROLES:
        out.append(_row("GET", ARTIKELEN, role, "nieuw", 200, "lijst"))
        out.append(_row("GET", ZOEKEN, role, "nieuw", 200, "zoeken"))
        out.append(
            _row("POST", ARTIKELEN, role, "nieuw", _schrijf(role, "nieuw", 201), "maak", MAAK_BODY)
        )
        for situation in ON_ONE:
            out.append(_row("GET", ARTIKEL, role, situation, _lees(role, situation), "lees"))
            patch = _schrijf(role, situation, 200)
            out.append(_row("PATCH", ARTIKEL, role, situation, patch, "wijzig", PATCH_BODY))
            move = _schrijf(role, situation, 201)
            body = STATUS_BODY[situation]
            out.append(_row("POST", STATUS, role, situation, move, "status", body))
            revisies = _schrijf(role, situation, 200)
            out.append(_row("GET", REVISIES, role, situation, revisies, "revisies"))
    return out


ROWS: list[Row] = _rows()
