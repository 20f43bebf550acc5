"""docker-compose.yml and .env.example against the settings the code reads.

None ignored: every WEERBAAR_* variable a container gets is a field of that
process's settings. None missing: what production needs is set, and the
settings load in production mode from exactly what compose gives them.
"""

from __future__ import annotations

import base64
import os
import re
from typing import Any

import pytest
import yaml

from tests.deploy.settings_names import (
    DEFAULT_PORTS,
    env_names,
    required_env_names,
    settings_classes,
)
from tests.deploy.support import DEPLOY, ROOT, SERVICES

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
CONTAINERS: dict[str, dict[str, Any]] = COMPOSE["services"]
ENV_EXAMPLE = {
    key: value
    for key, _, value in (
        line.partition("=")
        for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )
}
VARIABLE = re.compile(r"\$\{([A-Za-z0-9_]+)(?:(:?[-?])([^}]*))?\}")


def _process_of(container: dict[str, Any]) -> tuple[str, str] | None:
    """(process, kind) of a container running our image, kind 'serve' or 'prestart'."""
    command = container.get("command") or []
    if not command or "deploy/Dockerfile" not in str(container.get("build", "")):
        return None
    if command[0] in ("prestart", "migrate"):
        return command[1], "prestart"
    return command[0], "serve"


APP_CONTAINERS = {
    name: process
    for name, container in CONTAINERS.items()
    if (process := _process_of(container)) is not None
}


def _environment(name: str) -> dict[str, str]:
    env = CONTAINERS[name].get("environment") or {}
    assert isinstance(env, dict), f"{name}: write environment as a mapping"
    return {key: "" if value is None else str(value) for key, value in env.items()}


