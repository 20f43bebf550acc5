"""Beveiliging: measure catalogue, risk analysis, home scans, measures per person, packages."""
