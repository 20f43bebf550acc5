"""First advice shown to the reporter right after a melding (DESIGN.md: 112 first when acute)."""

from __future__ import annotations

from services.meldingen.melding.enums import Gedragstype, Vorm

ACUUT = "Bel direct 112 als u of uw naasten nu in gevaar zijn."

_PER_GEDRAGSTYPE = {
    Gedragstype.frustratie_agressie: [
        "Leg vast wat er gebeurde (tijd, plaats, woorden, getuigen) zolang het vers is.",
        "Bespreek met uw leidinggevende of griffier of aangifte passend is; uw werkgever kan "
        "namens u aangifte doen.",
    ],
    Gedragstype.verward_gedrag: [
        "Houd afstand en zoek steun bij collega's; bij zorg om de persoon zelf: bel 0800-1205 "
        "(meldpunt zorgwekkend gedrag) of bij gevaar 112.",
    ],
    Gedragstype.instrumentele_agressie: [
        "Neem geen contact op met de afzender en bewaar alle berichten en brieven.",
        "Het ondersteuningsteam kan een woningscan en beveiligingsmaatregelen regelen.",
        "Overweeg aangifte met domiciliekeuze: uw werkadres in plaats van uw woonadres.",
    ],
}
_PER_VORM = {
    Vorm.online: "Maak schermafbeeldingen met datum en link voordat berichten verdwijnen.",
    Vorm.doxing: "Vraag afscherming van uw adres in de BRP aan en laat uw gegevens offline halen.",
    Vorm.stalking: "Wissel uw vaste routes af en informeer uw naasten.",
}


def advies_voor(gedragstype: Gedragstype, vormen: list[Vorm], acuut_gevaar: bool) -> list[str]:
    advies = [ACUUT] if acuut_gevaar else []
    advies.extend(_PER_GEDRAGSTYPE[gedragstype])
    advies.extend(_PER_VORM[vorm] for vorm in vormen if vorm in _PER_VORM)
    advies.append("Het ondersteuningsteam neemt contact met u op; u staat er niet alleen voor.")
    return advies
