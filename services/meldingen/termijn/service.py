"""Respond-by times (reactietermijnen): by when a handler must pick a melding up.

A termijn is either clock time (an ISO 8601 duration such as `PT1H`: day or night) or a
number of working days (`3w`): Monday to Friday except Dutch national holidays, at the same
local time in Europe/Amsterdam. The clock time is kept in local time, so a melding filed at
16:00 before a DST change is due at 16:00 after it. DST changes fall on Sundays, which are
never working days, so a computed local time always exists and is never ambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays
from pydantic import TypeAdapter, ValidationError

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PRIORITEITEN = ("spoed", "hoog", "normaal")
DEFAULT_REACTIETERMIJNEN = "spoed=PT1H,hoog=1w,normaal=3w"
# A year of working days is the most a termijn may say; more is a typo, not a policy.
MAX_WERKDAGEN = 260
MAX_DUUR = timedelta(days=365)

_WERKDAGEN = re.compile(r"^([1-9][0-9]{0,2})w$")
_DUUR = TypeAdapter(timedelta)


@dataclass(frozen=True)
class Termijn:
    """Clock time (`duur`) or working days (`werkdagen`); exactly one is set."""

    duur: timedelta | None = None
    werkdagen: int | None = None

    @classmethod
    def parse(cls, text: str) -> Termijn:
        text = text.strip()
        match = _WERKDAGEN.match(text)
        if match:
            werkdagen = int(match.group(1))
            if werkdagen > MAX_WERKDAGEN:
                raise ValueError(f"{text!r}: at most {MAX_WERKDAGEN} working days")
            return cls(werkdagen=werkdagen)
        if not text.startswith("P"):
            raise ValueError(f"{text!r}: not an ISO 8601 duration (PT1H) or working days (3w)")
        try:
            duur = _DUUR.validate_python(text)
        except ValidationError:
            raise ValueError(f"{text!r}: not an ISO 8601 duration such as PT1H or P2D") from None
        if not timedelta(0) < duur <= MAX_DUUR:
            raise ValueError(f"{text!r}: must be positive and at most a year")
        return cls(duur=duur)

    def na(self, moment: datetime) -> datetime:
        """The deadline (in UTC) for something that started at `moment` (timezone-aware)."""
        if self.duur is not None:
            # In UTC: aware arithmetic in one zone is wall-clock arithmetic in Python.
            return moment.astimezone(UTC) + self.duur
        assert self.werkdagen is not None
        lokaal = moment.astimezone(AMSTERDAM)
        dag = lokaal.date()
        over = self.werkdagen
        while over:
            dag += timedelta(days=1)
            if is_werkdag(dag):
                over -= 1
        # Same wall-clock time on that day; fold=0 never matters on a working day (see above).
        uiterlijk = datetime.combine(dag, lokaal.time(), tzinfo=AMSTERDAM)
        return uiterlijk.astimezone(UTC)


def parse_reactietermijnen(text: str) -> dict[str, Termijn]:
    """`spoed=PT1H,hoog=1w,normaal=3w`: every priority once; a clear message otherwise."""
    termijnen: dict[str, Termijn] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        naam, sep, waarde = part.partition("=")
        naam = naam.strip()
        if not sep or naam not in PRIORITEITEN:
            raise ValueError(
                f"WEERBAAR_REACTIETERMIJNEN: {part.strip()!r} is not <prioriteit>=<termijn> "
                f"with a prioriteit of {', '.join(PRIORITEITEN)}"
            )
        if naam in termijnen:
            raise ValueError(f"WEERBAAR_REACTIETERMIJNEN: {naam} given twice")
        try:
            termijnen[naam] = Termijn.parse(waarde)
        except ValueError as exc:
            raise ValueError(f"WEERBAAR_REACTIETERMIJNEN: {naam}: {exc}") from None
    missing = [naam for naam in PRIORITEITEN if naam not in termijnen]
    if missing:
        raise ValueError(f"WEERBAAR_REACTIETERMIJNEN: no termijn for {', '.join(missing)}")
    return termijnen


def reactie_uiterlijk(
    aangemaakt_op: datetime, prioriteit: str, termijnen: Mapping[str, Termijn]
) -> datetime:
    """By when a melding of this priority, filed at `aangemaakt_op`, must be picked up."""
    return termijnen[prioriteit].na(aangemaakt_op)


# The defaults as parsed: for callers that have no settings (tools, benchmarks).
STANDAARD_TERMIJNEN: Mapping[str, Termijn] = MappingProxyType(
    parse_reactietermijnen(DEFAULT_REACTIETERMIJNEN)
)


def is_werkdag(dag: date) -> bool:
    return dag.weekday() < 5 and dag not in _feestdagen(dag.year)


@cache
def _feestdagen(jaar: int) -> holidays.HolidayBase:
    # The national holidays as the locked `holidays` package lists them for NL.
    return holidays.country_holidays("NL", years=jaar)
