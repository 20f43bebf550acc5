"""Recommendation rules fire on answers (not only on the level), in catalogue order."""

from __future__ import annotations

import pytest

from services.beveiliging.maatregel.catalogus import CATALOGUS, CATALOGUS_CODES, Categorie
from services.beveiliging.risicoanalyse.scoring import beoordeel
from services.beveiliging.risicoanalyse.vragenlijst import (
    VRAGENLIJST_V1,
    Aanbevelingsregel,
    Niveau,
    VraagType,
)
from services.beveiliging.veiligheidspakket.standaard import STANDAARD_PAKKET

V1 = VRAGENLIJST_V1
CATALOGUSVOLGORDE = [m.code for m in CATALOGUS]


def laagste(**overrides: bool | int) -> dict[str, bool | int]:
    antwoorden: dict[str, bool | int] = {
        v.code: (False if v.type is VraagType.ja_nee else 0) for v in V1.vragen
    }
    antwoorden.update(overrides)
    return antwoorden


def antwoorden_voor(regel: Aanbevelingsregel) -> dict[str, bool | int]:
    """The lowest answers, except exactly what the rule's conditions need."""
    overrides: dict[str, bool | int] = {}
    for w in regel.voorwaarden:
        vraag = V1.vraag(w.vraag)
        assert vraag is not None
        overrides[w.vraag] = True if vraag.type is VraagType.ja_nee else w.minimaal
    return laagste(**overrides)


def test_catalogue_has_fifteen_real_measures_in_every_category() -> None:
    assert len(CATALOGUS) >= 15
    assert {m.categorie for m in CATALOGUS} == set(Categorie)
    assert len(CATALOGUS_CODES) == len(CATALOGUS)
    assert all(m.naam and len(m.omschrijving) > 40 for m in CATALOGUS)


def test_every_rule_and_the_package_refer_to_catalogue_measures() -> None:
    for regel in V1.regels:
        assert set(regel.maatregelen) <= CATALOGUS_CODES, regel.code
        assert all(V1.vraag(w.vraag) is not None for w in regel.voorwaarden), regel.code
    assert {p.maatregel for p in STANDAARD_PAKKET} <= CATALOGUS_CODES


@pytest.mark.parametrize(
    "regel",
    [r for r in V1.regels if r.minimaal_niveau is Niveau.laag],
    ids=lambda r: r.code,
)
def test_rule_fires_on_its_answers_alone(regel: Aanbevelingsregel) -> None:
    aanbevolen = beoordeel(V1, antwoorden_voor(regel)).aanbevolen_maatregelen
    assert set(regel.maatregelen) <= set(aanbevolen)


@pytest.mark.parametrize(
    ("antwoorden", "verwacht"),
    [
        (laagste(adres_online=True), ["afscherming_adresgegevens",
                                       "online_persoonsgegevens_verwijderen"]),
        (laagste(online_dreiging=1), []),
        (laagste(online_dreiging=2), ["monitoring_online_dreiging", "tweestapsverificatie",
                                      "privacy_instellingen_sociale_media"]),
        (laagste(voorspelbare_routines=1), []),
        (laagste(voorspelbare_routines=2), ["weerbaarheidstraining"]),
        (laagste(wapens_genoemd=True), ["paniekknop", "vaste_contactpersoon_politie",
                                         "extra_surveillance"]),
    ],
)  # fmt: skip
def test_rules_fire_from_their_threshold_on(
    antwoorden: dict[str, bool | int], verwacht: list[str]
) -> None:
    aanbevolen = beoordeel(V1, antwoorden).aanbevolen_maatregelen
    assert list(aanbevolen) == sorted(verwacht, key=CATALOGUSVOLGORDE.index)


def test_personal_protection_only_recommended_at_hoog_with_criminal_motive() -> None:
    alleen_motief = beoordeel(V1, laagste(crimineel_motief=True))
    assert alleen_motief.niveau is Niveau.laag
    assert "persoonsbeveiliging" not in alleen_motief.aanbevolen_maatregelen
    met_huis = beoordeel(V1, laagste(crimineel_motief=True, bedreiging_aan_huis=True))
    assert met_huis.niveau is Niveau.hoog
    assert "persoonsbeveiliging" in met_huis.aanbevolen_maatregelen
    hoog_zonder_motief = beoordeel(
        V1,
        laagste(eerdere_bedreigingen=True, gezin_betrokken=True, bedreiging_aan_huis=True,
                bekende_dader=True, online_dreiging=3, voorspelbare_routines=3),
    )  # fmt: skip
    assert hoog_zonder_motief.niveau is Niveau.hoog
    assert "persoonsbeveiliging" not in hoog_zonder_motief.aanbevolen_maatregelen


def test_recommendations_are_unique_and_in_catalogue_order() -> None:
    aanbevolen = beoordeel(
        V1, laagste(crimineel_motief=True, wapens_genoemd=True, bekende_dader=True)
    ).aanbevolen_maatregelen
    assert len(set(aanbevolen)) == len(aanbevolen)
    assert list(aanbevolen) == sorted(aanbevolen, key=CATALOGUSVOLGORDE.index)
    assert aanbevolen.count("vaste_contactpersoon_politie") == 1
