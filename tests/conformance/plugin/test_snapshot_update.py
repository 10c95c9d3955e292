"""--snapshot-update: the bundled snapshots are regenerated from the reference, and only from it.

Snapshots live at ``<fixtures>/snapshots/<op>/<case id>.json``; here the sandbox's fixtures.
"""

from __future__ import annotations

import json
import shutil

from .conftest import Sandbox


def _files(kit: Sandbox) -> dict[str, bytes]:
    return {
        str(p.relative_to(kit.snapshots)): p.read_bytes() for p in kit.snapshots.rglob("*.json")
    }


def test_a_missing_snapshot_fails_its_case(kit: Sandbox) -> None:
    case = kit.case("make_oci")
    (kit.snapshots / case.op / f"{case.id}.json").unlink()
    result = kit.run()
    result.assert_outcomes(failed=1, passed=len(kit.cases), skipped=1)
    result.stdout.fnmatch_lines(
        [f"*case {case.id} has no snapshot (*): regenerate the snapshots from the reference "
         "with `copydata-conformance --snapshot-update`"]
    )  # fmt: skip


def test_update_writes_one_readable_exact_file_per_case(kit: Sandbox) -> None:
    shutil.rmtree(kit.snapshots)
    result = kit.run("--snapshot-update")
    assert result.ret == 0
    result.stdout.fnmatch_lines([f"*{len(kit.cases)} snapshots generated.*"])
    assert sorted(_files(kit)) == sorted(f"{c.op}/{c.id}.json" for c in kit.cases)
    for case in kit.cases:
        data = (kit.snapshots / case.op / f"{case.id}.json").read_bytes()
        text = data.decode("utf-8")
        document = json.loads(text)
        # the reference's response, field for field and in its order; texts kept exactly
        expected = kit.handle(dict(case.request))
        assert document["response"] == expected
        assert list(document["response"]) == list(expected)
        # pretty and deterministic: two-space indent, a final newline, non-ASCII kept readable
        assert text == json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        for field in ("state", "oci", "docker", "output", "oconfig", "dconfig"):
            if isinstance(expected.get(field), str):
                assert document["texts"][field] == json.loads(expected[field])
    kit.run().assert_outcomes(passed=len(kit.cases) + 1, skipped=1)


def test_regenerating_twice_changes_nothing(kit: Sandbox) -> None:
    shutil.rmtree(kit.snapshots)
    kit.run("--snapshot-update")
    first = _files(kit)
    mtimes = {p: p.stat().st_mtime_ns for p in kit.snapshots.rglob("*.json")}
    result = kit.run("--snapshot-update")
    assert _files(kit) == first
    assert {p: p.stat().st_mtime_ns for p in kit.snapshots.rglob("*.json")} == mtimes
    result.stdout.fnmatch_lines([f"{len(kit.cases)} snapshots passed."])
    assert "updated" not in result.stdout.str()


def test_a_changed_snapshot_fails_then_update_restores_it(kit: Sandbox) -> None:
    case = kit.case("make_oci")
    path = kit.snapshots / case.op / f"{case.id}.json"
    good = path.read_bytes()
    document = json.loads(good)
    document["response"]["output"] = document["response"]["output"].replace("sha256:x", "sha256:y")
    path.write_bytes((json.dumps(document, indent=2) + "\n").encode())
    result = kit.run()
    result.assert_outcomes(failed=1, passed=len(kit.cases), skipped=1)
    result.stdout.fnmatch_lines(["reached level: outcome; required: bytes", "first difference:*"])
    update = kit.run("--snapshot-update")
    update.stdout.fnmatch_lines(["*1 snapshot updated.*"])
    assert path.read_bytes() == good


def test_update_refuses_any_implementation_but_the_reference(kit: Sandbox) -> None:
    before = _files(kit)
    for args in (
        ("--copydata-impl", "fakes:reference"),
        ("--copydata-cmd", kit.fake_server()),
    ):
        result = kit.run("--snapshot-update", *args)
        assert result.ret == 4
        result.stderr.fnmatch_lines(
            ["ERROR: --snapshot-update regenerates the bundled snapshots from the reference "
             "implementation only; drop --copydata-* (or run without --snapshot-update)"]
        )  # fmt: skip
    kit.pytester.makeini("[pytest]\ncopydata_impl = fakes:reformatted\n")
    assert kit.run("--snapshot-update").ret == 4
    assert _files(kit) == before


def test_unused_snapshots_fail_the_run(kit: Sandbox) -> None:
    orphan = kit.snapshots / "make_oci" / "make_oci-0123456789abcdef.json"
    orphan.write_bytes(b'{"response": {}}\n')
    result = kit.run()
    result.assert_outcomes(failed=1, passed=len(kit.cases), skipped=1)
    result.stdout.fnmatch_lines(
        [
            "*1 snapshot(s) in * belong to no bundled case:",
            "  make_oci/make_oci-0123456789abcdef.json",
            "Re-run with --snapshot-update (reference only) to delete them.",
        ]
    )
    # whatever subset of cases runs, the check is exact: selecting it alone finds the same file
    assert kit.run("-k", "unused").ret == 1
    # a subset that does not select the check passes
    kit.run("-k", "import_image").assert_outcomes(passed=2, deselected=len(kit.cases) - 2 + 2)
    warned = kit.run("--snapshot-warn-unused")
    warned.assert_outcomes(passed=len(kit.cases) + 1, skipped=1, warnings=1)
    assert orphan.exists()
    kit.run("--snapshot-update").assert_outcomes(passed=len(kit.cases) + 1, skipped=1, warnings=1)
    assert not orphan.exists()
    kit.run().assert_outcomes(passed=len(kit.cases) + 1, skipped=1)
