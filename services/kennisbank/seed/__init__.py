"""Seed content: published articles written for this platform, one Markdown file each.

Each file starts with a header between ``---`` lines (``titel``, ``samenvatting``,
comma-separated ``themas`` and ``doelgroepen``, ``type``), then the Markdown body.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from services.kennisbank.artikel.slug import make_slug

VERPLICHT = ("titel", "samenvatting", "themas", "doelgroepen", "type")


@dataclass(frozen=True, slots=True)
class SeedArtikel:
    bestand: str
    titel: str
    samenvatting: str
    inhoud: str
    themas: tuple[str, ...]
    doelgroepen: tuple[str, ...]
    type: str

    @property
    def slug(self) -> str:
        return make_slug(self.titel)


def lees_artikel(bestand: str, tekst: str) -> SeedArtikel:
    """Parse one seed file; raises ValueError naming the file when it is malformed."""
    if not tekst.startswith("---\n"):
        raise ValueError(f"{bestand}: kop ontbreekt")
    kop, _, inhoud = tekst[4:].partition("\n---\n")
    velden: dict[str, str] = {}
    for regel in kop.splitlines():
        sleutel, scheiding, waarde = regel.partition(":")
        if not scheiding:
            raise ValueError(f"{bestand}: ongeldige kopregel {regel!r}")
        velden[sleutel.strip()] = waarde.strip()
    ontbreekt = [v for v in VERPLICHT if not velden.get(v)]
    if ontbreekt or not inhoud.strip():
        raise ValueError(f"{bestand}: ontbreekt {', '.join(ontbreekt) or 'inhoud'}")
    return SeedArtikel(
        bestand=bestand,
        titel=velden["titel"],
        samenvatting=velden["samenvatting"],
        inhoud=inhoud.strip() + "\n",
        themas=_lijst(velden["themas"]),
        doelgroepen=_lijst(velden["doelgroepen"]),
        type=velden["type"],
    )


def _lijst(waarde: str) -> tuple[str, ...]:
    return tuple(deel.strip() for deel in waarde.split(",") if deel.strip())


def seed_artikelen() -> list[SeedArtikel]:
    """All seed articles, in file order."""
    map_ = resources.files("services.kennisbank.seed").joinpath("artikelen")
    artikelen = [
        lees_artikel(bron.name, bron.read_text(encoding="utf-8"))
        for bron in sorted(map_.iterdir(), key=lambda b: b.name)
        if bron.name.endswith(".md")
    ]
    return artikelen
