"""The plugin loads in every pytest session of an environment with the kit: it must stay light."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from . import support

HEAVY = ("hypothesis", "jsonschema", "referencing", "syrupy", "reference")


def _imported(stderr: str) -> set[str]:
    # -X importtime lines: "import time: self [us] | cumulative | imported package"
    names = set()
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


def test_importing_the_plugin_imports_nothing_heavy() -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import conformance.plugin"],
        capture_output=True,
        text=True,
        cwd=support.ROOT,
        check=True,
    )
    imported = _imported(result.stderr)
    assert "conformance.plugin" in imported
    heavy = sorted(n for n in imported if n.split(".")[0] in HEAVY)
    assert heavy == []


def test_a_pytest_session_without_the_suite_imports_nothing_heavy(tmp_path: Path) -> None:
    (tmp_path / "test_other.py").write_text("def test_other():\n    pass\n", encoding="utf-8")
    code = (
        "import sys, pytest\n"
        "code = pytest.main(['-p', 'conformance.plugin', '-q', '-p', 'no:cacheprovider'])\n"
        f"print(int(code), sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))\n"
    )
    # Only the plugin under test: other plugins (syrupy's, hypothesis's) import their own.
    path = os.pathsep.join(filter(None, [str(support.ROOT), os.environ.get("PYTHONPATH")]))
    env = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", PYTHONPATH=path)
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert result.stdout.strip().splitlines()[-1] == "0 []", result.stdout + result.stderr
