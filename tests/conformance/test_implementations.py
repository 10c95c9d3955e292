"""The runner never hangs and never dies: every fake misbehaviour gets a clear failure text, the
process is killed and restarted, and the next request is answered again.

Fakes live in ``fakes/`` (one small script per misbehaviour). Each misbehaves on the ``--at``-th
request line *its process* receives, so after a restart the fresh process answers again.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance.implementations import (
    Answer,
    DescribeError,
    Implementation,
    InProcess,
    Subprocess,
    load,
)
from conformance.levels import Comparison, compare
from tests.protocol_vocabulary import OPS

FAKES = Path(__file__).parent / "fakes"
REPO = Path(__file__).resolve().parents[2]
ORACLE = REPO.parent / "shared" / "oracle"
TIMEOUT = 2.0
# How long past its timeout a failing exchange may take: killing, reaping, reading stderr.
SLACK = 2.5


def fake(name: str, *args: str) -> str:
    argv = [sys.executable, str(FAKES / f"{name}.py"), *args]
    return shlex.join(argv)


@pytest.fixture
def open_impls() -> Iterator[list[Subprocess]]:
    impls: list[Subprocess] = []
    yield impls
    for impl in impls:
        impl.close()


@pytest.fixture
def start(open_impls: list[Subprocess]) -> Any:
    def start(name: str, *args: str, timeout: float = TIMEOUT, **kw: Any) -> Subprocess:
        impl = Subprocess(fake(name, *args), timeout, **kw)
        open_impls.append(impl)
        return impl

    return start


def ask(impl: Implementation, op: str = "open", **fields: Any) -> Answer:
    return impl.request({"id": f"mine-{op}", "op": op, **fields})


def ok_response(answer: Answer, op: str = "open") -> dict[str, Any]:
    assert answer.failure is None, answer.failure
    assert answer.response is not None
    assert answer.response["id"] == f"mine-{op}"
    assert answer.response["ok"] is True
    return answer.response


def failure(answer: Answer) -> str:
    assert answer.response is None, answer.response
    assert answer.failure is not None
    return answer.failure


def jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        pytest.skip(f"{path} is not available")
    # split on "\n" only: the examples hold a raw U+2028, a line break for str.splitlines
    return [json.loads(line) for line in path.read_text().split("\n") if line]


def gone(pid: int) -> bool:
    """The process no longer exists (or is a zombie about to be reaped by init)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def wait_gone(pid: int, seconds: float = 3.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if gone(pid):
            return True
        time.sleep(0.02)
    return gone(pid)


# --- Answer -------------------------------------------------------------------------------------


def test_answer_has_exactly_one_of_response_and_failure() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        Answer(None, None)
    with pytest.raises(ValueError, match="exactly one"):
        Answer({"ok": True}, "and a failure")
    assert Answer(None, "x").failure == "x"


# --- a well-behaved subprocess ------------------------------------------------------------------


def test_describe_and_answers(start: Any) -> None:
    impl: Subprocess = start("ok")
    assert isinstance(impl, Implementation)
    described = impl.describe()
    assert described == {
        "name": "ok",
        "version": "0.0.0",
        "language": "python",
        "ops": list(OPS),
    }
    assert ok_response(ask(impl))["op"] == "open"
    assert impl.restarts == 0


def test_describe_is_sent_once(start: Any) -> None:
    # The fake dies on its 2nd request line: a second describe on the wire would fail.
    impl = start("crash", "--at", "2")
    first = impl.describe()
    assert impl.describe() == first
    assert impl.describe() is not impl.describe()  # callers get copies of the cache
    assert "crashed" in failure(ask(impl))


def test_ids_on_the_wire_are_the_runners_and_the_callers_id_comes_back(start: Any) -> None:
    impl = start("ok")
    assert ok_response(ask(impl, "roundtrip"), "roundtrip")["id"] == "mine-roundtrip"
    answer = impl.request({"op": "open"})
    assert answer.response is not None
    assert answer.response["id"] is None  # as the oracle echoes a missing id
    weird = impl.request({"op": "open", "id": {"nested": [1, 2]}})
    assert weird.response is not None
    assert weird.response["id"] == {"nested": [1, 2]}


def test_blank_lines_and_split_writes_are_tolerated(start: Any) -> None:
    impl = start("ok", "--blank-lines", "--split")
    impl.describe()
    for _ in range(3):
        ok_response(ask(impl))
    assert impl.restarts == 0


def test_a_flood_on_stderr_neither_blocks_nor_grows_without_bound(start: Any) -> None:
    # 300 kB of stderr per request: far beyond a pipe buffer, so an undrained stderr would block
    # the fake; the 5th request makes it crash, and only the tail of the flood is quoted.
    impl = start("crash", "--at", "5", "--stderr-bytes", "300000")
    for _ in range(4):
        ok_response(ask(impl))
    text = failure(ask(impl))
    assert "fake crash: giving up on request c-5" in text
    assert "stderr tail: …" in text
    assert len(text) < 2600


def test_a_request_the_kit_cannot_encode_is_the_kits_failure(start: Any) -> None:
    impl = start("ok")
    text = failure(impl.request({"op": "open", "state": b"raw bytes"}))
    assert text.startswith("the kit could not encode request c-1")
    assert impl.pid is None  # nothing was started for it
    ok_response(ask(impl))


# --- crashes ------------------------------------------------------------------------------------


def test_crash_exit_code_is_reported_and_the_next_request_restarts(start: Any) -> None:
    impl = start("crash", "--at", "2", "--code", "3")
    impl.describe()  # request line 1
    pid = impl.pid
    assert pid is not None
    text = failure(ask(impl))  # line 2: crash
    assert text.startswith('implementation crashed (exit code 3) on request c-2 (op "open")')
    assert "restarted for the next request" in text
    assert "stderr tail: fake crash: giving up on request c-2" in text
    assert wait_gone(pid)
    ok_response(ask(impl))  # a fresh process: its line 1
    assert impl.restarts == 1
    assert impl.pid != pid
    assert "exit code 3" in failure(ask(impl))  # its line 2 again
    ok_response(ask(impl))
    assert impl.restarts == 2


def test_death_by_signal_is_named(start: Any) -> None:
    impl = start("crash", "--at", "1", "--signal")
    text = failure(ask(impl))
    assert "implementation crashed (exit code -9, killed by SIGKILL) on request c-1" in text
    assert "crashed" in failure(ask(impl))  # --at 1: every fresh process dies at once


def test_crash_after_half_a_line_quotes_the_half_line(start: Any) -> None:
    impl = start("crash", "--at", "1", "--partial")
    text = failure(ask(impl))
    assert "exit code 3" in text
    assert 'unterminated output b\'{"id":"c-1","op":\'' in text


def test_a_clean_exit_is_an_exit_not_a_crash(start: Any) -> None:
    impl = start("crash", "--at", "1", "--code", "0")
    text = failure(ask(impl))
    assert text.startswith('implementation exited (exit code 0) on request c-1 (op "open")')


def test_closing_stdout_without_exiting(start: Any) -> None:
    impl = start("crash", "--at", "1", "--close-stdout")
    began = time.monotonic()
    text = failure(ask(impl))
    assert time.monotonic() - began < 1.0 + SLACK  # a second's grace to exit, then killed
    assert text.startswith(
        'implementation closed its stdout on request c-1 (op "open") (and was killed)'
    )
    assert "crashed" not in text


def test_exit_after_answering_is_reported_on_the_next_request(start: Any) -> None:
    impl = start("crash", "--at", "2", "--after-answer")
    impl.describe()
    ok_response(ask(impl))  # answered, then the process exits
    time.sleep(0.5)  # let the end of file arrive, so the report is the deterministic one
    text = failure(ask(impl))
    assert text.startswith("implementation exited (exit code 3) after its answer to request c-2")
    ok_response(ask(impl))


# --- hangs --------------------------------------------------------------------------------------


def test_hang_times_out_then_a_fresh_process_answers(start: Any) -> None:
    impl = start("hang", "--at", "2", timeout=1.0)
    impl.describe()
    pid = impl.pid
    assert pid is not None
    began = time.monotonic()
    text = failure(ask(impl))
    elapsed = time.monotonic() - began
    assert 1.0 <= elapsed < 1.0 + SLACK
    assert text.startswith('no response within 1 s to request c-2 (op "open") (process killed')
    assert "fake hang: sleeping on request c-2" in text
    assert wait_gone(pid)
    ok_response(ask(impl))
    assert impl.restarts == 1


def test_hang_after_half_a_line(start: Any) -> None:
    impl = start("hang", "--at", "1", "--partial", timeout=1.0)
    began = time.monotonic()
    text = failure(ask(impl))
    assert time.monotonic() - began < 1.0 + SLACK
    assert text.startswith("no response within 1 s of starting the process to request c-1")


def test_the_whole_process_group_is_killed(start: Any, tmp_path: Path) -> None:
    # The hung fake starts a child that inherits stdout: killing only the fake would leave the
    # pipe open and the reader waiting for an end of file forever.
    pidfile = tmp_path / "child.pid"
    impl = start("hang", "--at", "1", "--child-pidfile", str(pidfile), "--ignore-term", timeout=1.0)
    began = time.monotonic()
    assert "no response within 1 s" in failure(ask(impl))
    assert time.monotonic() - began < 1.0 + SLACK
    assert wait_gone(int(pidfile.read_text()))


def test_an_implementation_that_stops_reading_cannot_block_the_writer(start: Any) -> None:
    impl = start("hang", "--at", "0", timeout=1.0)
    began = time.monotonic()
    # 4 MB: far more than a pipe holds, so a blocking write would hang here forever.
    text = failure(ask(impl, config_text="x" * 4_000_000))
    assert time.monotonic() - began < 1.0 + SLACK
    assert text.startswith('no response within 1 s: request c-1 (op "open") was not read')
    assert "fake hang: not reading stdin" in text


def test_close_reaps_even_a_hung_process(start: Any, tmp_path: Path) -> None:
    pidfile = tmp_path / "child.pid"
    impl = start("hang", "--at", "2", "--child-pidfile", str(pidfile), "--ignore-term", timeout=0.5)
    impl.describe()
    pid = impl.pid
    assert pid is not None
    # Let the fake take request 2 and hang on it; the answer is a timeout failure.
    assert "no response" in failure(ask(impl))
    ok_response(ask(impl))  # a new process, alive and idle
    new_pid = impl.pid
    assert new_pid is not None
    began = time.monotonic()
    impl.close()
    assert time.monotonic() - began < 3.0
    assert impl.pid is None
    assert wait_gone(new_pid)
    assert wait_gone(int(pidfile.read_text()))
    impl.close()  # idempotent


def test_close_lets_a_well_behaved_process_exit_by_itself(start: Any) -> None:
    impl = start("ok")
    ok_response(ask(impl))
    pid = impl.pid
    assert pid is not None
    began = time.monotonic()
    with impl:
        pass
    assert time.monotonic() - began < 1.0  # it exits at end of file: no grace period spent
    assert wait_gone(pid)


# --- garbage, stray lines, wrong ids ------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("text", 'response line to request c-2 (op "open") is not a JSON object (Expecting value'),
        ("array", 'response is not a JSON object but an array: ["not", "an", "object"]'),
        ("number", "response is not a JSON object but a number: 42"),
        ("invalid-utf8", 'is not valid UTF-8 (invalid start byte at byte 7): b\'{"id":"\\xff\\xfe'),
        ("nan", "is not a JSON object (NaN is not JSON)"),
        ("two-values", "is not a JSON object (Extra data"),
    ],
)
def test_garbage_lines(start: Any, kind: str, expected: str) -> None:
    impl = start("garbage", "--at", "2", "--kind", kind)
    impl.describe()
    text = failure(ask(impl))
    assert expected in text
    assert "process killed, restarted for the next request" in text
    ok_response(ask(impl))
    assert impl.restarts == 1


