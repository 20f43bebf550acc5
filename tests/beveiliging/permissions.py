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
ON_ONE = ("eigen", "zelfde_org", "andere_org", "owb", "onbekend_id")

# (action, method, path) of the endpoints on one scan; bodies are arranged by the test.
SCAN_ACTIONS = {
    "detail": ("GET", SCAN),
    "adres": ("PATCH", SCAN),
    "plan": ("POST", SCAN_STATUS),
    "cancel": ("POST", SCAN_STATUS),
}
# What the melder and the adviser get per action and situation.
MELDER = {"detail": 200, "adres": 200, "plan": 403, "cancel": 201}
ADVISEUR = {"detail": 200, "adres": 200, "plan": 201, "cancel": 201}
ADVISEUR_REACH = {"eigen": False, "zelfde_org": True, "andere_org": False, "owb": True}


def _scan_rows() -> list[Row]:
    out: list[Row] = []
    for role in ROLES:
        for action, status in (("create", 201), ("list", 200)):
            method = "POST" if action == "create" else "GET"
            expected = 403 if role in NEVER else status
            out.append(Row("beveiliging", method, SCANS, role, "nieuw", expected, action))
        for action, (method, path) in SCAN_ACTIONS.items():
            for situation in ON_ONE:
                if role in NEVER:
                    expected = 403
                elif role == "melder":
                    if action == "plan":
                        expected = 403
                    else:
                        expected = MELDER[action] if situation == "eigen" else 404
                else:
                    if situation == "eigen":
                        continue  # an adviser's own scan: see test_adviser_never_handles_own_scan
                    in_reach = ADVISEUR_REACH.get(situation, False)
                    expected = ADVISEUR[action] if in_reach else 404
                out.append(Row("beveiliging", method, path, role, situation, expected, action))
    return out


def _maatregel_rows() -> list[Row]:
    out: list[Row] = []
    for role in ROLES:
        create = 201 if role == "beveiligingsadviseur" else 403
        out.append(Row("beveiliging", "POST", MAATREGELEN, role, "nieuw", create, "create"))
        # Nobody handles their own case: a measure for oneself is 403, for advisers too.
        out.append(Row("beveiliging", "POST", MAATREGELEN, role, "eigen", 403, "create_zelf"))
        listed = 403 if role in NEVER else 200
        out.append(Row("beveiliging", "GET", MAATREGELEN, role, "nieuw", listed, "list"))
        for situation in ON_ONE:
            if role in NEVER:
                detail = move = 403
            elif role == "melder":
                detail = 200 if situation == "eigen" else 404
                move = 403
            else:
                if situation == "eigen":
                    continue
                in_reach = ADVISEUR_REACH.get(situation, False)
                detail, move = (200, 201) if in_reach else (404, 404)
            out.append(Row("beveiliging", "GET", MAATREGEL, role, situation, detail, "detail"))
            out.append(Row("beveiliging", "POST", MAATREGEL_STATUS, role, situation, move, "move"))
    return out


def _analyse_rows() -> list[Row]:
    """Anyone signed in runs and reads their own; advisers also those in reach."""
    out: list[Row] = []
    for role in ROLES:
        out.append(Row("beveiliging", "GET", VRAGENLIJST, role, "nieuw", 200, "vragenlijst"))
        out.append(Row("beveiliging", "POST", ANALYSES, role, "nieuw", 201, "zelf"))
        out.append(Row("beveiliging", "GET", ANALYSES, role, "nieuw", 200, "list"))
        for situation in ON_ONE:
            adviser_reach = role == "beveiligingsadviseur" and ADVISEUR_REACH.get(situation, False)
            expected = 200 if situation == "eigen" or adviser_reach else 404
            out.append(Row("beveiliging", "GET", ANALYSE, role, situation, expected, "detail"))
    return out


def _pakket_rows() -> list[Row]:
    out: list[Row] = []
    for role in ROLES:
        for situation in ("zelfde_org", "andere_org", "owb"):
            if role != "beveiligingsadviseur":
                expected = 403
            else:
                expected = 403 if situation == "andere_org" else 201
            out.append(Row("beveiliging", "POST", PAKKETTEN, role, situation, expected, "pakket"))
        out.append(Row("beveiliging", "POST", PAKKETTEN, role, "eigen", 403, "pakket_zelf"))
        for situation in ON_ONE:
            if role in NEVER:
                expected = 403
            elif role == "melder":
                expected = 200 if situation == "eigen" else 404
            else:
                if situation == "eigen":
                    continue  # an adviser who is the burgemeester: as for their own scan
                expected = 200 if ADVISEUR_REACH.get(situation, False) else 404
            out.append(Row("beveiliging", "GET", PAKKET, role, situation, expected, "detail"))
    return out


def _catalogus_rows() -> list[Row]:
    out: list[Row] = []
    for role in ROLES:
        beheer = role == "beheerder"
        out.append(Row("beveiliging", "GET", CATALOGUS, role, "nieuw", 200, "catalogus"))
        out.append(
            Row(
                "beveiliging", "POST", CATALOGUS, role, "nieuw", 201 if beheer else 403, "toevoegen"
            )
        )
        for situation, found in (("bestaand", 200), ("onbekend_id", 404)):
            out.append(Row("beveiliging", "GET", CATALOGUS_ITEM, role, situation, found, "item"))
            wijzig = found if beheer else 403
            out.append(
                Row("beveiliging", "PATCH", CATALOGUS_ITEM, role, situation, wijzig, "wijzig")
            )
    return out


ROWS: list[Row] = [
    *_scan_rows(),
    *_maatregel_rows(),
    *_analyse_rows(),
    *_pakket_rows(),
    *_catalogus_rows(),
]
