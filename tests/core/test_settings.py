"""Every ``CITYBRIEF_*`` variable is checked at start-up, and relative paths resolve once.

GIVEN a malformed value WHEN the settings are read (what every entry point does first)
THEN a ValueError names the variable, instead of a request failing later with a
misleading error; relative paths are resolved against the directory at start-up.
"""

from __future__ import annotations

import ast
import logging
import re
import sys
from pathlib import Path

import pytest

from citybrief.clouds.azure import AzureSettings
from citybrief.clouds.gcp import GcpSettings
from citybrief.settings import CLOUD_VARIABLES, CORE_VARIABLES, DEFAULT_WIKI_API, Settings

CORE = Path(__file__).parents[2] / "shared" / "citybrief"
# How a module reads a variable: env.get("NAME") or a helper's (env, "NAME", ...).
READ = re.compile(r'(?:env\.get\(|\(env, |env,\s+)"(CITYBRIEF_[A-Z_]+)"')


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CITYBRIEF_LOG_LEVEL", "LOUD"),
        ("CITYBRIEF_WIKI_API", "not-a-url"),
        ("CITYBRIEF_WIKI_API", "ftp://en.wikipedia.org/w/api.php"),
        ("CITYBRIEF_WIKI_API", "https:///w/api.php"),
        ("CITYBRIEF_WIKI_API", "https://{language}.wikipedia.org/w/api.php"),
        ("CITYBRIEF_WIKI_API", "https://en.wikipedia.org/w/api.php\n"),
        ("CITYBRIEF_CONTACT", "me at example.org"),
        ("CITYBRIEF_CONTACT", "https://example.org\r\nX-Evil: 1"),
        ("CITYBRIEF_CONNECT_TIMEOUT", "soon"),
        ("CITYBRIEF_READ_TIMEOUT", "0"),
        ("CITYBRIEF_DEADLINE", "nan"),
        ("CITYBRIEF_DEADLINE", "inf"),
        ("CITYBRIEF_MAX_RETRIES", "-1"),
        ("CITYBRIEF_MAX_RETRIES", "²"),
        ("CITYBRIEF_CACHE", "redis://localhost"),
        ("CITYBRIEF_CACHE", "dynamodb://a/b"),
        ("CITYBRIEF_CACHE_TTL", "-5"),
        ("CITYBRIEF_NEGATIVE_CACHE_TTL", "0"),
        ("CITYBRIEF_SNAPSHOT", "no/such/directory"),
        ("CITYBRIEF_CORS_ORIGINS", "https://example.org/app"),
        ("CITYBRIEF_CORS_ORIGINS", "example.org"),
    ],
)
def test_a_malformed_core_variable_stops_start_up_naming_it(
    name: str, value: str, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match=name):
        Settings.from_env({name: value}, cwd=tmp_path)


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"CITYBRIEF_AUTH_LEVEL": "anonymus"}, "CITYBRIEF_AUTH_LEVEL"),
        ({"CITYBRIEF_QUEUE_NAME": "Citybrief_Requests"}, "CITYBRIEF_QUEUE_NAME"),
        ({"CITYBRIEF_QUEUE_NAME": "q"}, "CITYBRIEF_QUEUE_NAME"),
        ({"CITYBRIEF_BLOB_CONTAINER": "briefs--x"}, "CITYBRIEF_BLOB_CONTAINER"),
    ],
)
def test_a_malformed_azure_variable_stops_start_up_naming_it(
    env: dict[str, str], name: str
) -> None:
    with pytest.raises(ValueError, match=name):
        AzureSettings.from_env(env)


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"CITYBRIEF_BRIEFS_COLLECTION": "briefs/2024"}, "CITYBRIEF_BRIEFS_COLLECTION"),
        ({"CITYBRIEF_BRIEFS_COLLECTION": "__briefs__"}, "CITYBRIEF_BRIEFS_COLLECTION"),
        ({"CITYBRIEF_BODY_TIMEOUT": "later"}, "CITYBRIEF_BODY_TIMEOUT"),
    ],
)
def test_a_malformed_gcp_variable_stops_start_up_naming_it(env: dict[str, str], name: str) -> None:
    with pytest.raises(ValueError, match=name):
        GcpSettings.from_env(env)


def test_well_formed_values_are_kept(tmp_path: Path) -> None:
    (tmp_path / "index.json").write_text("{}")
    env = {
        "CITYBRIEF_LOG_LEVEL": "debug",
        "CITYBRIEF_WIKI_API": "http://127.0.0.1:8765/w/api.php",
        "CITYBRIEF_CONTACT": "mailto:ops@example.org",
        "CITYBRIEF_DEADLINE": "12.5",
        "CITYBRIEF_MAX_RETRIES": "0",
        "CITYBRIEF_CACHE": "firestore://briefs-cache",
        "CITYBRIEF_CORS_ORIGINS": "https://a.example, http://localhost:3000,*",
        "CITYBRIEF_SNAPSHOT": str(tmp_path),
    }
    settings = Settings.from_env(env, cwd=Path("/"))

    assert settings.log_level == "DEBUG"
    assert settings.wiki_api == "http://127.0.0.1:8765/w/api.php"
    assert settings.contact == "mailto:ops@example.org"
    assert (settings.deadline, settings.max_retries) == (12.5, 0)
    assert settings.cache == "firestore://briefs-cache"
    assert settings.cors_origins == ("https://a.example", "http://localhost:3000", "*")
    assert settings.snapshot_dir == str(tmp_path.resolve())
    assert Settings.from_env({}).wiki_api == DEFAULT_WIKI_API