def test_a_stray_line_after_an_answer_fails_the_next_request(start: Any) -> None:
    impl = start("stray", "--at", "2")
    impl.describe()
    ok_response(ask(impl))  # the answer itself is fine...
    time.sleep(0.3)  # ...and the extra line that follows it has arrived by now
    text = failure(ask(impl))
    assert text.startswith("implementation wrote an extra line after its answer to request c-2: ")
    assert '"note":"stray"' in text
    ok_response(ask(impl))


def test_a_stray_line_racing_the_next_request_is_an_id_mismatch(start: Any) -> None:
    impl = start("stray", "--at", "2")
    impl.describe()
    ok_response(ask(impl))
    text = failure(ask(impl))  # no pause: the stray line may arrive before or after sending
    assert "extra line after its answer to request c-2" in text or (
        'response id "c-2" does not match request id "c-3"' in text
    )
    ok_response(ask(impl))


def test_a_line_before_the_answer_is_taken_and_the_answer_is_then_stray(start: Any) -> None:
    impl = start("stray", "--at", "2", "--before")
    impl.describe()
    first = ask(impl)
    assert first.response is not None
    assert first.response.get("note") == "stray"  # right id: it *is* the response, however odd
    text = failure(ask(impl))
    assert "extra line after its answer to request c-2" in text or "does not match" in text


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("constant", 'response id "fake" does not match request id "c-2": {"id": "fake"'),
        ("previous", 'response id "c-1" does not match request id "c-2"'),
        ("number", 'response id 2 does not match request id "c-2"'),
        ("missing", "response to request c-2 has no id: "),
    ],
)
def test_wrong_ids(start: Any, mode: str, expected: str) -> None:
    impl = start("wrong_id", "--at", "2", "--mode", mode)
    impl.describe()
    text = failure(ask(impl))
    assert text.startswith(expected)
    assert "process killed, restarted for the next request" in text
    ok_response(ask(impl))  # the fresh process's first line is answered correctly


