"""The rendered Kubernetes overlays: hardening, the parts every service needs, settings names."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
import yaml

from tests.deploy.settings_names import DEFAULT_PORTS, PROCESSES, env_names
from tests.deploy.support import DEPLOY, SERVICES

OVERLAYS = sorted(p.name for p in (DEPLOY / "k8s" / "overlays").iterdir() if p.is_dir())


@cache
def render(overlay: str) -> tuple[dict[str, Any], ...]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed (its built-in kustomize renders the overlays)")
    result = subprocess.run(
        [kubectl, "kustomize", str(DEPLOY / "k8s" / "overlays" / overlay)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def of_kind(docs: tuple[dict[str, Any], ...], kind: str) -> list[dict[str, Any]]:
    return [doc for doc in docs if doc["kind"] == kind]


def pod_specs(docs: tuple[dict[str, Any], ...]) -> Iterator[tuple[str, dict[str, Any]]]:
    for doc in docs:
        name = f"{doc['kind']}/{doc['metadata']['name']}"
        if doc["kind"] in ("Deployment", "Job"):
            yield name, doc["spec"]["template"]["spec"]
        elif doc["kind"] == "CronJob":
            yield name, doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]


def _process_of(container: dict[str, Any]) -> str:
    args = container["args"]
    if args[0] in ("prestart", "migrate", "seed"):
        return str(args[1])
    if args[0] in ("retention", "rotate-keys", "escalate"):
        return "meldingen"
    return str(args[0])


@pytest.fixture(params=OVERLAYS)
def docs(request: pytest.FixtureRequest) -> tuple[dict[str, Any], ...]:
    return render(request.param)


def test_no_secret_values_are_in_git(docs: tuple[dict[str, Any], ...]) -> None:
    assert of_kind(docs, "Secret") == []


def test_every_pod_is_hardened(docs: tuple[dict[str, Any], ...]) -> None:
    for name, spec in pod_specs(docs):
        pod = spec["securityContext"]
        assert pod["runAsNonRoot"] is True, name
        assert pod["runAsUser"] != 0, name
        assert pod["seccompProfile"]["type"] == "RuntimeDefault", name
        assert spec["automountServiceAccountToken"] is False, name
        volumes = {v["name"]: v for v in spec["volumes"]}
        for container in spec["containers"]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, name
            assert security["allowPrivilegeEscalation"] is False, name
            assert security["capabilities"]["drop"] == ["ALL"], name
            assert "add" not in security["capabilities"], name
            mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
            tmp = mounts["/tmp"]  # noqa: S108 - the writable emptyDir of a read-only pod
            assert "emptyDir" in volumes[tmp], name
            for bound in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(container["resources"][bound]), name


def test_every_process_has_deployment_service_hpa_pdb_and_probes(
    docs: tuple[dict[str, Any], ...],
) -> None:
    deployments = {d["metadata"]["name"]: d for d in of_kind(docs, "Deployment")}
    services = {s["metadata"]["name"]: s for s in of_kind(docs, "Service")}
    hpas = {
        h["spec"]["scaleTargetRef"]["name"]: h for h in of_kind(docs, "HorizontalPodAutoscaler")
    }
    pdbs = {p["metadata"]["name"]: p for p in of_kind(docs, "PodDisruptionBudget")}
    assert set(deployments) == {*PROCESSES, "clamav"}  # clamav: the attachments' scanner
    for process in PROCESSES:
        deployment = deployments[process]
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        assert container["args"] == [process]
        assert container["ports"][0]["containerPort"] == DEFAULT_PORTS[process]
        assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
        assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
        assert services[process]["spec"]["ports"][0]["port"] == DEFAULT_PORTS[process]
        assert services[process]["spec"]["type"] == "ClusterIP"
        assert hpas[process]["apiVersion"] == "autoscaling/v2"
        assert pdbs[process]["apiVersion"] == "policy/v1"
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        selector = pdbs[process]["spec"]["selector"]["matchLabels"]
        assert selector.items() <= labels.items()


def test_each_service_has_a_migration_job_and_meldingen_a_retention_cronjob(
    docs: tuple[dict[str, Any], ...],
) -> None:
    jobs = {j["metadata"]["name"]: j for j in of_kind(docs, "Job")}
    for svc in SERVICES:
        (container,) = jobs[f"{svc}-migrate"]["spec"]["template"]["spec"]["containers"]
        assert container["args"] == ["prestart", svc]
    cronjobs = {c["metadata"]["name"]: c for c in of_kind(docs, "CronJob")}
    assert set(cronjobs) == {"meldingen-retention", "meldingen-escalate"}
    for name, args in (
        ("meldingen-retention", ["retention"]),
        ("meldingen-escalate", ["escalate"]),
    ):
        cronjob = cronjobs[name]
        assert cronjob["spec"]["concurrencyPolicy"] == "Forbid"
        (container,) = cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
        assert container["args"] == args


def _secret_files(spec: dict[str, Any], container: dict[str, Any]) -> dict[str, str]:
    """Path of each file a mounted secret puts in the container → `secret:<name>`."""
    volumes = {v["name"]: v for v in spec.get("volumes", [])}
    files: dict[str, str] = {}
    for mount in container.get("volumeMounts", []):
        projected = volumes[mount["name"]].get("projected", {})
        for source in projected.get("sources", []):
            secret = source.get("secret")
            for item in (secret or {}).get("items", []):
                files[f"{mount['mountPath']}/{item['path']}"] = f"secret:{secret['name']}"
    return files


def _env_of(
    docs: tuple[dict[str, Any], ...], spec: dict[str, Any], container: dict[str, Any]
) -> dict[str, str | None]:
    """The container's settings; a `*_FILE` that names a mounted secret counts as that secret."""
    maps = {c["metadata"]["name"]: c.get("data", {}) for c in of_kind(docs, "ConfigMap")}
    files = _secret_files(spec, container)
    env: dict[str, str | None] = {}
    for source in container.get("envFrom", []):
        env.update(maps[source["configMapRef"]["name"]])
    for item in container.get("env", []):
        secret = item.get("valueFrom", {}).get("secretKeyRef")
        env[item["name"]] = f"secret:{secret['name']}" if secret else item.get("value")
        if item["name"].endswith("_FILE") and item.get("value") in files:
            env[item["name"].removesuffix("_FILE")] = files[item["value"]]
    return env


