"""The common AAD helper gives, for every place a service encrypts today, the exact string it
used when the value was sealed (changing one would make stored values unreadable).

The expected strings were produced by the services' own helpers before they moved onto
`services.common.aad` (one row per call site, named after it); they are the format itself.
Each row calls the constant or function the service itself encrypts with.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable

import pytest

from services.beveiliging.risicoanalyse import service as risicoanalyse_service
from services.beveiliging.woningscan import service as woningscan_service
from services.common.aad import AadFormat, AadScheme
from services.common.crypto import KeyRing
from services.meldingen.aangifte import service as aangifte_service
from services.meldingen.bijlage import service as bijlage_service
from services.meldingen.melding import service as melding_service
from services.meldingen.nazorg import service as nazorg_service
from services.meldingen.notitie import service as notitie_service

A = uuid.UUID("11111111-2222-4333-8444-555555555555")
B = uuid.UUID("66666666-7777-4888-9999-aaaaaaaaaaaa")
M = AadScheme("meldingen", AadFormat.KEY_THEN_COLUMN)
V = AadScheme("beveiliging", AadFormat.COLUMN_THEN_KEY)

CALL_SITES = [
    # (call site today, helper result, the string sealed into stored values)
    (
        "meldingen/melding/service.py OMSCHRIJVING_AAD",
        melding_service.OMSCHRIJVING_AAD(A),
        "meldingen:melding:11111111-2222-4333-8444-555555555555:omschrijving",
    ),
    (
        "meldingen/melding/service.py TOELICHTING_AAD",
        melding_service.TOELICHTING_AAD(A),
        "meldingen:statuswijziging:11111111-2222-4333-8444-555555555555:toelichting",
    ),
    (
        "meldingen/melding/service.py IDEMPOTENCY_AAD",
        melding_service.IDEMPOTENCY_AAD(A),
        "meldingen:idempotent_verzoek:11111111-2222-4333-8444-555555555555:antwoord",
    ),
    (
        "meldingen/notitie/service.py TEKST_AAD",
        notitie_service.TEKST_AAD(A),
        "meldingen:notitie:11111111-2222-4333-8444-555555555555:tekst",
    ),
    (
        "meldingen/aangifte/service.py AANGIFTE_AAD",
        aangifte_service.AANGIFTE_AAD(A),
        "meldingen:aangifte:11111111-2222-4333-8444-555555555555:politie_registratienummer",
    ),
    (
        "meldingen/aangifte/service.py WIJZIGING_AAD",
        aangifte_service.WIJZIGING_AAD(A),
        "meldingen:aangifte_wijziging:11111111-2222-4333-8444-555555555555"
        ":politie_registratienummer",
    ),
    (
        "meldingen/nazorg/service.py OMSCHRIJVING_AAD",
        nazorg_service.OMSCHRIJVING_AAD(A),
        "meldingen:nazorgmoment:11111111-2222-4333-8444-555555555555:omschrijving",
    ),
    (
        "meldingen/nazorg/service.py UITKOMST_AAD",
        nazorg_service.UITKOMST_AAD(A),
        "meldingen:nazorgmoment:11111111-2222-4333-8444-555555555555:uitkomst",
    ),
    (
        "meldingen/bijlage/service.py OMSCHRIJVING_AAD",
        bijlage_service.OMSCHRIJVING_AAD(A),
        "meldingen:bijlage:11111111-2222-4333-8444-555555555555:omschrijving",
    ),
    (
        "meldingen/bijlage/service.py NAAM_AAD",
        bijlage_service.NAAM_AAD(A),
        "meldingen:bijlage:11111111-2222-4333-8444-555555555555:oorspronkelijke_naam",
    ),
    (
        "meldingen/bijlage/service.py BESTANDSNAAM_AAD",
        bijlage_service.BESTANDSNAAM_AAD(A),
        "meldingen:bijlage:11111111-2222-4333-8444-555555555555:bestandsnaam",
    ),
    (
        "meldingen/bijlage/service.py deel_aad (not last)",
        bijlage_service.deel_aad(A, B, 0, last=False),
        "meldingen:bijlage:11111111-2222-4333-8444-555555555555"
        ":66666666-7777-4888-9999-aaaaaaaaaaaa:deel:0",
    ),
    (
        "meldingen/bijlage/service.py deel_aad (last)",
        bijlage_service.deel_aad(A, B, 7, last=True),
        "meldingen:bijlage:11111111-2222-4333-8444-555555555555"
        ":66666666-7777-4888-9999-aaaaaaaaaaaa:deel:7:laatste",
    ),
    (
        "beveiliging/risicoanalyse/service.py ANTWOORDEN_AAD",
        risicoanalyse_service.ANTWOORDEN_AAD(A),
        "beveiliging.risicoanalyse.antwoorden:11111111-2222-4333-8444-555555555555",
    ),
    (
        "beveiliging/woningscan/service.py ADRES_AAD",
        woningscan_service.ADRES_AAD(A),
        "beveiliging.woningscan.adres:11111111-2222-4333-8444-555555555555",
    ),
    (
        "beveiliging/woningscan/service.py REDEN_AAD",
        woningscan_service.REDEN_AAD(A),
        "beveiliging.woningscan.reden:11111111-2222-4333-8444-555555555555",
    ),
]
RING = KeyRing.parse("k1:" + base64.b64encode(bytes(range(32))).decode())


@pytest.mark.parametrize(
    ("site", "helper", "sealed_with"), CALL_SITES, ids=[c[0] for c in CALL_SITES]
)
def test_byte_identical_to_the_string_in_use(site: str, helper: str, sealed_with: str) -> None:
    assert helper.encode("utf-8") == sealed_with.encode("utf-8"), site


@pytest.mark.parametrize(
    ("site", "helper", "sealed_with"), CALL_SITES, ids=[c[0] for c in CALL_SITES]
)
def test_a_value_sealed_today_opens_with_the_helper(
    site: str, helper: str, sealed_with: str
) -> None:
    token = RING.encrypt("geheim", aad=sealed_with)
    assert RING.decrypt(token, aad=helper) == "geheim", site


def test_for_column_is_the_field_as_a_callable() -> None:
    aad = M.for_column("melding", "omschrijving")
    assert aad(B) == M.field("melding", B, "omschrijving")
    assert V.for_column("woningscan", "adres")(B) == V.field("woningscan", B, "adres")


@pytest.mark.parametrize(
    "call",
    [
        lambda: AadScheme("Meldingen", AadFormat.KEY_THEN_COLUMN),
        lambda: M.field("melding:x", A, "omschrijving"),
        lambda: M.field("melding", A, "a.b"),
        lambda: M.parts("bijlage", A, "a:b"),
        lambda: M.parts("bijlage", ""),
        lambda: M.parts("bijlage"),
        lambda: V.parts("woningscan", A),
        lambda: M.for_column("melding", "Omschrijving"),
    ],
)
def test_an_ambiguous_or_malformed_aad_is_refused(call: Callable[[], object]) -> None:
    with pytest.raises(ValueError, match=r"lower-case|separator|parts\(\)"):
        call()
