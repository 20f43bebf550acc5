"""Who may do what in beveiliging (DESIGN.md "Roles and tenancy"), as rows of tests/permissions.

Situations, relative to one resource (a home scan, a measure) of a melder in organisation A:

| situation | the caller |
| --- | --- |
| `nieuw` | organisation A; collection endpoints, nothing arranged |
| `eigen` | the requester / person concerned, organisation A |
| `zelfde_org` | someone else in organisation A |
| `andere_org` | someone in organisation B |
| `owb` | someone in OWB |
| `onbekend_id` | organisation A; the id (or catalogue code) does not exist |

For a risk analysis `eigen` means the caller ran it about themselves (anyone signed in may);
for a package `eigen` means the caller is its burgemeester. Catalogue entries (`{code}`) are
one entry the arrange step adds per backend.

Outside reach is 404; a role that may never do it is 403, also for an unknown id. Home
scans, measures and packages are for `melder` and `beveiligingsadviseur` only; the catalogue
and the questionnaire are read by everyone and the catalogue is changed by `beheerder`; risk
analyses are run and read by everyone signed in, within reach; the package is made by
advisers of that gemeente or OWB.
"""

from __future__ import annotations

from tests.permissions import Row

BASE = "/api/beveiliging/v1"
SCANS = f"{BASE}/woningscans"
SCAN = f"{BASE}/woningscans/{{id}}"
SCAN_STATUS = f"{BASE}/woningscans/{{id}}/statuswijzigingen"
MAATREGELEN = f"{BASE}/beveiligingsmaatregelen"
MAATREGEL = f"{BASE}/beveiligingsmaatregelen/{{id}}"
MAATREGEL_STATUS = f"{BASE}/beveiligingsmaatregelen/{{id}}/statuswijzigingen"
CATALOGUS = f"{BASE}/maatregelen"
CATALOGUS_ITEM = f"{BASE}/maatregelen/{{code}}"
VRAGENLIJST = f"{BASE}/risicoanalyse/vragenlijst"
ANALYSES = f"{BASE}/risicoanalyses"
ANALYSE = f"{BASE}/risicoanalyses/{{id}}"
PAKKETTEN = f"{BASE}/veiligheidspakketten"
PAKKET = f"{BASE}/veiligheidspakketten/{{id}}"

NEVER = ("behandelaar", "redacteur", "analist", "beheerder")
ROLES = ("melder", "beveiligingsadviseur", *NEVER)

