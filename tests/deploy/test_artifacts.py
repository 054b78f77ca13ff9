"""`make package` artifacts: each one answers a brief from its own files, within budget.

The ``build`` fixture (tests/support/artifacts.py) runs scripts/package.py (what `make
package` and the deploy workflows run) once per test run, into a private temporary dist/
directory, starting it in the background with the session. It needs the package index
for pip: under CI=true an unreachable index fails the run, locally the tests skip loudly.

Each artifact then runs in a FRESH interpreter started with ``-S -E -B`` (no site
directory, no PYTHON* variables, no bytecode written into the artifact) whose sys.path
is set from the code below, with NLTK_DATA an empty directory, HOME a temporary one and
an audit hook that refuses any non-loopback connection or name lookup: nothing may be
downloaded on a cold start. After the brief, every imported module must come from the
allowed paths only.

* AWS: Python 3.12 (the wheels are cp312), sys.path = dist/aws, then a stand-in for the
  runtime's /var/runtime holding ONLY boto3, botocore, s3transfer, jmespath, urllib3,
  python-dateutil and six from the project venv (pure Python): the python3.12 Lambda
  runtime provides them
  and package.py deliberately leaves them out. ``handler.handler({"city": "Chicago"})``.
* GCP: dist/gcp ships no dependencies (Cloud Build installs requirements.txt, the
  hash-pinned lock package.py writes), so the venv's interpreter runs it with sys.path =
  dist/gcp, then the venv's site-packages directory (its .pth files are NOT processed, so
  the venv's editable citybrief is not importable: citybrief must come from dist/gcp).
  Every third-party module imported must belong to a distribution the lock pins, at the
  version the venv (where the tests ran) has installed.
* Azure: Python 3.12, sys.path = dist/azure, dist/azure/.python_packages/lib/site-packages
  (what the worker adds); the ``brief`` function is called with a real func.HttpRequest.
"""

from __future__ import annotations

import glob
import importlib.metadata
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from packaging.utils import canonicalize_name

from tests.support.artifacts import Build, skip_or_fail
from tests.support.emulators import Emulator
from tests.support.fakewiki import FakeWiki

from .conftest import ROOT

MB = 1_000_000
# Lambda's python3.12 runtime ships these (and their deps) in /var/runtime.
LAMBDA_RUNTIME_MODULES = (
    "boto3",
    "botocore",
    "s3transfer",
    "jmespath",
    "urllib3",
    "dateutil",
    "six",
)

# Runs first in every child: sys.path, the network guard, then the snippet, then a report.
BOOTSTRAP = r"""
import json, sys
config = json.loads(sys.argv[1])
sys.path[0:0] = config["paths"]
blocked = []
LOCAL = {"127.0.0.1", "::1", "localhost"}

def guard(event, args):
    if event == "socket.connect" and isinstance(args[1], tuple) and args[1][0] not in LOCAL:
        blocked.append(f"connect {args[1]!r}")
        raise ConnectionRefusedError(f"no network on a cold start: {args[1]!r}")
    if event == "socket.getaddrinfo" and args[0] not in LOCAL:
        blocked.append(f"getaddrinfo {args[0]!r}")
        raise OSError(f"no name lookups on a cold start: {args[0]!r}")

sys.addaudithook(guard)
scope = {}
exec(config["code"], scope)
modules = {
    name: getattr(module, "__file__", None)
    for name, module in list(sys.modules.items())
    if getattr(module, "__file__", None)
}
print("\n@@RESULT@@" + json.dumps(
    {"result": scope["RESULT"], "blocked": blocked, "modules": modules,
     "version": list(sys.version_info[:2])}
))
"""

AWS_CODE = """
import handler

class Context:
    aws_request_id = "00000000-0000-0000-0000-000000000001"
    function_name = "citybrief-test"
    function_version = "$LATEST"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:citybrief-test"
    log_group_name = "/aws/lambda/citybrief-test"
    log_stream_name = "test"

    def get_remaining_time_in_millis(self):
        return 30000

RESULT = handler.handler({"city": "Chicago"}, Context())
"""

# The batch state machine's task event (tests/events/aws/stepfunctions_task.json's shape).
AWS_BATCH_CODE = """
import batch_task

class Context:
    aws_request_id = "00000000-0000-0000-0000-000000000002"
    function_name = "citybrief-batch-test"
    function_version = "$LATEST"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:citybrief-batch-test"
    log_group_name = "/aws/lambda/citybrief-batch-test"
    log_stream_name = "test"

    def get_remaining_time_in_millis(self):
        return 60000

EVENT = {"city": "Chicago", "sentences": 2, "lang": "en"}
RESULT = batch_task.handler({**EVENT, "bucket": BUCKET, "key": "results/a/0.json"}, Context())
"""

