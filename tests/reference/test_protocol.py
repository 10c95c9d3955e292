"""reference.protocol against the Go oracle's recorded answers, byte for byte.

Expected lines come from the oracle only:

* ``data/protocol_cases.jsonl`` / ``.out.jsonl``: hand-made cases for every op, every bad-request
  path of the oracle's main.go and every panic path of GO_JSON_SEMANTICS.md, answered by the
  oracle (``data/make_protocol_cases.py`` regenerates both; test_protocol_oracle.py checks that the
  committed answers are still what the oracle says);
* ``../shared/oracle/{examples,semantics}.jsonl`` / ``.out.jsonl`` (outside the repository: skipped
  with a message when absent).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reference
from reference import copydata, gostrconv, protocol
from reference.gojson import base64std
from reference.protocol import handle, handle_line, is_blank_line

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
REPO = HERE.parents[1]
ORACLE_DIR = REPO.parent / "shared" / "oracle"
NIL = "runtime error: invalid memory address or nil pointer dereference"


def read_pairs(requests: Path, answers: Path) -> list[tuple[bytes, bytes]]:
    """(request line, oracle answer line) pairs, each line with its newline as the oracle read
    and wrote it; blank request lines have no answer."""
    data = requests.read_bytes()
    lines = [line + b"\n" for line in data.split(b"\n")]
    lines[-1] = lines[-1][:-1]  # the part after the last newline (b"" when there is one)
    if lines[-1] == b"":
        lines.pop()
    out = answers.read_bytes()
    assert out.endswith(b"\n"), f"{answers} does not end with a newline"
    answer_lines = [a + b"\n" for a in out[:-1].split(b"\n")]
    lines = [line for line in lines if not is_blank_line(line)]
    assert len(lines) == len(answer_lines), f"{requests} and {answers} do not pair up"
    return list(zip(lines, answer_lines, strict=True))


def case_id(line: bytes, index: int) -> str:
    try:
        value = json.loads(line).get("id")
    except (ValueError, AttributeError, RecursionError):
        value = None
    return f"{index:03d}-{value}" if isinstance(value, str) else f"{index:03d}"


def oracle_file_pairs(name: str) -> list[tuple[bytes, bytes]]:
    requests, answers = ORACLE_DIR / f"{name}.jsonl", ORACLE_DIR / f"{name}.out.jsonl"
    if not (requests.exists() and answers.exists()):
        return []
    return read_pairs(requests, answers)


CASES = read_pairs(DATA / "protocol_cases.jsonl", DATA / "protocol_cases.out.jsonl")


def test_case_files_are_byte_exact() -> None:
    """The table holds raw bytes (CR, VT, FF, invalid UTF-8): a line-ending conversion by git
    would silently change the requests. Sentinel lines prove the files are intact."""
    requests = (DATA / "protocol_cases.jsonl").read_bytes()
    assert b' \t\r{"id":"ws","op":"nope"} \r\n' in requests, "CR bytes lost: mark -text"
    assert b'{"id":"\xff\xfe","op":"nope"}\n' in requests
    assert b"\r" not in (DATA / "protocol_cases.out.jsonl").read_bytes()


EXAMPLES = oracle_file_pairs("examples")
SEMANTICS = oracle_file_pairs("semantics")


def first_difference(expected: bytes, got: bytes) -> str:
    for i, (a, b) in enumerate(zip(expected, got, strict=False)):
        if a != b:
            return (
                f"at byte {i}: expected {expected[i - 40 : i + 60]!r}, got {got[i - 40 : i + 60]!r}"
            )
    return f"lengths differ: expected {len(expected)} bytes, got {len(got)}"


def assert_same_line(request: bytes, expected: bytes) -> None:
    got = handle_line(request)
    assert got == expected, (
        f"request {request[:300]!r}\n{first_difference(expected, got)}\n"
        f"expected {expected[:600]!r}\ngot      {got[:600]!r}"
    )


@pytest.mark.parametrize(
    ("request_line", "expected"),
    CASES,
    ids=[case_id(line, i) for i, (line, _) in enumerate(CASES)],
)
def test_protocol_cases_match_oracle(request_line: bytes, expected: bytes) -> None:
    assert_same_line(request_line, expected)


def test_protocol_cases_cover_every_op_and_outcome() -> None:
    """The committed table really exercises what the module docstring promises."""
    answers = []
    for _, line in CASES:
        try:
            answers.append(json.loads(line.decode("utf-8")))
        except (ValueError, RecursionError):  # raw invalid UTF-8 echoed, 9999-deep id
            continue
    assert len(answers) > 350
    ops = {a["op"] for a in answers if a.get("stage") != "request"}
    assert set(protocol.OPS) <= ops
    stages = {a.get("stage") for a in answers}
    assert {None, "request", "decode", "call"} <= stages
    assert sum(1 for a in answers if a["panic"] == NIL) >= 15
    for field in ("state_error", "oci_error", "docker_error", "output_error"):
        assert any(field in a for a in answers), field


@pytest.mark.skipif(not EXAMPLES, reason=f"{ORACLE_DIR}/examples.jsonl is absent")
@pytest.mark.parametrize(
    ("request_line", "expected"),
    EXAMPLES,
    ids=[case_id(line, i) for i, (line, _) in enumerate(EXAMPLES)],
)
def test_oracle_examples_match(request_line: bytes, expected: bytes) -> None:
    assert_same_line(request_line, expected)


@pytest.mark.skipif(not SEMANTICS, reason=f"{ORACLE_DIR}/semantics.jsonl is absent")
@pytest.mark.parametrize(
    ("request_line", "expected"),
    SEMANTICS,
    ids=[case_id(line, i) for i, (line, _) in enumerate(SEMANTICS)],
)
def test_oracle_semantics_match(request_line: bytes, expected: bytes) -> None:
    assert_same_line(request_line, expected)


def test_no_case_hits_an_internal_error() -> None:
    """An ``internal error`` answer would be a bug; none of the recorded requests gives one."""
    for request_line, _ in CASES + EXAMPLES + SEMANTICS:
        assert b"internal error" not in handle_line(request_line), request_line[:200]


# ---------------------------------------------------------------------------------------------
# handle(): the in-process face gives the same answers as the line face.


def _python_request(line: bytes) -> dict[str, Any] | None:
    """The request as a Python dict when Python's json reads it without loss (no duplicate
    keys, valid UTF-8, a JSON object), else None."""

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys):
            raise ValueError("duplicate keys")
        return dict(pairs)

    def no_constants(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    try:
        # Decoded here, not by json.loads: given bytes, it would drop a UTF-8 BOM.
        value = json.loads(
            line.decode("utf-8"), object_pairs_hook=no_duplicates, parse_constant=no_constants
        )
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


DICT_CASES = [
    (req, expected)
    for line, expected in CASES + EXAMPLES + SEMANTICS
    if (req := _python_request(line)) is not None
]


def test_handle_agrees_with_recorded_answers() -> None:
    assert len(DICT_CASES) > 400
    for request, expected_line in DICT_CASES:
        expected = json.loads(expected_line)
        got = handle(request)
        assert got == expected, (request, expected_line[:400])
        assert list(got) == list(expected), "field order"


def test_describe() -> None:
    """PROTOCOL.md: ``implementation`` = name, version, language, ops (printed as Go prints a
    map: keys sorted); the ops are the oracle's list."""
    line = handle_line(b'{"id":"d","op":"describe","now":"not even parsed"}')
    assert line == (
        b'{"id":"d","op":"describe","ok":true,"error":null,"panic":null,"implementation":'
        b'{"language":"python","name":"copydata-reference","ops":["import_image",'
        b'"import_container","open","make_oci","make_docker_v2s2","make_docker_v2s1",'
        b'"make_image_ref","roundtrip"],"version":"' + reference.__version__.encode() + b'"}}\n'
    )
    assert handle({"id": 1, "op": "describe"})["implementation"] == {
        "language": "python",
        "name": "copydata-reference",
        "ops": list(protocol.OPS),
        "version": reference.__version__,
    }


