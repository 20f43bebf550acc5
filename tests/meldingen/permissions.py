"""Who may do what with a melding (DESIGN.md "Roles and tenancy"), as rows of tests/permissions.

Situations, relative to one melding reported in organisation A:

| situation | the melding | the caller |
| --- | --- | --- |
| `nieuw` | none (collection endpoints) | organisation A |
| `eigen` | reported by the caller (by a colleague for them if the role cannot report) | A |
| `namens` | reported by a handler of A on the caller's behalf | A |
| `zelfde_org` | reported by someone else in A | A |
| `andere_org` | reported in A | organisation B |
| `owb` | reported in A, not confidential, not referred | OWB |
| `vertrouwelijk_eigen` | confidential, reported by the caller | A |
| `vertrouwelijk_zelfde_org` | confidential, reported in A | A |
| `vertrouwelijk_owb` | confidential, reported in A | OWB |
| `doorverwezen_owb` | reported in A, referred to OWB | OWB |
| `doorverwezen_zelfde_org` | reported in A, referred to OWB | A |
| `onbekend_id` | does not exist | A |

Outside reach is 404 (ids cannot be probed); a role that may never do it is 403, even for
an id that does not exist; a handler who reported the melding gets 403 on handler actions.
"""

from __future__ import annotations

from typing import Any

from tests.meldingen.conftest import melding_body
from tests.permissions import Row

BASE = "/api/meldingen/v1"
COLLECTION = f"{BASE}/meldingen"
DETAIL = f"{BASE}/meldingen/{{id}}"
STATUS = f"{BASE}/meldingen/{{id}}/statuswijzigingen"
TOEWIJZING = f"{BASE}/meldingen/{{id}}/toewijzing"
NOTITIES = f"{BASE}/meldingen/{{id}}/notities"
INZAGES = f"{BASE}/meldingen/{{id}}/inzages"

HANDLER_MOVE = {"status": "in_behandeling", "toelichting": "Opgepakt door het team."}
WITHDRAW = {"status": "ingetrokken", "toelichting": "Het is opgelost."}
PRIORITY = {"prioriteit": "hoog"}
ASSIGN = {"behandelaar": "behandelaar-toegewezen"}
NOTE = {"tekst": "Telefonisch contact gehad.", "zichtbaarVoorMelder": True}

# Endpoints of the meldingen-depth work that have no rows here yet: whoever owns them adds
# their rows and removes them from this set (test_permissions fails for any other endpoint
# without rows, and for an entry here that no longer exists).
NOT_YET_IN_TABLE = {
    ("GET", f"{BASE}/meldingen/{{id}}/aangifte"),
    ("PUT", f"{BASE}/meldingen/{{id}}/aangifte"),
    ("GET", f"{BASE}/meldingen/{{id}}/nazorgmomenten"),
    ("POST", f"{BASE}/meldingen/{{id}}/nazorgmomenten"),
    ("PATCH", f"{BASE}/meldingen/{{id}}/nazorgmomenten/{{nid}}"),
    ("GET", f"{BASE}/nazorgmomenten"),
    ("GET", f"{BASE}/statistieken"),
    ("GET", f"{BASE}/mijn-gegevens"),
}

# Roles that may never touch a melding: 403 everywhere, whatever the melding.
NEVER = ("beveiligingsadviseur", "redacteur", "analist", "beheerder")

# (method, path, body) of every meldingen endpoint.
ENDPOINTS: dict[str, tuple[str, str, dict[str, Any] | None]] = {
    "create": ("POST", COLLECTION, melding_body()),
    "list": ("GET", COLLECTION, None),
    "detail": ("GET", DETAIL, None),
    "patch": ("PATCH", DETAIL, PRIORITY),
    "move": ("POST", STATUS, HANDLER_MOVE),
    "withdraw": ("POST", STATUS, WITHDRAW),
    "assign": ("POST", TOEWIJZING, ASSIGN),
    "add_note": ("POST", NOTITIES, NOTE),
    "notes": ("GET", NOTITIES, None),
    "access_log": ("GET", INZAGES, None),
}

