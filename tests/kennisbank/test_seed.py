"""The seed content: enough articles, valid taxonomy, every topic of the issue covered."""

from __future__ import annotations

import pytest

from services.kennisbank.artikel.slug import make_slug, unique_slug
from services.kennisbank.search.tekst import markdown_naar_tekst
from services.kennisbank.seed import SeedArtikel, lees_artikel, seed_artikelen

THEMAS = {
    "agressieprotocol",
    "collectieve_norm",
    "woningscan",
    "beveiliging",
    "digitale_dreiging",
    "ondermijning",
    "nazorg",
    "aangifte",
    "publieke_dienstverlening",
    "weerbare_organisatie",
    "bewustwording",
}
DOELGROEPEN = {
    "politieke_ambtsdragers",
    "ambtenaren",
    "wetenschappers",
    "journalisten",
    "hulpverleners",
}
TYPES = {"handreiking", "protocol", "factsheet", "training", "contact", "nieuws"}

ONDERWERPEN = {
    "collectieve norm": "collectieve norm",
    "agressieprotocol balie": "agressieprotocol",
    "woningscan": "woningscan",
    "veiligheidspakket startende burgemeester": "veiligheidspakket",
    "aangifte met domiciliekeuze": "domiciliekeuze",
    "strafproces": "strafproces",
    "online dreiging en doxing": "doxing",
    "nazorg": "nazorg",
    "ondermijning": "oneigenlijke beïnvloeding",
    "verward gedrag": "verward gedrag",
    "weerbare organisatie": "zwakke schakels",
    "veilige publieke dienstverlening": "veilige publieke dienstverlening",
    "raadsleden huisbezoek en campagne": "campagne",
    "journalisten": "journalist",
    "wetenschappers": "wetenschapper",
    "hulpverleners": "hulpverlener",
}


@pytest.fixture(scope="module")
def artikelen() -> list[SeedArtikel]:
    return seed_artikelen()


def test_at_least_15_articles_with_unique_slugs(artikelen: list[SeedArtikel]) -> None:
    assert len(artikelen) >= 15
    assert len({a.slug for a in artikelen}) == len(artikelen)


def test_taxonomy_values_come_from_the_design(artikelen: list[SeedArtikel]) -> None:
    for artikel in artikelen:
        assert set(artikel.themas) <= THEMAS, artikel.bestand
        assert set(artikel.doelgroepen) <= DOELGROEPEN, artikel.bestand
        assert artikel.type in TYPES, artikel.bestand
        assert artikel.themas
        assert artikel.doelgroepen


def test_every_doelgroep_and_the_contact_type_occur(artikelen: list[SeedArtikel]) -> None:
    assert {d for a in artikelen for d in a.doelgroepen} == DOELGROEPEN
    assert any(a.type == "contact" for a in artikelen)


@pytest.mark.parametrize(("onderwerp", "kenmerk"), sorted(ONDERWERPEN.items()))
def test_every_topic_of_the_issue_has_an_article(
    artikelen: list[SeedArtikel], onderwerp: str, kenmerk: str
) -> None:
    assert any(kenmerk in (a.titel + " " + a.samenvatting).lower() for a in artikelen), onderwerp


def test_articles_are_substantial_markdown(artikelen: list[SeedArtikel]) -> None:
    for artikel in artikelen:
        tekst = markdown_naar_tekst(artikel.inhoud)
        assert len(tekst.split()) >= 250, artikel.bestand
        assert "##" in artikel.inhoud, artikel.bestand
        assert "##" not in tekst


def test_malformed_seed_file_is_refused_with_its_name() -> None:
    with pytest.raises(ValueError, match=r"kapot\.md"):
        lees_artikel("kapot.md", "---\ntitel: x\n---\ntekst")


def test_slug_is_folded_and_made_unique() -> None:
    assert make_slug("Ondermijning & oneigenlijke beïnvloeding!") == (
        "ondermijning-oneigenlijke-beinvloeding"
    )
    assert unique_slug("Woningscan", {"woningscan", "woningscan-2"}) == "woningscan-3"
    assert make_slug("???") == "artikel"