@pytest.mark.parametrize(
    "request_value",
    [
        {"id": 1, "op": object()},
        {"id": {1, 2}, "op": "describe"},
        {"id": math.nan, "op": "describe"},
        {"id": 1, "op": "import_image", "config": b"bytes"},
        {"id": 1, "op": "make_oci", "docker_text": "\ud800"},
        {},
        {1: 2},
    ],
)
def test_handle_never_raises(request_value: dict[Any, Any]) -> None:
    answer = handle(request_value)
    assert answer["ok"] is False
    assert answer["stage"] in ("request", "decode")
    assert "internal error" not in (answer["error"] or "")


def test_handle_not_serializable_is_a_bad_request() -> None:
    answer = handle({"id": 1, "op": object()})
    assert list(answer) == ["id", "op", "ok", "stage", "error", "panic"]
    assert answer["error"].startswith("bad request: ")


# ---------------------------------------------------------------------------------------------
# handle_line: what the oracle prints per input line.


@pytest.mark.parametrize(
    "line",
    [
        b"",
        b"\n",
        b"   \t\r\n",
        b"\x0b\x0c\n",  # VT and FF are spaces for strings.TrimSpace (not for JSON)
        "\u00a0\u2028\u2029\u3000\u0085\n".encode(),
        "\u1680\u2000\u200a\u202f\u205f".encode(),
    ],
)
def test_blank_lines_get_no_answer(line: bytes) -> None:
    assert is_blank_line(line)
    assert handle_line(line) == b""