def test_cloud_settings_defaults_and_overrides() -> None:
    assert AzureSettings.from_env({}) == AzureSettings("function", None, "briefs")
    azure = AzureSettings.from_env(
        {
            "CITYBRIEF_AUTH_LEVEL": "ANONYMOUS",  # the ARM template may pass upper case
            "CITYBRIEF_QUEUE_NAME": "citybrief-requests",
            "CITYBRIEF_BLOB_CONTAINER": "briefs-staging",
        }
    )
    assert azure == AzureSettings("anonymous", "citybrief-requests", "briefs-staging")
    assert GcpSettings.from_env({}) == GcpSettings(10.0, "briefs")
    gcp = {"CITYBRIEF_BRIEFS_COLLECTION": "briefs-staging", "CITYBRIEF_BODY_TIMEOUT": "2"}
    assert GcpSettings.from_env(gcp) == GcpSettings(2.0, "briefs-staging")


def test_relative_paths_resolve_against_the_start_up_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a snapshot and a cache path given relative to the directory at start-up
    (tmp_path / "snap").mkdir()
    (tmp_path / "snap" / "index.json").write_text("{}")
    monkeypatch.chdir(tmp_path)
    env = {"CITYBRIEF_SNAPSHOT": "snap", "CITYBRIEF_CACHE": "sqlite:///cache/briefs.db"}

    # WHEN the settings are read, and the process later changes directory
    settings = Settings.from_env(env)
    monkeypatch.chdir("/")

    # THEN both were made absolute once, at start-up, and keep meaning the same files
    assert settings.snapshot_dir == str(tmp_path.resolve() / "snap")
    assert settings.cache == f"sqlite:///{tmp_path.resolve() / 'cache' / 'briefs.db'}"
    # AND an absolute path or one under ~ does not depend on the directory
    absolute = Settings.from_env({"CITYBRIEF_CACHE": "sqlite:////var/cache/c.db"})
    assert absolute.cache == "sqlite:////var/cache/c.db"
    home = Settings.from_env({"CITYBRIEF_CACHE": "sqlite:///~/c.db"})
    assert home.cache == f"sqlite:///{Path('~/c.db').expanduser().resolve()}"


def test_a_snapshot_directory_without_an_index_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"CITYBRIEF_SNAPSHOT.*has no index.json.*snapshot"):
        Settings.from_env({"CITYBRIEF_SNAPSHOT": str(tmp_path)})


def test_the_core_never_imports_a_cloud_module() -> None:
    """GIVEN every core module WHEN its imports are read THEN none names citybrief.clouds
    (cache.open_cache loads a cloud backend by name, only when it is chosen)."""
    for path in CORE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [alias.name for alias in node.names]
                assert not any(name.startswith("clouds") for name in names), path.name
                assert not (node.module or "").startswith("citybrief.clouds"), path.name
            if isinstance(node, ast.Import):
                assert not any("clouds" in alias.name for alias in node.names), path.name


def test_a_core_brief_loads_no_cloud_module(tmp_path: Path) -> None:
    """GIVEN a fresh interpreter WHEN the core answers /health and builds a memory-cached
    service THEN no citybrief.clouds module was imported."""
    import subprocess

    code = (
        "import sys\n"
        "from citybrief.http import App, Request\n"
        "from citybrief.service import BriefService\n"
        "from citybrief.settings import Settings\n"
        "s = Settings.from_env({})\n"
        "app = App(lambda: BriefService(s), s)\n"
        "app.handle(Request(method='GET', path='/health'))\n"
        "BriefService(s)\n"
        "print(sorted(m for m in sys.modules if m.startswith('citybrief.clouds')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert done.stdout.strip() == "[]"


def test_an_unknown_variable_is_reported_with_the_nearest_name(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # GIVEN a typo in a variable's name WHEN the settings are read
    with caplog.at_level(logging.WARNING, logger="citybrief.settings"):
        settings = Settings.from_env({"CITYBRIEF_DEADLNE": "5", "CITYBRIEF_DEADLINE": "7"})

    # THEN the real one is used, and the typo is named with the variable it resembles
    assert settings.deadline == 7
    assert [record.getMessage() for record in caplog.records] == [
        "CITYBRIEF_DEADLNE is set, but citybrief reads no such variable; "
        "did you mean CITYBRIEF_DEADLINE?"
    ]


def test_every_variable_read_is_known_and_every_known_one_is_read() -> None:
    """GIVEN the names the core and the cloud modules read WHEN compared with the lists
    start-up checks against THEN they are the same, so no real variable is reported."""

    def read_in(path: Path) -> set[str]:
        return set(READ.findall(path.read_text(encoding="utf-8")))

    assert set().union(*map(read_in, CORE.rglob("*.py"))) == CORE_VARIABLES | CLOUD_VARIABLES
    # AND each is read in one place: the core's in settings.py, each cloud's in its module
    assert read_in(CORE / "settings.py") == CORE_VARIABLES
    assert set().union(*map(read_in, (CORE / "clouds").glob("*.py"))) == CLOUD_VARIABLES
