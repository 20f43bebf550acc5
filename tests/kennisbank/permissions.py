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

# The move a redacteur asks for, per situation: each is allowed from that state.
STATUS_BODY = {
    "gepubliceerd": {"status": "gearchiveerd"},
    "concept": {"status": "gepubliceerd"},
    "gearchiveerd": {"status": "concept"},
    "onbekend_id": {"status": "gepubliceerd"},
}
PATCH_BODY = {"samenvatting": "Een bijgewerkte samenvatting voor de rechtentest."}
MAAK_BODY = artikel_body(titel="Rechtentest: een nieuw concept")  # slugs get a suffix

# The body each action sends; a status change sends the move allowed from the situation's state.
BODIES: dict[str, dict[str, Any]] = {"maak": MAAK_BODY, "wijzig": PATCH_BODY}

# (method, path, action) → role → situation → expected status, written out in full.
MATRIX: dict[tuple[str, str, str], dict[str, dict[str, int]]] = {
    ("GET", ARTIKELEN, "lijst"): {
        "anoniem": {"nieuw": 200},
        "redacteur": {"nieuw": 200},
        "melder": {"nieuw": 200},
        "behandelaar": {"nieuw": 200},
        "beveiligingsadviseur": {"nieuw": 200},
        "analist": {"nieuw": 200},
        "beheerder": {"nieuw": 200},
    },
    ("GET", ZOEKEN, "zoeken"): {
        "anoniem": {"nieuw": 200},
        "redacteur": {"nieuw": 200},
        "melder": {"nieuw": 200},
        "behandelaar": {"nieuw": 200},
        "beveiligingsadviseur": {"nieuw": 200},
        "analist": {"nieuw": 200},
        "beheerder": {"nieuw": 200},
    },
    ("POST", ARTIKELEN, "maak"): {
        "anoniem": {"nieuw": 401},
        "redacteur": {"nieuw": 201},
        "melder": {"nieuw": 403},
        "behandelaar": {"nieuw": 403},
        "beveiligingsadviseur": {"nieuw": 403},
        "analist": {"nieuw": 403},
        "beheerder": {"nieuw": 403},
    },
    ("GET", ARTIKEL, "lees"): {
        "anoniem": {"gepubliceerd": 200, "concept": 404, "gearchiveerd": 404, "onbekend_id": 404},
        "redacteur": {"gepubliceerd": 200, "concept": 200, "gearchiveerd": 200, "onbekend_id": 404},
        "melder": {"gepubliceerd": 200, "concept": 404, "gearchiveerd": 404, "onbekend_id": 404},
        "behandelaar": {
            "gepubliceerd": 200,
            "concept": 404,
            "gearchiveerd": 404,
            "onbekend_id": 404,
        },
        "beveiligingsadviseur": {
            "gepubliceerd": 200,
            "concept": 404,
            "gearchiveerd": 404,
            "onbekend_id": 404,
        },
        "analist": {"gepubliceerd": 200, "concept": 404, "gearchiveerd": 404, "onbekend_id": 404},
        "beheerder": {"gepubliceerd": 200, "concept": 404, "gearchiveerd": 404, "onbekend_id": 404},
    },
    ("PATCH", ARTIKEL, "wijzig"): {
        "anoniem": {"gepubliceerd": 401, "concept": 401, "gearchiveerd": 401, "onbekend_id": 401},
        "redacteur": {"gepubliceerd": 200, "concept": 200, "gearchiveerd": 200, "onbekend_id": 404},
        "melder": {"gepubliceerd": 403, "concept": 403, "gearchiveerd": 403, "onbekend_id": 403},
        "behandelaar": {
            "gepubliceerd": 403,
            "concept": 403,
            "gearchiveerd": 403,
            "onbekend_id": 403,
        },
        "beveiligingsadviseur": {
            "gepubliceerd": 403,
            "concept": 403,
            "gearchiveerd": 403,
            "onbekend_id": 403,
        },
        "analist": {"gepubliceerd": 403, "concept": 403, "gearchiveerd": 403, "onbekend_id": 403},
        "beheerder": {"gepubliceerd": 403, "concept": 403, "gearchiveerd": 403, "onbekend_id": 403},
    },
    ("POST", STATUS, "status"): {
        "anoniem": {"gepubliceerd": 401, "concept": 401, "gearchiveerd": 401, "onbekend_id": 401},
        "redacteur": {"gepubliceerd": 201, "concept": 201, "gearchiveerd": 201, "onbekend_id": 404},
        "melder": {"gepubliceerd": 403, "concept": 403, "gearchiveerd": 403, "onbekend_id": 403},
        "behandelaar": {
            "gepubliceerd": 403,
            "concept": 403,
            "gearchiveerd": 403,
            "onbekend_id": 403,
        },
        "beveiligingsadviseur": {
            "gepubliceerd": 403,
            "concept": 403,
            "gearchiveerd": 403,
            "onbekend_id": 403,
        },
        "analist": {"gepubliceerd": 403, "concept": 403, "gearchiveerd": 403, "onbekend_id": 403},
        "beheerder": {"gepubliceerd": 403, "concept": 403, "gearchiveerd": 403, "onbekend_id": 403},
    },
    ("GET", REVISIES, "revisies"): {
        "anoniem": {"gepubliceerd": 401, "concept": 401, "gearchiveerd": 401, "onbekend_id": 401},
        "redacteur": {"gepubliceerd": 200, "concept": 200, "gearchiveerd": 200, "onbekend_id": 404},
        "melder": {"gepubliceerd": 403, "concept": 403, "gearchiveerd": 403, "onbekend_id": 403},
        "behandelaar": {
            "gepubliceerd": 403,
            "concept": 403,
            "gearchiveerd": 403,
            "onbekend_id": 403,
        },
        "beveiligingsadviseur": {
            "gepubliceerd": 403,
            "concept": 403,
            "gearchiveerd": 403,
            "onbekend_id": 403,
        },
        "analist": {"gepubliceerd": 403, "concept": 403, "gearchiveerd": 403, "onbekend_id": 403},
        "beheerder": {"gepubliceerd": 403, "concept": 403, "gearchiveerd": 403, "onbekend_id": 403},
    },
}

ROWS: list[Row] = [
    Row(
        "kennisbank",
        method,
        path,
        role,
        situation,
        expected,
        action,
        STATUS_BODY[situation] if action == "status" else BODIES.get(action),
    )
    for (method, path, action), by_role in MATRIX.items()
    for role, by_situation in by_role.items()
    for situation, expected in by_situation.items()
]
