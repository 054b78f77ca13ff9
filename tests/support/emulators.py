"""Real emulators for the cloud tests: moto (DynamoDB), Firestore, Pub/Sub and Azurite.

Each emulator is a session fixture: it starts the tool on a free 127.0.0.1 port in a
process group of its own, waits until it answers, and at the end stops that group by its
id (never anything by name). One emulator serves the whole test run: the first
pytest-xdist worker to need it starts it, the others use it, and the last to finish stops
it (a JVM's start costs seconds of CPU per worker otherwise). Logs are kept in a temporary
directory, and a test that fails while using an emulator gets the log's tail in its
report. Function fixtures then point one test at an emulator through its SDK's standard
environment variables (monkeypatch, so nothing leaks) and hand it a fresh table or
collection.

A tool absent from the machine skips its tests loudly, except under ``CI=true``, where it
fails them: CI must run every backend. What installs each tool: moto[server] from the dev
extra, the gcloud emulators from Debian packages (google-cloud-cli-firestore-emulator,
google-cloud-cli-pubsub-emulator, a JRE), Azurite from scripts/install_azurite.sh.

Use them from a conftest by importing the fixtures and the two ``pytest_*`` hooks.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import pytest

from tests.support.runs import locked, run_dir

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
GCP_PROJECT = "citybrief-test"
# Azurite's well-known development account: public, documented, not a secret.
AZURITE_ACCOUNT = "devstoreaccount1"
AZURITE_KEY = (
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)
START_TIMEOUT = 60.0

# The emulators running now (for failure reports) and every startup time (for the summary).
STARTED: list[Emulator] = []
STARTUP_SECONDS: dict[str, float] = {}


def tool_absent(what: str) -> NoReturn:
    """Skip loudly where a developer lacks a tool; fail under CI, where that is a bug."""
    message = f"EMULATOR TOOL ABSENT: {what}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI=true: every emulator must be installed)", pytrace=False)
    pytest.skip(message)


def free_port() -> int:
    """A port nothing listens on right now (also what 'unreachable' tests aim at)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def answers(url: str) -> bool:
    """True once an HTTP server answers at ``url``, whatever its status."""
    try:
        with urllib.request.urlopen(url, timeout=1.0):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


@dataclass
class Emulator:
    name: str
    fixture: str
    pid: int  # of its process group's leader
    log_path: Path
    ports: dict[str, int]
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None  # in the worker that started it

    def log_tail(self, lines: int = 80) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """SIGKILL the group we created (gcloud's wrapper and its JVM): an emulator keeps
        nothing worth a graceful shutdown, which takes the JVMs seconds."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        if self.process is not None:
            self.process.wait(timeout=10.0)


def start(
    name: str,
    fixture: str,
    argv: list[str],
    ports: dict[str, int],
    ready: Callable[[], bool],
    logs: Path,
    env: dict[str, str] | None = None,
) -> Emulator:
    """Start ``argv`` in a new session, wait for ``ready``; fail with its log if it won't."""
    log_path = logs / f"{name}.log"
    began = time.monotonic()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=logs,
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )
    emulator = Emulator(name, fixture, process.pid, log_path, ports, process=process)
    while not ready():
        if process.poll() is not None or time.monotonic() - began > START_TIMEOUT:
            emulator.stop()
            pytest.fail(
                f"{name} did not start (exit {process.returncode}) in {START_TIMEOUT:.0f} s; "
                f"{' '.join(argv)}\n--- {log_path} ---\n{emulator.log_tail()}",
                pytrace=False,
            )
        time.sleep(0.1)
    STARTUP_SECONDS[name] = time.monotonic() - began
    return emulator


@pytest.fixture(scope="session")
def emulator_logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's emulator directory (logs, and what the workers share about each one)."""
    logs = run_dir(tmp_path_factory) / "emulator-logs"
    logs.mkdir(exist_ok=True)
    return logs


def _shared(logs: Path, name: str, launch: Callable[[], Emulator]) -> Generator[Emulator]:
    """The run's ``name`` emulator: started by ``launch`` if no worker has it running, and
    stopped when its last user is done (``<name>.json`` counts them)."""
    record, lock = logs / f"{name}.json", logs / f"{name}.lock"
    with locked(lock):
        if record.exists():
            shared = json.loads(record.read_text())
            emulator = Emulator(**{**shared["emulator"], "log_path": Path(shared["log_path"])})
            shared["users"] += 1
        else:
            emulator = launch()
            fields = {"name": emulator.name, "fixture": emulator.fixture, "pid": emulator.pid}
            fields |= {"ports": emulator.ports, "env": emulator.env}
            shared = {"emulator": fields, "log_path": str(emulator.log_path), "users": 1}
        record.write_text(json.dumps(shared))
    STARTED.append(emulator)
    try:
        yield emulator
    finally:
        STARTED.remove(emulator)
        with locked(lock):
            shared = json.loads(record.read_text())
            shared["users"] -= 1
            if shared["users"]:
                record.write_text(json.dumps(shared))
            else:
                record.unlink()
                emulator.stop()


