"""SSRF: every forbidden address form is refused with 400 naming callbackUrl."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from services.notificaties import callback
from services.notificaties.app import create_app
from services.notificaties.config import NotificatiesSettings
from tests.conftest import Backend, DevIdp
from tests.notificaties.conftest import BASE, abonnement_body

REFUSED = [
    ("http://127.0.0.1/h", "loopback"),
    ("http://127.8.9.10/h", "loopback"),
    ("http://[::1]/h", "loopback"),
    ("http://0.0.0.0/h", "unspecified"),
    ("http://[::]/h", "unspecified"),
    ("http://10.1.2.3/h", "private"),
    ("http://172.16.0.1/h", "private"),
    ("http://192.168.1.1/h", "private"),
    ("http://[fd12:3456::1]/h", "private"),
    ("http://169.254.169.254/latest/meta-data/", "metadata"),
    ("http://[fd00:ec2::254]/h", "metadata"),
    ("http://100.100.100.200/h", "metadata"),
    ("http://169.254.1.1/h", "link_local"),
    ("http://[fe80::1]/h", "link_local"),
    ("http://224.0.0.1/h", "multicast"),
    ("http://[ff02::1]/h", "multicast"),
    ("http://240.0.0.1/h", "reserved"),
    ("http://100.64.0.1/h", "reserved"),  # shared address space (CGNAT)
    ("http://[::ffff:127.0.0.1]/h", "loopback"),  # IPv4-mapped IPv6
    ("http://[::ffff:a9fe:a9fe]/h", "metadata"),  # IPv4-mapped, hex
    ("http://[64:ff9b::a00:1]/h", "private"),  # NAT64 of 10.0.0.1
    ("http://[2002:7f00:1::]/h", "loopback"),  # 6to4 of 127.0.0.1
    ("http://2130706433/h", "loopback"),  # decimal
    ("http://0x7f000001/h", "loopback"),  # hexadecimal
    ("http://0177.0.0.1/h", "loopback"),  # octal
    ("http://127.1/h", "loopback"),  # short form
    ("http://0xa9.0xfe.0xa9.0xfe/h", "metadata"),  # dotted hex
]


@pytest.fixture
def caller(devidp: DevIdp, unique_sub: Callable[[str], str]) -> dict[str, str]:
    return devidp.headers(unique_sub("partner"), ["behandelaar"], "GM0363")


@pytest.mark.parametrize(("url", "code"), REFUSED)
def test_forbidden_address_is_refused(
    client: TestClient, caller: dict[str, str], url: str, code: str
) -> None:
    response = client.post(
        f"{BASE}/abonnementen", json=abonnement_body(callbackUrl=url), headers=caller
    )
    assert response.status_code == 400, response.text
    assert response.headers["Content-Type"].startswith("application/problem+json")
    [param] = response.json()["invalidParams"]
    assert param["name"] == "callbackUrl"
    assert param["code"] == code


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("ftp://example.nl/h", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("https://user:pw@example.nl/h", "format"),
        ("http://[fe80::1%25eth0]/h", "link_local"),
        ("http://exa mple.nl/h", "format"),
        ("http:///h", "format"),
        ("https://" + "a" * 2050, "max_length"),
    ],
)
def test_malformed_callback_is_refused(
    client: TestClient, caller: dict[str, str], url: str, code: str
) -> None:
    response = client.post(
        f"{BASE}/abonnementen", json=abonnement_body(callbackUrl=url), headers=caller
    )
    assert response.status_code == 400, response.text
    names = {(p["name"], p["code"]) for p in response.json()["invalidParams"]}
    assert ("callbackUrl", code) in names


def test_host_resolving_to_loopback_refused_unless_allow_listed(
    client: TestClient,
    caller: dict[str, str],
    backend: Backend,
    service_client: Callable[..., TestClient],
) -> None:
    strict = service_client(backend, "notificaties", create_app, NotificatiesSettings, worker=False)
    body = abonnement_body(callbackUrl="http://localhost:9/h")
    refused = strict.post(f"{BASE}/abonnementen", json=body, headers=caller)
    assert refused.status_code == 400, refused.text
    [param] = refused.json()["invalidParams"]
    assert (param["name"], param["code"]) == ("callbackUrl", "loopback")
    # The test client allow-lists `localhost`.
    allowed = client.post(f"{BASE}/abonnementen", json=body, headers=caller)
    assert allowed.status_code == 201, allowed.text


def test_patch_checks_the_callback_too(client: TestClient, caller: dict[str, str]) -> None:
    created = client.post(f"{BASE}/abonnementen", json=abonnement_body(), headers=caller)
    assert created.status_code == 201
    response = client.patch(
        f"{BASE}/abonnementen/{created.json()['id']}",
        json={"callbackUrl": "http://10.0.0.1/h"},
        headers=caller,
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "callbackUrl"


def _resolver(answers: dict[str, list[str]]) -> callback.Resolver:
    async def resolve(host: str, _port: int) -> list[str]:
        return answers[host]

    return resolve


def _check(
    url: str,
    answers: dict[str, list[str]],
    *,
    allowed: frozenset[str] = frozenset(),
    https: bool = False,
) -> callback.Doel:
    return asyncio.run(
        callback.check(
            url, allowed_hosts=allowed, https_required=https, resolver=_resolver(answers)
        )
    )


def test_name_resolving_to_any_private_address_is_refused() -> None:
    # One public and one private answer: refused, the attacker picks which one we would use.
    with pytest.raises(callback.CallbackRefused) as refused:
        _check("https://partner.example/h", {"partner.example": ["93.184.216.34", "10.0.0.7"]})
    assert refused.value.code == "private"
    with pytest.raises(callback.CallbackRefused) as mapped:
        _check("https://partner.example/h", {"partner.example": ["::ffff:169.254.169.254"]})
    assert mapped.value.code == "metadata"


def test_delivery_connects_to_the_checked_address_not_a_second_lookup() -> None:
    doel = _check("https://partner.example:8443/pad?x=1", {"partner.example": ["93.184.216.34"]})
    assert doel.connect_url == "https://93.184.216.34:8443/pad?x=1"
    assert doel.host_header == "partner.example:8443"
    assert doel.host == "partner.example"


def test_ipv4_address_is_preferred_when_a_host_has_both() -> None:
    doel = _check(
        "https://partner.example/h", {"partner.example": ["2606:4700::6810:84e5", "93.184.216.34"]}
    )
    assert doel.adres == "93.184.216.34"


def test_https_only_in_production() -> None:
    with pytest.raises(callback.CallbackRefused) as refused:
        _check("http://partner.example/h", {"partner.example": ["93.184.216.34"]}, https=True)
    assert refused.value.code == "scheme"
    assert _check("https://partner.example/h", {"partner.example": ["93.184.216.34"]}, https=True)


def test_unresolvable_host_is_refused() -> None:
    async def broken(_host: str, _port: int) -> list[str]:
        raise OSError("no such host")

    with pytest.raises(callback.CallbackRefused) as refused:
        asyncio.run(
            callback.check(
                "https://nergens.example/h",
                allowed_hosts=frozenset(),
                https_required=False,
                resolver=broken,
            )
        )
    assert refused.value.code == "unresolvable"


def test_settings_force_https_in_production() -> None:
    from services.notificaties.config import NotificatiesSettings

    assert NotificatiesSettings(env="test").https_required is False
    assert NotificatiesSettings(env="test", webhook_require_https=True).https_required is True
