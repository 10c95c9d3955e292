"""levels.compare on hand-made pairs: a test (or more) per level boundary, expected by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conformance.levels import LEVELS, Comparison, compare, outcome_of, parse_go_time

ORACLE = Path(__file__).resolve().parents[3] / "shared" / "oracle"

STATE = '{"type":"kpod 0.0.1","ociv1":{"created":"2017-01-01T00:00:00.5Z","os":"linux"},"n":[1,2]}'
DUPLICATE = STATE[:-1] + ',"n":[1,2]}'
WITH_NAN = STATE.replace("[1,2]", "[1,NaN]")


def ok_response(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"id": 1, "op": "import_image", "ok": True, "error": None, "panic": None}
    base.update(fields)
    return base


def error_response(error: str = "boom", stage: str = "call", **fields: Any) -> dict[str, Any]:
    base = {"id": 1, "op": "open", "ok": False, "stage": stage, "error": error, "panic": None}
    base.update(fields)
    return base


def panic_response(panic: str = "runtime error: nil") -> dict[str, Any]:
    return {"id": 1, "op": "open", "ok": False, "stage": "call", "error": None, "panic": panic}


# --- outcome_of ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "outcome"),
    [
        ({"ok": True, "panic": None}, "ok"),
        ({"ok": True, "panic": "x"}, "ok"),  # ok decides first
        ({"ok": False, "panic": "runtime error"}, "panic"),
        ({"ok": False, "error": "e", "panic": None}, "error"),
        ({"ok": False, "error": None, "panic": None}, "error"),
        ({"ok": "true"}, "error"),  # only the JSON value true is ok
        ({"ok": 1}, "error"),
        ({}, "error"),
    ],
)
def test_outcome_of(response: dict[str, Any], outcome: str) -> None:
    assert outcome_of(response) == outcome


# --- the top: identical -------------------------------------------------------------------------


def test_identical_responses_reach_errors() -> None:
    response = ok_response(state=STATE, annotations={"a": "b"})
    assert compare(response, dict(response)) == Comparison("errors", None)


def test_the_id_and_describes_implementation_are_not_compared() -> None:
    want = ok_response(state=STATE, implementation={"name": "a"})
    got = dict(want, id="other", implementation={"name": "b"})
    assert compare(want, got).level == "errors"


# --- below outcome ------------------------------------------------------------------------------


def test_ok_versus_error_reaches_nothing() -> None:
    assert compare(ok_response(state=STATE), error_response()) == Comparison(
        None, 'outcome: expected ok, got error (stage "call", error "boom")'
    )


def test_panic_versus_error_reaches_nothing() -> None:
    assert compare(panic_response(), error_response()) == Comparison(
        None, 'outcome: expected panic, got error (stage "call", error "boom")'
    )
    assert compare(error_response(), panic_response("p")) == Comparison(
        None, 'outcome: expected error, got panic (stage "call", panic "p")'
    )


# --- outcome, not semantic ----------------------------------------------------------------------


def test_a_different_value_inside_a_json_text_stops_at_outcome() -> None:
    got = ok_response(state=STATE.replace('"linux"', '"Linux"'))
    assert compare(ok_response(state=STATE), got) == Comparison(
        "outcome",
        'state: at $.ociv1.os: first difference at character 0 (byte 0): expected "linux", '
        'got "Linux"',
    )


@pytest.mark.parametrize(
    ("actual", "difference"),
    [
        (
            '{"type":"kpod 0.0.1","ociv1":{"created":"2017-01-01T00:00:00.5Z","os":"linux"}}',
            'state: at $.n: missing, expected [1, 2]',
        ),
        (
            STATE[:-1] + ',"x":null}',
            "state: at $.x: not expected, got null",
        ),
        (
            STATE.replace("[1,2]", "[1,2,3]"),
            "state: at $.n: expected 2 elements, got 3: [1, 2, 3]",
        ),
        (
            STATE.replace("[1,2]", "[1,true]"),
            "state: at $.n[1]: expected a number 2, got a boolean true",
        ),
        (
            STATE.replace("[1,2]", '{"0":1}'),
            'state: at $.n: expected an array [1, 2], got an object {"0": 1}',
        ),
        (
            DUPLICATE,
            'state: not a valid JSON text (duplicate key "n"): ' + json.dumps(DUPLICATE),
        ),
        (
            STATE[:-1],
            # the text ends early: the parser stops at its end, character len(STATE) - 1
            f"state: not a valid JSON text (Expecting ',' delimiter: line 1 column {len(STATE)} "
            f"(char {len(STATE) - 1})): "
            + json.dumps(STATE[:-1]),
        ),
        (
            WITH_NAN,
            "state: not a valid JSON text (NaN is not JSON): " + json.dumps(WITH_NAN),
        ),
    ],
)  # fmt: skip
def test_json_text_differences(actual: str, difference: str) -> None:
    assert compare(ok_response(state=STATE), ok_response(state=actual)) == Comparison(
        "outcome", difference
    )


def test_a_json_text_field_must_hold_a_string() -> None:
    got = ok_response(state=json.loads(STATE))
    result = compare(ok_response(state=STATE), got)
    assert result.level == "outcome"
    assert result.difference is not None
    assert result.difference.startswith("state: expected a JSON text (a string), got an object {")


def test_missing_and_unexpected_fields_stop_at_outcome() -> None:
    want = ok_response(state=STATE, annotations={})
    assert compare(want, ok_response(state=STATE)) == Comparison(
        "outcome", "annotations: missing, expected {}"
    )
    assert compare(ok_response(state=STATE), want) == Comparison(
        "outcome", "annotations: not expected, got {}"
    )


def test_other_fields_compare_by_value() -> None:
    want = ok_response(names=["a"], name=None, layerID="l", annotations=None)
    assert compare(want, dict(want, names=["a", "b"])) == Comparison(
        "outcome", 'names: at $: expected 1 elements, got 2: ["a", "b"]'
    )
    assert compare(want, dict(want, name="")) == Comparison(
        "outcome", 'name: at $: expected null null, got a string ""'
    )
    assert compare(want, dict(want, annotations={})).level == "outcome"
    assert compare(want, dict(want, layerID="l ")).level == "outcome"


def test_the_stage_is_semantic() -> None:
    assert compare(error_response(stage="decode"), error_response(stage="call")) == Comparison(
        "outcome", 'stage: at $: first difference at character 0 (byte 0): expected "decode", '
        'got "call"'
    )  # fmt: skip


def test_marshal_error_presence_is_semantic() -> None:
    want = ok_response(state_error="json: error calling MarshalJSON", oci="{}")
    got = ok_response(state=STATE, oci="{}")
    result = compare(want, got)
    assert result.level == "outcome"
    assert result.difference == "state: not expected, got " + json.dumps(STATE)
    # An absent *_error and a null one mean the same.
    assert compare(ok_response(oci="{}"), ok_response(oci="{}", oci_error=None)).level == "errors"
    assert compare(ok_response(), ok_response(output_error="x")) == Comparison(
        "outcome", 'output_error: expected absent, got present ("x")'
    )


# --- times --------------------------------------------------------------------------------------


def state_with_created(created: str, container: str = "ociv1") -> str:
    return json.dumps({container: {"created": created}}, separators=(",", ":"))


def test_times_are_instants_and_offsets() -> None:
    want = ok_response(state=state_with_created("2017-01-01T00:00:00.5Z"))
    same = ok_response(state=state_with_created("2017-01-01T00:00:00.500Z"))
    result = compare(want, same)
    assert result.level == "semantic"
    assert result.difference == (
        # '{"ociv1":{"created":"' is 21 characters, the time's "2017-01-01T00:00:00.5" 21 more;
        # 40 characters of context from 42 start at 2.
        "state: first difference at character 42 (byte 42): "
        'expected …"ociv1\\":{\\"created\\":\\"2017-01-01T00:00:00.5Z\\"}}", '
        'got …"ociv1\\":{\\"created\\":\\"2017-01-01T00:00:00.500Z\\"}}"'
    )
    comma = ok_response(state=state_with_created("2017-01-01T00:00:00,5Z"))
    assert compare(want, comma).level == "semantic"
    utc_offset = ok_response(state=state_with_created("2017-01-01T00:00:00.5+00:00"))
    assert compare(want, utc_offset).level == "semantic"


def test_the_same_instant_in_another_offset_is_not_semantic() -> None:
    want = ok_response(state=state_with_created("2017-01-01T00:00:00Z"))
    shifted = ok_response(state=state_with_created("2017-01-01T02:00:00+02:00"))
    assert compare(want, shifted) == Comparison(
        "outcome",
        'state: at $.ociv1.created: expected time "2017-01-01T00:00:00Z", '
        'got "2017-01-01T02:00:00+02:00" (same instant, different offset)',
    )
    later = ok_response(state=state_with_created("2017-01-01T00:00:00.000000001Z"))
    assert compare(want, later).difference == (
        'state: at $.ociv1.created: expected time "2017-01-01T00:00:00Z", '
        'got "2017-01-01T00:00:00.000000001Z" (different instant)'
    )


def test_a_created_key_inside_a_map_is_a_plain_string() -> None:
    def labels(value: str) -> str:
        return json.dumps({"config": {"Labels": {"created": value}}})

    result = compare(
        ok_response(state=labels("2017-01-01T00:00:00.5Z")),
        ok_response(state=labels("2017-01-01T00:00:00.500Z")),
    )
    assert result.level == "outcome"
    assert result.difference is not None
    assert result.difference.startswith("state: at $.config.Labels.created: first difference at")


def test_the_created_field_of_make_image_ref() -> None:
    want = ok_response(op="make_image_ref", created="2017-09-01T12:00:00.5Z")
    assert compare(want, dict(want, created="2017-09-01T12:00:00.50Z")).level == "semantic"
    assert compare(want, dict(want, created="2017-09-01T14:00:00.5+02:00")) == Comparison(
        "outcome",
        'created: expected time "2017-09-01T12:00:00.5Z", got "2017-09-01T14:00:00.5+02:00" '
        "(same instant, different offset)",
    )
    assert compare(want, dict(want, created="yesterday")).difference == (
        'created: expected time "2017-09-01T12:00:00.5Z", got "yesterday" (not an RFC 3339 time)'
    )


# --- semantic, not bytes ------------------------------------------------------------------------


def test_key_order_whitespace_and_escaping_are_semantic_only() -> None:
    reordered = (
        '{ "n": [1, 2], "ociv1": {"os": "linux", "created": "2017-01-01T00:00:00.5Z"},\n'
        '"type":"kpod 0.0.1"}'
    )
    assert compare(ok_response(state=STATE), ok_response(state=reordered)) == Comparison(
        "semantic",
        # 40 characters of context after character 1: the first 41 of each text.
        'state: first difference at character 1 (byte 1): expected "{\\"type\\":\\"kpod 0.0.1\\",'
        '\\"ociv1\\":{\\"created\\":\\""…, got "{ \\"n\\": [1, 2], \\"ociv1\\": {\\"os\\": '
        '\\"linux\\", \\""…',
    )
    escaped = ok_response(output='{"a":"\\u003c\\u00e9"}')
    raw = ok_response(output='{"a":"<é"}')
    assert compare(escaped, raw).level == "semantic"


def test_numbers_compare_by_value_semantically() -> None:
    assert compare(ok_response(output='{"Size":1}'), ok_response(output='{"Size":1.0}')).level == (
        "semantic"
    )
    assert compare(ok_response(output='{"Size":1}'), ok_response(output='{"Size":2}')).level == (
        "outcome"
    )


def test_byte_offsets_count_utf8_bytes() -> None:
    result = compare(ok_response(oconfig='{"a":"é1"}'), ok_response(oconfig='{"a": "é1"}'))
    assert result == Comparison(
        "semantic",
        'oconfig: first difference at character 5 (byte 5): expected "{\\"a\\":\\"é1\\"}", '
        'got "{\\"a\\": \\"é1\\"}"',
    )
    values = compare(ok_response(oconfig='{"a":"é1"}'), ok_response(oconfig='{"a":"é2"}'))
    assert values.difference == (
        'oconfig: at $.a: first difference at character 1 (byte 2): expected "é1", got "é2"'
    )


def test_a_text_that_is_a_prefix_of_the_other() -> None:
    result = compare(ok_response(output='{"a":1}'), ok_response(output='{"a":1}\n'))
    assert result == Comparison(
        "semantic",
        "output: first difference at character 7 (byte 7); the expected text ends there "
        '(7 vs 8 characters): expected "{\\"a\\":1}", got "{\\"a\\":1}\\n"',
    )
    shorter = compare(ok_response(output='{"a":1} '), ok_response(output='{"a":1}'))
    assert shorter.difference is not None
    assert "the actual text ends there (8 vs 7 characters)" in shorter.difference


# --- bytes, not errors --------------------------------------------------------------------------


def test_error_texts_are_the_last_level() -> None:
    assert compare(error_response("bad request: x"), error_response("bad request: y")) == (
        Comparison(
            "bytes",
            "error: first difference at character 13 (byte 13): expected "
            '"bad request: x", got "bad request: y"',
        )
    )
    assert compare(error_response("e"), error_response(None)) == Comparison(  # type: ignore[arg-type]
        "bytes", 'error: expected "e", got null'
    )
    assert compare(panic_response("a"), panic_response("b")).level == "bytes"


def test_marshal_error_texts_are_the_last_level() -> None:
    want = ok_response(state_error="json: error calling MarshalJSON for type *time.Time")
    got = ok_response(state_error="json: error calling MarshalJSON for type time.Time")
    result = compare(want, got)
    assert result.level == "bytes"
    assert result.difference is not None
    assert result.difference.startswith("state_error: first difference at character 41 (byte 41)")


def test_the_first_difference_follows_the_oracles_field_order() -> None:
    want = ok_response(oci='{"a":1}', docker='{"b":1}', output='{"c":1}')
    got = ok_response(oci='{"a":2}', docker='{"b":2}', output='{"c":2}')
    assert compare(want, got).difference == "oci: at $.a: expected 1, got 2"
    unknown = compare(dict(want, zeta=1, alpha=1), dict(want, zeta=2, alpha=2))
    assert unknown.difference == "alpha: at $: expected 1, got 2"


# --- Comparison ---------------------------------------------------------------------------------


def test_at_least() -> None:
    assert Comparison("bytes", "x").at_least("semantic")
    assert Comparison("bytes", "x").at_least("bytes")
    assert not Comparison("bytes", "x").at_least("errors")
    assert not Comparison(None, "x").at_least("outcome")
    assert LEVELS == ("outcome", "semantic", "bytes", "errors")
    with pytest.raises(ValueError, match="unknown level"):
        Comparison("errors", None).at_least("exact")


# --- Go time parsing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("1970-01-01T00:00:00Z", (0, 0, 0)),
        ("2017-01-01T00:00:00.5+02:00", (1483228800 - 7200, 500_000_000, 7200)),
        ("2017-01-01T00:00:00,5-00:30", (1483228800 + 1800, 500_000_000, -1800)),
        ("2017-06-20T18:20:19.1234567895Z", (1497982819, 123_456_789, 0)),  # truncated
        ("0001-01-01T00:00:00Z", (-62135596800, 0, 0)),  # Go's zero time
        ("0000-01-01T00:00:00Z", (-62135596800 - 366 * 86400, 0, 0)),  # year 0 is a leap year
        ("2016-02-29T00:00:00+100:39", (1456704000 - 362340, 0, 362340)),
        ("2017-01-01T1:00:00Z", (1483232400, 0, 0)),  # Go 1.19 takes a 1-digit hour
        ("2017-01-01T00:00:00", None),
        ("2017-01-01 00:00:00Z", None),
        ("", None),
    ],
)
def test_parse_go_time(text: str, parsed: tuple[int, int, int] | None) -> None:
    assert parse_go_time(text) == parsed


# --- the oracle's own answers -------------------------------------------------------------------


def oracle_answers() -> list[dict[str, Any]]:
    answers = []
    for name in ("examples.out.jsonl", "semantics.out.jsonl"):
        path = ORACLE / name
        if not path.exists():
            pytest.skip(f"{path} is not available")
        answers += [json.loads(line) for line in path.read_text().split("\n") if line]
    return answers


def reformat(response: dict[str, Any]) -> dict[str, Any]:
    """Every JSON text re-printed by Python: sorted keys, spaces, ASCII escapes."""
    out = dict(response)
    for field in ("state", "oci", "docker", "output", "oconfig", "dconfig"):
        if isinstance(out.get(field), str):
            out[field] = json.dumps(json.loads(out[field]), sort_keys=True, indent=1)
    return out


def test_every_oracle_answer_equals_itself_and_survives_reprinting() -> None:
    answers = oracle_answers()
    assert len(answers) > 150
    reprinted_any = 0
    for answer in answers:
        assert compare(answer, answer) == Comparison("errors", None), answer["id"]
        reprinted = reformat(answer)
        result = compare(answer, reprinted)
        if reprinted == answer:
            assert result.level == "errors"
        else:
            reprinted_any += 1
            assert result.level == "semantic", (answer["id"], result)
    assert reprinted_any > 100
