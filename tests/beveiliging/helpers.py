"""Small request helpers shared by the beveiliging HTTP tests."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

BASE = "/api/beveiliging/v1"
ADRES = {
    "straat": "Stationsplein",
    "huisnummer": "1a",
    "postcode": "1012AB",
    "woonplaats": "Amsterdam",
}


def scan_aanvragen(client: TestClient, headers: dict[str, str], **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"adres": ADRES, "reden": "Bedreigd na raadsvergadering", **extra}
    response = client.post(f"{BASE}/woningscans", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def scan_status(
    client: TestClient, headers: dict[str, str], scan_id: str, status: str, **extra: Any
) -> Any:
    body: dict[str, Any] = {"status": status, **extra}
    if status == "ingepland":
        body.setdefault("gepland", "2026-12-01T10:00:00+01:00")
        body.setdefault("adviseur", "adviseur-x")
    if status == "advies_opgeleverd":
        body.setdefault("advies", ["camerabewaking", "paniekknop"])
    return client.post(
        f"{BASE}/woningscans/{scan_id}/statuswijzigingen", json=body, headers=headers
    )
