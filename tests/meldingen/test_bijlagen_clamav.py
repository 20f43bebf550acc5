"""Attachments scanned by a real clamd (Debian's clamav-daemon), on both databases.

Each test starts a clamd of its own on a free loopback port, with a signature database the
test writes itself (the EICAR test signature; there is no network for freshclam). Without
clamd installed these tests skip, unless WEERBAAR_REQUIRE_CLAMAV=1 (CI), where they fail.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.common.clamav import ClamdClient
from services.common.crypto import generate_key_spec
from services.meldingen.app import create_app
from services.meldingen.bijlage.scanner import STATE_KEY, Scanner
from services.meldingen.bijlage.startup import ScannerRequired, require_scanner
from services.meldingen.config import MeldingenSettings
from tests.conftest import Backend, DevIdp
from tests.meldingen.bijlagen import EICAR, png, text, upload
from tests.meldingen.conftest import Scene, report
from tests.meldingen.db import query
from tests.support.processes import free_port

CLAMD_START_SECONDS = 60


def _clamd_binary() -> str:
    binary = shutil.which("clamd") or (
        "/usr/sbin/clamd" if Path("/usr/sbin/clamd").exists() else None
    )
    if binary is None:
        reason = "clamd is not installed (apt-get install clamav-daemon)"
        if os.environ.get("WEERBAAR_REQUIRE_CLAMAV") == "1":
            pytest.fail(f"WEERBAAR_REQUIRE_CLAMAV=1 but {reason}")
        pytest.skip(reason)
    return binary


class Clamd:
    """A clamd on 127.0.0.1:`port` with only the test's own signatures; stop and start again."""

    def __init__(self, directory: Path) -> None:
        self.binary = _clamd_binary()
        self.port = free_port()
        self.directory = directory
        self.proc: subprocess.Popen[bytes] | None = None
        database = directory / "signatures"
        database.mkdir(parents=True, exist_ok=True)
        # A body signature (.ndb: name:target:offset:hex) for the EICAR test string.
        eicar = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE".hex()
        (database / "weerbaar-test.ndb").write_text(f"Weerbaar-Eicar-Test:0:*:{eicar}\n")
        self.config = directory / "clamd.conf"
        self.config.write_text(
            "Foreground yes\n"
            f"TCPSocket {self.port}\n"
            "TCPAddr 127.0.0.1\n"
            f"DatabaseDirectory {database}\n"
            f"LogFile {directory / 'clamd.log'}\n"
            f"PidFile {directory / 'clamd.pid'}\n"
            "StreamMaxLength 25M\n"
            "SelfCheck 0\n"
        )

    @property
    def url(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def start(self) -> Clamd:
        self.proc = subprocess.Popen(
            [self.binary, f"--config-file={self.config}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = ClamdClient(self.url)
        deadline = time.monotonic() + CLAMD_START_SECONDS
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"clamd exited: {self.log()[-2000:]}")
            if asyncio.run(client.ping()):
                return self
            time.sleep(0.1)
        raise RuntimeError(f"clamd did not answer PING: {self.log()[-2000:]}")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(15)
            self.proc = None

    def log(self) -> str:
        path = self.directory / "clamd.log"
        return path.read_text(errors="replace") if path.exists() else ""


@pytest.fixture
def clamd(tmp_path: Path) -> Iterator[Clamd]:
    server = Clamd(tmp_path / "clamd").start()
    yield server
    server.stop()


def _settings(backend: Backend, devidp: DevIdp, clamav_url: str) -> MeldingenSettings:
    return MeldingenSettings(
        **backend.settings_kwargs(),
        oidc_issuer=devidp.issuer,
        env="test",
        clamav_url=clamav_url,
        clamav_retry_max_seconds=0.5,
    )


@pytest.fixture
def scanning_app(backend: Backend, devidp: DevIdp) -> Iterator[Callable[[str], TestClient]]:
    """`scanning_app(clamav_url)`: a running app on the backend, scanning with that clamd."""
    running: list[TestClient] = []

    def make(clamav_url: str) -> TestClient:
        app = create_app(_settings(backend, devidp, clamav_url), backend.migrate("meldingen"))
        client = TestClient(app)
        client.__enter__()
        running.append(client)
        return client

    yield make
    for client in running:
        client.__exit__(None, None, None)


def _scene(client: TestClient, devidp: DevIdp, unique_org: Any, unique_sub: Any) -> Scene:
    org = unique_org()
    melder = devidp.headers(unique_sub("melder"), ["melder"], org)
    handler = devidp.headers(unique_sub("handler"), ["behandelaar"], org)
    return Scene(org, melder, handler, report(client, melder))


def wait_for_status(
    client: TestClient, scene: Scene, bijlage_id: str, wanted: str, timeout: float = 60
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        body: dict[str, Any] = client.get(
            scene.url(f"/bijlagen/{bijlage_id}"), headers=scene.handler
        ).json()
        if body["scanstatus"] == wanted or time.monotonic() > deadline:
            assert body["scanstatus"] == wanted, body
            return body
        time.sleep(0.05)


def _segments(backend: Backend, bijlage_id: str) -> int:
    import uuid

    key: Any = uuid.UUID(bijlage_id) if backend.is_postgres else uuid.UUID(bijlage_id).hex
    rows = query(
        backend, "SELECT count(*) AS n FROM meldingen.bijlage_deel WHERE bijlage_id = :id", id=key
    )
    return int(rows[0]["n"])


def test_eicar_is_besmet_its_content_erased_and_its_hash_kept(
    backend: Backend,
    clamd: Clamd,
    scanning_app: Callable[[str], TestClient],
    devidp: DevIdp,
    unique_org: Any,
    unique_sub: Any,
) -> None:
    client = scanning_app(clamd.url)
    scene = _scene(client, devidp, unique_org, unique_sub)
    created = upload(client, scene.url("/bijlagen"), scene.melder, "eicar.txt", EICAR)
    assert created.status_code == 201, created.text
    assert created.json()["scanstatus"] == "in_afwachting"
    bijlage = created.json()
    # Until the verdict the content is not served, to anyone.
    early = client.get(scene.url(f"/bijlagen/{bijlage['id']}/inhoud"), headers=scene.handler)
    assert early.status_code in (409,)

    besmet = wait_for_status(client, scene, bijlage["id"], "besmet")
    assert besmet["sha256"] == bijlage["sha256"]
    assert besmet["grootte"] == len(EICAR)
    assert _segments(backend, bijlage["id"]) == 0, "the content is erased at once"
    for headers in (scene.handler, scene.melder):
        refused = client.get(scene.url(f"/bijlagen/{bijlage['id']}/inhoud"), headers=headers)
        assert refused.status_code == 409
        assert refused.json()["type"] == "urn:weerbaar:probleem:bijlage-gewist"
        assert EICAR not in refused.content
    assert "Weerbaar-Eicar-Test" in clamd.log()


def test_a_clean_file_becomes_schoon_and_is_then_served(
    clamd: Clamd,
    scanning_app: Callable[[str], TestClient],
    devidp: DevIdp,
    unique_org: Any,
    unique_sub: Any,
) -> None:
    client = scanning_app(clamd.url)
    scene = _scene(client, devidp, unique_org, unique_sub)
    created = upload(client, scene.url("/bijlagen"), scene.melder, "a.png", png()).json()
    wait_for_status(client, scene, created["id"], "schoon")
    download = client.get(scene.url(f"/bijlagen/{created['id']}/inhoud"), headers=scene.handler)
    assert download.status_code == 200
    assert download.content == png()


def test_a_polyglot_with_a_virus_inside_is_besmet_never_served(
    clamd: Clamd,
    scanning_app: Callable[[str], TestClient],
    devidp: DevIdp,
    unique_org: Any,
    unique_sub: Any,
) -> None:
    """Valid text that carries EICAR: accepted as text/plain, but clamd has the last word."""
    client = scanning_app(clamd.url)
    scene = _scene(client, devidp, unique_org, unique_sub)
    data = text() + EICAR + b"\n"
    created = upload(client, scene.url("/bijlagen"), scene.melder, "chat.txt", data).json()
    wait_for_status(client, scene, created["id"], "besmet")
    assert (
        client.get(scene.url(f"/bijlagen/{created['id']}/inhoud"), headers=scene.melder).status_code
        == 409
    )


def _scanner(client: TestClient) -> Scanner:
    scanner = client.app.state.service.extras[STATE_KEY]  # type: ignore[attr-defined]
    assert isinstance(scanner, Scanner)
    return scanner


def test_while_clamd_is_down_files_wait_and_are_scanned_when_it_returns(
    clamd: Clamd,
    scanning_app: Callable[[str], TestClient],
    devidp: DevIdp,
    unique_org: Any,
    unique_sub: Any,
) -> None:
    client = scanning_app(clamd.url)
    scene = _scene(client, devidp, unique_org, unique_sub)
    clamd.stop()
    created = upload(client, scene.url("/bijlagen"), scene.melder, "a.png", png())
    assert created.status_code == 201
    bijlage = created.json()
    scanner = _scanner(client)
    deadline = time.monotonic() + 30
    while scanner.failed_attempts < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert scanner.failed_attempts >= 3, "the worker retries while clamd is down"
    meta = client.get(scene.url(f"/bijlagen/{bijlage['id']}"), headers=scene.handler).json()
    assert meta["scanstatus"] == "in_afwachting", "never schoon without clamd's verdict"
    assert (
        client.get(
            scene.url(f"/bijlagen/{bijlage['id']}/inhoud"), headers=scene.handler
        ).status_code
        == 409
    )

    clamd.start()  # the client repeats nothing: the worker picks the file up again
    wait_for_status(client, scene, bijlage["id"], "schoon")


def test_pending_scans_survive_a_restart_of_the_service(
    clamd: Clamd,
    scanning_app: Callable[[str], TestClient],
    devidp: DevIdp,
    unique_org: Any,
    unique_sub: Any,
) -> None:
    clamd.stop()
    first = scanning_app(clamd.url)
    scene = _scene(first, devidp, unique_org, unique_sub)
    bijlage = upload(first, scene.url("/bijlagen"), scene.melder, "a.png", png()).json()
    assert bijlage["scanstatus"] == "in_afwachting"
    first.__exit__(None, None, None)  # the process ends with the scan still pending

    clamd.start()
    second = scanning_app(clamd.url)
    wait_for_status(second, scene, bijlage["id"], "schoon")


def test_production_refuses_to_start_without_clamav() -> None:
    safe: dict[str, Any] = {
        "env": "production",
        "database_url": "postgresql://meldingen_app:secret@db:5432/weerbaar",
        "oidc_issuer": "https://login.weerbaarbestuur.nl/realms/weerbaar",
        "data_keys": generate_key_spec("2026-12"),
        "public_base_url": "https://api.weerbaarbestuur.nl",
    }
    with pytest.raises(ScannerRequired, match="WEERBAAR_CLAMAV_URL is required"):
        require_scanner(MeldingenSettings(**safe))
    require_scanner(MeldingenSettings(**safe, clamav_url="tcp://clamav:3310"))
    assert MeldingenSettings(**safe, clamav_url="tcp://clamav:3310").is_production
    assert MeldingenSettings(**safe, clamav_url="unix:///run/clamav/clamd.ctl").is_production
    with pytest.raises(ValueError, match="tcp://host:port"):
        MeldingenSettings(**safe, clamav_url="http://clamav:3310")


def test_production_serves_only_schoon() -> None:
    from services.meldingen.bijlage.models import Bijlage
    from services.meldingen.bijlage.service import mag_geleverd

    for status, outside, inside in (
        ("schoon", True, True),
        ("niet_gescand", True, False),
        ("in_afwachting", False, False),
        ("besmet", False, False),
    ):
        bijlage = Bijlage(scanstatus=status)
        assert mag_geleverd(bijlage, production=False) is outside, status
        assert mag_geleverd(bijlage, production=True) is inside, status
