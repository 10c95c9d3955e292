"""The slow paths give the same answers as the fast ones.

The reference takes fast paths on well-formed input (Python's C JSON scanner, plain assignments
for string/bool/time struct fields, binascii's strict base64, the regex for well-formed time
tokens, caches of parsed times) and falls back to exact ports of Go's code otherwise. Here the
fast paths are turned off and the recorded oracle answers (protocol cases, the oracle's own
examples, a sample of the gojson roundtrip cases) must come out byte for byte all the same, so
the slow paths are known to be exact on their own, not only where the fast ones give up.
"""

from __future__ import annotations

import base64
import concurrent.futures
import copy
import json
import random
from typing import Any

import pytest

from reference import gotime, model
from reference.errors import GoError
from reference.gojson import base64std, decode, encode, parse
from reference.gojson.encode import marshal_reusing, marshal_string
from reference.gojson.types import zero
from reference.protocol import handle_line
from tests.reference.data import gen_gojson_roundtrip as gen
from tests.reference.test_protocol import CASES, EXAMPLES, SEMANTICS, first_difference


@pytest.fixture
def slow_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse, "C_SCANNER", False)
    monkeypatch.setattr(decode, "FAST_FIELDS", False)
    monkeypatch.setattr(decode, "_CACHE", {})  # decoders built again, without fast fields
    monkeypatch.setattr(decode, "_LAST_PARSE", [(None, None, None)])
    monkeypatch.setattr(base64std, "FAST_PATH", False)
    monkeypatch.setattr(encode, "EMBEDDED_ENCODERS", False)
    monkeypatch.setattr(gotime, "_fast_match", lambda raw: None)
    for cache in ("_PARSED", "_PARSED_STR", "_PARSED_NANO"):
        monkeypatch.setattr(gotime, cache, {})


def test_protocol_answers_on_the_slow_paths(slow_paths: None) -> None:
    pairs = CASES + EXAMPLES + SEMANTICS
    assert len(pairs) > 350
    for request_line, expected in pairs:
        got = handle_line(request_line)
        assert got == expected, (request_line[:300], first_difference(expected, got))


def test_roundtrip_cases_on_the_slow_paths(slow_paths: None) -> None:
    cases = [c for c in gen.load_cases() if "file" not in c.get("recipe", {}) and "expect" in c]
    sample = random.Random(7).sample(cases, min(600, len(cases)))
    assert len(sample) >= 300
    for case in sample:
        data = gen.case_input(case, gen.DEFAULT_CORPUS)
        got = gen.compact(gen.reference_roundtrip(case["type"], data))
        assert got == case["expect"], (case["id"], data[:200])


def _copydata_values() -> list[model.CopyData]:
    values = []
    for case in gen.load_cases():
        if case["type"] != "CopyData" or "file" in case.get("recipe", {}):
            continue
        data = gen.case_input(case, gen.DEFAULT_CORPUS)
        value, _ = decode.unmarshal(data, model.CopyData_T, model.CopyData())
        values.append(value)
    return values


@pytest.mark.parametrize("embedded", [False, True])
def test_marshal_reusing_is_marshal(embedded: bool) -> None:
    """The state reuses the oci and docker texts: the same text or the same error."""
    values = _copydata_values()
    assert len(values) > 50
    # Times Go cannot marshal (year 10000 in their own zone) in one field, the other, or both.
    late = gotime.parse_rfc3339("9999-12-31T23:00:00-05:00").utc()
    for i, c in enumerate(values[:30]):
        bad = copy.copy(c)
        bad.OCIv1 = copy.copy(c.OCIv1)
        bad.Docker = copy.copy(c.Docker)
        if i % 3 != 1:
            bad.OCIv1.Created = late
        if i % 3 != 0:
            bad.Docker.Created = late
        values.append(bad)
    errors = 0
    for c in values:
        known = {
            "OCIv1": _encoded(model.OCIImage_T, c.OCIv1, embedded),
            "Docker": _encoded(model.V2Image_T, c.Docker, embedded),
        }
        expected = _encoded(model.CopyDataPtr_T, c, embedded)
        try:
            got: str | GoError = marshal_reusing(model.CopyDataPtr_T, c, known, embedded)
        except GoError as e:
            got = e
        if isinstance(expected, GoError):
            errors += 1
            assert isinstance(got, GoError)
            assert str(got) == str(expected)
        else:
            assert got == expected
    assert errors > 0, "no case exercises the error"
    assert marshal_reusing(model.CopyDataPtr_T, None, {}) == "null"


