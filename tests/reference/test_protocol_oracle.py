"""reference.protocol against the live Go oracle (``oracle`` marker).

* the committed answers of ``data/protocol_cases.out.jsonl`` are still what the oracle says;
* a few thousand deterministic byte mutations of the recorded requests (syntax errors, odd
  bytes, truncations, duplicated members, ...) and randomly assembled requests are sent to the
  oracle and to :func:`reference.protocol.handle_line`: every answer must be byte-identical.
"""

from __future__ import annotations

import base64
import json
import random
import subprocess
from pathlib import Path
from typing import Any

import pytest

from reference.protocol import handle_line, is_blank_line

pytestmark = pytest.mark.oracle

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
ORACLE_DIR = REPO.parent / "shared" / "oracle"
RUN_SH = ORACLE_DIR / "run.sh"
DATA = HERE / "data"


def run_oracle(stream: bytes) -> bytes:
    """The oracle's whole output for a JSON Lines stream (one process, as the kit runs it)."""
    if not RUN_SH.exists():
        pytest.skip(f"{RUN_SH} is absent: the Go oracle is not available")
    proc = subprocess.run([str(RUN_SH)], input=stream, capture_output=True, timeout=900)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    return proc.stdout


def recorded_requests() -> list[bytes]:
    """Every recorded request line (without its newline)."""
    lines: list[bytes] = []
    for path in [
        DATA / "protocol_cases.jsonl",
        ORACLE_DIR / "examples.jsonl",
        ORACLE_DIR / "semantics.jsonl",
    ]:
        if path.exists():
            lines += [line for line in path.read_bytes().split(b"\n") if line]
    return lines


def assert_stream_agrees(lines: list[bytes]) -> None:
    """Send ``lines`` (no newline inside) to the oracle in one stream, and each to handle_line."""
    assert all(b"\n" not in line for line in lines)
    expected = run_oracle(b"".join(line + b"\n" for line in lines))
    answers = [a + b"\n" for a in expected.split(b"\n")[:-1]]
    asked = [line + b"\n" for line in lines if not is_blank_line(line + b"\n")]
    assert len(answers) == len(asked), "the oracle skipped other lines than is_blank_line"
    differences = []
    for request, answer in zip(asked, answers, strict=True):
        got = handle_line(request)
        if got != answer:
            differences.append(
                f"request  {request[:300]!r}\nexpected {answer[:400]!r}\ngot      {got[:400]!r}"
            )
    assert not differences, f"{len(differences)} of {len(asked)} differ:\n" + "\n\n".join(
        differences[:5]
    )


def test_committed_answers_are_current() -> None:
    stream = (DATA / "protocol_cases.jsonl").read_bytes()
    assert run_oracle(stream) == (DATA / "protocol_cases.out.jsonl").read_bytes(), (
        "data/protocol_cases.out.jsonl is stale: run data/make_protocol_cases.py"
    )


# Bytes that steer Go's scanner and decoder into their corners.
_SNIPPETS = [
    b"{",
    b"}",
    b"[",
    b"]",
    b'"',
    b",",
    b":",
    b"\\",
    b" ",
    b"\t",
    b"\r",
    b"\x00",
    b"\x1f",
    b"\x7f",
    b"\xff",
    b"\xc3",
    b"\xe2\x80\xa8",
    b"\\u",
    b"\\ud800",
    b"\\u0041",
    b"0",
    b"-",
    b"1.5e+3",
    b"01",
    b"true",
    b"null",
    b"nul",
    b"x",
    b"\xef\xbb\xbf",
    b'"id":',
    b'"op":',
    b'"names":[null]',
    b'"now":null',
    b'"foo":1',
    b'"ID":"dup"',
    b'"config":"!!"',
]