# endpoint → role → situation → expected status
MATRIX: dict[str, dict[str, dict[str, int]]] = {
    "create": {
        "melder": {"nieuw": 201},
        "behandelaar": {"nieuw": 201},
    },
    "list": {
        "melder": {"nieuw": 200},
        "behandelaar": {"nieuw": 200},
    },
    "detail": {
        "melder": {
            "eigen": 200,
            "namens": 200,
            "vertrouwelijk_eigen": 200,
            "zelfde_org": 404,
            "andere_org": 404,
            "onbekend_id": 404,
        },
        "behandelaar": {
            "zelfde_org": 200,
            "eigen": 200,
            "vertrouwelijk_eigen": 200,  # their own confidential report stays theirs
            "andere_org": 404,
            "owb": 404,
            "vertrouwelijk_zelfde_org": 404,
            "vertrouwelijk_owb": 200,
            "doorverwezen_owb": 200,
            "doorverwezen_zelfde_org": 200,
            "onbekend_id": 404,
        },
    },
    "patch": {
        "melder": {"eigen": 403, "zelfde_org": 403},
        "behandelaar": {
            "zelfde_org": 200,
            "eigen": 403,
            "andere_org": 404,
            "owb": 404,
            "vertrouwelijk_zelfde_org": 404,
            "vertrouwelijk_owb": 200,
            "doorverwezen_owb": 200,
            "onbekend_id": 404,
        },
    },
    "move": {
        "melder": {"eigen": 403, "zelfde_org": 404},
        "behandelaar": {
            "zelfde_org": 201,
            "eigen": 403,
            "andere_org": 404,
            "owb": 404,
            "vertrouwelijk_zelfde_org": 404,
            "vertrouwelijk_owb": 201,
            "doorverwezen_owb": 201,
            "onbekend_id": 404,
        },
    },
    "withdraw": {
        "melder": {"eigen": 201, "namens": 201, "zelfde_org": 404, "onbekend_id": 404},
        # A handler who reported for themselves is that melding's reporter: they may withdraw.
        "behandelaar": {"zelfde_org": 403, "eigen": 201, "andere_org": 404},
    },
    "assign": {
        "melder": {"eigen": 403, "zelfde_org": 403},
        "behandelaar": {
            "zelfde_org": 200,
            "eigen": 403,
            "andere_org": 404,
            "owb": 404,
            "vertrouwelijk_zelfde_org": 404,
            "vertrouwelijk_owb": 200,
            "doorverwezen_owb": 200,
            "onbekend_id": 404,
        },
    },
    "add_note": {
        "melder": {"eigen": 201, "zelfde_org": 404, "andere_org": 404},
        "behandelaar": {
            "zelfde_org": 201,
            "eigen": 201,  # as its reporter: the note is always visible to them
            "vertrouwelijk_eigen": 201,
            "andere_org": 404,
            "owb": 404,
            "vertrouwelijk_zelfde_org": 404,
            "vertrouwelijk_owb": 201,
            "doorverwezen_owb": 201,
        },
    },
    "notes": {
        "melder": {"eigen": 200, "zelfde_org": 404, "andere_org": 404},
        "behandelaar": {
            "zelfde_org": 200,
            "eigen": 200,
            "andere_org": 404,
            "owb": 404,
            "vertrouwelijk_zelfde_org": 404,
            "vertrouwelijk_owb": 200,
            "doorverwezen_owb": 200,
        },
    },
    "access_log": {
        "melder": {"eigen": 200, "zelfde_org": 404, "onbekend_id": 404},
        "behandelaar": {
            "zelfde_org": 200,
            "andere_org": 404,
            "owb": 404,
            "vertrouwelijk_zelfde_org": 404,
            "vertrouwelijk_owb": 200,
            "doorverwezen_owb": 200,
            "onbekend_id": 404,
        },
    },
}

# The roles that may never: forbidden on every endpoint, for their own organisation's melding,
# for one reported on their behalf, and for an id that does not exist.
for _endpoint, (_method, _path, _body) in ENDPOINTS.items():
    situations = ("nieuw",) if "{id}" not in _path else ("zelfde_org", "namens", "onbekend_id")
    for _role in NEVER:
        MATRIX[_endpoint][_role] = dict.fromkeys(situations, 403)


ROWS: list[Row] = [
    Row("meldingen", method, path, role, situation, expected, endpoint, body)
    for endpoint, (method, path, body) in ENDPOINTS.items()
    for role, by_situation in MATRIX[endpoint].items()
    for situation, expected in by_situation.items()
]