def test_always_wrong_answers_are_responses_not_failures(start: Any) -> None:
    impl = start("always_wrong")
    assert impl.describe()["name"] == "always_wrong"
    answer = ask(impl)
    assert answer.failure is None
    assert answer.response == {
        "id": "mine-open",
        "op": "open",
        "ok": False,
        "stage": "call",
        "error": "fake: always wrong",
        "panic": None,
    }


# --- start-up -----------------------------------------------------------------------------------


def test_slow_start_within_the_timeout(start: Any) -> None:
    impl = start("slow_start", "--delay", "0.5")
    assert impl.describe()["name"] == "slow_start"


def test_slow_start_beyond_the_timeout_and_the_startup_allowance(start: Any) -> None:
    impl = start("slow_start", "--delay", "2", timeout=0.5)
    with pytest.raises(DescribeError, match=r"no response within 0\.5 s of starting the process"):
        impl.describe()
    patient = start("slow_start", "--delay", "1", timeout=0.5, startup_timeout=5.0)
    assert patient.describe()["name"] == "slow_start"
    ok_response(ask(patient))  # later requests are back to the plain timeout, and fast


def test_a_command_that_cannot_start(tmp_path: Path) -> None:
    impl = Subprocess(str(tmp_path / "no-such-implementation"), 1.0)
    text = failure(ask(impl))
    assert text.startswith(f"cannot start the implementation ({tmp_path}/no-such-implementation)")
    with pytest.raises(DescribeError, match="describe failed: cannot start"):
        impl.describe()
    impl.close()


