"""The AAD strings of beveiliging's encrypted columns, byte for byte (they were sealed with
them: a change would make every stored value unreadable without a re-encryption)."""

from __future__ import annotations

import uuid

from services.beveiliging.risicoanalyse.service import ANTWOORDEN_AAD
from services.beveiliging.woningscan.service import ADRES_AAD, REDEN_AAD

ROW = uuid.UUID("11111111-2222-4333-8444-555555555555")


def test_the_aad_strings_are_the_ones_the_stored_values_were_sealed_with() -> None:
    assert ADRES_AAD(ROW) == f"beveiliging.woningscan.adres:{ROW}"
    assert REDEN_AAD(ROW) == f"beveiliging.woningscan.reden:{ROW}"
    assert ANTWOORDEN_AAD(ROW) == f"beveiliging.risicoanalyse.antwoorden:{ROW}"
