"""Moved: `services.kennisbank.dependencies` (service level) and
`services.kennisbank.artikel.dependencies`. Kept only because `search/router.py` still imports
`ZoekdienstDep` from here; drop once it imports `services.kennisbank.dependencies`."""

from services.kennisbank.dependencies import ZoekdienstDep

__all__ = ["ZoekdienstDep"]