def test_describe_must_be_a_describe(start: Any) -> None:
    impl = start("always_wrong")
    impl.describe()  # fine
    broken = InProcess(lambda r: {"id": r["id"], "ok": True, "implementation": {"name": 1}}, 1.0)
    with pytest.raises(DescribeError, match="describe's implementation has no string 'name'"):
        broken.describe()


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="empty"):
        Subprocess("  ", 1.0)
    with pytest.raises(ValueError, match="timeout must be positive"):
        Subprocess("x", 0)


def test_the_command_is_split_with_shlex_not_a_shell(tmp_path: Path) -> None:
    odd = tmp_path / "dir with space"
    odd.mkdir()
    script = odd / "impl.py"
    script.write_text((FAKES / "ok.py").read_text())
    (odd / "_fakelib.py").write_text((FAKES / "_fakelib.py").read_text())
    impl = Subprocess(f"{shlex.quote(sys.executable)} '{script}' --name 'a b'", TIMEOUT)
    try:
        assert impl.describe()["name"] == "a b"
    finally:
        impl.close()
    relative = Subprocess(f"{shlex.quote(sys.executable)} impl.py", TIMEOUT, cwd=odd)
    try:
        assert relative.describe()["name"] == "impl"
    finally:
        relative.close()


# --- in-process ---------------------------------------------------------------------------------


@pytest.fixture
def fakes_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(FAKES))