def mutate(rng: random.Random, line: bytes) -> bytes:
    """One small random edit of a request line (never a newline)."""
    if not line:
        return rng.choice(_SNIPPETS)
    i = rng.randrange(len(line) + 1)
    j = min(len(line), i + rng.randrange(1, 12))
    kind = rng.randrange(7)
    if kind == 0:  # delete a few bytes
        return line[:i] + line[j:]
    if kind == 1:  # insert a snippet
        return line[:i] + rng.choice(_SNIPPETS) + line[i:]
    if kind == 2:  # replace a few bytes with a snippet
        return line[:i] + rng.choice(_SNIPPETS) + line[j:]
    if kind == 3:  # truncate
        return line[:i]
    if kind == 4:  # duplicate a chunk
        return line[:j] + line[i:j] + line[j:]
    if kind == 5:  # flip the case of a letter (key folding, literals)
        k = rng.randrange(len(line))
        return (
            line[:k]
            + bytes([line[k] ^ 0x20 if chr(line[k]).isalpha() else line[k]])
            + line[k + 1 :]
        )
    return line + rng.choice([b" x", b"]", b"}", b"{}", b" ", b"\r"])  # something after


def test_mutated_requests_agree() -> None:
    rng = random.Random(20170831)
    # The 10000-deep cases are long to mutate and add nothing here.
    pool = [line for line in recorded_requests() if len(line) < 8000]
    lines = []
    for _ in range(2500):
        line = rng.choice(pool)
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            line = mutate(rng, line)
        lines.append(line.replace(b"\n", b" "))
    assert_stream_agrees(lines)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


_DOCS = [
    "{}",
    "null",
    "",
    "[]",
    '{"docker_version":"1","created":"2017-01-01T00:00:00+02:00","config":{"Cmd":["a"]}}',
    '{"created":"2017-01-01T00:00:00Z","architecture":5}',
    '{"created":"2017-01-01T00:00:00Z","rootfs":{"type":"layers","diff_ids":["sha256:x"]}}',
    '{"schemaVersion":1,"history":[{"v1Compatibility":"{\\"docker_version\\":\\"1\\"}"}]}',
    '{"schemaVersion":2,"annotations":{"a":"<b>"}}',
    '{"type":"kpod 0.0.1","ociv1":{"created":"2017-01-01T00:00:00Z"}}',
    '{"type":"kpod 0.0.1"}',
    '{"history":[{"created":"2017-01-01T00:00:00Z"},{}]}',
]
_TIMES: list[Any] = [
    None,
    "2017-09-01T12:00:00.5Z",
    "2017-09-01T12:00:00+02:00",
    "bad",
    "0000-01-01T00:00:00+01:00",
    "9999-12-31T23:30:00-01:00",
    "2017-09-01T1:00:00Z",
]
_OPS = [
    "import_image",
    "import_container",
    "open",
    "make_oci",
    "make_docker_v2s2",
    "make_docker_v2s1",
    "make_image_ref",
    "roundtrip",
    "nope",
]
_TYPES = ["CopyData", "*CopyData", "docker.V2Image", "ociv1.Image", "docker.V2S1Manifest", "x"]


def random_request(rng: random.Random, n: int) -> bytes:
    req: dict[str, object] = {"id": n, "op": rng.choice(_OPS)}
    for name in ["config", "manifest", "state", "docker", "oci", "input"]:
        r = rng.random()
        if r < 0.35:
            req[name] = _b64(rng.choice(_DOCS))
        elif r < 0.5:
            req[name + "_text"] = rng.choice(_DOCS)
        elif r < 0.55:
            req[name] = None
    fields: list[tuple[str, list[Any]]] = [
        ("now", _TIMES),
        ("history_timestamp", _TIMES),
        ("image_id", ["", "abc", "sha256:" + "a" * 64]),
        ("image_name", ["", "busybox", "docker.io/library/busybox:latest"]),
        ("container_name", ["", "ctr"]),
        ("container_id", ["", "f00"]),
        ("goos", [None, "", "windows"]),
        ("goarch", [None, "arm64"]),
        ("type", _TYPES),
        ("manifest_type", ["", "m"]),
        ("names", [None, [], ["busybox"], ["docker.io/library/a:b", "x"]]),
        ("layer_id", ["", "l"]),
    ]
    for name, choices in fields:
        if rng.random() < 0.6:
            req[name] = rng.choice(choices)
    return json.dumps(req, separators=(",", ":")).encode()


def test_random_requests_agree() -> None:
    rng = random.Random(4242)
    assert_stream_agrees([random_request(rng, n) for n in range(1500)])