def _encoded(go_type: Any, value: Any, embedded: bool = False) -> str | GoError:
    try:
        return marshal_string(go_type, value, embedded=embedded)
    except GoError as e:
        return e


def test_embedded_texts_are_escaped_texts() -> None:
    """marshal_string(embedded=True) is Marshal's text escaped as a JSON string's content,
    and quote() of it is quote() of the text, with or without HTML escaping."""
    cases = [c for c in gen.load_cases() if "file" not in c.get("recipe", {})]
    checked = 0
    for case in random.Random(11).sample(cases, min(800, len(cases))):
        go_type = model.ROUNDTRIP_TYPES[case["type"]]
        data = gen.case_input(case, gen.DEFAULT_CORPUS)
        value = model.CopyData() if case["type"] == "*CopyData" else zero(go_type)
        value, _ = decode.unmarshal(data, go_type, value)
        plain = _encoded(go_type, value)
        embedded = _encoded(go_type, value, embedded=True)
        if isinstance(plain, GoError):
            assert str(embedded) == str(plain)
            continue
        assert isinstance(embedded, encode.Escaped)
        assert embedded == json.dumps(plain, ensure_ascii=False)[1:-1]
        assert encode.quote(embedded, False) == encode.quote(plain, False)
        assert encode.quote(embedded) == encode.quote(plain)
        checked += 1
    assert checked > 300


def test_request_lines_with_odd_bytes_on_both_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """Request lines built to hit every reason to leave the fast path, both ways."""
    lines = [
        b'{"id":"\\ud800","op":"nope"}',
        b'{"id":"\xff","op":"nope"}',
        b'{"id":{"a":["\\u00e9\\ud83d\\ude00"]},"op":"describe"} \n',
        b'{"op":"roundtrip","type":"docker.V2S2History","input_text":"{\\"created\\":'
        b'\\"2017\\\\u002d01-01T00:00:00Z\\"}","now":"2017-01-01T00:00:00Z"}',
        b'{"op":"roundtrip","type":"docker.V2S2History","input":"'
        + base64.b64encode(b'{"created":"2017-01-01T00:00:00Z","author":"\xff\\ud800"}')
        + b'","now":"2017-01-01T00:00:00Z"}',
        b"[" * 1200 + b"]" * 1200,
        b'{"op":"describe","id":1.5e3,"names":["a","\\ud800"]}',
    ]
    fast = [handle_line(line) for line in lines]
    monkeypatch.setattr(parse, "C_SCANNER", False)
    monkeypatch.setattr(decode, "FAST_FIELDS", False)
    monkeypatch.setattr(decode, "_CACHE", {})
    assert [handle_line(line) for line in lines] == fast
    assert fast[0].startswith(b'{"id":"\\ud800","op":"nope","ok":false')  # raw, as given
    assert fast[1].startswith(b'{"id":"\xff","op":"nope","ok":false')


def test_threads_share_the_caches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Encoders and decoders are built on first use and cached; threads that start together
    wait for one build instead of seeing it half made (or another thread's last document)."""
    monkeypatch.setattr(decode, "_CACHE", {})
    monkeypatch.setattr(encode, "_CACHE", {})
    monkeypatch.setattr(encode, "_REUSING", {})
    pairs = (CASES + EXAMPLES + SEMANTICS)[:300]
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(handle_line, [line for line, _ in pairs] * 3))
    for (request_line, expected), got in zip(pairs * 3, answers, strict=True):
        assert got == expected, request_line[:300]
