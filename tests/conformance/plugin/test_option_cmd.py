"""--copydata-cmd / copydata_cmd: an implementation in a subprocess speaking JSON Lines."""

from __future__ import annotations

from .conftest import Sandbox


def test_a_subprocess_implementation_passes_like_the_reference(kit: Sandbox) -> None:
    result = kit.run("--copydata-cmd", kit.fake_server())
    result.assert_outcomes(passed=len(kit.cases) + 1, skipped=1)
    assert result.ret == 0


def test_a_crash_fails_only_that_case_and_quotes_stderr(kit: Sandbox) -> None:
    result = kit.run("--copydata-cmd", kit.fake_server("crash-on-open"))
    opens = sum(case.op == "open" for case in kit.cases)
    # the process is restarted after each crash: every other case still passes
    result.assert_outcomes(failed=opens, passed=len(kit.cases) - opens + 1, skipped=1)
    result.stdout.fnmatch_lines(
        [
            "no usable answer: implementation crashed (exit code 3) on *"
            "stderr tail: fake_server: cannot open this state, giving up*"
        ]
    )
    result.stdout.fnmatch_lines(["open * 2 * 0 * 0 * 0 * 0 * 2 * 0"])


def test_garbage_fails_only_that_case(kit: Sandbox) -> None:
    result = kit.run("--copydata-cmd", kit.fake_server("garbage-on-make_oci"))
    result.assert_outcomes(failed=1, passed=len(kit.cases), skipped=1)
    result.stdout.fnmatch_lines(["no usable answer: response line to * is not a JSON object*"])


def test_the_ini_key_gives_the_command(kit: Sandbox) -> None:
    kit.pytester.makeini(f"[pytest]\ncopydata_cmd = {kit.fake_server('garbage-on-make_oci')}\n")
    result = kit.run()
    result.assert_outcomes(failed=1, passed=len(kit.cases), skipped=1)


def test_impl_and_cmd_together_is_a_usage_error(kit: Sandbox) -> None:
    result = kit.run("--copydata-cmd", kit.fake_server(), "--copydata-impl", "fakes:reference")
    result.stderr.fnmatch_lines(["ERROR: give --copydata-impl or --copydata-cmd, not both"])
    assert result.ret == 4


def test_an_implementation_that_cannot_describe_itself_errors_every_case(kit: Sandbox) -> None:
    result = kit.run("--copydata-cmd", "sh -c 'echo no luck >&2; exit 3'", "-k", "make_oci")
    result.assert_outcomes(errors=1, deselected=len(kit.cases) + 1)
    assert "During handling" not in result.stdout.str()
    result.stdout.fnmatch_lines(
        ["*the implementation did not answer describe: *(exit code 3)*stderr tail: no luck"]
    )
