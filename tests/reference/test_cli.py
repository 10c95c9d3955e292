"""``python -m reference`` (``copydata-reference``) as a JSON Lines subprocess.

Expected answers are the oracle's: lines of data/protocol_cases.out.jsonl, and, with the
``oracle`` marker, the live oracle binary fed the very same byte streams.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DATA = HERE / "data"
RUN_SH = REPO.parent / "shared" / "oracle" / "run.sh"


def reference_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_reference(stream: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "reference", *args],
        input=stream,
        capture_output=True,
        cwd=REPO,
        env=reference_env(),
        timeout=120,
        check=False,
    )


def recorded() -> list[tuple[bytes, bytes]]:
    """(request line, answer line) pairs of the committed table, newlines included."""
    requests = (DATA / "protocol_cases.jsonl").read_bytes().split(b"\n")[:-1]
    answers = (DATA / "protocol_cases.out.jsonl").read_bytes().split(b"\n")[:-1]
    return [(r + b"\n", a + b"\n") for r, a in zip(requests, answers, strict=True)]


def pick(pairs: list[tuple[bytes, bytes]], marker: bytes) -> tuple[bytes, bytes]:
    return next(p for p in pairs if marker in p[0])


BLANKS = [b"\n", b"   \n", b"\t\r\n", "\u00a0\u2028\n".encode(), b"\x0b\x0c\n"]


def test_serve_answers_each_request_and_skips_blank_lines() -> None:
    pairs = recorded()
    chosen = [
        pick(pairs, b'"ii-docker"'),
        pick(pairs, b"garbage"),
        pick(pairs, b'"open-null"'),
        pick(pairs, b'{"id":"\xff\xfe","op":"nope"}'),  # raw invalid UTF-8, echoed raw
        pick(pairs, b'{"id":"\xe2\x80\xa8\xe2\x80\xa9"'),  # raw U+2028 inside a line
        pick(pairs, b' \t\r{"id":"ws"'),  # a \r inside a line, and at its end
        pick(pairs, b'"mir-full"'),
        pick(pairs, b"\x1c"),
    ]
    stream = b""
    for i, (request, _) in enumerate(chosen):
        stream += BLANKS[i % len(BLANKS)] + request
    stream += b"\n\n"
    done = run_reference(stream)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert done.stdout == b"".join(answer for _, answer in chosen)
    assert done.stderr == b""


def test_serve_is_the_default_command() -> None:
    request, answer = pick(recorded(), b'"md2-full"')
    assert run_reference(request).stdout == answer
    assert run_reference(request, "serve").stdout == answer


def test_every_recorded_case_through_one_process() -> None:
    pairs = recorded()
    done = run_reference(b"".join(r for r, _ in pairs))
    assert done.returncode == 0
    assert done.stdout == b"".join(a for _, a in pairs)


def test_last_line_without_newline() -> None:
    """The last line of a stream may lack its newline (then `tru` is cut short at EOF)."""
    done = run_reference(b'{"id":1,"op":"nope"}\ntru')
    assert done.stdout.split(b"\n")[1] == (
        b'{"id":null,"op":"","ok":false,"stage":"request",'
        b'"error":"bad request: unexpected EOF","panic":null}'
    )


def test_empty_input() -> None:
    done = run_reference(b"")
    assert (done.returncode, done.stdout, done.stderr) == (0, b"", b"")


def test_answers_are_flushed_one_by_one() -> None:
    """A long-lived process: each answer arrives before the next request is written."""
    pairs = recorded()[:5]
    proc = subprocess.Popen(
        [sys.executable, "-m", "reference"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=REPO,
        env=reference_env(),
    )
    assert proc.stdin is not None
    assert proc.stdout is not None
    try:
        for request, answer in pairs:
            proc.stdin.write(request)
            proc.stdin.flush()
            assert proc.stdout.readline() == answer
    finally:
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0


def test_help() -> None:
    done = run_reference(b"", "--help")
    assert done.returncode == 0
    assert b"copydata-reference" in done.stdout
    assert b"serve" in done.stdout
    done = run_reference(b"", "serve", "--help")
    assert done.returncode == 0
    assert b"JSON" in done.stdout


def test_unknown_command_is_a_usage_error() -> None:
    done = run_reference(b"", "frobnicate")
    assert done.returncode == 2
    assert b"usage:" in done.stderr


def test_main_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """cli.main with fake binary streams (what the console script calls)."""
    import io

    from reference import cli

    request, answer = pick(recorded(), b'"md1-full"')
    stdin = io.TextIOWrapper(io.BytesIO(b"\n" + request + b"   \n"))
    buffer = io.BytesIO()
    stdout = io.TextIOWrapper(buffer)
    monkeypatch.setattr(sys, "stdin", stdin)
    monkeypatch.setattr(sys, "stdout", stdout)
    assert cli.main([]) == 0
    assert buffer.getvalue() == answer


@pytest.mark.oracle
@pytest.mark.parametrize(
    "stream",
    [
        b'{"id":1,"op":"nope"}\ntru',
        b'{"id":1,"op":"nope"}\n5',
        b'{"id":1,"op":"nope"}\n{"id":2',
        b'{"id":1,"op":"nope"}\n1.',  # Decoder: "unexpected EOF" (Unmarshal would differ)
        b"1e+\n-\nnul",
        b"\n\n \r\n\t\n",
        b'\r\n{"id":1,"op":"nope"}\r\n\r\n',
        "\u2028\n\u0085\n\u00a0x\n\u3000\n".encode(),
        b'{"id":1,"op":"nope"}\x0b\n\x0b\n\x1c\n',
        b'{"id":"\xe2\x80\xa8","op":"no\xe2\x80\xa9pe"}\n',
        b'[]\n{}\nnull\n""\n',
    ],
)
def test_streams_match_the_oracle_binary(stream: bytes) -> None:
    if not RUN_SH.exists():
        pytest.skip(f"{RUN_SH} is absent: the Go oracle is not available")
    oracle = subprocess.run([str(RUN_SH)], input=stream, capture_output=True, timeout=900)
    assert oracle.returncode == 0
    assert run_reference(stream).stdout == oracle.stdout
