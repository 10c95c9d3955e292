"""``copydata-conformance``: run the kit against an implementation, list or export its cases.

    copydata-conformance [pytest options]        run conformance.suite (the bundled reference
                                                 by default) and print a summary per op and level
    copydata-conformance list [--corpus DIR]...  print the cases: id, op, source (tab-separated)
    copydata-conformance copy DEST               export the bundled cases (documents, requests,
                                                 expected responses) for use without the runner

Everything that is not a subcommand goes to pytest, with the kit's plugin and suite:
``--copydata-impl``, ``--copydata-cmd``, ``--copydata-level``... as well as pytest's own options
(``-k``, ``-x``, ``-n auto``, ``--junitxml``...). The exit status is pytest's: 0 only when every
case reached the required level.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections.abc import Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

USAGE = __doc__.split("\n\n")[1] if __doc__ else ""
SUITE = "conformance.suite"


def plugin_name() -> str:
    """How to name the plugin with ``-p``: its entry point when installed, else its module.

    Naming it by module while the entry point is registered would register it twice.
    """
    if any(ep.value == "conformance.plugin" for ep in entry_points(group="pytest11")):
        return "copydata"
    return "conformance.plugin"


# The kit's options that take a value.
VALUE_OPTIONS = frozenset(
    f"--copydata-{name}"
    for name in ("impl", "cmd", "corpus", "level", "known-failures", "report", "timeout")
)


def pytest_args(args: Sequence[str]) -> list[str]:
    """The arguments for pytest.main.

    ``--copydata-cmd ./impl`` becomes ``--copydata-cmd=./impl``: pytest chooses its rootdir and
    ini file before it loads plugins, and would take a separate value of an option it does not
    know yet for a test path.
    """
    joined: list[str] = []
    pending: str | None = None
    for arg in args:
        if pending is not None:
            joined.append(f"{pending}={arg}")
            pending = None
        elif arg in VALUE_OPTIONS:
            pending = arg
        else:
            joined.append(arg)
    if pending is not None:
        joined.append(pending)  # let pytest report the missing value
    # This very module is part of the `conformance` package, which pytest would like to rewrite
    # as the plugin's package: it is imported already, so pytest warns. Nothing of the kit relies
    # on assertion rewriting in that package, so the warning is noise for users.
    quiet = ["-W", "ignore:Module already imported so cannot be rewritten:pytest.PytestWarning"]
    return ["--pyargs", SUITE, "-p", plugin_name(), *quiet, *joined]


def run(args: Sequence[str]) -> int:
    import pytest

    return int(pytest.main(pytest_args(args)))


def _cases(corpora: Sequence[str]) -> list[Any]:
    from conformance import cases

    found = list(cases.bundled_cases())
    for folder in corpora:
        found.extend(cases.corpus_cases(Path(folder)))
    return found


def list_cases(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="copydata-conformance list",
        description="Print every case as 'id<TAB>op<TAB>source', bundled cases first.",
    )
    parser.add_argument(
        "--corpus",
        action="append",
        default=[],
        metavar="DIR",
        help="also list the cases of an external corpus folder (repeatable)",
    )
    options = parser.parse_args(argv)
    for folder in options.corpus:
        if not Path(folder).is_dir():
            parser.error(f"--corpus: not a directory: {folder}")
    try:
        for case in _cases(options.corpus):
            sys.stdout.write(f"{case.id}\t{case.op}\t{case.source}\n")
        sys.stdout.flush()
    except BrokenPipeError:
        # `copydata-conformance list | head`: the reader is gone, which is fine.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 0


EXPORT_README = """\
# CopyData conformance cases (exported by copydata-conformance {version})

Everything an implementation needs to check itself without the kit's runner.

- `cases.tsv`: one case a line: `id`, `op`, `source` (the file it was made from, relative to
  this folder), `kind`.
- `requests.jsonl`: the request of each case, in the order of `cases.tsv`, its `id` being the
  case id. Feed it to an implementation speaking the protocol:
  `my-impl < requests.jsonl > answers.jsonl`.
- `responses.jsonl`: the expected response of each case, same order and ids: the reference
  implementation's answer, which is the Go original's.
- `documents/`, `requests/`: the fixture documents and hand-written requests the cases were
  built from; `PROVENANCE.tsv` says where each comes from, `RULES.tsv` what each exercises.

The protocol, the responses and the conformance levels (outcome < semantic < bytes < errors)
are described in the kit's PROTOCOL.md. A response reaches:
outcome when `ok` and whether `panic` is set agree; semantic when in addition every output has the
same JSON value; bytes when every output text is identical; errors when error texts are too.
"""


def copy_cases(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="copydata-conformance copy",
        description="Export the bundled cases: documents, requests and expected responses.",
    )
    parser.add_argument("dest", metavar="DEST", help="a new (or empty) directory")
    options = parser.parse_args(argv)
    dest = Path(options.dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        parser.error(f"{dest} exists and is not an empty directory")

    from conformance import __version__, cases, snapshots

    bundled = list(cases.bundled_cases())
    missing = [case for case in bundled if snapshots.read(case.op, case.id) is None]
    if missing:
        sys.stderr.write(
            f"copydata-conformance copy: {len(missing)} case(s) have no snapshot, e.g. "
            f"{missing[0].op}/{missing[0].id}; regenerate with --snapshot-update\n"
        )
        return 1
    dest.mkdir(parents=True, exist_ok=True)
    root = Path(str(cases.fixtures_root()))
    for name in ("documents", "requests"):
        if (root / name).is_dir():
            shutil.copytree(root / name, dest / name)
    for name in ("PROVENANCE.tsv", "RULES.tsv"):
        if (root / name).is_file():
            shutil.copyfile(root / name, dest / name)

    def line(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"

    with (
        open(dest / "cases.tsv", "w", encoding="utf-8", newline="\n") as table,
        open(dest / "requests.jsonl", "w", encoding="utf-8", newline="\n") as requests,
        open(dest / "responses.jsonl", "w", encoding="utf-8", newline="\n") as responses,
    ):
        table.write("id\top\tsource\tkind\n")
        for case in bundled:
            table.write(f"{case.id}\t{case.op}\t{case.source}\t{case.kind}\n")
            # The case id as the request id: the implementation echoes it in its answer.
            requests.write(line({"id": case.id, **case.request}))
            responses.write(line({**(snapshots.read(case.op, case.id) or {}), "id": case.id}))
    (dest / "README.md").write_text(EXPORT_README.format(version=__version__), encoding="utf-8")
    print(f"exported {len(bundled)} cases to {dest}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["list"]:
        return list_cases(args[1:])
    if args[:1] == ["copy"]:
        return copy_cases(args[1:])
    if args[:1] in (["-h"], ["--help"]):
        print("usage:\n" + USAGE + "\n\npytest's options follow (the kit's are under copydata):\n")
        return run(["--help"])
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
