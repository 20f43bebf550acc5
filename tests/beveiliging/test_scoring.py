"""Risk-analysis scoring: thresholds at each level's boundaries, escalations, validation."""

from __future__ import annotations

import pytest

from services.beveiliging.risicoanalyse.scoring import (
    Antwoorden,
    beoordeel,
    valideer_antwoorden,
)
from services.beveiliging.risicoanalyse.vragenlijst import (
    VRAGENLIJST_V1,
    VRAGENLIJSTEN,
    Niveau,
    VraagType,
)

V1 = VRAGENLIJST_V1


def laagste(**overrides: bool | int) -> dict[str, bool | int]:
    antwoorden: dict[str, bool | int] = {
        v.code: (False if v.type is VraagType.ja_nee else 0) for v in V1.vragen
    }
    antwoorden.update(overrides)
    return antwoorden


def hoogste() -> dict[str, bool | int]:
    return {v.code: (True if v.type is VraagType.ja_nee else 3) for v in V1.vragen}


def test_questionnaire_v1_has_ten_domain_questions_of_both_types() -> None:
    assert len(V1.vragen) >= 10
    assert {v.type for v in V1.vragen} == set(VraagType)
    assert len({v.code for v in V1.vragen}) == len(V1.vragen)
    assert all(v.gewicht > 0 for v in V1.vragen)
    assert VRAGENLIJSTEN[1] is V1


def test_every_answer_at_its_lowest_is_laag() -> None:
    uitkomst = beoordeel(V1, laagste())
    assert (uitkomst.score, uitkomst.niveau) == (0, Niveau.laag)
    assert uitkomst.aanbevolen_maatregelen == ()


def test_every_answer_at_its_highest_is_hoog() -> None:
    uitkomst = beoordeel(V1, hoogste())
    assert uitkomst.score == uitkomst.max_score == 40
    assert uitkomst.niveau is Niveau.hoog


# Answers without the escalating ones (wapens_genoemd; crimineel_motief with bedreiging_aan_huis),
# so the level comes from the thresholds alone.
GRENZEN: list[tuple[Antwoorden, int, Niveau]] = [
    (laagste(eerdere_bedreigingen=True, gezin_betrokken=True, adres_online=True,
             publieke_zichtbaarheid=1), 9, Niveau.laag),
    (laagste(eerdere_bedreigingen=True, gezin_betrokken=True, adres_online=True,
             publieke_zichtbaarheid=2), 10, Niveau.verhoogd),
    (laagste(eerdere_bedreigingen=True, gezin_betrokken=True, bedreiging_aan_huis=True,
             bekende_dader=True, online_dreiging=3, voorspelbare_routines=1), 19, Niveau.verhoogd),
    (laagste(eerdere_bedreigingen=True, gezin_betrokken=True, bedreiging_aan_huis=True,
             bekende_dader=True, online_dreiging=3, voorspelbare_routines=2), 20, Niveau.hoog),
]  # fmt: skip


@pytest.mark.parametrize(("antwoorden", "score", "niveau"), GRENZEN)
def test_thresholds_at_each_level_boundary(
    antwoorden: Antwoorden, score: int, niveau: Niveau
) -> None:
    uitkomst = beoordeel(V1, antwoorden)
    assert (uitkomst.score, uitkomst.niveau) == (score, niveau)


def test_weapons_mentioned_raise_a_low_score_to_verhoogd() -> None:
    uitkomst = beoordeel(V1, laagste(wapens_genoemd=True))
    assert uitkomst.score < V1.verhoogd_vanaf
    assert uitkomst.niveau is Niveau.verhoogd


def test_criminal_motive_with_threat_at_home_is_hoog_whatever_the_score() -> None:
    uitkomst = beoordeel(V1, laagste(crimineel_motief=True, bedreiging_aan_huis=True))
    assert uitkomst.score < V1.hoog_vanaf
    assert uitkomst.niveau is Niveau.hoog


def test_scoring_is_deterministic_and_independent_of_answer_order() -> None:
    antwoorden = hoogste()
    omgekeerd = dict(reversed(list(antwoorden.items())))
    assert beoordeel(V1, antwoorden) == beoordeel(V1, omgekeerd) == beoordeel(V1, antwoorden)


def test_valid_answers_have_no_problems() -> None:
    assert valideer_antwoorden(V1, laagste()) == []
    assert valideer_antwoorden(V1, hoogste()) == []


def test_every_invalid_answer_is_reported_at_once() -> None:
    antwoorden: dict[str, object] = dict(laagste())
    del antwoorden["eerdere_bedreigingen"]
    antwoorden["bestaat_niet"] = True
    antwoorden["wapens_genoemd"] = 1  # an int is not a ja/nee answer
    antwoorden["online_dreiging"] = True  # a boolean is not a scale answer
    antwoorden["publieke_zichtbaarheid"] = 4
    antwoorden["voorspelbare_routines"] = -1
    antwoorden["incidenten_gemeente"] = "2"
    problemen = {(p.name, p.code) for p in valideer_antwoorden(V1, antwoorden)}
    assert problemen == {
        ("antwoorden.bestaat_niet", "unknown_field"),
        ("antwoorden.eerdere_bedreigingen", "required"),
        ("antwoorden.wapens_genoemd", "type"),
        ("antwoorden.online_dreiging", "type"),
        ("antwoorden.publieke_zichtbaarheid", "range"),
        ("antwoorden.voorspelbare_routines", "range"),
        ("antwoorden.incidenten_gemeente", "type"),
    }
