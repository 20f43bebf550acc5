"""The measure catalogue as seed data: real measures, Dutch names and descriptions.

Codes are stable identifiers (lower snake_case) that the questionnaire's rules,
the starting-mayor package and stored measures refer to. The seed is applied
idempotently: an existing code is never overwritten, so a beheerder's later
edits and retirements survive a re-seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Categorie(StrEnum):
    bouwkundig = "bouwkundig"
    elektronisch = "elektronisch"
    organisatorisch = "organisatorisch"
    persoonlijk = "persoonlijk"
    digitaal = "digitaal"


@dataclass(frozen=True)
class CatalogusMaatregel:
    code: str
    naam: str
    categorie: Categorie
    omschrijving: str


_B, _E, _O, _P, _D = (
    Categorie.bouwkundig,
    Categorie.elektronisch,
    Categorie.organisatorisch,
    Categorie.persoonlijk,
    Categorie.digitaal,
)

CATALOGUS: tuple[CatalogusMaatregel, ...] = (
    CatalogusMaatregel(
        "skg_hang_en_sluitwerk",
        "Inbraakwerend hang- en sluitwerk (SKG**)",
        _B,
        "Cilindersloten, scharnieren en raambeveiliging met minimaal twee SKG-sterren op "
        "alle bereikbare deuren en ramen, volgens het Politiekeurmerk Veilig Wonen.",
    ),
    CatalogusMaatregel(
        "brandwerende_brievenbus",
        "Brandwerende brievenbus",
        _B,
        "Een brievenbus met brandwerende opvangbak, of een brievenbus buiten de woning, die "
        "voorkomt dat vuurwerk of brandbare vloeistof door de deur naar binnen kan.",
    ),
    CatalogusMaatregel(
        "veiligheidsfolie",
        "Veiligheidsfolie op ramen",
        _B,
        "Inbraak- en splintervertragende folie op ramen op de begane grond, zodat een "
        "ingegooide ruit niet bezwijkt en glas niet naar binnen spat.",
    ),
    CatalogusMaatregel(
        "inbraakwerende_voordeur",
        "Inbraakwerende voordeur met deurspion",
        _B,
        "Een voordeur in weerstandsklasse 2 met groothoek-deurspion of deurketting, zodat "
        "bezoek gezien kan worden voordat de deur opengaat.",
    ),
    CatalogusMaatregel(
        "buitenverlichting_bewegingsmelder",
        "Buitenverlichting met bewegingsmelder",
        _E,
        "Verlichting rond voor-, zij- en achterzijde van de woning die aangaat bij beweging, "
        "zodat niemand ongezien de woning kan naderen.",
    ),
    CatalogusMaatregel(
        "camerabewaking",
        "Camerabewaking",
        _E,
        "Camera's op de toegangen van de woning met opslag van beelden, ingericht volgens de "
        "AVG-regels voor cameratoezicht: niet gericht op de openbare weg of de buren.",
    ),
    CatalogusMaatregel(
        "inbraakalarm_doormelding",
        "Inbraakalarm met doormelding",
        _E,
        "Een gecertificeerd inbraakalarmsysteem dat doormeldt naar een particuliere "
        "alarmcentrale, die bij een geverifieerd alarm de politie inschakelt.",
    ),
    CatalogusMaatregel(
        "paniekknop",
        "Paniekknop met doormelding",
        _E,
        "Een vaste of draagbare paniekknop die bij indrukken direct een stil alarm doormeldt "
        "aan de alarmcentrale, met voorrang voor opvolging door de politie.",
    ),
    CatalogusMaatregel(
        "rookmelders_doormelding",
        "Rookmelders met doormelding",
        _E,
        "Gekoppelde rookmelders op elke verdieping die bij brand doormelden naar de "
        "alarmcentrale, als voorzorg tegen brandstichting.",
    ),
    CatalogusMaatregel(
        "afscherming_adresgegevens",
        "Afscherming van adresgegevens in BRP en Kadaster",
        _O,
        "Verzoek tot geheimhouding van persoonsgegevens in de BRP en afscherming van het "
        "woonadres in het Kadaster en het Handelsregister, zodat het adres niet via openbare "
        "registers te achterhalen is.",
    ),
    CatalogusMaatregel(
        "domiciliekeuze_aangifte",
        "Domiciliekeuze bij aangifte",
        _O,
        "Bij aangifte kiest de aangever domicilie op het adres van de gemeente of de politie, "
        "zodat het woonadres niet in het proces-verbaal en het strafdossier terechtkomt.",
    ),
    CatalogusMaatregel(
        "vaste_contactpersoon_politie",
        "Vaste contactpersoon bij de politie",
        _O,
        "Een vaste contactpersoon bij de politie (wijkagent of bestuurlijk contactpersoon) die "
        "de situatie kent, meldingen opvolgt en direct bereikbaar is.",
    ),
    CatalogusMaatregel(
        "extra_surveillance",
        "Extra surveillance",
        _O,
        "Verhoogde aandacht van de politie voor de woning en de omgeving, met extra "
        "surveillance op afgesproken momenten.",
    ),
    CatalogusMaatregel(
        "aandachtsadres_meldkamer",
        "Aandachtsadres bij de meldkamer",
        _O,
        "Registratie van de woning als aandachtsadres, zodat de meldkamer een melding vanaf "
        "dit adres met voorrang behandelt en de eenheden de context kennen.",
    ),
    CatalogusMaatregel(
        "persoonsbeveiliging",
        "Persoonsbeveiliging",
        _P,
        "Beveiliging van de persoon door de politie of de Dienst Koninklijke en Diplomatieke "
        "Beveiliging, toegekend binnen het stelsel bewaken en beveiligen.",
    ),
    CatalogusMaatregel(
        "weerbaarheidstraining",
        "Weerbaarheidstraining",
        _P,
        "Training in het herkennen van en omgaan met agressie en intimidatie, de-escalatie en "
        "het eigen handelingsperspectief, voor de ambtsdrager en desgewenst het gezin.",
    ),
    CatalogusMaatregel(
        "psychosociale_ondersteuning",
        "Psychosociale ondersteuning",
        _P,
        "Gesprekken met een vertrouwenspersoon of psycholoog en nazorg via het "
        "Ondersteuningsteam Weerbaar Bestuur, ook voor gezinsleden.",
    ),
    CatalogusMaatregel(
        "tweestapsverificatie",
        "Tweestapsverificatie en beveiligde accounts",
        _D,
        "Tweestapsverificatie en sterke, unieke wachtwoorden op e-mail, sociale media en "
        "andere accounts, met controle op eerder gelekte wachtwoorden.",
    ),
    CatalogusMaatregel(
        "online_persoonsgegevens_verwijderen",
        "Verwijderen van persoonsgegevens online",
        _D,
        "Nagaan waar woonadres, telefoonnummer en gezinsgegevens online staan en deze laten "
        "verwijderen, inclusief een verzoek tot verwijdering bij zoekmachines.",
    ),
    CatalogusMaatregel(
        "privacy_instellingen_sociale_media",
        "Privacy-instellingen sociale media",
        _D,
        "Sociale-media-accounts van de ambtsdrager en het gezin zo instellen dat locatie, "
        "routines en foto's van de woning niet openbaar zijn.",
    ),
    CatalogusMaatregel(
        "monitoring_online_dreiging",
        "Monitoring van online dreiging",
        _D,
        "Het volgen van online uitingen gericht tegen de ambtsdrager, zodat een dreiging "
        "vroeg wordt gezien en kan worden gemeld.",
    ),
)

CATALOGUS_CODES: frozenset[str] = frozenset(m.code for m in CATALOGUS)
