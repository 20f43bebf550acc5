"""The event types of contract v1.1 (DESIGN.md part D) and the patterns a subscription may use."""

from __future__ import annotations

PREFIX = "nl.weerbaarbestuur."

TYPES_PER_SERVICE: dict[str, tuple[str, ...]] = {
    "meldingen": (
        "melding-aangemaakt",
        "melding-status-gewijzigd",
        "melding-prioriteit-gewijzigd",
        "melding-toegewezen",
        "melding-termijn-verstreken",
        "aangifte-gewijzigd",
        "nazorgmoment-verlopen",
        "bijlage-toegevoegd",
    ),
    "beveiliging": (
        "woningscan-aangevraagd",
        "woningscan-status-gewijzigd",
        "beveiligingsmaatregel-status-gewijzigd",
        "veiligheidspakket-aangemaakt",
    ),
    "kennisbank": ("artikel-gepubliceerd", "artikel-gearchiveerd"),
}

KNOWN_TYPES = frozenset(
    f"{PREFIX}{service}.{short}"
    for service, shorts in TYPES_PER_SERVICE.items()
    for short in shorts
)
SERVICE_PATTERNS = frozenset(f"{PREFIX}{service}.*" for service in TYPES_PER_SERVICE)
ALL_PATTERN = f"{PREFIX}*"


def is_valid_pattern(pattern: str) -> bool:
    """An exact known type, `nl.weerbaarbestuur.<service>.*`, or `nl.weerbaarbestuur.*`."""
    return pattern in KNOWN_TYPES or pattern in SERVICE_PATTERNS or pattern == ALL_PATTERN


def matches(pattern: str, event_type: str) -> bool:
    if pattern.endswith(".*"):
        return event_type.startswith(pattern[:-1])
    return pattern == event_type


def service_of(event_type: str) -> str | None:
    if not event_type.startswith(PREFIX):
        return None
    service, _, short = event_type[len(PREFIX) :].partition(".")
    return service if short else None