GCP_CODE = """
import json, flask, main

with flask.Flask("artifact-test").test_request_context("/brief?city=Chicago"):
    response = main.citybrief_http(flask.request)
RESULT = {"status": response.status_code, "body": json.loads(response.get_data())}
"""

AZURE_CODE = """
import json
import azure.functions as func
import function_app

functions = {f.get_function_name(): f for f in function_app.app.get_functions()}
request = func.HttpRequest(
    "GET", "http://localhost:7071/api/brief", params={"city": "Chicago"}, body=b""
)
response = functions["brief"].get_user_function()(request, None)
RESULT = {"status": response.status_code, "body": json.loads(response.get_body())}
"""


def _runs_312(candidate: str) -> bool:
    try:
        probe = subprocess.run(
            [candidate, "-c", "import sys; print(sys.version_info[:2] == (3, 12))"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except OSError:
        return False
    return probe.stdout.strip() == "True"


def find_python312() -> str | None:
    """A working CPython 3.12 (pyenv shims on PATH may exist yet refuse to run)."""
    pyenv_root = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    candidates = [
        os.environ.get("CITYBRIEF_PYTHON312", ""),
        sys.executable if sys.version_info[:2] == (3, 12) else "",
        shutil.which("python3.12") or "",
        *sorted(glob.glob(f"{pyenv_root}/versions/3.12*/bin/python3.12"), reverse=True),
        "/usr/local/bin/python3.12",
        "/usr/bin/python3.12",
        "/opt/hostedtoolcache/Python/3.12*/x64/bin/python3.12",
    ]
    for pattern in candidates:
        for candidate in sorted(glob.glob(pattern), reverse=True) if pattern else []:
            if _runs_312(candidate):
                return candidate
    return None


def _load_package_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "citybrief_package", ROOT / "scripts" / "package.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def package() -> ModuleType:
    """scripts/package.py as a module (its pruning and zip helpers)."""
    return _load_package_script()


@pytest.fixture(scope="session")
def python312() -> str:
    """The interpreter the AWS and Azure artifacts (cp312 wheels) must run under."""
    found = find_python312()
    if found is None:
        skip_or_fail("no working python3.12 found (set CITYBRIEF_PYTHON312)")
    assert found is not None
    return found


@pytest.fixture(scope="session")
def lambda_runtime(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A stand-in for /var/runtime: symlinks to the venv's boto3 stack, nothing else."""
    runtime = tmp_path_factory.mktemp("var-runtime")
    for name in LAMBDA_RUNTIME_MODULES:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin, f"{name} is not installed in the venv"
        source = Path(spec.origin)
        if source.name == "__init__.py":
            source = source.parent
        (runtime / source.name).symlink_to(source, target_is_directory=source.is_dir())
    return runtime


@dataclass(frozen=True)
class ChildRun:
    """What a fresh interpreter reported after answering one brief."""

    result: Any
    blocked: list[str]
    modules: dict[str, str]
    version: list[int]


def run_fresh(
    python: str,
    paths: list[Path],
    code: str,
    wiki: FakeWiki,
    scratch: Path,
    extra_env: dict[str, str] | None = None,
) -> ChildRun:
    """Answer one brief in a fresh isolated interpreter; see the module docstring."""
    home, nltk_data = scratch / "home", scratch / "nltk_data"
    home.mkdir()
    nltk_data.mkdir()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "NLTK_DATA": str(nltk_data),
        "LANG": "C.UTF-8",
        "TMPDIR": str(scratch),
        "CITYBRIEF_WIKI_API": wiki.api_url,
        "CITYBRIEF_CACHE": "none",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        **(extra_env or {}),
    }
    config = json.dumps({"paths": [str(p) for p in paths], "code": code})
    done = subprocess.run(
        [python, "-S", "-E", "-B", "-c", BOOTSTRAP, config],
        env=env,
        cwd=scratch,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, (
        f"the artifact failed:\n{done.stdout[-3000:]}\n{done.stderr[-6000:]}"
    )
    report = json.loads(done.stdout.rpartition("@@RESULT@@")[2])
    assert not any(nltk_data.iterdir()), "something was written to NLTK_DATA"
    assert not (home / "nltk_data").exists(), "NLTK data was downloaded into HOME"
    return ChildRun(report["result"], report["blocked"], report["modules"], report["version"])


def foreign_modules(run: ChildRun, python: str, allowed: list[Path]) -> list[str]:
    """Modules imported from anywhere but ``allowed`` and the interpreter's stdlib."""
    stdlib = subprocess.run(
        [python, "-S", "-E", "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    roots = [str(p) for p in allowed] + [stdlib]
    return sorted(
        f"{name}: {path}"
        for name, path in run.modules.items()
        if not any(path.startswith(root + os.sep) for root in roots)
    )


LOCK_ENTRY = re.compile(r"^([a-z0-9-]+)==(\S+) \\\n    --hash=sha256:([0-9a-f]{64})$", re.MULTILINE)


def read_lock(path: Path) -> dict[str, str]:
    """name -> version of a lock written by package.py; every non-comment line is an entry."""
    text = path.read_text(encoding="utf-8")
    entries = {m[1]: m[2] for m in LOCK_ENTRY.finditer(text)}
    body = [line for line in LOCK_ENTRY.sub("", text).splitlines() if line.strip()]
    assert all(line.startswith("#") for line in body), f"not name==version + hash: {body}"
    return entries


def _tree_files(tree: Path) -> list[str]:
    return sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*") if p.is_file())


# -- layout ------------------------------------------------------------------------------


def test_aws_tree_is_lean(build: Build) -> None:
    """No caches, tests, scripts, stubs, installer records or runtime-provided SDKs."""
    aws = build.dist / "aws"
    assert (aws / "handler.py").is_file() and (aws / "citybrief" / "__init__.py").is_file()
    assert (aws / "batch_task.py").is_file()  # the batch function's Handler (template.yaml)
    files = _tree_files(aws)
    assert not [f for f in files if "__pycache__" in f or f.endswith((".pyc", ".pyo"))]
    test_dirs = [
        p.relative_to(aws).as_posix()
        for p in aws.glob("*/*")
        if p.is_dir() and p.name in ("test", "tests")
    ]
    assert not test_dirs, f"package test suites shipped: {test_dirs}"
    assert not (aws / "bin").exists() and not list(aws.glob("*-stubs"))
    assert not [f for f in files if f.endswith((".dist-info/RECORD", ".dist-info/INSTALLER"))]
    shipped = {p.name.split("-")[0].lower() for p in aws.glob("*.dist-info")}
    assert not shipped & {"boto3", "botocore", "s3transfer"}, "the runtime provides these"
    for top in ("boto3", "botocore", "s3transfer", "dateutil", "six.py"):
        assert not (aws / top).exists(), f"{top} is provided by the Lambda runtime"
    # importlib.metadata keeps working: METADATA stays in every .dist-info
    assert all((info / "METADATA").is_file() for info in aws.glob("*.dist-info"))


@pytest.mark.parametrize("name", ["aws", "azure"])
def test_zip_is_the_tree_and_deterministic(build: Build, package: ModuleType, name: str) -> None:
    """The zip holds exactly the directory's files at its root, byte-for-byte reproducible."""
    tree, archive = build.dist / name, build.dist / f"{name}.zip"
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
        assert names == sorted(names)
        assert names == _tree_files(tree)
        assert {info.date_time for info in opened.infolist()} == {package._zip_epoch()}
        assert opened.testzip() is None
    again = io.BytesIO()
    package.write_zip(tree, again)
    assert again.getvalue() == archive.read_bytes(), "zipping the same tree changed bytes"


def test_gcp_source_dir(build: Build) -> None:
    """main.py, the core and requirements.txt: a lock of third-party packages only."""
    gcp = build.dist / "gcp"
    assert (gcp / "main.py").is_file() and (gcp / "citybrief" / "__init__.py").is_file()
    assert not list(gcp.rglob("__pycache__")) and not list(gcp.glob("*.dist-info"))
    locked = read_lock(gcp / "requirements.txt")
    assert locked, "dist/gcp/requirements.txt is empty"
    assert "citybrief" not in locked, "the core is copied, not installed"


def test_gcp_lock_pins_what_was_tested(build: Build, package: ModuleType) -> None:
    """GIVEN the venv the tests ran in WHEN packaging THEN the lock pins its versions.

    Every distribution gcp_functions/requirements.txt needs (transitively, as installed
    here) is in the lock, at exactly the installed version: nothing resolved on deploy day.
    """
    locked = read_lock(build.dist / "gcp" / "requirements.txt")
    installed = package.installed_versions()
    site = Path(sysconfig.get_paths()["purelib"])
    needed = package.needed_distributions(
        site,
        package.third_party_requirements(ROOT / "gcp_functions" / "requirements.txt"),
        frozenset(),
    )
    assert needed, "the venv lacks the gcp extra: nothing to compare with"
    assert needed <= set(locked), f"not locked: {sorted(needed - set(locked))}"
    differ = {n: (v, installed[n]) for n, v in locked.items() if installed.get(n, v) != v}
    assert not differ, f"lock != tested (locked, installed): {differ}"


def test_gcp_lock_installs_in_hash_checking_mode(
    build: Build, package: ModuleType, tmp_path: Path
) -> None:
    """pip on the runtime's platform accepts the lock with --require-hashes, no other input.

    Hash-checking mode also refuses any dependency the lock does not pin, so this proves
    the lock complete as well as well-formed.
    """
    lock = build.dist / "gcp" / "requirements.txt"
    done = subprocess.run(
        package.pip_for_target(
            lock,
            package.GCP_PLATFORMS,
            "--dry-run",
            "--ignore-installed",
            "--require-hashes",
            "--report",
            str(tmp_path / "report.json"),
        ),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    resolved = {
        canonicalize_name(item["metadata"]["name"]): item["metadata"]["version"]
        for item in report["install"]
    }
    assert resolved == read_lock(lock)


def test_azure_layout(build: Build) -> None:
    """function_app.py, host.json, the core, requirements.txt and locally built packages."""
    azure = build.dist / "azure"
    for name in ("function_app.py", "host.json", "requirements.txt", "citybrief/__init__.py"):
        assert (azure / name).is_file(), name
    site = azure / ".python_packages" / "lib" / "site-packages"
    assert (site / "azure" / "functions" / "__init__.py").is_file()
    assert not list(site.rglob("__pycache__"))
    with zipfile.ZipFile(build.dist / "azure.zip") as opened:
        assert "function_app.py" in opened.namelist()
        assert any(n.startswith(".python_packages/lib/site-packages/") for n in opened.namelist())


def test_sizes_within_budget(build: Build, capsys: pytest.CaptureFixture[str]) -> None:
    """Print the size table (also in dist/sizes.json) and hold AWS to its budget."""
    rows = [
        f"{name:<6} {s['files']:>6} files  {s['unzipped_bytes'] / MB:6.1f} MB unzipped  "
        f"{s['zipped_bytes'] / MB:6.1f} MB zipped"
        for name, s in build.sizes.items()
    ]
    with capsys.disabled():
        print(f"\n\nartifact sizes (sizes.json), package.py took {build.seconds:.1f} s:")
        print("\n".join(rows))
    aws = build.sizes["aws"]
    assert aws["zipped_bytes"] <= 15 * MB, f"dist/aws.zip is {aws['zipped_bytes'] / MB:.1f} MB"
    assert aws["unzipped_bytes"] <= 60 * MB, f"dist/aws is {aws['unzipped_bytes'] / MB:.1f} MB"
    assert set(build.sizes) == {"aws", "gcp", "azure"}


# -- each artifact answers a brief on its own ----------------------------------------------


def test_aws_artifact_answers_a_brief(
    build: Build,
    python312: str,
    lambda_runtime: Path,
    fake_wiki: FakeWiki,
    tmp_path: Path,
) -> None:
    """handler.handler, direct invoke, from dist/aws plus the runtime's boto3 stack only."""
    aws = build.dist / "aws"
    run = run_fresh(python312, [aws, lambda_runtime], AWS_CODE, fake_wiki, tmp_path)
    assert run.version == [3, 12]
    assert run.result.get("title") == "Chicago", run.result
    assert run.blocked == [], "the cold start tried to reach the network"
    assert foreign_modules(run, python312, [aws, lambda_runtime]) == []
    assert run.modules["citybrief"].startswith(str(aws))
    assert "citybrief.sentiment" in run.modules, "the NLP stack did not run"
    # the cold path stays light: TextBlob's scorer without its NLTK-importing package
    assert not {"nltk", "textblob", "bs4", "airportsdata"} & set(run.modules)
    assert not list(aws.rglob("__pycache__")), "the run wrote bytecode into the artifact"


def test_aws_artifact_answers_a_french_brief_with_its_lexicon(
    build: Build,
    python312: str,
    lambda_runtime: Path,
    fake_wiki: FakeWiki,
    tmp_path: Path,
) -> None:
    """GIVEN dist/aws WHEN a French article is briefed THEN it is scored with textblob-fr's
    lexicon shipped in the artifact, still without importing textblob, textblob_fr or NLTK."""
    aws = build.dist / "aws"
    code = AWS_CODE.replace('{"city": "Chicago"}', '{"city": "Marseille", "lang": "fr"}')
    env = {"CITYBRIEF_WIKI_API": fake_wiki.edition_api_url}
    run = run_fresh(python312, [aws, lambda_runtime], code, fake_wiki, tmp_path, env)
    assert run.result.get("title") == "Marseille", run.result
    assert run.result["analysis"]["language"] == "fr"
    assert run.result["sentiment"]["sections"]["Lead"]["polarity"] != 0, run.result["sentiment"]
    assert run.modules["citybrief.sentiment_lang"].startswith(str(aws))
    assert foreign_modules(run, python312, [aws, lambda_runtime]) == []
    assert not {"nltk", "textblob", "textblob_fr"} & set(run.modules)


def test_aws_batch_task_artifact_stores_a_record(
    build: Build,
    python312: str,
    lambda_runtime: Path,
    fake_wiki: FakeWiki,
    moto_emulator: Emulator,
    tmp_path: Path,
) -> None:
    """batch_task.handler from dist/aws (the batch function's Handler): the brief goes to
    S3 (a local moto server) with the runtime's boto3 only, and the answer is the entry."""
    import boto3

    aws = build.dist / "aws"
    endpoint = moto_emulator.env["AWS_ENDPOINT_URL"]
    credentials = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    bucket = f"citybrief-artifact-{time.monotonic_ns()}"
    s3.create_bucket(Bucket=bucket)
    code = f"BUCKET = {bucket!r}\n" + AWS_BATCH_CODE
    env = {"AWS_ENDPOINT_URL": endpoint, **credentials}
    run = run_fresh(python312, [aws, lambda_runtime], code, fake_wiki, tmp_path, env)
    assert run.result == {"city": "Chicago", "status": "ok", "key": "results/a/0.json"}
    record = json.loads(s3.get_object(Bucket=bucket, Key="results/a/0.json")["Body"].read())
    assert record["brief"]["title"] == "Chicago"
    assert run.blocked == [], "the cold start tried to reach the network"
    assert foreign_modules(run, python312, [aws, lambda_runtime]) == []
    assert run.modules["citybrief"].startswith(str(aws))


def test_gcp_artifact_answers_a_brief(
    build: Build, package: ModuleType, fake_wiki: FakeWiki, tmp_path: Path
) -> None:
    """main.citybrief_http from dist/gcp; third-party modules only from its requirements."""
    gcp = build.dist / "gcp"
    site = Path(sysconfig.get_paths()["purelib"])
    run = run_fresh(sys.executable, [gcp, site], GCP_CODE, fake_wiki, tmp_path)
    assert run.result["status"] == 200, run.result
    assert run.result["body"]["title"] == "Chicago"
    assert run.blocked == []
    assert run.modules["citybrief"].startswith(str(gcp)), "citybrief came from the venv"
    assert foreign_modules(run, sys.executable, [gcp, site]) == []
    declared = set(read_lock(gcp / "requirements.txt"))
    owners = importlib.metadata.packages_distributions()
    undeclared = set()
    for name, path in run.modules.items():
        if path.startswith(str(site) + os.sep):
            top = name.partition(".")[0]
            dists = {canonicalize_name(d) for d in owners.get(top, [])}
            if dists and not dists & declared:
                undeclared.add(f"{top} ({', '.join(sorted(dists))})")
    assert not undeclared, f"imported but not in dist/gcp/requirements.txt: {sorted(undeclared)}"


def test_azure_artifact_answers_a_brief(
    build: Build, python312: str, fake_wiki: FakeWiki, tmp_path: Path
) -> None:
    """function_app's brief function from dist/azure and its .python_packages only."""
    azure = build.dist / "azure"
    site = azure / ".python_packages" / "lib" / "site-packages"
    run = run_fresh(python312, [azure, site], AZURE_CODE, fake_wiki, tmp_path)
    assert run.version == [3, 12]
    assert run.result["status"] == 200, run.result
    assert run.result["body"]["title"] == "Chicago"
    assert run.blocked == []
    assert foreign_modules(run, python312, [azure]) == []
    assert run.modules["citybrief"].startswith(str(azure) + os.sep + "citybrief")
