"""reference.gotime against Go 1.19 (the oracle) and against hand-computed values.

The table (tests/reference/data/gotime_cases.jsonl, made by data/generate.py) holds the oracle's
answers for ~1000 inputs: raw JSON tokens through UnmarshalJSON and MarshalJSON (roundtrip),
IsZero / UTC / MarshalJSON of time.Time and *time.Time (import_image, make_docker_v2s2), and
time.Parse(RFC3339Nano) of the protocol's now / history_timestamp (make_image_ref). Each case
is rebuilt here from reference.gotime alone and must equal the oracle's answer, texts included.
"""

from __future__ import annotations

import copy
import pickle
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import pytest

from reference.errors import GoError
from reference.gotime import (
    _RFC3339_QUOTED,
    RFC3339,
    RFC3339NANO,
    ZERO_TIME,
    GoTime,
    _parse,
    now,
    parse_rfc3339,
    unmarshal_json_token,
)
from tests.reference.data.generate import (
    RUN_SH,
    answer_of,
    ask_oracle,
    case_bytes,
    load_cases,
    request_for,
)

T = TypeVar("T")

CASES = load_cases("gotime")
# 2017-09-01T12:00:00.5Z, the `now` of every request: 17410 days after 1970-01-01, plus 12 h.
NOW = GoTime(17_410 * 86_400 + 12 * 3600, 500_000_000, 0)


def outcome(fn: Callable[..., T], *args: Any) -> tuple[T | None, str | None]:
    """(result, None) or (None, Go error text)."""
    try:
        return fn(*args), None
    except GoError as e:
        return None, str(e)


def marshalled(t: GoTime, go_type: str) -> tuple[str | None, str | None]:
    """(the RFC 3339 text json.Marshal writes, None) or (None, the marshal error)."""
    out, err = outcome(t.marshal_json, go_type)
    return (None, err) if out is None else (out.decode("ascii")[1:-1], None)


def ours(case: dict[str, Any]) -> dict[str, Any]:
    """What reference.gotime says for a case, in the shape of the oracle's stored answer."""
    table = case["table"]
    if table == "token":
        t, err = outcome(unmarshal_json_token, case_bytes(case))
        if t is None:
            return {"ok": False, "stage": "decode", "error": err}
        text, merr = marshalled(t, case["go_type"])
        if text is None:
            return {"ok": False, "stage": "encode", "error": merr, "output_error": merr}
        return {"ok": True, "stage": None, "error": None, "output": f'{{"created":"{text}"}}'}
    if table == "import":
        # initConfig's docker branch keeps the decoded time (own offset) in c.Docker and puts
        # its UTC() in c.OCIv1; fixupConfig replaces a ZERO INSTANT by now.UTC().
        t = unmarshal_json_token(case_bytes(case))
        docker_t = NOW if t.is_zero() else t
        oci_t = NOW if t.utc().is_zero() else t.utc()
        docker_created, docker_error = marshalled(docker_t, "time.Time")
        oci_created, oci_error = marshalled(oci_t, "*time.Time")
        return {
            "ok": True,
            "docker_created": docker_created,
            "docker_error": docker_error,
            "oci_created": oci_created,
            "oci_error": oci_error,
        }
    if table == "utc_docker":
        created, error = marshalled(unmarshal_json_token(case_bytes(case)).utc(), "time.Time")
        return {"ok": True, "created": created, "output_error": error}
    if table == "timestamp":
        parsed, err = outcome(parse_rfc3339, case["input"])
        if parsed is None:
            # The oracle's bad-request text around Go's error (cmd/copydata-oracle/main.go).
            prefix = f'bad request: "{case["field"]}" is not RFC3339Nano: '
            return {"ok": False, "stage": "request", "error": prefix + str(err)}
        # MakeImageRef's created is the parsed value's UTC(), printed with Format(RFC3339Nano).
        return {"ok": True, "stage": None, "created": parsed.utc().format_rfc3339nano()}
    raise AssertionError(f"unknown table {table}")


