"""Every command the README shows is exercised somewhere: here, by another test, or by CI.

The README is what a new user follows, so a command that silently stopped working (or an option
that was renamed) is a bug. Each shell command of the README's ``sh`` blocks must be claimed below
by the test file (or CI script) that runs it, and that file must use every option the command
shows. The main job itself — the README's first command — is run here for real.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

#: README command prefix -> the files that run it (the longest matching prefix wins); every
#: option the README command shows must be used in one of them.
EXERCISED_BY: dict[str, tuple[str, ...]] = {
    "python3 -m pip install . && copydata-conformance": ("tests/test_readme.py",),
    "tox -e bench": ("tests/oracle/test_bench.py",),
    "tox": (".ci/run",),
    "copydata-conformance --copydata-impl": ("tests/conformance/plugin/test_option_impl.py",),
    "copydata-conformance --copydata-cmd": (
        "tests/conformance/plugin/test_option_cmd.py",
        "tests/conformance/plugin/test_option_timeout.py",
        "tests/conformance/plugin/test_option_report.py",
    ),
    "copydata-conformance --copydata-level": (
        "tests/conformance/plugin/test_option_level.py",
        "tests/conformance/plugin/test_known_failures.py",
    ),
    "copydata-conformance --copydata-corpus": ("tests/conformance/plugin/test_option_corpus.py",),
    "copydata-conformance --snapshot-update": ("tests/conformance/plugin/test_snapshot_update.py",),
    "copydata-conformance list": ("tests/conformance/plugin/test_cli.py",),
    "copydata-conformance copy": ("tests/conformance/plugin/test_cli.py",),
    "pytest --pyargs conformance.suite": (
        "tests/conformance/plugin/conftest.py",
        "tests/conformance/plugin/test_option_cmd.py",
    ),
    "copydata-reference <": ("tests/reference/test_cli.py",),
    "copydata-reference inspect": ("tests/store/test_store_inspect.py",),
}


def readme_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    commands: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line:
                commands.append(line)
    return commands


def claimants(command: str) -> tuple[str, ...]:
    prefixes = [p for p in EXERCISED_BY if command == p or command.startswith(p + " ")]
    return EXERCISED_BY[max(prefixes, key=len)] if prefixes else ()


def test_readme_shows_commands() -> None:
    assert len(readme_commands()) >= 10


@pytest.mark.parametrize("command", readme_commands())
def test_every_readme_command_is_exercised(command: str) -> None:
    owners = claimants(command)
    assert owners, f"no test or CI step claims the README command {command!r}"
    source = "\n".join((ROOT / owner).read_text(encoding="utf-8") for owner in owners)
    for option in re.findall(r"(?<!\S)(--[a-z][a-z-]+)", command):
        assert option in source, f"{owners} claim {command!r} but none uses {option}"


def test_main_command_checks_the_bundled_reference() -> None:
    """`copydata-conformance` with no options: every bundled case at level bytes, and a summary."""
    script = shutil.which("copydata-conformance")
    command = [script] if script else [sys.executable, "-m", "conformance"]
    completed = subprocess.run(
        [*command, "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
        cwd=ROOT / "tests",  # anywhere: the suite and fixtures come from the installed package
    )
    tail = "\n".join(completed.stdout.splitlines()[-30:])
    assert completed.returncode == 0, tail
    assert "outcome: 100%, semantic: 100%, bytes: 100%, errors: 100%" in completed.stdout, tail
    totals = re.search(r"^total\s+(\d+)", completed.stdout, flags=re.M)
    assert totals, tail
    assert int(totals.group(1)) >= 5000, tail
