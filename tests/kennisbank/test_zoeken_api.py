"""`GET /zoeken` through the service, on both backends."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.kennisbank.conftest import BASE, publiceer, uniek


def zoek(client: TestClient, **params: object) -> dict[str, object]:
    response = client.get(f"{BASE}/zoeken", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def slugs(body: dict[str, object]) -> list[str]:
    results = body["results"]
    assert isinstance(results, list)
    return [r["slug"] for r in results]


def test_stemming_accents_and_typos_through_the_api(
    client: TestClient, redacteur: dict[str, str]
) -> None:
    woord = uniek()
    slug = publiceer(
        client,
        redacteur,
        titel=f"Geïntimideerd na een bedreiging {woord}",
        samenvatting="Wat u doet als u bent geïntimideerd.",
        inhoud="Een bedreiging meldt u altijd.",
    )["slug"]
    assert slug in slugs(zoek(client, q=f"bedreigingen {woord}"))
    assert slug in slugs(zoek(client, q=f"geintimideerd {woord}"))
    tikfout = woord[:6] + ("a" if woord[6] != "a" else "b") + woord[7:]  # one letter wrong
    resultaat = zoek(client, q=tikfout)
    assert resultaat["suggestie"] == woord
    assert slugs(resultaat) == [slug]


def test_fragment_marks_hits_and_escapes_html(
    client: TestClient, redacteur: dict[str, str]
) -> None:
    woord = uniek()
    publiceer(
        client,
        redacteur,
        titel=f"Escape {woord}",
        samenvatting=f"Let op <b>vet</b> & {woord} hier.",
    )
    treffer = zoek(client, q=woord)["results"][0]  # type: ignore[index]
    assert f"<mark>{woord}</mark>" in treffer["fragment"]
    assert "&lt;b&gt;vet&lt;/b&gt; &amp;" in treffer["fragment"]


def test_title_above_body_and_more_words_above_fewer(
    client: TestClient, redacteur: dict[str, str]
) -> None:
    woord, ander = uniek(), uniek()
    in_tekst = publiceer(
        client, redacteur, titel=f"Iets anders {ander}", inhoud=f"Hier staat {woord} in de tekst."
    )["slug"]
    in_titel = publiceer(client, redacteur, titel=f"Over {woord}", inhoud="Gewone tekst.")["slug"]
    assert slugs(zoek(client, q=woord)) == [in_titel, in_tekst]
    # a question holding both words puts the article with both first, and finds both
    assert slugs(zoek(client, q=f"wat weet u van {woord} en {ander}"))[0] == in_tekst


def test_facets_and_filters(client: TestClient, redacteur: dict[str, str]) -> None:
    woord = uniek()
    publiceer(
        client, redacteur, titel=f"A {woord}", themas=["nazorg"], doelgroepen=["journalisten"]
    )
    publiceer(
        client,
        redacteur,
        titel=f"B {woord}",
        themas=["nazorg", "aangifte"],
        doelgroepen=["ambtenaren"],
    )
    alles = zoek(client, q=woord)
    assert alles["count"] == 2
    assert alles["facetten"] == {
        "themas": {"aangifte": 1, "nazorg": 2},
        "doelgroepen": {"ambtenaren": 1, "journalisten": 1},
    }
    gefilterd = zoek(client, q=woord, doelgroep="journalisten")
    assert gefilterd["count"] == 1
    assert gefilterd["facetten"] == {
        "themas": {"nazorg": 1},
        "doelgroepen": {"ambtenaren": 1, "journalisten": 1},
    }


def test_filter_on_type_with_hits(client: TestClient, redacteur: dict[str, str]) -> None:
    # Found by fuzzing through the gateway: the type filter's EXISTS lost its FROM (500)
    # in the ranking queries, which join the article table themselves.
    woord = uniek()
    slug = publiceer(client, redacteur, titel=f"Protocol {woord}", type="protocol")["slug"]
    publiceer(client, redacteur, titel=f"Handreiking {woord}", type="handreiking")
    assert slugs(zoek(client, q=woord, type="protocol")) == [slug]
    assert zoek(client, q=woord, type="factsheet", doelgroep="ambtenaren")["count"] == 0


def test_question_is_required_and_page_size_bounded(client: TestClient) -> None:
    assert client.get(f"{BASE}/zoeken").status_code == 400
    assert client.get(f"{BASE}/zoeken", params={"q": "x", "pageSize": 101}).status_code == 400
    leeg = zoek(client, q="de het een")
    assert leeg["count"] == 0
    assert leeg["suggestie"] is None