def test_secrets_reach_the_processes_as_read_only_files_only(
    docs: tuple[dict[str, Any], ...],
) -> None:
    for name, spec in pod_specs(docs):
        for container in spec["containers"]:
            files = _secret_files(spec, container)
            # Our processes all read a secret; a third-party image (clamav) may hold none.
            assert files or "/weerbaar-bestuur:" not in container["image"], f"{name}: no secret"
            for item in container.get("env", []):
                assert "secretKeyRef" not in item.get("valueFrom", {}), (name, item["name"])
                if item["name"].endswith("_FILE"):
                    assert item["value"] in files, (name, item["name"], item["value"])
            assert not [s for s in container.get("envFrom", []) if "secretRef" in s], name
            volumes = {v["name"]: v for v in spec["volumes"]}
            for mount in container["volumeMounts"]:
                if "projected" in volumes[mount["name"]]:
                    assert mount.get("readOnly") is True, (name, mount)
                    assert volumes[mount["name"]]["projected"]["defaultMode"] == 0o440, name
            assert container["imagePullPolicy"] == "Always", name


def test_settings_names_are_ones_the_code_reads(docs: tuple[dict[str, Any], ...]) -> None:
    for name, spec in pod_specs(docs):
        for container in spec["containers"]:
            given = {k for k in _env_of(docs, spec, container) if k.startswith("WEERBAAR_")}
            if "/weerbaar-bestuur:" not in container["image"]:
                assert not given, f"{name}: third-party {container['name']} gets {sorted(given)}"
                continue
            process = _process_of(container)
            unknown = given - env_names(process)
            assert not unknown, f"{name} sets variables {process} never reads: {sorted(unknown)}"