# (method, path, action) → role → situation → expected status, written out in full so a
# reviewer reads who may do what without running anything. An adviser's own scan, measure or
# package (situation `eigen`) is not a row: nobody handles their own case, see
# test_adviser_never_handles_own_scan. A measure for oneself (`create_zelf`) and a package
# with oneself as burgemeester (`pakket_zelf`) are 403 for every role.
MATRIX: dict[tuple[str, str, str], dict[str, dict[str, int]]] = {
    ("POST", SCANS, "create"): {
        "melder": {"nieuw": 201},
        "beveiligingsadviseur": {"nieuw": 201},
        "behandelaar": {"nieuw": 403},
        "redacteur": {"nieuw": 403},
        "analist": {"nieuw": 403},
        "beheerder": {"nieuw": 403},
    },
    ("GET", SCANS, "list"): {
        "melder": {"nieuw": 200},
        "beveiligingsadviseur": {"nieuw": 200},
        "behandelaar": {"nieuw": 403},
        "redacteur": {"nieuw": 403},
        "analist": {"nieuw": 403},
        "beheerder": {"nieuw": 403},
    },
    ("GET", SCAN, "detail"): {
        "melder": {
            "eigen": 200,
            "zelfde_org": 404,
            "andere_org": 404,
            "owb": 404,
            "onbekend_id": 404,
        },
        "beveiligingsadviseur": {
            "zelfde_org": 200,
            "andere_org": 404,
            "owb": 200,
            "onbekend_id": 404,
        },
        "behandelaar": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
        "redacteur": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
        "analist": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
        "beheerder": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
    },
    ("PATCH", SCAN, "adres"): {
        "melder": {
            "eigen": 200,
            "zelfde_org": 404,
            "andere_org": 404,
            "owb": 404,
            "onbekend_id": 404,
        },
        "beveiligingsadviseur": {
            "zelfde_org": 200,
            "andere_org": 404,
            "owb": 200,
            "onbekend_id": 404,
        },
        "behandelaar": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
        "redacteur": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
        "analist": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
        "beheerder": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
    },
    ("POST", SCAN_STATUS, "plan"): {
        "melder": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
        "beveiligingsadviseur": {
            "zelfde_org": 201,
            "andere_org": 404,
            "owb": 201,
            "onbekend_id": 404,
        },
        "behandelaar": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
        "redacteur": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
        "analist": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
        "beheerder": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
    },
    ("POST", SCAN_STATUS, "cancel"): {
        "melder": {
            "eigen": 201,
            "zelfde_org": 404,
            "andere_org": 404,
            "owb": 404,
            "onbekend_id": 404,
        },
        "beveiligingsadviseur": {
            "zelfde_org": 201,
            "andere_org": 404,
            "owb": 201,
            "onbekend_id": 404,
        },
        "behandelaar": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
        "redacteur": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
        "analist": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
        "beheerder": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
    },
    ("POST", MAATREGELEN, "create"): {
        "melder": {"nieuw": 403},
        "beveiligingsadviseur": {"nieuw": 201},
        "behandelaar": {"nieuw": 403},
        "redacteur": {"nieuw": 403},
        "analist": {"nieuw": 403},
        "beheerder": {"nieuw": 403},
    },
    ("POST", MAATREGELEN, "create_zelf"): {
        "melder": {"eigen": 403},
        "beveiligingsadviseur": {"eigen": 403},
        "behandelaar": {"eigen": 403},
        "redacteur": {"eigen": 403},
        "analist": {"eigen": 403},
        "beheerder": {"eigen": 403},
    },
    ("GET", MAATREGELEN, "list"): {
        "melder": {"nieuw": 200},
        "beveiligingsadviseur": {"nieuw": 200},
        "behandelaar": {"nieuw": 403},
        "redacteur": {"nieuw": 403},
        "analist": {"nieuw": 403},
        "beheerder": {"nieuw": 403},
    },
    ("GET", MAATREGEL, "detail"): {
        "melder": {
            "eigen": 200,
            "zelfde_org": 404,
            "andere_org": 404,
            "owb": 404,
            "onbekend_id": 404,
        },
        "beveiligingsadviseur": {
            "zelfde_org": 200,
            "andere_org": 404,
            "owb": 200,
            "onbekend_id": 404,
        },
        "behandelaar": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
        "redacteur": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
        "analist": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
        "beheerder": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
    },
    ("POST", MAATREGEL_STATUS, "move"): {
        "melder": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
        "beveiligingsadviseur": {
            "zelfde_org": 201,
            "andere_org": 404,
            "owb": 201,
            "onbekend_id": 404,
        },
        "behandelaar": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
        "redacteur": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
        "analist": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
        "beheerder": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
    },
    ("GET", VRAGENLIJST, "vragenlijst"): {
        "melder": {"nieuw": 200},
        "beveiligingsadviseur": {"nieuw": 200},
        "behandelaar": {"nieuw": 200},
        "redacteur": {"nieuw": 200},
        "analist": {"nieuw": 200},
        "beheerder": {"nieuw": 200},
    },
    ("POST", ANALYSES, "zelf"): {
        "melder": {"nieuw": 201},
        "beveiligingsadviseur": {"nieuw": 201},
        "behandelaar": {"nieuw": 201},
        "redacteur": {"nieuw": 201},
        "analist": {"nieuw": 201},
        "beheerder": {"nieuw": 201},
    },
    ("GET", ANALYSES, "list"): {
        "melder": {"nieuw": 200},
        "beveiligingsadviseur": {"nieuw": 200},
        "behandelaar": {"nieuw": 200},
        "redacteur": {"nieuw": 200},
        "analist": {"nieuw": 200},
        "beheerder": {"nieuw": 200},
    },
    ("GET", ANALYSE, "detail"): {
        "melder": {
            "eigen": 200,
            "zelfde_org": 404,
            "andere_org": 404,
            "owb": 404,
            "onbekend_id": 404,
        },
        "beveiligingsadviseur": {
            "eigen": 200,
            "zelfde_org": 200,
            "andere_org": 404,
            "owb": 200,
            "onbekend_id": 404,
        },
        "behandelaar": {
            "eigen": 200,
            "zelfde_org": 404,
            "andere_org": 404,
            "owb": 404,
            "onbekend_id": 404,
        },
        "redacteur": {
            "eigen": 200,
            "zelfde_org": 404,
            "andere_org": 404,
            "owb": 404,
            "onbekend_id": 404,
        },
        "analist": {
            "eigen": 200,
            "zelfde_org": 404,
            "andere_org": 404,
            "owb": 404,
            "onbekend_id": 404,
        },
        "beheerder": {
            "eigen": 200,
            "zelfde_org": 404,
            "andere_org": 404,
            "owb": 404,
            "onbekend_id": 404,
        },
    },
    ("POST", PAKKETTEN, "pakket"): {
        "melder": {"zelfde_org": 403, "andere_org": 403, "owb": 403},
        "beveiligingsadviseur": {"zelfde_org": 201, "andere_org": 403, "owb": 201},
        "behandelaar": {"zelfde_org": 403, "andere_org": 403, "owb": 403},
        "redacteur": {"zelfde_org": 403, "andere_org": 403, "owb": 403},
        "analist": {"zelfde_org": 403, "andere_org": 403, "owb": 403},
        "beheerder": {"zelfde_org": 403, "andere_org": 403, "owb": 403},
    },
    ("POST", PAKKETTEN, "pakket_zelf"): {
        "melder": {"eigen": 403},
        "beveiligingsadviseur": {"eigen": 403},
        "behandelaar": {"eigen": 403},
        "redacteur": {"eigen": 403},
        "analist": {"eigen": 403},
        "beheerder": {"eigen": 403},
    },
    ("GET", PAKKET, "detail"): {
        "melder": {
            "eigen": 200,
            "zelfde_org": 404,
            "andere_org": 404,
            "owb": 404,
            "onbekend_id": 404,
        },
        "beveiligingsadviseur": {
            "zelfde_org": 200,
            "andere_org": 404,
            "owb": 200,
            "onbekend_id": 404,
        },
        "behandelaar": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
        "redacteur": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
        "analist": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
        "beheerder": {
            "eigen": 403,
            "zelfde_org": 403,
            "andere_org": 403,
            "owb": 403,
            "onbekend_id": 403,
        },
    },
    ("GET", CATALOGUS, "catalogus"): {
        "melder": {"nieuw": 200},
        "beveiligingsadviseur": {"nieuw": 200},
        "behandelaar": {"nieuw": 200},
        "redacteur": {"nieuw": 200},
        "analist": {"nieuw": 200},
        "beheerder": {"nieuw": 200},
    },
    ("POST", CATALOGUS, "toevoegen"): {
        "melder": {"nieuw": 403},
        "beveiligingsadviseur": {"nieuw": 403},
        "behandelaar": {"nieuw": 403},
        "redacteur": {"nieuw": 403},
        "analist": {"nieuw": 403},
        "beheerder": {"nieuw": 201},
    },
    ("GET", CATALOGUS_ITEM, "item"): {
        "melder": {"bestaand": 200, "onbekend_id": 404},
        "beveiligingsadviseur": {"bestaand": 200, "onbekend_id": 404},
        "behandelaar": {"bestaand": 200, "onbekend_id": 404},
        "redacteur": {"bestaand": 200, "onbekend_id": 404},
        "analist": {"bestaand": 200, "onbekend_id": 404},
        "beheerder": {"bestaand": 200, "onbekend_id": 404},
    },
    ("PATCH", CATALOGUS_ITEM, "wijzig"): {
        "melder": {"bestaand": 403, "onbekend_id": 403},
        "beveiligingsadviseur": {"bestaand": 403, "onbekend_id": 403},
        "behandelaar": {"bestaand": 403, "onbekend_id": 403},
        "redacteur": {"bestaand": 403, "onbekend_id": 403},
        "analist": {"bestaand": 403, "onbekend_id": 403},
        "beheerder": {"bestaand": 200, "onbekend_id": 404},
    },
}

ROWS: list[Row] = [
    Row("beveiliging", method, path, role, situation, expected, action)
    for (method, path, action), by_role in MATRIX.items()
    for role, by_situation in by_role.items()
    for situation, expected in by_situation.items()
]
