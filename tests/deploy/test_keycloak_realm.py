"""deploy/keycloak/weerbaar-realm.json: what the services and partners rely on from Keycloak."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from tests.deploy.support import DEPLOY, ROOT

REALM_FILE = DEPLOY / "keycloak" / "weerbaar-realm.json"
ROLES = {"melder", "behandelaar", "beveiligingsadviseur", "redacteur", "analist", "beheerder"}
ORG_CODE = re.compile(r"^(GM\d{4}|PV\d{2}|WS\d{4}|OWB)$")
PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9_]+)(?::[^}]*)?\}")


@pytest.fixture(scope="module")
def realm() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(REALM_FILE.read_text(encoding="utf-8"))
    return data


def _client(realm: dict[str, Any], client_id: str) -> dict[str, Any]:
    matches = [c for c in realm["clients"] if c["clientId"] == client_id]
    assert len(matches) == 1, f"client {client_id} defined {len(matches)} times"
    return matches[0]


def _mappers(client: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [m for m in client.get("protocolMappers", []) if m["protocolMapper"] == kind]


def test_realm_is_weerbaar_and_requires_tls_outside_private_networks(
    realm: dict[str, Any],
) -> None:
    assert realm["realm"] == "weerbaar"
    assert realm["enabled"] is True
    assert realm["sslRequired"] in {"external", "all"}
    assert realm["registrationAllowed"] is False
    assert realm["bruteForceProtected"] is True
    assert realm["defaultSignatureAlgorithm"] in {"RS256", "ES256"}


def test_the_roles_of_the_design_are_realm_roles(realm: dict[str, Any]) -> None:
    assert {role["name"] for role in realm["roles"]["realm"]} == ROLES


def test_partner_client_is_confidential_with_client_credentials(realm: dict[str, Any]) -> None:
    partner = _client(realm, "weerbaar-partner")
    assert partner["publicClient"] is False
    assert partner["clientAuthenticatorType"] == "client-secret"
    assert PLACEHOLDER.fullmatch(partner["secret"]), "the secret must come from the environment"
    assert partner["serviceAccountsEnabled"] is True
    assert partner["standardFlowEnabled"] is False
    assert partner["implicitFlowEnabled"] is False
    assert partner["directAccessGrantsEnabled"] is False


def test_partner_service_account_has_a_role_and_an_organisation(realm: dict[str, Any]) -> None:
    accounts = [u for u in realm["users"] if u.get("serviceAccountClientId") == "weerbaar-partner"]
    assert len(accounts) == 1
    account = accounts[0]
    assert account["username"] == "service-account-weerbaar-partner"
    assert set(account["realmRoles"]) <= ROLES
    assert account["realmRoles"]
    assert account["attributes"]["org"]


def test_mobile_client_is_public_with_pkce_s256_only(realm: dict[str, Any]) -> None:
    mobile = _client(realm, "weerbaar-mobile")
    assert mobile["publicClient"] is True
    assert mobile["standardFlowEnabled"] is True
    assert mobile["implicitFlowEnabled"] is False
    assert mobile["directAccessGrantsEnabled"] is False
    assert mobile["serviceAccountsEnabled"] is False
    assert mobile["attributes"]["pkce.code.challenge.method"] == "S256"
    assert mobile["redirectUris"]
    assert all("*" not in uri.split("://", 1)[0] for uri in mobile["redirectUris"])
    assert "*" not in mobile.get("webOrigins", [])


@pytest.mark.parametrize("client_id", ["weerbaar-partner", "weerbaar-mobile"])
def test_tokens_carry_the_api_audience_and_the_org_claim(
    realm: dict[str, Any], client_id: str
) -> None:
    client = _client(realm, client_id)
    audience = _mappers(client, "oidc-audience-mapper")
    assert len(audience) == 1
    assert audience[0]["config"]["included.custom.audience"] == "weerbaar-api"
    assert audience[0]["config"]["access.token.claim"] == "true"
    org = _mappers(client, "oidc-usermodel-attribute-mapper")
    assert len(org) == 1
    assert org[0]["config"]["user.attribute"] == "org"
    assert org[0]["config"]["claim.name"] == "org"
    assert org[0]["config"]["access.token.claim"] == "true"
    assert org[0]["config"]["jsonType.label"] == "String"


@pytest.mark.parametrize("client_id", ["weerbaar-partner", "weerbaar-mobile"])
def test_tokens_carry_only_the_design_roles(realm: dict[str, Any], client_id: str) -> None:
    client = _client(realm, client_id)
    assert client["fullScopeAllowed"] is False
    scoped = [m for m in realm["scopeMappings"] if m.get("client") == client_id]
    assert len(scoped) == 1
    assert set(scoped[0]["roles"]) == ROLES


def test_org_is_declared_in_the_user_profile_and_only_admins_edit_it(
    realm: dict[str, Any],
) -> None:
    providers = realm["components"]["org.keycloak.userprofile.UserProfileProvider"]
    assert len(providers) == 1
    assert providers[0]["providerId"] == "declarative-user-profile"
    profile = json.loads(providers[0]["config"]["kc.user.profile.config"][0])
    attributes = {a["name"]: a for a in profile["attributes"]}
    assert {"username", "email", "firstName", "lastName", "org"} <= set(attributes)
    org = attributes["org"]
    assert org["permissions"]["edit"] == ["admin"], "users must not choose their organisation"
    assert "user" in org["permissions"]["view"]
    pattern = re.compile(org["validations"]["pattern"]["pattern"])
    for good in ("GM0363", "PV27", "WS0155", "OWB"):
        assert pattern.match(good)
    for bad in ("GM363", "gm0363", "PV270", "XYZ", "OWB1"):
        assert not pattern.match(bad)
    # Unmanaged attributes stay disabled: an undeclared attribute is dropped.
    assert profile.get("unmanagedAttributePolicy") in (None, "DISABLED")


def test_one_demo_user_per_role_with_its_password_from_the_environment(
    realm: dict[str, Any],
) -> None:
    people = [u for u in realm["users"] if "serviceAccountClientId" not in u]
    by_role: dict[str, list[dict[str, Any]]] = {}
    for user in people:
        for role in user["realmRoles"]:
            by_role.setdefault(role, []).append(user)
    assert set(by_role) == ROLES
    for user in people:
        assert ORG_CODE.match(user["attributes"]["org"][0]), user["username"]
        (credential,) = user["credentials"]
        assert credential["type"] == "password"
        assert PLACEHOLDER.fullmatch(credential["value"]), f"{user['username']}: hard-coded"
        assert credential["temporary"] is False


def test_no_secret_is_written_in_the_realm_file() -> None:
    text = REALM_FILE.read_text(encoding="utf-8")
    for key in ("secret", "value", "password"):
        for match in re.finditer(rf'"{key}"\s*:\s*"([^"]*)"', text):
            assert PLACEHOLDER.fullmatch(match.group(1)), f'"{key}": {match.group(1)!r}'


def test_every_realm_placeholder_is_provided_by_compose_and_env_example() -> None:
    placeholders = set(PLACEHOLDER.findall(REALM_FILE.read_text(encoding="utf-8")))
    assert placeholders
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    keycloak_env = compose["services"]["keycloak"]["environment"]
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    example_keys = {line.split("=", 1)[0] for line in example.splitlines() if "=" in line}
    for name in sorted(placeholders):
        assert name in keycloak_env, f"keycloak container lacks {name}"
        assert name in example_keys, f".env.example lacks {name}"
