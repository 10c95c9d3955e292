"""--copydata-timeout / copydata_timeout: seconds an implementation may take per request."""

from __future__ import annotations

from .conftest import Sandbox


def test_a_hanging_subprocess_fails_only_the_cases_it_hangs_on(kit: Sandbox) -> None:
    roundtrips = sum(case.op == "roundtrip" for case in kit.cases)
    result = kit.run("--copydata-cmd", kit.fake_server("hang-on-roundtrip"),
                     "--copydata-timeout", "0.5")  # fmt: skip
    result.assert_outcomes(failed=roundtrips, passed=len(kit.cases) - roundtrips + 1, skipped=1)
    result.stdout.fnmatch_lines(["no usable answer: no response within 0.5 s to request *"])


def test_a_slow_in_process_answer_counts_as_a_failure(kit: Sandbox) -> None:
    slow = kit.run("--copydata-impl", "fakes:slow_make_oci", "--copydata-timeout", "0.5",
                   "-k", "make_oci")  # fmt: skip
    slow.assert_outcomes(failed=1, deselected=len(kit.cases) + 1)
    slow.stdout.fnmatch_lines(["no usable answer: no response within 0.5 s*"])


def test_the_default_and_the_ini_key(kit: Sandbox) -> None:
    # 1.5 s is within the default (10 s) ...
    result = kit.run("--copydata-impl", "fakes:slow_make_oci", "-k", "make_oci")
    result.assert_outcomes(passed=1, deselected=len(kit.cases) + 1)
    # ... but not within the ini file's 0.5 s
    kit.pytester.makeini("[pytest]\ncopydata_timeout = 0.5\n")
    result = kit.run("--copydata-impl", "fakes:slow_make_oci", "-k", "make_oci")
    result.assert_outcomes(failed=1, deselected=len(kit.cases) + 1)


def test_a_timeout_must_be_a_positive_number(kit: Sandbox) -> None:
    result = kit.run("--copydata-timeout", "0")
    result.stderr.fnmatch_lines(["ERROR: --copydata-timeout must be positive: 0.0"])
    assert result.ret == 4
    result = kit.run("--copydata-timeout", "soon")
    result.stderr.fnmatch_lines(["*--copydata-timeout: invalid float value: 'soon'*"])
    assert result.ret == 4
