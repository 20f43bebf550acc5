"""The base-path helper and the services built on it."""

from __future__ import annotations

import pytest

from services.common.paths import api_base


def test_the_base_path_of_a_service() -> None:
    assert api_base("meldingen") == "/api/meldingen/v1"
    assert api_base("kennisbank", 2) == "/api/kennisbank/v2"


@pytest.mark.parametrize(("service", "major"), [("", 1), ("Meldingen", 1), ("a/b", 1), ("x", 0)])
def test_a_malformed_base_is_refused(service: str, major: int) -> None:
    with pytest.raises(ValueError, match=r"service name|starts at 1"):
        api_base(service, major)
