"""The common AAD helper gives, for every place a service encrypts today, the exact string it
used when the value was sealed (changing one would make stored values unreadable).

The expected strings were produced by the services' own helpers before they moved onto
`services.common.aad` (one row per call site, named after it); they are the format itself.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable

import pytest

from services.common.aad import AadFormat, AadScheme
from services.common.crypto import KeyRing

A = uuid.UUID("11111111-2222-4333-8444-555555555555")
B = uuid.UUID("66666666-7777-4888-9999-aaaaaaaaaaaa")
M = AadScheme("meldingen", AadFormat.KEY_THEN_COLUMN)
V = AadScheme("beveiliging", AadFormat.COLUMN_THEN_KEY)

CALL_SITES = [
    # (call site today, helper result, the string sealed into stored values)
    (
        "meldingen/melding/service.py _omschrijving_aad",
        M.field("melding", A, "omschrijving"),
        "meldingen:melding:11111111-2222-4333-8444-555555555555:omschrijving",
    ),
    (
        "meldingen/melding/service.py _toelichting_aad",
        M.field("statuswijziging", A, "toelichting"),
        "meldingen:statuswijziging:11111111-2222-4333-8444-555555555555:toelichting",
    ),
    (
        "meldingen/melding/service.py _idempotency_aad",
        M.field("idempotent_verzoek", A, "antwoord"),
        "meldingen:idempotent_verzoek:11111111-2222-4333-8444-555555555555:antwoord",
    ),
    (
        "meldingen/notitie/service.py _aad",
        M.field("notitie", A, "tekst"),
        "meldingen:notitie:11111111-2222-4333-8444-555555555555:tekst",
    ),
    (
        "meldingen/aangifte/service.py aangifte_aad",
        M.field("aangifte", A, "politie_registratienummer"),
        "meldingen:aangifte:11111111-2222-4333-8444-555555555555:politie_registratienummer",
    ),
    (
        "meldingen/aangifte/service.py wijziging_aad",
        M.field("aangifte_wijziging", A, "politie_registratienummer"),
        "meldingen:aangifte_wijziging:11111111-2222-4333-8444-555555555555"
        ":politie_registratienummer",
    ),
    (
        "meldingen/nazorg/service.py omschrijving_aad",
        M.field("nazorgmoment", A, "omschrijving"),
        "meldingen:nazorgmoment:11111111-2222-4333-8444-555555555555:omschrijving",
    ),
    (
        "meldingen/nazorg/service.py uitkomst_aad",
        M.field("nazorgmoment", A, "uitkomst"),
        "meldingen:nazorgmoment:11111111-2222-4333-8444-555555555555:uitkomst",
    ),
    (
        "meldingen/bijlage/service.py omschrijving_aad",
        M.field("bijlage", A, "omschrijving"),
        "meldingen:bijlage:11111111-2222-4333-8444-555555555555:omschrijving",
    ),
    (
        "meldingen/bijlage/service.py naam_aad",
        M.field("bijlage", A, "oorspronkelijke_naam"),
        "meldingen:bijlage:11111111-2222-4333-8444-555555555555:oorspronkelijke_naam",
    ),
    (
        "meldingen/bijlage/service.py bestandsnaam_aad",
        M.field("bijlage", A, "bestandsnaam"),
        "meldingen:bijlage:11111111-2222-4333-8444-555555555555:bestandsnaam",
    ),
    (
        "meldingen/bijlage/service.py deel_aad (not last)",
        M.parts("bijlage", A, B, "deel", 0),
        "meldingen:bijlage:11111111-2222-4333-8444-555555555555"
        ":66666666-7777-4888-9999-aaaaaaaaaaaa:deel:0",
    ),
    (
        "meldingen/bijlage/service.py deel_aad (last)",
        M.parts("bijlage", A, B, "deel", 7, "laatste"),
        "meldingen:bijlage:11111111-2222-4333-8444-555555555555"
        ":66666666-7777-4888-9999-aaaaaaaaaaaa:deel:7:laatste",
    ),
    (
        "beveiliging/risicoanalyse/service.py _aad",
        V.field("risicoanalyse", A, "antwoorden"),
        "beveiliging.risicoanalyse.antwoorden:11111111-2222-4333-8444-555555555555",
    ),
    (
        "beveiliging/woningscan/service.py _aad(adres)",
        V.field("woningscan", A, "adres"),
        "beveiliging.woningscan.adres:11111111-2222-4333-8444-555555555555",
    ),
    (
        "beveiliging/woningscan/service.py _aad(reden)",
        V.field("woningscan", A, "reden"),
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
