"""--copydata-impl / copydata_impl: which in-process implementation is under test."""

from __future__ import annotations

from .conftest import Sandbox


def test_default_is_the_reference_and_every_case_passes(kit: Sandbox) -> None:
    result = kit.run()
    result.assert_outcomes(passed=len(kit.cases) + 1, skipped=1)
    result.stdout.fnmatch_lines(
        [
            "*= copydata conformance =*",
            "required level: bytes*",
            "op * cases * outcome * semantic * bytes * errors * no answer * skipped",
            "import_image * 2 * 2 * 2 * 2 * 2 * 0 * 0",
            "total * 11 * 11 * 11 * 11 * 11 * 0 * 0",
            "outcome: 100%, semantic: 100%, bytes: 100%, errors: 100%",
        ]
    )
    assert result.ret == 0


def test_one_item_per_case_named_by_op_and_case_id(kit: Sandbox) -> None:
    result = kit.run("--collect-only", "-q")
    lines = [line for line in result.outlines if "test_case[" in line]
    assert sorted(line.split("[", 1)[1].rstrip("]") for line in lines) == sorted(
        case.id for case in kit.cases
    )
    # case ids are "<op>-<hash>": the item id names the op first, and never twice
    assert all(case.id.startswith(f"{case.op}-") for case in kit.cases)


def test_a_module_attr_implementation_fails_only_what_it_breaks(kit: Sandbox) -> None:
    result = kit.run("--copydata-impl", "fakes:broken_open")
    ok_open, failing_open = kit.case("open", ok=True), kit.case("open", ok=False)
    result.assert_outcomes(failed=1, passed=len(kit.cases), skipped=1)
    result.stdout.fnmatch_lines(
        [
            f"*case {ok_open.id} (open, *): the answer differs from the snapshot",
            "reached level: none (a different outcome); required: bytes",
            "outcome: error; expected: ok",
            "first difference: *",
            f"FAILED *test_case[[]{ok_open.id}[]]*",
        ]
    )
    # the open case that the reference also answers with an error (other text) still fails
    # at the strictest levels only, so at the default level it passes:
    assert f"test_case[{failing_open.id}] FAILED" not in result.stdout.str()
    assert result.ret == 1


def test_an_implementation_that_raises_fails_that_case_with_the_exception(kit: Sandbox) -> None:
    result = kit.run("--copydata-impl", "fakes:raises_on_make_oci")
    result.assert_outcomes(failed=1, passed=len(kit.cases), skipped=1)
    result.stdout.fnmatch_lines(
        ["no usable answer: implementation raised on *RuntimeError: boom in make_oci*"]
    )


def test_the_ini_key_names_the_implementation(kit: Sandbox) -> None:
    kit.pytester.makeini("[pytest]\ncopydata_impl = fakes:broken_open\n")
    result = kit.run()
    result.assert_outcomes(failed=1, passed=len(kit.cases), skipped=1)


def test_the_command_line_wins_over_the_ini_key(kit: Sandbox) -> None:
    kit.pytester.makeini("[pytest]\ncopydata_impl = fakes:broken_open\n")
    result = kit.run("--copydata-impl", "fakes:reference")
    result.assert_outcomes(passed=len(kit.cases) + 1, skipped=1)


def test_an_unloadable_implementation_is_reported(kit: Sandbox) -> None:
    result = kit.run("--copydata-impl", "fakes:nothing_here", "-k", "make_oci")
    result.stdout.fnmatch_lines(
        ["*cannot load the implementation: 'fakes' has no attribute 'nothing_here'*"]
    )
    assert result.ret == 1


def test_cases_of_ops_the_implementation_does_not_list_are_skipped(kit: Sandbox) -> None:
    result = kit.run("--copydata-impl", "fakes:without_roundtrip", "-rs")
    roundtrips = sum(case.op == "roundtrip" for case in kit.cases)
    result.assert_outcomes(passed=len(kit.cases) - roundtrips + 1, skipped=roundtrips + 1)
    result.stdout.fnmatch_lines(["*does not list op 'roundtrip' in its describe answer*"])
    result.stdout.fnmatch_lines(["roundtrip * 2 * 0 * 0 * 0 * 0 * 0 * 2"])
    assert result.ret == 0
