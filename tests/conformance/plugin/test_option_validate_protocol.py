"""--copydata-validate-protocol / copydata_validate_protocol: JSON Schema checks on the wire."""

from __future__ import annotations

from .conftest import Sandbox


def test_a_conformant_implementation_passes_with_validation(kit: Sandbox) -> None:
    # every request the kit sends and every answer of the reference matches the schemas
    result = kit.run("--copydata-validate-protocol")
    result.assert_outcomes(passed=len(kit.cases) + 1, skipped=1)


def test_an_answer_that_breaks_the_schema_fails_with_the_reason(kit: Sandbox) -> None:
    roundtrips = sum(case.op == "roundtrip" for case in kit.cases)
    result = kit.run("--copydata-impl", "fakes:ok_as_string", "--copydata-validate-protocol")
    result.assert_outcomes(failed=roundtrips, passed=len(kit.cases) - roundtrips + 1, skipped=1)
    result.stdout.fnmatch_lines(["no usable answer: the response breaks the protocol schema: *"])


def test_without_validation_the_schema_is_not_consulted(kit: Sandbox) -> None:
    result = kit.run("--copydata-impl", "fakes:ok_as_string")
    assert "protocol schema" not in result.stdout.str()


def test_the_ini_key_turns_validation_on(kit: Sandbox) -> None:
    kit.pytester.makeini("[pytest]\ncopydata_validate_protocol = true\n")
    result = kit.run("--copydata-impl", "fakes:ok_as_string")
    result.stdout.fnmatch_lines(["no usable answer: the response breaks the protocol schema: *"])