def oracle_view(case: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    """The oracle's answer restricted to the fields `ours` produced for the case."""
    return {k: answer.get(k) for k in ours(case)}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_agrees_with_oracle_table(case: dict[str, Any]) -> None:
    assert ours(case) == oracle_view(case, case["answer"])


TOKENS = [c for c in CASES if c["table"] == "token"]


@pytest.mark.parametrize("case", TOKENS, ids=[c["id"] for c in TOKENS])
def test_fast_path_agrees_with_full_parser(case: dict[str, Any]) -> None:
    """The regex fast path of unmarshal_json_token must never decide differently from the
    port of time.parse (which the table checks on its own here too)."""
    token = case_bytes(case)
    full = outcome(_parse, _RFC3339_QUOTED, token)
    assert outcome(unmarshal_json_token, token) == full
    if case["answer"]["ok"]:
        assert full[0] is not None
    else:
        assert full[1] == case["answer"]["error"]


def test_table_covers_what_it_claims() -> None:
    tables = {c["table"] for c in CASES}
    assert tables == {"token", "import", "utc_docker", "timestamp"}
    assert len(CASES) >= 900
    answers = [c["answer"] for c in CASES]
    assert any(a.get("oci_error") for a in answers)  # year -1 / 10000 after UTC()
    assert any(a.get("output_error") for a in answers)
    assert any("input_b64" in c for c in CASES)  # invalid UTF-8 tokens
    assert any(a.get("docker_created") == "2017-09-01T12:00:00.5Z" for a in answers)  # IsZero


@pytest.mark.oracle
def test_live_oracle_agrees() -> None:
    if not RUN_SH.exists():
        pytest.skip(f"Go oracle not found at {RUN_SH}: live differential check of gotime skipped")
    responses = ask_oracle([request_for(c) for c in CASES], [str(RUN_SH)])
    wrong, stale = [], []
    for case, resp in zip(CASES, responses, strict=True):
        live = answer_of(case["table"], resp)
        if live != case["answer"]:
            stale.append(case["id"])
        try:
            mine = ours(case)
        except Exception as e:  # a crash is a disagreement too
            mine = {"exception": repr(e)}
        if mine != oracle_view(case, live):
            wrong.append(f"{case['id']}: ours {mine} oracle {oracle_view(case, live)}")
    assert not wrong, f"{len(wrong)} of {len(CASES)} disagree:\n" + "\n".join(wrong[:20])
    assert not stale, f"stored answers are stale ({stale[:10]}...): run data/generate.py"


# ------------------------------------------------------------------ hand-computed expectations


def unix_of(year: int, month: int, day: int, hour: int = 0, minute: int = 0, sec: int = 0) -> int:
    """Unix seconds of a UTC date (Python's datetime, independent of the code under test)."""
    return int(datetime(year, month, day, hour, minute, sec, tzinfo=UTC).timestamp())


def test_zero_time() -> None:
    # time.Time{} is 0001-01-01T00:00:00Z: 719162 days before the Unix epoch.
    assert (ZERO_TIME.unix, ZERO_TIME.nsec, ZERO_TIME.offset) == (-719_162 * 86_400, 0, 0)
    assert ZERO_TIME.is_zero()
    assert ZERO_TIME.format_rfc3339nano() == "0001-01-01T00:00:00Z"
    assert ZERO_TIME.marshal_json("time.Time") == b'"0001-01-01T00:00:00Z"'


def test_is_zero_is_about_the_instant() -> None:
    # GO_JSON_SEMANTICS §12: 0001-01-01T01:00:00+01:00 is zero.
    assert GoTime(ZERO_TIME.unix, 0, 3600).is_zero()
    assert not GoTime(ZERO_TIME.unix, 1, 0).is_zero()
    assert not GoTime(ZERO_TIME.unix + 1, 0, 0).is_zero()
    assert unmarshal_json_token(b'"0001-01-01T01:00:00+01:00"').is_zero()
    assert unmarshal_json_token(b'"0000-12-31T23:00:00-01:00"').is_zero()


def test_value_semantics() -> None:
    t = GoTime(1, 2, 3)
    with pytest.raises(AttributeError):
        t.unix = 5
    with pytest.raises(AttributeError):
        del t.nsec
    assert t == GoTime(1, 2, 3)
    assert t != GoTime(1, 2, 0)  # same instant, other offset: a different value
    assert hash(t) == hash(GoTime(1, 2, 3))
    assert copy.copy(t) is t
    assert copy.deepcopy(t) is t
    assert pickle.loads(pickle.dumps(t)) == t
    assert t.utc() == GoTime(1, 2, 0)
    assert ZERO_TIME.utc() is ZERO_TIME
    with pytest.raises(ValueError, match="nsec"):
        GoTime(0, 1_000_000_000, 0)


@pytest.mark.parametrize(
    ("t", "text"),
    [
        # GO_JSON_SEMANTICS §12, s111..s122 outputs, from hand-built instants.
        (
            GoTime(unix_of(2017, 6, 20, 16, 20, 19), 123_456_780, 7200),
            "2017-06-20T18:20:19.12345678+02:00",
        ),
        (GoTime(unix_of(2017, 6, 20, 18, 20, 19), 0, 0), "2017-06-20T18:20:19Z"),
        (GoTime(unix_of(2017, 1, 1), 500_000_000, 0), "2017-01-01T00:00:00.5Z"),
        (GoTime(unix_of(2016, 2, 29) - 362_340, 0, 362_340), "2016-02-29T00:00:00+100:39"),
        (GoTime(unix_of(2016, 2, 28), 0, 86_400), "2016-02-29T00:00:00+24:00"),
        (GoTime(ZERO_TIME.unix + 60, 0, -60), "0001-01-01T00:00:00-00:01"),
        (GoTime(unix_of(2017, 1, 1), 1, -1800), "2016-12-31T23:30:00.000000001-00:30"),
        (GoTime(unix_of(2017, 1, 1), 0, -36_000), "2016-12-31T14:00:00-10:00"),
        # Go's zone = offset/60 truncates toward zero: -30 s is printed as +00:00, not Z.
        (GoTime(unix_of(2017, 1, 1), 0, -30), "2016-12-31T23:59:30+00:00"),
        # Years outside 0..9999 print as Go's appendInt does (Format only; MarshalJSON errs).
        (GoTime(ZERO_TIME.unix - 366 * 86_400 - 3600, 0, 0), "-0001-12-31T23:00:00Z"),
        (GoTime(unix_of(9999, 12, 31, 23, 59, 59) + 1, 0, 0), "10000-01-01T00:00:00Z"),
    ],
)
def test_format_rfc3339nano(t: GoTime, text: str) -> None:
    assert t.format_rfc3339nano() == text


def test_marshal_year_range_is_checked_in_the_own_zone() -> None:
    # GO_JSON_SEMANTICS §12: 0000-01-01T00:00:00+01:00 is fine as parsed, its UTC() is not.
    t = unmarshal_json_token(b'"0000-01-01T00:00:00+01:00"')
    assert t.marshal_json("time.Time") == b'"0000-01-01T00:00:00+01:00"'
    for go_type in ("time.Time", "*time.Time"):
        with pytest.raises(GoError) as e:
            t.utc().marshal_json(go_type)
        assert str(e.value) == (
            f"json: error calling MarshalJSON for type {go_type}: "
            "Time.MarshalJSON: year outside of range [0,9999]"
        )


def test_parse_rfc3339_layouts() -> None:
    # RFC3339 (no fraction in the layout) takes any number of fraction digits, truncated;
    # RFC3339Nano takes at most nine (GO_JSON_SEMANTICS §12; the table checks the texts).
    expected = GoTime(unix_of(2017, 1, 1), 123_456_789, 0)
    assert parse_rfc3339("2017-01-01T00:00:00.1234567891Z", RFC3339) == expected
    assert parse_rfc3339("2017-01-01T00:00:00.123456789Z") == expected
    assert parse_rfc3339("2017-01-01T00:00:00.123456789Z", RFC3339NANO) == expected
    with pytest.raises(GoError, match='cannot parse "1Z" as "Z07:00"'):
        parse_rfc3339("2017-01-01T00:00:00.1234567891Z")
    with pytest.raises(ValueError, match="not supported"):
        parse_rfc3339("Jan 2 2017", "Jan _2 2006")


def test_now_is_the_wall_clock() -> None:
    t = now()
    assert abs(t.unix + t.nsec / 1e9 - time.time()) < 5
    assert t.offset == time.localtime(t.unix).tm_gmtoff
