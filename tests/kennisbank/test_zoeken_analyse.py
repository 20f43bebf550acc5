"""Search behaviour on a small fixed corpus, in pure Python (no database)."""

from __future__ import annotations

import asyncio

import pytest

from services.kennisbank.search.analyse import analysator, vouw
from services.kennisbank.search.fragment import maak_fragment
from services.kennisbank.search.geheugen import GeheugenIndex, ZoekDocument
from services.kennisbank.search.synoniemen import standaard_synoniemen
from services.kennisbank.search.woordenboek import gelijkenis
from services.kennisbank.search.zoekmachine import Filters, Zoekresultaat, zoek
from services.kennisbank.search.zoekvraag import maak_zoekplan

ANALYSE = analysator()

CORPUS = [
    ZoekDocument(
        "1",
        "bedreiging-melden",
        "Een bedreiging melden",
        "Wat u doet na een bedreiging.",
        "Na een bedreiging doet u aangifte bij de politie.",
        ("aangifte",),
        ("politieke_ambtsdragers",),
        "handreiking",
    ),
    ZoekDocument(
        "2",
        "intimidatie-balie",
        "Intimidatie aan de balie",
        "Medewerkers die zijn geïntimideerd krijgen opvang.",
        "Een baliemedewerker die is geïntimideerd, krijgt dezelfde dag een gesprek.",
        ("agressieprotocol",),
        ("ambtenaren",),
        "protocol",
    ),
    ZoekDocument(
        "3",
        "persoonsgegevens-online",
        "Persoonsgegevens beschermen",
        "Als uw huisadres online staat.",
        "Wanneer iemand uw huisadres online zet, legt u bewijs vast en meldt u het.",
        ("digitale_dreiging",),
        ("journalisten", "ambtenaren"),
        "handreiking",
    ),
    ZoekDocument(
        "4",
        "woningscan",
        "Woningscan",
        "Een adviseur bekijkt uw woning.",
        "De scan kijkt naar deuren en ramen. Ook de tuin van de woning telt mee.",
        ("woningscan", "beveiliging"),
        ("politieke_ambtsdragers",),
        "factsheet",
    ),
    ZoekDocument(
        "5",
        "verlichting",
        "Verlichting rond het huis",
        "Licht houdt ongewenst bezoek op afstand.",
        "Buitenlicht helpt. Een woningscan geeft advies over verlichting en camera's.",
        ("beveiliging",),
        ("politieke_ambtsdragers",),
        "factsheet",
    ),
]
INDEX = GeheugenIndex(CORPUS, ANALYSE)


def zoeken(vraag: str, filters: Filters | None = None) -> Zoekresultaat:
    return asyncio.run(
        zoek(
            INDEX,
            vraag,
            filters or Filters(),
            pagina=1,
            grootte=10,
            analyse=ANALYSE,
            synoniemen=standaard_synoniemen(),
        )
    )


def slugs(vraag: str, filters: Filters | None = None) -> list[str]:
    return [t.slug for t in zoeken(vraag, filters).treffers]


def test_plural_finds_singular_bedreigingen_bedreiging() -> None:
    assert ANALYSE.stam("bedreigingen") == ANALYSE.stam("bedreiging")
    assert slugs("bedreigingen")[0] == "bedreiging-melden"


def test_participle_and_present_tense_share_the_stem() -> None:
    assert ANALYSE.stam("bedreigd") == ANALYSE.stam("bedreiging") == ANALYSE.stam("bedreigt")


def test_without_accents_finds_accented_geintimideerd() -> None:
    assert vouw("Geïntimideerd") == "geintimideerd"
    assert slugs("geintimideerd")[0] == "intimidatie-balie"


def test_stop_words_are_ignored() -> None:
    plan = maak_zoekplan("wat moet ik doen als", analyse=ANALYSE)
    assert plan.leeg
    assert zoeken("wat moet ik doen als").aantal == 0


def test_question_with_a_word_no_article_holds_still_finds() -> None:
    resultaat = zoeken("wat moet ik met een bedreiging en een giraffe")
    assert resultaat.treffers
    assert resultaat.treffers[0].slug == "bedreiging-melden"