def test_runtime_pods_get_the_app_role_and_only_jobs_the_owner_role(
    docs: tuple[dict[str, Any], ...],
) -> None:
    for name, spec in pod_specs(docs):
        for container in spec["containers"]:
            if "/weerbaar-bestuur:" not in container["image"]:
                continue  # a third-party image (clamav) holds no database role
            process = _process_of(container)
            env = _env_of(docs, spec, container)
            assert env["WEERBAAR_ENV"] == "production", name
            assert env["WEERBAAR_OIDC_ROLES_CLAIM"] == "realm_access.roles", name
            if process == "gateway":
                assert "WEERBAAR_DATABASE_URL" not in env, name
                continue
            assert env["WEERBAAR_DATA_KEYS"] == f"secret:{process}-data-keys", name
            owner = env.get("WEERBAAR_MIGRATION_DATABASE_URL")
            if container["args"][0] in ("retention", "rotate-keys"):
                # Anonymising rewrites the access log, which the app role may not change.
                assert env["WEERBAAR_DATABASE_URL"] == f"secret:{process}-db-owner", name
                assert owner == f"secret:{process}-db-owner", name
                continue
            assert env["WEERBAAR_DATABASE_URL"] == f"secret:{process}-db-app", name
            if container["args"][0] == "prestart":
                assert owner == f"secret:{process}-db-owner", name
            else:
                assert owner is None, f"{name} must not hold the owner role's URL"


def test_network_is_default_deny_with_explicit_allows(docs: tuple[dict[str, Any], ...]) -> None:
    policies = {p["metadata"]["name"]: p["spec"] for p in of_kind(docs, "NetworkPolicy")}
    deny = policies["default-deny-all"]
    assert deny["podSelector"] == {}
    assert set(deny["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny
    assert "egress" not in deny
    # Only the gateway is reachable from the ingress controller; only the gateway
    # reaches the services.
    (rule,) = policies["gateway-from-ingress"]["ingress"]
    assert "namespaceSelector" in rule["from"][0]
    (rule,) = policies["services-from-gateway"]["ingress"]
    assert rule["from"] == [
        {
            "podSelector": {
                "matchLabels": {
                    "app.kubernetes.io/name": "gateway",
                    "app.kubernetes.io/component": "api",
                }
            }
        }
    ]
    postgres = policies["postgres-egress"]
    assert postgres["podSelector"] == {"matchLabels": {"weerbaar.nl/postgres-client": "true"}}
    assert [p["port"] for p in postgres["egress"][0]["ports"]] == [5432]
    clients = [
        doc
        for doc in docs
        if doc["kind"] in ("Deployment", "Job")
        and doc["spec"]["template"]["metadata"]["labels"].get("weerbaar.nl/postgres-client")
    ]
    assert {c["metadata"]["name"] for c in clients} == {
        *SERVICES,
        *(f"{svc}-migrate" for svc in SERVICES),
    }
    dns = policies["allow-dns-egress"]["egress"][0]
    assert {p["port"] for p in dns["ports"]} == {53}


def test_only_the_gateway_is_exposed_and_only_under_api(docs: tuple[dict[str, Any], ...]) -> None:
    (ingress,) = of_kind(docs, "Ingress")
    paths = [p for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]]
    assert [p["path"] for p in paths] == ["/api"]
    assert {p["backend"]["service"]["name"] for p in paths} == {"gateway"}
    assert ingress["spec"]["tls"]
    for service in of_kind(docs, "Service"):
        assert service["spec"]["type"] == "ClusterIP"


def test_overlays_pin_the_image_and_enforce_restricted_pod_security(
    docs: tuple[dict[str, Any], ...],
) -> None:
    (namespace,) = of_kind(docs, "Namespace")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    for _, spec in pod_specs(docs):
        for container in spec["containers"]:
            image = container["image"]
            assert ":" in image.rsplit("/", 1)[-1]
            assert not image.endswith(":latest")
