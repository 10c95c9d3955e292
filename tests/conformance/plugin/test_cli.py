"""The ``copydata-conformance`` command: run the suite, ``list`` the cases, ``copy`` them out."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from conformance import cli

from . import support
from .conftest import NO_PROPERTIES, Sandbox


@pytest.fixture
def activated(kit: Sandbox) -> Iterator[Sandbox]:
    """The kit pointed at the sandbox in this process (for the subcommands run in-process)."""
    undo = support.activate(kit.fixtures)
    try:
        yield kit
    finally:
        undo()


def test_list_prints_id_op_source(activated: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"{c.id}\t{c.op}\t{c.source}" for c in activated.cases]


def test_list_with_a_corpus(activated: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    folder = activated.path / "corpus" / "oci-config"
    folder.mkdir(parents=True)
    (folder / "a.json").write_text('{"architecture":"amd64"}', encoding="utf-8")
    assert cli.main(["list", "--corpus", str(folder.parent)]) == 0
    lines = capsys.readouterr().out.splitlines()
    extra = lines[len(activated.cases) :]
    assert extra
    assert all(line.split("\t")[2] == "oci-config/a.json" for line in extra)
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["list", "--corpus", str(activated.path / "nowhere")])
    assert exit_info.value.code == 2


def test_copy_exports_documents_requests_and_expected_responses(
    activated: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    documents = activated.fixtures / "documents" / "docker-config"
    documents.mkdir(parents=True)
    (documents / "one.json").write_bytes(b'{"docker_version": "1"}\r\n')
    dest = tmp_path / "export"
    assert cli.main(["copy", str(dest)]) == 0
    assert f"exported {len(activated.cases)} cases to {dest}" in capsys.readouterr().out
    assert sorted(p.name for p in dest.iterdir()) == [
        "README.md",
        "cases.tsv",
        "documents",
        "requests.jsonl",
        "responses.jsonl",
    ]
    assert (dest / "documents" / "docker-config" / "one.json").read_bytes() == (
        b'{"docker_version": "1"}\r\n'
    )
    table = (dest / "cases.tsv").read_text(encoding="utf-8").splitlines()
    assert table[0] == "id\top\tsource\tkind"
    assert [row.split("\t")[0] for row in table[1:]] == [c.id for c in activated.cases]
    requests = [json.loads(x) for x in (dest / "requests.jsonl").read_text().splitlines()]
    responses = [json.loads(x) for x in (dest / "responses.jsonl").read_text().splitlines()]
    assert requests == [{"id": c.id, **c.request} for c in activated.cases]
    # the expected answers are the reference's (here, through the stored snapshots)
    assert responses == [activated.handle({"id": c.id, **c.request}) for c in activated.cases]
    assert [list(r)[:2] for r in responses] == [["id", "op"]] * len(responses)
    assert "requests.jsonl" in (dest / "README.md").read_text(encoding="utf-8")


def test_copy_refuses_a_non_empty_destination_and_missing_snapshots(
    activated: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["copy", str(tmp_path / "full")])
    assert exit_info.value.code == 2
    case = activated.cases[0]
    (activated.snapshots / case.op / f"{case.id}.json").unlink()
    assert cli.main(["copy", str(tmp_path / "new")]) == 1
    assert "1 case(s) have no snapshot" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()


def _command(kit: Sandbox, *args: str) -> pytest.RunResult:
    ignore = NO_PROPERTIES
    return kit.pytester.run(sys.executable, "-m", "conformance", *args, ignore, timeout=120)


def test_the_command_runs_the_suite_and_prints_the_summary(kit: Sandbox) -> None:
    result = _command(kit)
    assert result.ret == 0
    result.stdout.fnmatch_lines(
        [
            "*= copydata conformance =*",
            "implementation: * (*)",
            "required level: bytes*",
            "total * 11 * 11 * 11 * 11 * 11 * 0 * 0",
            "outcome: 100%, semantic: 100%, bytes: 100%, errors: 100%",
            f"*{len(kit.cases) + 1} passed, 1 skipped*",
        ]
    )


def test_the_command_exits_non_zero_when_a_case_misses_the_level(kit: Sandbox) -> None:
    # (the same implementation passes at --copydata-level semantic: see test_option_level.py)
    assert _command(kit, "--copydata-impl", "fakes:reformatted").ret == 1


def test_help_shows_the_subcommands_and_the_kit_options(kit: Sandbox) -> None:
    result = kit.pytester.run(sys.executable, "-m", "conformance", "--help")
    assert result.ret == 0
    result.stdout.fnmatch_lines(
        [
            "*copydata-conformance list*",
            "*copydata-conformance copy DEST*",
            "*--copydata-impl=IMPL*",
            "*--copydata-known-failures=FILE*",
        ]
    )


def test_the_plugin_is_named_by_its_entry_point_when_installed() -> None:
    installed = any(ep.value == "conformance.plugin" for ep in entry_points(group="pytest11"))
    assert cli.plugin_name() == ("copydata" if installed else "conformance.plugin")
    assert cli.pytest_args(["-x"])[:2] == ["--pyargs", "conformance.suite"]


def test_option_values_are_joined_so_pytest_does_not_take_them_for_paths() -> None:
    # pytest picks its rootdir (and ini file) from path-like arguments before plugins load
    args = cli.pytest_args(["--copydata-cmd", "/opt/impl serve", "-k", "x", "--copydata-level"])
    assert args[-4:] == ["--copydata-cmd=/opt/impl serve", "-k", "x", "--copydata-level"]


def test_the_rootdir_stays_the_current_directory(kit: Sandbox) -> None:
    result = _command(kit, "--copydata-cmd", kit.fake_server(), "-k", "make_oci")
    assert result.ret == 0
    result.stdout.fnmatch_lines([f"rootdir: {kit.path}"])