def test_more_matching_words_rank_higher() -> None:
    # both mention woningscan; only "woningscan" itself also has deuren and ramen
    assert slugs("woningscan deuren ramen")[0] == "woningscan"


def test_title_ranks_above_body() -> None:
    # "woningscan" is the title of 4 and only a body word of 5
    gevonden = slugs("woningscan")
    assert gevonden.index("woningscan") < gevonden.index("verlichting")


def test_typo_bedriging_is_corrected_and_suggested() -> None:
    assert gelijkenis("bedriging", "bedreiging") > 0.5
    resultaat = zoeken("bedriging")
    assert resultaat.suggestie == "bedreiging"
    assert resultaat.treffers[0].slug == "bedreiging-melden"


def test_known_words_get_no_suggestion() -> None:
    assert zoeken("bedreiging").suggestie is None


def test_suggestion_keeps_the_rest_of_the_question() -> None:
    assert zoeken("Wat doe ik na een bedriging?").suggestie == "Wat doe ik na een bedreiging?"


def test_at_most_five_unknown_words_are_looked_up_per_query() -> None:
    # Each lookup's cost grows with the vocabulary, and the search is public: the sixth
    # unknown word is taken as typed. A known word and a short one use no lookup.
    vraag = "bedriging de intimidatei medewerkrs aangfite politie politei woningscna"
    assert zoeken(vraag).suggestie == (
        "bedreiging de intimidatie medewerkers aangfite politie politie woningscna"
    )


def test_synonym_dreigbrief_finds_bedreiging() -> None:
    assert "dreigbrief" not in " ".join(d.tekst for d in CORPUS)
    assert slugs("dreigbrief")[0] == "bedreiging-melden"


def test_synonym_doxing_finds_huisadres_online() -> None:
    assert slugs("doxing")[0] == "persoonsgegevens-online"


def test_synonym_phrase_huisadres_online_reaches_doxing_text() -> None:
    plan = maak_zoekplan("huisadres online", analyse=ANALYSE, synoniemen=standaard_synoniemen())
    assert ANALYSE.stam("doxing") in plan.stammen


def test_fragment_marks_hits_and_escapes_the_rest() -> None:
    fragment = maak_fragment(
        ["Zet <script>alert(1)</script> nooit je bedreigingen & adres online."],
        [ANALYSE.stam("bedreiging")],
        ANALYSE,
    )
    assert "<mark>bedreigingen</mark>" in fragment
    assert "&lt;script&gt;" in fragment
    assert "&amp;" in fragment
    assert "<script>" not in fragment


def test_search_result_fragment_marks_the_query_words() -> None:
    treffer = zoeken("geintimideerd").treffers[0]
    assert "<mark>geïntimideerd</mark>" in treffer.fragment


def test_facets_count_all_results_with_the_other_filters_applied() -> None:
    resultaat = zoeken("woningscan", Filters(doelgroep="politieke_ambtsdragers"))
    assert resultaat.aantal == 2
    assert resultaat.facetten.themas == {"beveiliging": 2, "woningscan": 1}
    assert resultaat.facetten.doelgroepen == {"politieke_ambtsdragers": 2}

    gefilterd = zoeken("woningscan", Filters(thema="woningscan"))
    assert [t.slug for t in gefilterd.treffers] == ["woningscan"]
    # the thema facet ignores the thema filter itself, so other choices stay visible
    assert gefilterd.facetten.themas == {"beveiliging": 2, "woningscan": 1}


def test_filter_on_type_and_doelgroep() -> None:
    assert slugs("huisadres", Filters(doelgroep="journalisten")) == ["persoonsgegevens-online"]
    assert slugs("huisadres", Filters(type="protocol")) == []


@pytest.mark.parametrize("vraag", ["", "   ", "?!", "de het een"])
def test_empty_questions_return_nothing(vraag: str) -> None:
    resultaat = zoeken(vraag)
    assert resultaat.aantal == 0
    assert resultaat.treffers == []


def test_ranking_is_deterministic_with_ties_broken_by_key() -> None:
    assert slugs("melden") == slugs("melden")