@pytest.mark.usefixtures("fakes_importable")
def test_in_process_round_trip() -> None:
    impl = load("inprocess:echo", None, 5.0)
    assert isinstance(impl, InProcess)
    assert impl.describe()["name"] == "fake-echo"
    request = {"id": "mine", "op": "open", "state_text": "é\u2028"}
    answer = impl.request(request)
    assert answer.response is not None
    assert answer.response["id"] == "mine"
    # The callable saw the wire form: the runner's id, the same fields, a private copy.
    assert answer.response["seen"] == {"id": "c-2", "op": "open", "state_text": "é\u2028"}
    assert request == {"id": "mine", "op": "open", "state_text": "é\u2028"}


@pytest.mark.usefixtures("fakes_importable")
@pytest.mark.parametrize(
    ("attr", "expected"),
    [
        ("raising", "implementation raised on request c-1 (op \"open\"): KeyError: 'config' "
         "(at inprocess.py:"),
        ("exiting", "implementation raised on request c-1 (op \"open\"): SystemExit: 4"),
        ("not_a_dict", 'response is not a JSON object but an array: ["a", "list"]'),
        ("not_json", "response to request c-1 is not JSON-serializable: Object of type bytes"),
        ("wrong_id", 'response id "fake" does not match request id "c-1"'),
    ],
)  # fmt: skip
def test_in_process_failures(attr: str, expected: str) -> None:
    impl = load(f"inprocess:{attr}", None, 5.0)
    assert failure(ask(impl)).startswith(expected)


@pytest.mark.usefixtures("fakes_importable")
def test_in_process_mutation_does_not_leak_and_the_timeout_is_checked_afterwards() -> None:
    request = {"id": "x", "op": "open"}
    load("inprocess:mutating", None, 5.0).request(request)
    assert request == {"id": "x", "op": "open"}
    text = failure(ask(load("inprocess:slow", None, 0.1)))
    assert text.startswith('no response within 0.1 s: request c-1 (op "open") took 0.3 s')


@pytest.mark.usefixtures("fakes_importable")
def test_load_specifications() -> None:
    assert load("inprocess:Namespace.Inner.handle", None, 1.0).describe()["name"] == "fake-echo"
    with pytest.raises(ValueError, match="'reference' or 'module:attr'"):
        load("inprocess", None, 1.0)
    with pytest.raises(ValueError, match="has no attribute 'nope'"):
        load("inprocess:nope", None, 1.0)
    with pytest.raises(ValueError, match="is not callable"):
        load("inprocess:not_callable", None, 1.0)
    with pytest.raises(ImportError):
        load("no_such_module_for_copydata_tests:handle", None, 1.0)
    with pytest.raises(ValueError, match="not both"):
        load("reference", "cmd", 1.0)
    impl = load(None, fake("ok"), 1.0)
    assert isinstance(impl, Subprocess)
    impl.close()


def test_load_reference_by_default() -> None:
    pytest.importorskip("reference.protocol", exc_type=ImportError)
    impl = load(None, None, 5.0)
    assert isinstance(impl, InProcess)
    assert impl.describe()["name"] == "copydata-reference"


def test_a_fake_can_answer_like_the_reference(start: Any) -> None:
    # So tests of the plugin can run fakes that are right until they misbehave.
    pytest.importorskip("reference.protocol", exc_type=ImportError)
    requests = [
        json.loads(line) for line in (ORACLE / "examples.jsonl").read_text().split("\n") if line
    ]
    expected = [
        json.loads(line) for line in (ORACLE / "examples.out.jsonl").read_text().split("\n") if line
    ]
    impl = start("ok", "--reference")
    for request, want in zip(requests, expected, strict=True):
        answer = impl.request(request)
        assert answer.response is not None, answer.failure
        assert compare(want, answer.response) == Comparison("errors", None), request["id"]


# --- the real oracle ----------------------------------------------------------------------------


@pytest.mark.oracle
def test_the_oracle_through_run_sh() -> None:
    if not (ORACLE / "run.sh").exists():
        pytest.skip("the Go oracle is not available at ../shared/oracle/run.sh")
    requests, expected = jsonl(ORACLE / "examples.jsonl"), jsonl(ORACLE / "examples.out.jsonl")
    impl = Subprocess("../shared/oracle/run.sh", 30.0, cwd=REPO)
    try:
        assert impl.describe()["name"] == "copydata-oracle"
        for request, want in zip(requests, expected, strict=True):
            answer = impl.request(request)
            assert answer.failure is None, answer.failure
            assert answer.response == want
        assert impl.restarts == 0
    finally:
        impl.close()
