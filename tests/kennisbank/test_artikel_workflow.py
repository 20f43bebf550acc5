"""Articles: the editorial workflow, revisions, slugs, ETags and who sees what."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.kennisbank.conftest import BASE, artikel_body, publiceer, uniek


def test_editor_creates_a_concept_with_location_etag_and_revision(
    client: TestClient, redacteur: dict[str, str]
) -> None:
    response = client.post(f"{BASE}/artikelen", json=artikel_body(), headers=redacteur)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "concept"
    assert body["versie"] == 1
    assert response.headers["location"].endswith(f"/artikelen/{body['slug']}")
    assert response.headers["etag"]
    assert body["inhoudHtml"].startswith("<h2>Eerst</h2>")
    assert body["gepubliceerdOp"] is None


def test_drafts_are_invisible_to_the_public_in_detail_list_and_search(
    client: TestClient, redacteur: dict[str, str]
) -> None:
    woord = uniek()
    created = client.post(
        f"{BASE}/artikelen", json=artikel_body(titel=f"Concept {woord}"), headers=redacteur
    ).json()
    slug = created["slug"]

    assert client.get(f"{BASE}/artikelen/{slug}").status_code == 404
    publiek = client.get(f"{BASE}/artikelen", params={"pageSize": 100}).json()
    assert all(a["status"] == "gepubliceerd" for a in publiek["results"])
    assert slug not in {a["slug"] for a in publiek["results"]}
    assert client.get(f"{BASE}/zoeken", params={"q": woord}).json()["count"] == 0
    assert client.get(f"{BASE}/artikelen", params={"status": "concept"}).json()["count"] == 0

    # the editor sees it, with its status, also through the status filter
    assert client.get(f"{BASE}/artikelen/{slug}", headers=redacteur).status_code == 200
    concepten = client.get(
        f"{BASE}/artikelen", params={"status": "concept", "pageSize": 100}, headers=redacteur
    ).json()
    assert slug in {a["slug"] for a in concepten["results"]}


def test_publish_archive_and_back_to_concept_keep_search_in_step(
    client: TestClient, redacteur: dict[str, str]
) -> None:
    woord = uniek()
    artikel = publiceer(client, redacteur, titel=f"Gepubliceerd {woord}")
    slug = artikel["slug"]
    assert artikel["status"] == "gepubliceerd"
    assert artikel["gepubliceerdOp"]
    assert client.get(f"{BASE}/artikelen/{slug}").status_code == 200
    gevonden = client.get(f"{BASE}/zoeken", params={"q": woord}).json()
    assert [r["slug"] for r in gevonden["results"]] == [slug]

    archief = client.post(
        f"{BASE}/artikelen/{slug}/statuswijzigingen",
        json={"status": "gearchiveerd"},
        headers=redacteur,
    )
    assert archief.status_code == 201
    assert client.get(f"{BASE}/artikelen/{slug}").status_code == 404
    assert client.get(f"{BASE}/zoeken", params={"q": woord}).json()["count"] == 0

    terug = client.post(
        f"{BASE}/artikelen/{slug}/statuswijzigingen", json={"status": "concept"}, headers=redacteur
    )
    assert terug.status_code == 201
    assert terug.json()["status"] == "concept"


def test_moves_outside_the_workflow_are_409(client: TestClient, redacteur: dict[str, str]) -> None:
    slug = client.post(f"{BASE}/artikelen", json=artikel_body(), headers=redacteur).json()["slug"]
    for status in ("gearchiveerd", "concept"):
        response = client.post(
            f"{BASE}/artikelen/{slug}/statuswijzigingen",
            json={"status": status},
            headers=redacteur,
        )
        assert response.status_code == 409
        assert response.json()["type"] == "urn:weerbaar:probleem:ongeldige-statusovergang"
        assert response.headers["content-type"].startswith("application/problem+json")


def test_every_change_keeps_a_revision(client: TestClient, redacteur: dict[str, str]) -> None:
    artikel = publiceer(client, redacteur)
    slug = artikel["slug"]
    client.patch(f"{BASE}/artikelen/{slug}", json={"titel": "Nieuwe titel"}, headers=redacteur)
    response = client.get(f"{BASE}/artikelen/{slug}/revisies", headers=redacteur)
    assert response.status_code == 200
    revisies = response.json()
    assert revisies["count"] == 3
    assert [r["versie"] for r in revisies["results"]] == [3, 2, 1]
    assert [r["actie"] for r in revisies["results"]] == [
        "gewijzigd",
        "status_gewijzigd",
        "aangemaakt",
    ]
    assert revisies["results"][0]["titel"] == "Nieuwe titel"
    assert revisies["results"][2]["titel"] == artikel_body()["titel"]
    assert revisies["results"][2]["status"] == "concept"


def test_patch_honours_if_match_and_keeps_the_slug(
    client: TestClient, redacteur: dict[str, str]
) -> None:
    created = client.post(f"{BASE}/artikelen", json=artikel_body(), headers=redacteur)
    slug, etag = created.json()["slug"], created.headers["etag"]

    eerste = client.patch(
        f"{BASE}/artikelen/{slug}",
        json={"titel": "Een heel andere titel", "themas": ["nazorg", "aangifte"]},
        headers={**redacteur, "If-Match": etag},
    )
    assert eerste.status_code == 200, eerste.text
    assert eerste.json()["slug"] == slug
    assert eerste.json()["themas"] == ["aangifte", "nazorg"]
    assert eerste.headers["etag"] != etag

    verouderd = client.patch(
        f"{BASE}/artikelen/{slug}",
        json={"samenvatting": "Te laat."},
        headers={**redacteur, "If-Match": etag},
    )
    assert verouderd.status_code == 412
    assert client.get(f"{BASE}/artikelen/{slug}", headers=redacteur).json()["samenvatting"] != (
        "Te laat."
    )


def test_slugs_are_unique_with_a_numeric_suffix(
    client: TestClient, redacteur: dict[str, str]
) -> None:
    titel = f"Dubbele titel {uniek()}"
    eerste = client.post(f"{BASE}/artikelen", json=artikel_body(titel=titel), headers=redacteur)
    tweede = client.post(f"{BASE}/artikelen", json=artikel_body(titel=titel), headers=redacteur)
    assert tweede.json()["slug"] == eerste.json()["slug"] + "-2"


def test_unknown_and_read_only_fields_are_400_with_every_problem(
    client: TestClient, redacteur: dict[str, str]
) -> None:
    response = client.post(
        f"{BASE}/artikelen",
        json=artikel_body(slug="eigen-slug", kleur="rood", themas=["onbekend"]),
        headers=redacteur,
    )
    assert response.status_code == 400
    namen = {p["name"] for p in response.json()["invalidParams"]}
    assert {"slug", "kleur", "themas.0"} <= namen


def test_markdown_is_offered_as_sanitised_html(
    client: TestClient, redacteur: dict[str, str]
) -> None:
    inhoud = (
        'Tekst <script>alert(1)</script> <img src=x onerror="alert(1)">\n\n'
        '[klik](javascript:alert(1)) <a href="javascript:alert(2)">hier</a> '
        "[goed](https://example.org)\n"
    )
    body = client.post(
        f"{BASE}/artikelen", json=artikel_body(inhoud=inhoud), headers=redacteur
    ).json()
    html = body["inhoudHtml"]
    assert body["inhoud"] == inhoud
    assert "<script" not in html
    assert "onerror" not in html
    assert "javascript:" not in html.replace("[klik](javascript:alert(1))", "")
    assert 'href="javascript' not in html
    assert '<a href="https://example.org"' in html


def test_list_filters_and_paging(client: TestClient, redacteur: dict[str, str]) -> None:
    publiceer(
        client, redacteur, themas=["ondermijning"], doelgroepen=["wetenschappers"], type="nieuws"
    )
    gefilterd = client.get(
        f"{BASE}/artikelen",
        params={"thema": "ondermijning", "doelgroep": "wetenschappers", "type": "nieuws"},
    ).json()
    assert gefilterd["count"] >= 1
    assert all(a["type"] == "nieuws" for a in gefilterd["results"])
    pagina = client.get(f"{BASE}/artikelen", params={"pageSize": 1}).json()
    assert len(pagina["results"]) == 1
    assert pagina["next"] is not None
    assert client.get(f"{BASE}/artikelen", params={"pageSize": 101}).status_code == 400


def test_patch_needs_a_field_and_refuses_null_and_read_only_fields(
    client: TestClient, redacteur: dict[str, str]
) -> None:
    slug = client.post(f"{BASE}/artikelen", json=artikel_body(), headers=redacteur).json()["slug"]
    for body in ({}, {"titel": None}, {"slug": "anders"}, {"status": "gepubliceerd"}):
        response = client.patch(f"{BASE}/artikelen/{slug}", json=body, headers=redacteur)
        assert response.status_code == 400, body
        assert response.json()["invalidParams"]
    assert client.get(f"{BASE}/artikelen/{slug}", headers=redacteur).json()["versie"] == 1


def test_if_match_is_a_list_compared_strongly_and_star_passes(
    client: TestClient, redacteur: dict[str, str]
) -> None:
    created = client.post(f"{BASE}/artikelen", json=artikel_body(), headers=redacteur)
    slug, etag = created.json()["slug"], created.headers["etag"]
    url = f"{BASE}/artikelen/{slug}"

    weak = client.patch(
        url, json={"samenvatting": "Zwak."}, headers={**redacteur, "If-Match": f"W/{etag}"}
    )
    assert weak.status_code == 412, weak.text
    assert weak.json()["type"] == "urn:weerbaar:probleem:verouderde-versie"

    listed = client.patch(
        url,
        json={"samenvatting": "Uit een lijst."},
        headers={**redacteur, "If-Match": f'"000000000000-9", {etag}'},
    )
    assert listed.status_code == 200, listed.text
    assert listed.headers["etag"] != etag

    star = client.patch(url, json={"samenvatting": "Ster."}, headers={**redacteur, "If-Match": "*"})
    assert star.status_code == 200, star.text

    too_long = client.patch(
        url, json={"samenvatting": "Te lang."}, headers={**redacteur, "If-Match": "x" * 201}
    )
    assert too_long.status_code == 400, too_long.text
    assert client.get(url, headers=redacteur).json()["samenvatting"] == "Ster."
