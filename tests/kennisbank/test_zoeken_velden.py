"""Field weights: where a word stands beats how often it stands there (both backends)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.kennisbank.conftest import publiceer, uniek
from tests.kennisbank.test_zoeken_api import slugs, zoek

VULTEKST = "Een lange tekst over iets heel anders, met veel gewone woorden erin. " * 8


def test_one_title_occurrence_outranks_five_body_occurrences(
    client: TestClient, redacteur: dict[str, str]
) -> None:
    woord = uniek()
    in_tekst = publiceer(
        client,
        redacteur,
        titel="Iets anders",
        samenvatting="Een samenvatting zonder het woord.",
        inhoud=" ".join(f"Hier staat {woord}." for _ in range(5)),
    )["slug"]
    in_titel = publiceer(
        client,
        redacteur,
        titel=f"Over {woord} en nog veel meer dingen die hier in een lange titel staan",
        samenvatting="Een samenvatting zonder het woord.",
        inhoud=VULTEKST,
    )["slug"]
    assert slugs(zoek(client, q=woord)) == [in_titel, in_tekst]


def test_one_summary_occurrence_outranks_five_body_occurrences(
    client: TestClient, redacteur: dict[str, str]
) -> None:
    woord = uniek()
    in_tekst = publiceer(
        client,
        redacteur,
        titel="Iets anders",
        samenvatting="Een samenvatting zonder het woord.",
        inhoud=" ".join(f"Hier staat {woord}." for _ in range(5)),
    )["slug"]
    in_samenvatting = publiceer(
        client,
        redacteur,
        titel="Nog iets anders",
        samenvatting=f"Een lange samenvatting die {woord} een keer noemt. " + VULTEKST,
        inhoud=VULTEKST,
    )["slug"]
    assert slugs(zoek(client, q=woord)) == [in_samenvatting, in_tekst]


def test_one_title_occurrence_outranks_five_summary_occurrences(
    client: TestClient, redacteur: dict[str, str]
) -> None:
    woord = uniek()
    in_samenvatting = publiceer(
        client,
        redacteur,
        titel="Iets anders",
        samenvatting=" ".join(f"Hier staat {woord}." for _ in range(5)),
        inhoud=" ".join(f"En hier {woord}." for _ in range(5)),
    )["slug"]
    in_titel = publiceer(
        client,
        redacteur,
        titel=f"Over {woord} en nog veel meer dingen die hier in een lange titel staan",
        samenvatting="Een samenvatting zonder het woord.",
        inhoud=VULTEKST,
    )["slug"]
    assert slugs(zoek(client, q=woord)) == [in_titel, in_samenvatting]