# --- moto (DynamoDB) -------------------------------------------------------------------


@pytest.fixture(scope="session")
def moto_emulator(emulator_logs: Path) -> Iterator[Emulator]:
    """``moto_server`` from the venv's moto[server], a real HTTP server like DynamoDB's."""

    def launch() -> Emulator:
        binary = Path(sys.executable).parent / "moto_server"
        if not binary.exists():
            tool_absent(f"{binary} (pip install 'moto[server]', the project's dev extra)")
        port = free_port()
        url = f"http://{HOST}:{port}"
        emulator = start(
            "moto",
            "moto_server",
            [str(binary), "-H", HOST, "-p", str(port)],
            {"http": port},
            lambda: answers(f"{url}/moto-api/"),
            emulator_logs,
        )
        emulator.env = {"AWS_ENDPOINT_URL": url}
        return emulator

    yield from _shared(emulator_logs, "moto", launch)


@pytest.fixture
def moto_server(moto_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point boto3 at moto with dummy credentials; return a new table with TTL enabled."""
    import boto3

    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_ENDPOINT_URL_DYNAMODB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_emulator.env["AWS_ENDPOINT_URL"])
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    table = f"citybrief-{uuid.uuid4().hex[:12]}"
    client = boto3.client("dynamodb")
    client.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    client.update_time_to_live(
        TableName=table,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"},
    )
    return table


# --- gcloud emulators (Firestore, Pub/Sub) ----------------------------------------------


def _gcloud(component: str, package: str) -> str:
    """The gcloud binary, once it and ``component`` (and Java, which runs it) are present."""
    gcloud = shutil.which("gcloud")
    if gcloud is None:
        tool_absent("gcloud (Debian package google-cloud-cli)")
    platform = Path(gcloud).resolve().parents[1] / "platform" / component
    if not platform.is_dir():
        tool_absent(f"gcloud component {component} (Debian package {package})")
    if shutil.which("java") is None:
        tool_absent("java, which runs the gcloud emulators (Debian package default-jre-headless)")
    return gcloud


def _gcloud_env(logs: Path) -> dict[str, str]:
    """A private gcloud config dir: no prompts, no update checks, no user settings."""
    return {
        "CLOUDSDK_CONFIG": str(logs / "gcloud-config"),
        "CLOUDSDK_CORE_DISABLE_PROMPTS": "1",
        "CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK": "1",
    }


def _gcloud_emulator(
    logs: Path, name: str, component: str, package: str, command: list[str], env_var: str
) -> Iterator[Emulator]:
    """Start ``gcloud <command> --host-port=...``; its clients find it through ``env_var``."""

    def launch() -> Emulator:
        gcloud = _gcloud(component, package)
        port = free_port()
        emulator = start(
            name,
            f"{name}_emulator",
            [gcloud, *command, f"--host-port={HOST}:{port}"],
            {"grpc": port},
            lambda: answers(f"http://{HOST}:{port}/"),
            logs,
            _gcloud_env(logs),
        )
        emulator.env = {env_var: f"{HOST}:{port}"}
        return emulator

    yield from _shared(logs, name, launch)


def _point_google_sdk_at(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """Aim the google-cloud client libraries at ``emulator`` for one test."""
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    for name, value in emulator.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", GCP_PROJECT)
    monkeypatch.setenv("GCLOUD_PROJECT", GCP_PROJECT)


@pytest.fixture(scope="session")
def firestore_emulator(emulator_logs: Path) -> Iterator[Emulator]:
    yield from _gcloud_emulator(
        emulator_logs,
        "firestore",
        "cloud-firestore-emulator",
        "google-cloud-cli-firestore-emulator",
        ["emulators", "firestore", "start"],
        "FIRESTORE_EMULATOR_HOST",
    )


@pytest.fixture
def firestore_collection(firestore_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point google-cloud-firestore at the emulator; return a fresh collection name."""
    _point_google_sdk_at(firestore_emulator, monkeypatch)
    return f"citybrief-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def pubsub_emulator(emulator_logs: Path) -> Iterator[Emulator]:
    yield from _gcloud_emulator(
        emulator_logs,
        "pubsub",
        "pubsub-emulator",
        "google-cloud-cli-pubsub-emulator",
        ["beta", "emulators", "pubsub", "start", f"--project={GCP_PROJECT}"],
        "PUBSUB_EMULATOR_HOST",
    )


@pytest.fixture
def pubsub_project(pubsub_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point google-cloud-pubsub at the emulator; return the project id to use."""
    _point_google_sdk_at(pubsub_emulator, monkeypatch)
    return GCP_PROJECT


# --- Azurite (Table, Blob, Queue) --------------------------------------------------------


def azurite_connection_string(blob: int, queue: int, table: int) -> str:
    base = f"http://{HOST}:{{}}/{AZURITE_ACCOUNT}"
    return (
        f"DefaultEndpointsProtocol=http;AccountName={AZURITE_ACCOUNT};AccountKey={AZURITE_KEY};"
        f"BlobEndpoint={base.format(blob)};QueueEndpoint={base.format(queue)};"
        f"TableEndpoint={base.format(table)};"
    )


def _azurite() -> Path:
    """The pinned Azurite in .tools/azurite, installed by the project's script if missing."""
    binary = ROOT / ".tools" / "azurite" / "node_modules" / ".bin" / "azurite"
    if shutil.which("node") is None:
        tool_absent("node, which runs Azurite (Debian packages nodejs npm)")
    if not binary.exists():
        if shutil.which("npm") is None:
            tool_absent("npm, to install Azurite (Debian package npm)")
        done = subprocess.run(
            ["bash", str(ROOT / "scripts" / "install_azurite.sh")],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0 or not binary.exists():
            tool_absent(f"Azurite: scripts/install_azurite.sh failed:\n{done.stderr[-2000:]}")
    return binary


@pytest.fixture(scope="session")
def azurite_emulator(emulator_logs: Path) -> Iterator[Emulator]:
    def launch() -> Emulator:
        binary = _azurite()
        ports = {"blob": free_port(), "queue": free_port(), "table": free_port()}
        emulator = start(
            "azurite",
            "azurite_emulator",
            [
                str(binary),
                "--inMemoryPersistence",  # excludes --location; the cwd is the log dir
                "--disableTelemetry",
                "--skipApiVersionCheck",
                "--loose",
                *("--blobHost", HOST, "--blobPort", str(ports["blob"])),
                *("--queueHost", HOST, "--queuePort", str(ports["queue"])),
                *("--tableHost", HOST, "--tablePort", str(ports["table"])),
            ],
            ports,
            lambda: all(
                answers(f"http://{HOST}:{port}/{AZURITE_ACCOUNT}") for port in ports.values()
            ),
            emulator_logs,
        )
        connection = azurite_connection_string(ports["blob"], ports["queue"], ports["table"])
        emulator.env = {
            "AzureWebJobsStorage": connection,
            "AZURE_STORAGE_CONNECTION_STRING": connection,
        }
        return emulator

    yield from _shared(emulator_logs, "azurite", launch)


@pytest.fixture
def azurite_table(azurite_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> str:
    """Set AzureWebJobsStorage to Azurite; return a fresh (not yet created) table name."""
    for name, value in azurite_emulator.env.items():
        monkeypatch.setenv(name, value)
    return f"citybrief{uuid.uuid4().hex[:12]}"


# --- reporting hooks (import these into the conftest next to the fixtures) ---------------


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Attach the log tail of each emulator a failed test used."""
    report = yield
    if report.failed:
        used = getattr(item, "fixturenames", ())
        for emulator in STARTED:
            if emulator.fixture in used:
                report.sections.append((f"{emulator.name} log", emulator.log_tail()))
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print each emulator's startup time, to keep the suite's budget visible."""
    if STARTUP_SECONDS:
        times = ", ".join(f"{name} {sec:.1f} s" for name, sec in STARTUP_SECONDS.items())
        terminalreporter.write_line(f"emulator startup: {times}")


EMULATOR_FIXTURES = frozenset(
    {"moto_emulator", "firestore_emulator", "pubsub_emulator", "azurite_emulator"}
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that starts an emulator, directly or through another fixture, carries
    the ``emulator`` marker, so ``make test-fast`` (-m "not emulator") never starts one."""
    for item in items:
        if EMULATOR_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.emulator)