@pytest.mark.parametrize(
    ("line", "error"),
    [
        # Not spaces for Go: each is answered (as a syntax error).
        (b"\x1c\n", "invalid character '\\\\x1c' looking for beginning of value"),
        ("\u200b\n".encode(), "invalid character '\u00e2' looking for beginning of value"),
        (b"\xa0\n", "invalid character '\\\\u00a0' looking for beginning of value"),
        ("\ufeff\n".encode(), "invalid character '\u00ef' looking for beginning of value"),
    ],
)
def test_non_blank_whitespace_lookalikes(line: bytes, error: str) -> None:
    assert not is_blank_line(line)
    expected = (
        '{"id":null,"op":"","ok":false,"stage":"request","error":"bad request: '
        + error
        + '","panic":null}\n'
    ).encode()
    assert handle_line(line) == expected


def test_last_line_without_newline() -> None:
    """The oracle's last line may lack its newline: a literal then ends at EOF."""
    assert b'"error":"bad request: unexpected EOF"' in handle_line(b"tru")
    assert b"in literal true (expecting 'e')" in handle_line(b"tru\n")
    assert b"cannot unmarshal number into Go value of type main.request" in handle_line(b"5")


def test_every_answer_is_one_line() -> None:
    for request_line, _ in CASES:
        answer = handle_line(request_line)
        assert answer.endswith(b"\n")
        assert answer.count(b"\n") == 1


def test_internal_errors_become_responses(monkeypatch: pytest.MonkeyPatch) -> None:
    """The safety net: an unexpected exception is reported, never raised (stage "call")."""

    def boom(*args: object, **kwargs: object) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(copydata, "import_copy_data_from_image", boom)
    line = handle_line(
        b'{"id":7,"op":"import_image","image_id":"x","now":"2017-01-01T00:00:00Z","config":"e30="}'
    )
    assert line == (
        b'{"id":7,"op":"import_image","ok":false,"stage":"call",'
        b'"error":"internal error: ValueError: boom","panic":null}\n'
    )
    assert (
        handle({"id": 7, "op": "make_image_ref", "image_id": "x", "now": "2017-01-01T00:00:00Z"})[
            "error"
        ]
        == "internal error: ValueError: boom"
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=200),
        st.sampled_from([line for line, _ in CASES if len(line) < 5000])
        .flatmap(
            lambda line: st.tuples(st.just(line), st.integers(0, len(line)), st.binary(max_size=8))
        )
        .map(lambda t: t[0][: t[1]] + t[2] + t[0][t[1] :]),
    )
)
def test_any_bytes_get_one_well_formed_answer(line: bytes) -> None:
    """Whatever the bytes, one answer line (none for a blank line), never an internal error."""
    answer = handle_line(line)
    if is_blank_line(line):
        assert answer == b""
        return
    assert answer.endswith(b"\n")
    assert answer.count(b"\n") == 1
    assert answer.startswith(b'{"id":')
    assert b"internal error" not in answer


def test_go_base64_matches_documented_cases() -> None:
    """Go's base64.StdEncoding (what main.go's ``blob`` decodes with): CR/LF skipped anywhere,
    non-zero trailing bits accepted, padding required; offsets of CorruptInputError (checked in
    the case table too)."""
    decode = base64std.decode
    assert decode(b"QR==") == b"A"
    assert decode(b"QQ\r\n==") == b"A"
    assert decode(b"QQ=\n=") == b"A"
    assert decode(b"QUJD\nRA==\n") == b"ABCD"
    assert decode(b"") == b""
    for text, offset in [(b"abc", 0), (b"QR=", 3), (b"QR==x", 4), (b"Q===", 1), (b"QQ== ", 4)]:
        with pytest.raises(base64std.CorruptInputError, match=f"at input byte {offset}$"):
            decode(text)


def test_go_quote() -> None:
    """strconv.Quote as fmt's %q prints it."""
    quote = gostrconv.quote
    assert quote('a"b\\c') == '"a\\"b\\\\c"'
    assert quote("\x01\x7f\t\n") == '"\\x01\\x7f\\t\\n"'
    assert quote("\u2028\u00a0\u00ad\ufeff") == '"\\u2028\\u00a0\\u00ad\\ufeff"'
    assert quote("é€😀\ufffd<>&") == '"é€😀\ufffd<>&"'
    assert quote("\U000e0001") == '"\\U000e0001"'
    # invalid UTF-8 (surrogateescape / surrogatepass stand-ins): one \xNN per byte
    assert quote("a\udcff\ud800") == '"a\\xff\\xed\\xa0\\x80"'


GO_SPACES = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
GO_SPACES += "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*GO_SPACES, "\x1c", "x", "{", "\u200b", "é"]), max_size=6))
def test_is_blank_line_is_trim_space(chars: list[str]) -> None:
    """strings.TrimSpace(line) == "" (unicode.IsSpace), by hand; the ASCII shortcut included."""
    line = "".join(chars).encode()
    assert is_blank_line(line) == all(ch in GO_SPACES for ch in chars)
    assert not is_blank_line(line + b"\xff")
