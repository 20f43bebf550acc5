"""The risk-analysis questionnaire as versioned data.

A question is `ja_nee` (answer true/false, worth its weight when true) or
`schaal_0_3` (answer 0..3, worth weight × answer). A stored analysis keeps the
version it was answered with; a new version is a new entry in `VRAGENLIJSTEN`,
never an edit of an old one.

Scoring (version 1, documented in the OpenAPI description too):

- score = the sum of the points of all answers; 0 ≤ score ≤ 40;
- niveau: `laag` below 10, `verhoogd` from 10, `hoog` from 20;
- escalations on answers, whatever the score: weapons mentioned → at least
  `verhoogd`; a criminal motive together with a threat at home → `hoog`;
- recommended measures follow from the explicit rules in `AANBEVELINGSREGELS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class VraagType(StrEnum):
    ja_nee = "ja_nee"
    schaal_0_3 = "schaal_0_3"


class Niveau(StrEnum):
    laag = "laag"
    verhoogd = "verhoogd"
    hoog = "hoog"


NIVEAU_VOLGORDE: tuple[Niveau, ...] = (Niveau.laag, Niveau.verhoogd, Niveau.hoog)


@dataclass(frozen=True)
class Vraag:
    code: str
    vraag: str
    type: VraagType
    gewicht: int

    @property
    def max_punten(self) -> int:
        return self.gewicht * (3 if self.type is VraagType.schaal_0_3 else 1)


@dataclass(frozen=True)
class Voorwaarde:
    """Holds when the answer to `vraag` is at least `minimaal` (ja counts as 1, nee as 0)."""

    vraag: str
    minimaal: int = 1


@dataclass(frozen=True)
class Ophoging:
    """Raises the level to at least `niveau` when all conditions hold."""

    voorwaarden: tuple[Voorwaarde, ...]
    niveau: Niveau
    toelichting: str


@dataclass(frozen=True)
class Aanbevelingsregel:
    """Recommends `maatregelen` when all conditions hold (and the level is reached)."""

    code: str
    toelichting: str
    voorwaarden: tuple[Voorwaarde, ...]
    maatregelen: tuple[str, ...]
    minimaal_niveau: Niveau = Niveau.laag


@dataclass(frozen=True)
class Vragenlijst:
    versie: int
    vragen: tuple[Vraag, ...]
    verhoogd_vanaf: int
    hoog_vanaf: int
    ophogingen: tuple[Ophoging, ...]
    regels: tuple[Aanbevelingsregel, ...]

    @property
    def max_score(self) -> int:
        return sum(v.max_punten for v in self.vragen)

    def vraag(self, code: str) -> Vraag | None:
        return next((v for v in self.vragen if v.code == code), None)


_JN, _S3 = VraagType.ja_nee, VraagType.schaal_0_3


def _w(vraag: str, minimaal: int = 1) -> Voorwaarde:
    return Voorwaarde(vraag, minimaal)


VRAGEN_V1: tuple[Vraag, ...] = (
    Vraag(
        "eerdere_bedreigingen",
        "Bent u in de afgelopen twaalf maanden bedreigd, geïntimideerd of lastiggevallen?",
        _JN,
        3,
    ),
    Vraag(
        "bedreiging_aan_huis",
        "Heeft er een bedreiging of incident plaatsgevonden bij uw woning?",
        _JN,
        4,
    ),
    Vraag(
        "crimineel_motief",
        "Zijn er aanwijzingen voor een crimineel motief, bijvoorbeeld ondermijning?",
        _JN,
        4,
    ),
    Vraag(
        "adres_online",
        "Is uw woonadres online of via openbare registers te vinden?",
        _JN,
        2,
    ),
    Vraag(
        "gezin_betrokken",
        "Zijn gezinsleden of naasten bedreigd, benaderd of genoemd?",
        _JN,
        3,
    ),
    Vraag(
        "bekende_dader",
        "Is de dader of afzender van de bedreiging u persoonlijk bekend?",
        _JN,
        2,
    ),
    Vraag(
        "wapens_genoemd",
        "Zijn er wapens genoemd of getoond?",
        _JN,
        4,
    ),
    Vraag(
        "publieke_zichtbaarheid",
        "Hoe zichtbaar is uw rol in de media en het publieke debat? (0 = nauwelijks, 3 = zeer)",
        _S3,
        1,
    ),
    Vraag(
        "controversiele_besluiten",
        "In welke mate staan omstreden besluiten op de agenda waarbij u zichtbaar betrokken "
        "bent, zoals een sluiting van een pand of de komst van een opvanglocatie? "
        "(0 = geen, 3 = meerdere)",
        _S3,
        1,
    ),
    Vraag(
        "incidenten_gemeente",
        "Hoe vaak kwamen in het afgelopen jaar incidenten tegen bestuurders in uw gemeente "
        "voor? (0 = nooit, 3 = vaak)",
        _S3,
        1,
    ),
    Vraag(
        "online_dreiging",
        "In welke mate wordt u online bedreigd, beschimpt of worden uw gegevens verspreid? "
        "(0 = niet, 3 = ernstig)",
        _S3,
        2,
    ),
    Vraag(
        "voorspelbare_routines",
        "Hoe voorspelbaar zijn uw dagelijkse routes en vaste tijden? (0 = niet, 3 = zeer)",
        _S3,
        1,
    ),
)

OPHOGINGEN_V1: tuple[Ophoging, ...] = (
    Ophoging((_w("wapens_genoemd"),), Niveau.verhoogd, "Wapens genoemd: minimaal verhoogd."),
    Ophoging(
        (_w("crimineel_motief"), _w("bedreiging_aan_huis")),
        Niveau.hoog,
        "Crimineel motief en een bedreiging aan huis: hoog.",
    ),
)

REGELS_V1: tuple[Aanbevelingsregel, ...] = (
    Aanbevelingsregel(
        "adres_vindbaar",
        "Het woonadres is vindbaar: afschermen en online laten verwijderen.",
        (_w("adres_online"),),
        ("afscherming_adresgegevens", "online_persoonsgegevens_verwijderen"),
    ),
    Aanbevelingsregel(
        "dreiging_aan_huis",
        "Een incident aan huis: de woning fysiek en elektronisch versterken.",
        (_w("bedreiging_aan_huis"),),
        (
            "skg_hang_en_sluitwerk",
            "buitenverlichting_bewegingsmelder",
            "camerabewaking",
            "aandachtsadres_meldkamer",
        ),
    ),
    Aanbevelingsregel(
        "crimineel_motief",
        "Ondermijning: alarmering, brandpreventie en een vaste lijn met de politie.",
        (_w("crimineel_motief"),),
        (
            "inbraakalarm_doormelding",
            "brandwerende_brievenbus",
            "vaste_contactpersoon_politie",
            "domiciliekeuze_aangifte",
        ),
    ),
    Aanbevelingsregel(
        "wapens",
        "Wapens genoemd: snel alarm kunnen slaan en meer politie-aandacht.",
        (_w("wapens_genoemd"),),
        ("paniekknop", "extra_surveillance", "vaste_contactpersoon_politie"),
    ),
    Aanbevelingsregel(
        "gezin",
        "Het gezin is betrokken: ondersteuning en training ook voor naasten.",
        (_w("gezin_betrokken"),),
        (
            "weerbaarheidstraining",
            "psychosociale_ondersteuning",
            "privacy_instellingen_sociale_media",
        ),
    ),
    Aanbevelingsregel(
        "online",
        "Ernstige online dreiging: accounts beveiligen en uitingen volgen.",
        (_w("online_dreiging", 2),),
        (
            "monitoring_online_dreiging",
            "tweestapsverificatie",
            "privacy_instellingen_sociale_media",
        ),
    ),
    Aanbevelingsregel(
        "eerdere_bedreiging",
        "Eerder bedreigd: aangifte zonder woonadres en nazorg.",
        (_w("eerdere_bedreigingen"),),
        ("domiciliekeuze_aangifte", "psychosociale_ondersteuning"),
    ),
    Aanbevelingsregel(
        "bekende_dader",
        "Een bekende dader: aangifte zonder woonadres en een vaste lijn met de politie.",
        (_w("bekende_dader"),),
        ("domiciliekeuze_aangifte", "vaste_contactpersoon_politie"),
    ),
    Aanbevelingsregel(
        "routines",
        "Voorspelbare routines: weerbaarheidstraining.",
        (_w("voorspelbare_routines", 2),),
        ("weerbaarheidstraining",),
    ),
    Aanbevelingsregel(
        "zichtbaarheid",
        "Een zeer zichtbare rol: accounts beveiligen en weerbaarheid trainen.",
        (_w("publieke_zichtbaarheid", 2),),
        ("tweestapsverificatie", "weerbaarheidstraining"),
    ),
    Aanbevelingsregel(
        "omstreden_besluiten",
        "Omstreden besluiten op komst: de woning en het adres beschermen.",
        (_w("controversiele_besluiten", 2),),
        ("buitenverlichting_bewegingsmelder", "afscherming_adresgegevens"),
    ),
    Aanbevelingsregel(
        "persoonsbeveiliging",
        "Hoog risico met een crimineel motief: persoonsbeveiliging laten beoordelen.",
        (_w("crimineel_motief"),),
        ("persoonsbeveiliging",),
        minimaal_niveau=Niveau.hoog,
    ),
)

VRAGENLIJST_V1 = Vragenlijst(
    versie=1,
    vragen=VRAGEN_V1,
    verhoogd_vanaf=10,
    hoog_vanaf=20,
    ophogingen=OPHOGINGEN_V1,
    regels=REGELS_V1,
)

VRAGENLIJSTEN: dict[int, Vragenlijst] = {VRAGENLIJST_V1.versie: VRAGENLIJST_V1}
HUIDIGE_VERSIE: int = VRAGENLIJST_V1.versie
