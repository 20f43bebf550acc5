"""The states of an attachment's virus scan (DESIGN.md part D `scanstatus`)."""

from __future__ import annotations

from enum import StrEnum


class Scanstatus(StrEnum):
    in_afwachting = "in_afwachting"
    schoon = "schoon"
    besmet = "besmet"
    niet_gescand = "niet_gescand"
