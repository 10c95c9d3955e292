"""A pytester sandbox that runs the kit's suite on the small case set (see support.py).

``kit`` gives a :class:`Sandbox`: its own fixtures folder (snapshots of the reference's answers),
a conftest that points the kit at it, ``fakes.py`` (in-process implementations: the reference
with one thing broken) and ``fake_server.py`` (a JSON Lines subprocess that can crash, hang or
print garbage on one op).
"""

from __future__ import annotations

import os
import sys
from typing import Any

# pytester's in-process runs drop the modules they imported when they end: what every run needs is
# imported here once (hypothesis's terminal summary alone re-imports hypothesis, seconds per run).
import hypothesis.internal.observability  # noqa: F401
import pytest

from conformance import cli, implementations, levels, report, schemas, snapshots  # noqa: F401

from . import support

# The property tests are slow and have their own test file: the sandbox runs leave them out. A glob,
# not a path: the run may import the kit from the checkout or from an installed wheel. pytest makes
# a relative glob absolute against the current directory, hence the leading "/*" (fnmatch's `*`
# crosses "/").
NO_PROPERTIES = "--ignore-glob=/*/conformance/suite/test_properties.py"

SANDBOX_CONFTEST = f"""
import pathlib
import sys

sys.path.insert(0, {str(support.HERE)!r})
sys.path.append({str(support.ROOT)!r})  # last: the installed kit wins
import support

_undo = support.activate(pathlib.Path(__file__).resolve().parent / "fixtures")


def pytest_unconfigure(config):
    _undo()
"""

FAKES = f"""
import json
import sys
import time

sys.path.insert(0, {str(support.HERE)!r})
sys.path.append({str(support.ROOT)!r})  # last: the installed kit wins
import support

_handle = support.reference_handle()
TEXTS = ("state", "oci", "docker", "output", "oconfig", "dconfig")


def reference(request):
    return _handle(request)


def reformatted(request):
    # The same JSON values, other bytes: reaches semantic, not bytes.
    response = _handle(request)
    for field in TEXTS:
        if isinstance(response.get(field), str):
            response[field] = json.dumps(json.loads(response[field]), indent=1)
    return response


def other_errors(request):
    # The same outputs, other error texts: reaches bytes, not errors.
    response = _handle(request)
    if response.get("error"):
        response["error"] = "something else went wrong"
    return response


def broken_open(request):
    # open always fails: a different outcome (no level at all) for the open cases that succeed.
    if request.get("op") == "open":
        return {{"id": request.get("id"), "op": "open", "ok": False, "stage": "call",
                "error": "open is not implemented", "panic": None}}
    return _handle(request)


def hollow_import_image(request):
    # import_image answers ok with no texts at all.
    if request.get("op") == "import_image":
        return {{"id": request.get("id"), "op": "import_image", "ok": True, "error": None,
                "panic": None}}
    return _handle(request)


def ok_as_string(request):
    # roundtrip answers "ok": "yes": against the protocol's schema.
    response = _handle(request)
    if request.get("op") == "roundtrip":
        response["ok"] = "yes" if response["ok"] else "no"
    return response


_opens = [0]


def counting_open(request):
    # Every open answers other annotations: open(open(s).state) differs from open(s).
    response = _handle(request)
    if request.get("op") == "open" and response.get("ok"):
        _opens[0] += 1
        response["annotations"] = {{"calls": str(_opens[0])}}
    return response


def raises_on_make_oci(request):
    if request.get("op") == "make_oci":
        raise RuntimeError("boom in make_oci")
    return _handle(request)


def without_roundtrip(request):
    response = _handle(request)
    if request.get("op") == "describe":
        implementation = dict(response["implementation"])
        implementation["ops"] = [op for op in implementation["ops"] if op != "roundtrip"]
        response["implementation"] = implementation
    return response


def slow_make_oci(request):
    if request.get("op") == "make_oci":
        time.sleep(1.5)
    return _handle(request)
"""

FAKE_SERVER = f"""
import json
import os
import sys
import time

sys.path.insert(0, {str(support.HERE)!r})
sys.path.append({str(support.ROOT)!r})  # last: the installed kit wins
import support

handle = support.reference_handle()
mode = sys.argv[1] if len(sys.argv) > 1 else ""
for line in sys.stdin:
    if not line.strip():
        continue
    request = json.loads(line)
    op = request.get("op")
    if mode == "crash-on-open" and op == "open":
        sys.stderr.write("fake_server: cannot open this state, giving up\\n")
        sys.stderr.flush()
        os._exit(3)
    if mode == "garbage-on-make_oci" and op == "make_oci":
        sys.stdout.write("this is not JSON\\n")
        sys.stdout.flush()
        continue
    if mode == "hang-on-roundtrip" and op == "roundtrip":
        time.sleep(60)
    sys.stdout.write(json.dumps(handle(request)) + "\\n")
    sys.stdout.flush()
"""


class Sandbox:
    def __init__(self, pytester: pytest.Pytester) -> None:
        self.pytester = pytester
        self.path = pytester.path
        self.fixtures = self.path / "fixtures"
        self.snapshots = self.fixtures / "snapshots"
        pytester.makeconftest(SANDBOX_CONFTEST)
        pytester.makepyfile(fakes=FAKES, fake_server=FAKE_SERVER)
        pytester.syspathinsert()
        self.cases = support.small_cases()
        self.handle = support.reference_handle()

    def write_snapshots(self) -> None:
        """The reference's answers, stored as the kit stores them."""
        for case in self.cases:
            path = self.snapshots / case.op / f"{case.id}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(snapshots.dump(self.handle(dict(case.request))))

    def case(self, op: str, ok: bool = True) -> Any:
        """The first case of an op whose expected answer is (not) ok."""
        for case in self.cases:
            if case.op == op and self.handle(dict(case.request)).get("ok") is ok:
                return case
        raise LookupError(op)

    def args(self, *args: str, properties: bool = False) -> list[str]:
        argv = ["--pyargs", "conformance.suite", "-p", cli.plugin_name(), "-p", "no:cacheprovider"]
        if not properties:
            argv.append(NO_PROPERTIES)
        return [*argv, *args]

    def run(self, *args: str, properties: bool = False) -> pytest.RunResult:
        return self.pytester.runpytest(*self.args(*args, properties=properties))

    def run_subprocess(self, *args: str, properties: bool = False) -> pytest.RunResult:
        return self.pytester.runpytest_subprocess(*self.args(*args, properties=properties))

    def fake_server(self, mode: str = "") -> str:
        return f"{sys.executable} {self.path / 'fake_server.py'} {mode}".strip()


@pytest.fixture
def kit(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    # Subprocess runs (xdist, the CLI) must import the kit from this checkout too.
    path = os.pathsep.join(filter(None, [str(support.ROOT), os.environ.get("PYTHONPATH")]))
    monkeypatch.setenv("PYTHONPATH", path)
    # When this suite itself runs under pytest-xdist, the sandbox's runs are not workers (syrupy
    # tells a worker by these variables).
    for name in ("PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_XDIST_TESTRUNUID"):
        monkeypatch.delenv(name, raising=False)
    sandbox = Sandbox(pytester)
    sandbox.write_snapshots()
    return sandbox
