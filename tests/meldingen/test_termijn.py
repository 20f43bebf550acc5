"""Respond-by arithmetic with fixed clocks: weekends, Dutch holidays, both DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.meldingen.termijn.service import (
    AMSTERDAM,
    DEFAULT_REACTIETERMIJNEN,
    Termijn,
    is_werkdag,
    parse_reactietermijnen,
    reactie_uiterlijk,
)

STANDAARD = parse_reactietermijnen(DEFAULT_REACTIETERMIJNEN)


def lokaal(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("aangemaakt", "prioriteit", "uiterlijk"),
    [
        # Friday afternoon, normaal: three working days is Wednesday, same time.
        (lokaal(2026, 11, 27, 16, 0), "normaal", lokaal(2026, 12, 2, 16, 0)),
        # hoog on a Friday: Monday.
        (lokaal(2026, 11, 27, 16, 0), "hoog", lokaal(2026, 11, 30, 16, 0)),
        # spoed is clock time, day or night: 23:30 -> 00:30 the next day.
        (lokaal(2026, 11, 30, 23, 30), "spoed", lokaal(2026, 12, 1, 0, 30)),
        # The day before King's Day (Monday 27 April 2026): hoog skips the holiday.
        (lokaal(2026, 4, 24, 9, 15), "hoog", lokaal(2026, 4, 28, 9, 15)),
        # Christmas Eve, normaal: 25 and 26 December and the weekend are skipped.
        (lokaal(2026, 12, 24, 10, 0), "normaal", lokaal(2026, 12, 30, 10, 0)),
        # Before Ascension Day (Thursday 14 May 2026): Wed -> Fri, Mon, Tue.
        (lokaal(2026, 5, 13, 12, 0), "normaal", lokaal(2026, 5, 19, 12, 0)),
        # Filed on a Saturday: counting starts with the next working day.
        (lokaal(2026, 11, 28, 11, 0), "hoog", lokaal(2026, 11, 30, 11, 0)),
    ],
)
def test_deadline_per_priority(aangemaakt: datetime, prioriteit: str, uiterlijk: datetime) -> None:
    assert reactie_uiterlijk(aangemaakt, prioriteit, STANDAARD) == uiterlijk


def test_working_days_keep_local_time_across_march_dst_change() -> None:
    # Friday 27 March 2026 16:00 CET; clocks go forward on Sunday 29 March.
    aangemaakt = lokaal(2026, 3, 27, 16, 0)
    uiterlijk = reactie_uiterlijk(aangemaakt, "hoog", STANDAARD)
    assert uiterlijk == lokaal(2026, 3, 30, 16, 0)
    assert uiterlijk.astimezone(AMSTERDAM).utcoffset() == timedelta(hours=2)
    # 71 hours elapse, not 72: the wall clock is what a handler's day follows.
    assert uiterlijk - aangemaakt.astimezone(UTC) == timedelta(hours=71)


def test_working_days_keep_local_time_across_october_dst_change() -> None:
    # Friday 23 October 2026 16:00 CEST; clocks go back on Sunday 25 October.
    aangemaakt = lokaal(2026, 10, 23, 16, 0)
    uiterlijk = reactie_uiterlijk(aangemaakt, "hoog", STANDAARD)
    assert uiterlijk == lokaal(2026, 10, 26, 16, 0)
    assert uiterlijk.astimezone(AMSTERDAM).utcoffset() == timedelta(hours=1)
    assert uiterlijk - aangemaakt.astimezone(UTC) == timedelta(hours=73)


def test_spoed_across_the_october_dst_night_is_one_real_hour() -> None:
    # 02:30 CEST on 25 October 2026 (fold 0); an hour later the clock reads 02:30 CET (fold 1).
    aangemaakt = lokaal(2026, 10, 25, 2, 30)
    uiterlijk = reactie_uiterlijk(aangemaakt, "spoed", STANDAARD)
    assert uiterlijk - aangemaakt.astimezone(UTC) == timedelta(hours=1)
    assert uiterlijk == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_deadlines_are_in_utc() -> None:
    uiterlijk = reactie_uiterlijk(lokaal(2026, 11, 27, 16, 0), "normaal", STANDAARD)
    assert uiterlijk.tzinfo is UTC


def test_input_in_utc_is_counted_in_amsterdam_days() -> None:
    # 23:30 UTC on Friday is 00:30 Saturday in Amsterdam: the next working day is Monday.
    aangemaakt = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    assert reactie_uiterlijk(aangemaakt, "hoog", STANDAARD) == lokaal(2026, 11, 30, 0, 30)


def test_holidays_come_from_the_package() -> None:
    assert not is_werkdag(lokaal(2026, 4, 27).date())  # Koningsdag
    assert not is_werkdag(lokaal(2026, 5, 25).date())  # Tweede Pinksterdag
    assert not is_werkdag(lokaal(2027, 1, 1).date())  # Nieuwjaarsdag
    assert is_werkdag(lokaal(2026, 4, 28).date())


def test_configured_termijnen() -> None:
    termijnen = parse_reactietermijnen("spoed=PT15M, hoog=PT4H, normaal=2w")
    assert termijnen["spoed"] == Termijn(duur=timedelta(minutes=15))
    assert termijnen["hoog"] == Termijn(duur=timedelta(hours=4))
    assert termijnen["normaal"] == Termijn(werkdagen=2)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("spoed=PT1H,hoog=1w", "no termijn for normaal"),
        ("spoed=PT1H,hoog=1w,normaal=3w,spoed=PT2H", "spoed given twice"),
        ("spoed=PT1H,hoog=1w,normaal=drie", "not an ISO 8601 duration"),
        ("spoed=PT0S,hoog=1w,normaal=3w", "must be positive"),
        ("spoed=PT1H,hoog=0w,normaal=3w", "not an ISO 8601 duration"),
        ("spoed=PT1H,hoog=1w,normaal=999w", "at most 260 working days"),
        ("acuut=PT1H,hoog=1w,normaal=3w", "is not <prioriteit>=<termijn>"),
        ("spoed:PT1H,hoog=1w,normaal=3w", "is not <prioriteit>=<termijn>"),
    ],
)
def test_bad_configuration_is_refused_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_reactietermijnen(text)


def test_service_refuses_to_start_with_bad_reactietermijnen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pydantic import ValidationError

    from services.meldingen.config import MeldingenSettings

    monkeypatch.setenv("WEERBAAR_REACTIETERMIJNEN", "spoed=PT1H,hoog=1w")
    with pytest.raises(ValidationError, match="no termijn for normaal"):
        MeldingenSettings()
    monkeypatch.setenv("WEERBAAR_REACTIETERMIJNEN", "spoed=PT30S,hoog=PT1M,normaal=1w")
    assert MeldingenSettings().termijnen["hoog"] == Termijn(duur=timedelta(minutes=1))
