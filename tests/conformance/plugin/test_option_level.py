"""--copydata-level / copydata_level: the level every case must reach (bytes by default)."""

from __future__ import annotations

import pytest

from .conftest import Sandbox


def _with_texts(kit: Sandbox) -> int:
    """Cases whose answer holds an output text: reformatting keeps values, not bytes."""
    texts = ("state", "oci", "docker", "output", "oconfig", "dconfig")
    return sum(
        any(isinstance(kit.handle(dict(c.request)).get(t), str) for t in texts) for c in kit.cases
    )


def test_semantic_answers_fail_at_bytes(kit: Sandbox) -> None:
    result = kit.run("--copydata-impl", "fakes:reformatted")
    failing = _with_texts(kit)
    assert failing >= 5
    result.assert_outcomes(failed=failing, passed=len(kit.cases) - failing + 1, skipped=1)
    result.stdout.fnmatch_lines(["reached level: semantic; required: bytes"])


@pytest.mark.parametrize("level", ["outcome", "semantic"])
def test_semantic_answers_pass_at_semantic_and_below(kit: Sandbox, level: str) -> None:
    result = kit.run("--copydata-impl", "fakes:reformatted", "--copydata-level", level)
    result.assert_outcomes(passed=len(kit.cases) + 1, skipped=1)
    result.stdout.fnmatch_lines([f"required level: {level}*"])


def test_other_error_texts_pass_at_bytes_and_fail_at_errors(kit: Sandbox) -> None:
    errors = sum(bool(kit.handle(dict(c.request)).get("error")) for c in kit.cases)
    assert errors >= 2
    passing = kit.run("--copydata-impl", "fakes:other_errors")
    passing.assert_outcomes(passed=len(kit.cases) + 1, skipped=1)
    failing = kit.run("--copydata-impl", "fakes:other_errors", "--copydata-level", "errors")
    failing.assert_outcomes(failed=errors, passed=len(kit.cases) - errors + 1, skipped=1)
    failing.stdout.fnmatch_lines(["reached level: bytes; required: errors"])


def test_the_ini_key_sets_the_level(kit: Sandbox) -> None:
    kit.pytester.makeini("[pytest]\ncopydata_level = semantic\n")
    result = kit.run("--copydata-impl", "fakes:reformatted")
    result.assert_outcomes(passed=len(kit.cases) + 1, skipped=1)


def test_an_unknown_level_is_a_usage_error(kit: Sandbox) -> None:
    result = kit.run("--copydata-level", "strict")
    result.stderr.fnmatch_lines(["*--copydata-level: invalid choice: 'strict'*"])
    assert result.ret == 4
    kit.pytester.makeini("[pytest]\ncopydata_level = strict\n")
    result = kit.run()
    result.stderr.fnmatch_lines(["ERROR: copydata_level must be one of outcome, semantic, *"])
    assert result.ret == 4