def _resolve(value: str, values: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        name, operator, default = match.groups()
        current = values.get(name, "")
        if operator in (":-", "-") and not current:
            return default
        return current

    return VARIABLE.sub(replace, value)


def test_every_process_has_its_container_and_each_service_a_migration() -> None:
    kinds = set(APP_CONTAINERS.values())
    assert ("gateway", "serve") in kinds
    for svc in SERVICES:
        assert (svc, "serve") in kinds
        assert (svc, "prestart") in kinds


@pytest.mark.parametrize("container", sorted(APP_CONTAINERS))
def test_no_variable_is_ignored(container: str) -> None:
    process, _ = APP_CONTAINERS[container]
    given = {key for key in _environment(container) if key.startswith("WEERBAAR_")}
    unknown = given - env_names(process)
    assert not unknown, f"{container} sets variables {process} never reads: {sorted(unknown)}"


@pytest.mark.parametrize("container", sorted(APP_CONTAINERS))
def test_what_production_needs_is_set(container: str) -> None:
    process, kind = APP_CONTAINERS[container]
    env = _environment(container)
    assert env["WEERBAAR_ENV"] == "production"
    assert env["WEERBAAR_OIDC_ISSUER"].endswith("/realms/weerbaar")
    assert env["WEERBAAR_OIDC_ISSUER"].startswith("${KEYCLOAK_PUBLIC_URL")
    assert env["WEERBAAR_OIDC_DISCOVERY_URL"].startswith("http://keycloak:8080/realms/weerbaar/")
    assert env["WEERBAAR_OIDC_ROLES_CLAIM"] == "realm_access.roles"
    assert env["WEERBAAR_OIDC_ORG_CLAIM"] == "org"
    assert env["WEERBAAR_OIDC_AUDIENCE"] == "weerbaar-api"
    missing = required_env_names(process) - set(env)
    assert not missing, f"{container} lacks required settings {sorted(missing)}"
    if process == "gateway":
        for svc in SERVICES:
            upstream = env[f"WEERBAAR_{svc.upper()}_URL"]
            assert upstream == f"http://{svc}:{DEFAULT_PORTS[svc]}"
        assert env["WEERBAAR_REDIS_URL"].startswith("redis://")
        return
    assert f"://{process}_app:" in env["WEERBAAR_DATABASE_URL"]
    if kind == "serve":
        assert env["WEERBAAR_PORT"] == str(DEFAULT_PORTS[process])
        assert "WEERBAAR_MIGRATION_DATABASE_URL" not in env, "runtime must not hold the owner URL"
    else:
        assert f"://{process}_owner:" in env["WEERBAAR_MIGRATION_DATABASE_URL"]
    if process in SERVICES:
        assert env["WEERBAAR_DATA_KEYS"].startswith(f"${{{process.upper()}_DATA_KEYS")


def test_every_variable_compose_uses_is_in_env_example() -> None:
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    used = {match.group(1) for match in VARIABLE.finditer(text)}
    missing = used - set(ENV_EXAMPLE)
    assert not missing, f".env.example lacks {sorted(missing)}"


def test_secrets_are_required_not_defaulted() -> None:
    """A secret left out of .env stops compose instead of starting with an empty one."""
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    required = {m.group(1) for m in VARIABLE.finditer(text) if m.group(2) == ":?"}
    secrets = {key for key in ENV_EXAMPLE if key.endswith(("_PASSWORD", "_SECRET", "_DATA_KEYS"))}
    assert secrets <= required, f"not required with ${{VAR:?}}: {sorted(secrets - required)}"
    for key in secrets:
        assert ENV_EXAMPLE[key].startswith("CHANGE_ME"), f"{key} has a real-looking value"


def test_services_are_not_published_and_the_gateway_is() -> None:
    for svc in SERVICES:
        assert "ports" not in CONTAINERS[svc]
        assert "ports" not in CONTAINERS[f"migrate-{svc}"]
    for name in ("postgres", "redis"):
        assert "ports" not in CONTAINERS[name]
    assert any(":8000" in port for port in CONTAINERS["gateway"]["ports"])
    assert COMPOSE["networks"]["backend"]["internal"] is True


def test_services_wait_for_their_migration_and_everything_has_a_healthcheck() -> None:
    for svc in SERVICES:
        condition = CONTAINERS[svc]["depends_on"][f"migrate-{svc}"]["condition"]
        assert condition == "service_completed_successfully"
        assert CONTAINERS[f"migrate-{svc}"]["restart"] == "no"
    for name, container in CONTAINERS.items():
        if name.startswith("migrate-"):
            continue
        assert "healthcheck" in container, f"{name} has no healthcheck"


def test_keycloak_runs_a_production_start_with_a_fixed_public_hostname() -> None:
    keycloak = CONTAINERS["keycloak"]
    assert keycloak["image"].startswith("quay.io/keycloak/keycloak:")
    assert not keycloak["image"].endswith(":latest")
    assert keycloak["command"][:2] == ["start", "--import-realm"]
    env = keycloak["environment"]
    assert env["KC_HOSTNAME"] == "${KEYCLOAK_PUBLIC_URL}"
    assert env["KC_HTTP_ENABLED"] == "true"
    mounts = " ".join(keycloak["volumes"])
    assert "deploy/keycloak/weerbaar-realm.json:/opt/keycloak/data/import/" in mounts


def test_postgres_runs_the_provisioning_script_on_first_start() -> None:
    postgres = CONTAINERS["postgres"]
    mounts = postgres["volumes"]
    assert any(
        m.startswith("./deploy/postgres/provision.sh:/docker-entrypoint-initdb.d/") for m in mounts
    )
    wanted = postgres["environment"]["WEERBAAR_ROLES_SQL"]
    assert any(m.startswith("./deploy/postgres/weerbaar-roles.sql:" + wanted) for m in mounts)
    for role in ("OWNER", "APP"):
        for svc in SERVICES:
            assert f"{svc.upper()}_{role}_PASSWORD" in postgres["environment"]
    assert (DEPLOY / "postgres" / "provision.sh").stat().st_mode & 0o111


def _valid_ring() -> str:
    return "k1:" + base64.b64encode(os.urandom(32)).decode()


@pytest.mark.parametrize("container", sorted(APP_CONTAINERS))
def test_settings_load_in_production_from_the_compose_environment(
    container: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What compose passes (with .env.example filled in) satisfies the production checks."""
    process, _ = APP_CONTAINERS[container]
    values = dict(ENV_EXAMPLE)
    for key in values:
        if key.endswith("_DATA_KEYS"):
            values[key] = _valid_ring()
    for key in list(os.environ):
        if key.startswith("WEERBAAR_"):
            monkeypatch.delenv(key)
    for key, value in _environment(container).items():
        monkeypatch.setenv(key, _resolve(value, values))
    for cls in settings_classes(process):
        settings = cls()
        assert getattr(settings, "env", "production") == "production"
