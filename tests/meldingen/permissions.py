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

The statistics are about no melding in particular; their situations say which organisation
the caller (in A) asks figures for:

| situation | the query |
| --- | --- |
| `nieuw` | no `organisatie` parameter |
| `vraagt_eigen_org` | `organisatie` = A, the caller's own |
| `vraagt_andere_org` | `organisatie` = B |

For an aangifte or a nazorgmoment the arrange step first writes one (as a handler with reach
over the melding) whatever the situation, so a 404 comes from reach, not from absence.

Outside reach is 404 (ids cannot be probed); a role that may never do it is 403, even for
an id that does not exist; a handler who reported the melding gets 403 on handler actions.
"""

from __future__ import annotations

from typing import Any

from tests.meldingen.bijlagen import png
from tests.meldingen.conftest import melding_body
from tests.permissions import Row

BASE = "/api/meldingen/v1"
COLLECTION = f"{BASE}/meldingen"
DETAIL = f"{BASE}/meldingen/{{id}}"
STATUS = f"{BASE}/meldingen/{{id}}/statuswijzigingen"
TOEWIJZING = f"{BASE}/meldingen/{{id}}/toewijzing"
NOTITIES = f"{BASE}/meldingen/{{id}}/notities"
INZAGES = f"{BASE}/meldingen/{{id}}/inzages"
AANGIFTE = f"{BASE}/meldingen/{{id}}/aangifte"
NAZORG = f"{BASE}/meldingen/{{id}}/nazorgmomenten"
NAZORGMOMENT = f"{BASE}/meldingen/{{id}}/nazorgmomenten/{{nid}}"
NAZORG_OVERZICHT = f"{BASE}/nazorgmomenten"
STATISTIEKEN = f"{BASE}/statistieken"
MIJN_GEGEVENS = f"{BASE}/mijn-gegevens"
BIJLAGEN = f"{BASE}/meldingen/{{id}}/bijlagen"
BIJLAGE = f"{BASE}/meldingen/{{id}}/bijlagen/{{bid}}"
BIJLAGE_INHOUD = f"{BASE}/meldingen/{{id}}/bijlagen/{{bid}}/inhoud"

HANDLER_MOVE = {"status": "in_behandeling", "toelichting": "Opgepakt door het team."}
WITHDRAW = {"status": "ingetrokken", "toelichting": "Het is opgelost."}
PRIORITY = {"prioriteit": "hoog"}
ASSIGN = {"behandelaar": "behandelaar-toegewezen"}
NOTE = {"tekst": "Telefonisch contact gehad.", "zichtbaarVoorMelder": True}
AANGIFTE_BODY = {"datumAangifte": "2025-06-02", "status": "gedaan", "ondersteuning": []}
NAZORG_PLAN = {"gepland": "2027-01-04T10:00:00+01:00", "omschrijving": "Nabellen."}
NAZORG_GEDAAN = {"uitgevoerd": True, "uitkomst": "Het gaat weer goed."}
# Sent as multipart/form-data files (see test_permissions.py), not as JSON.
BIJLAGE_UPLOAD = {"bestand": ("bewijs.png", png(), "image/png")}

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
    "aangifte": ("GET", AANGIFTE, None),
    "put_aangifte": ("PUT", AANGIFTE, AANGIFTE_BODY),
    "nazorg": ("GET", NAZORG, None),
    "plan_nazorg": ("POST", NAZORG, NAZORG_PLAN),
    "nazorg_uitgevoerd": ("PATCH", NAZORGMOMENT, NAZORG_GEDAAN),
    "nazorg_overzicht": ("GET", NAZORG_OVERZICHT, None),
    "statistieken": ("GET", STATISTIEKEN, None),
    "mijn_gegevens": ("GET", MIJN_GEGEVENS, None),
    "add_bijlage": ("POST", BIJLAGEN, BIJLAGE_UPLOAD),
    "bijlagen": ("GET", BIJLAGEN, None),
    "bijlage": ("GET", BIJLAGE, None),
    "bijlage_inhoud": ("GET", BIJLAGE_INHOUD, None),
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

# Read like the detail: the melder (also a handler who reported it) and the handlers in reach.
# For a `{bid}`, the arrange step first adds a visible attachment as a handler with reach.
for _endpoint in ("aangifte", "nazorg", "bijlagen", "bijlage", "bijlage_inhoud"):
    MATRIX[_endpoint] = {role: dict(MATRIX["detail"][role]) for role in ("melder", "behandelaar")}

# The melder writes the aangifte of their own melding; so do the handlers in reach (201 for the
# first version). A handler who reported it writes it as its melder.
MATRIX["put_aangifte"] = {
    "melder": {
        "eigen": 201,
        "namens": 201,
        "vertrouwelijk_eigen": 201,
        "zelfde_org": 404,
        "andere_org": 404,
        "onbekend_id": 404,
    },
    "behandelaar": {
        "zelfde_org": 201,
        "eigen": 201,
        "vertrouwelijk_eigen": 201,
        "andere_org": 404,
        "owb": 404,
        "vertrouwelijk_zelfde_org": 404,
        "vertrouwelijk_owb": 201,
        "doorverwezen_owb": 201,
        "doorverwezen_zelfde_org": 201,
        "onbekend_id": 404,
    },
}

# Attachments are added like the aangifte is written: by its melder and the handlers in reach.
MATRIX["add_bijlage"] = {
    role: dict(MATRIX["put_aangifte"][role]) for role in MATRIX["put_aangifte"]
}

# Aftercare is planned and recorded by handlers in reach, never for their own melding.
_NAZORG_HANDLER = {
    "zelfde_org": 201,
    "eigen": 403,
    "vertrouwelijk_eigen": 403,
    "andere_org": 404,
    "owb": 404,
    "vertrouwelijk_zelfde_org": 404,
    "vertrouwelijk_owb": 201,
    "doorverwezen_owb": 201,
    "doorverwezen_zelfde_org": 201,
    "onbekend_id": 404,
}
MATRIX["plan_nazorg"] = {
    "melder": {"eigen": 403, "zelfde_org": 403, "onbekend_id": 403},
    "behandelaar": dict(_NAZORG_HANDLER),
}
MATRIX["nazorg_uitgevoerd"] = {
    "melder": {"eigen": 403, "zelfde_org": 403, "onbekend_id": 403},
    "behandelaar": {k: 200 if v == 201 else v for k, v in _NAZORG_HANDLER.items()},
}
MATRIX["nazorg_overzicht"] = {"melder": {"nieuw": 403}, "behandelaar": {"nieuw": 200}}
# A handler who reported for themselves has the same right of access as any reporter.
MATRIX["mijn_gegevens"] = {"melder": {"nieuw": 200}, "behandelaar": {"nieuw": 200}}

# Aggregated figures: the analist for every organisation, a handler for their own only.
MATRIX["statistieken"] = {
    "analist": {"nieuw": 200, "vraagt_eigen_org": 200, "vraagt_andere_org": 200},
    "behandelaar": {"nieuw": 200, "vraagt_eigen_org": 200, "vraagt_andere_org": 403},
    **{
        role: {"nieuw": 403, "vraagt_eigen_org": 403, "vraagt_andere_org": 403}
        for role in ("melder", "beveiligingsadviseur", "redacteur", "beheerder")
    },
}

# The roles that may never: forbidden on every endpoint, for their own organisation's melding,
# for one reported on their behalf, and for an id that does not exist.
for _endpoint, (_method, _path, _body) in ENDPOINTS.items():
    if _endpoint == "statistieken":
        continue  # the analist's one endpoint: written out above
    situations = ("nieuw",) if "{id}" not in _path else ("zelfde_org", "namens", "onbekend_id")
    for _role in NEVER:
        MATRIX[_endpoint][_role] = dict.fromkeys(situations, 403)


ROWS: list[Row] = [
    Row("meldingen", method, path, role, situation, expected, endpoint, body)
    for endpoint, (method, path, body) in ENDPOINTS.items()
    for role, by_situation in MATRIX[endpoint].items()
    for situation, expected in by_situation.items()
]
