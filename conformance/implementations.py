"""Talk to an implementation under test: in-process (a Python callable) or a JSON Lines subprocess.

Public API::

    class Implementation(Protocol):
        def describe(self) -> dict[str, Any]   # {"op": "describe"} once, cached; DescribeError
        def request(self, req: dict[str, Any]) -> Answer
        def close(self) -> None

    @dataclass(frozen=True)
    class Answer:
        response: dict[str, Any] | None   # the response object, or None when ...
        failure: str | None               # ... the exchange failed: one paragraph saying why

    InProcess(handle, timeout)                       # handle(request: dict) -> dict
    Subprocess(command, timeout, cwd=None, env=None, *, startup_timeout=0.0)
    load(impl, cmd, timeout) -> Implementation       # "reference", "module:attr" or a command

Ids. The runner owns the ``id`` field on the wire: every request goes out with a fresh unique id
(``"c-1"``, ``"c-2"``, ... per runner, never reused, not even across restarts), the response must
echo it exactly, and the caller gets the response back with ``id`` set to the id of *its* request
(or null when its request had none, as the oracle answers). So a stray or late line can never be
mistaken for the answer to another request.

What is a failure (``Answer.failure``), and what is merely a wrong answer (``Answer.response``,
judged by :mod:`conformance.levels`)? A failure is a broken exchange: the implementation crashed,
hung, printed something that is not one JSON object per line, answered with the wrong id, or
(in-process) raised. Anything that is a JSON object with the right id is a response, however wrong.

Subprocess details:

* ``command`` is split with :func:`shlex.split` (POSIX rules) and executed directly, without a
  shell: ``../shared/oracle/run.sh`` and ``java -jar impl.jar --serve`` work as written; for
  pipes, ``&&`` or environment assignments use ``sh -c '...'``. A relative program path is
  resolved against ``cwd`` (the current directory when ``cwd`` is None). ``env``, when given,
  replaces the environment (as with :class:`subprocess.Popen`).
* One long-lived process, started lazily by the first request, in its own session/process group.
  Stdout is read by a thread into a queue (partial lines are assembled; blank lines ignored);
  stderr is drained continuously by another thread into a bounded ring buffer, whose tail is
  quoted in failure texts. Requests are written without blocking, so a process that stops
  reading its stdin cannot hang the kit either.
* Every request has a deadline of ``timeout`` seconds (plus ``startup_timeout`` for the first
  request after each start) covering writing the request and reading the answer. On a crash,
  hang, garbage line, stray extra line or id mismatch the whole process group is killed
  (SIGKILL) and reaped; the next request starts a fresh process (``restarts`` counts them).
  ``close()`` first closes stdin and gives the process a moment to exit by itself, then kills
  the group; it always reaps. (A request after ``close()`` would start a new process.)
* A process that exits, or writes a line, between two requests is reported on the next
  request, whose answer is then that failure: the kit never lets an unexplained line or a dead
  process pass silently.
* POSIX only (process groups, non-blocking pipes).

In-process: the timeout cannot be enforced (a Python call cannot be interrupted safely), so it is
checked afterwards: an answer that took longer than ``timeout`` becomes a failure, like a late
line from a subprocess. Requests and responses go through ``json.dumps``/``json.loads`` so the
callable sees, and the kit gets, exactly what a subprocess would: a private copy, JSON types only.

Imports stay light (standard library only): the pytest plugin imports this module eagerly.
"""

from __future__ import annotations

import collections
import contextlib
import importlib
import json
import os
import queue
import selectors
import shlex
import signal
import subprocess
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Protocol, runtime_checkable

__all__ = [
    "Answer",
    "DescribeError",
    "Implementation",
    "InProcess",
    "Subprocess",
    "load",
]

Handle = Callable[[dict[str, Any]], dict[str, Any]]

STDERR_TAIL_BYTES: Final = 2000  # quoted in failure texts
STDERR_RING_BYTES: Final = 64 * 1024  # kept in memory per process
MAX_LINE_BYTES: Final = 256 * 1024 * 1024  # a longer response line is treated as garbage
_SHOW_BYTES: Final = 200  # bytes of a bad line quoted in a failure text
_CLOSE_GRACE: Final = 1.0  # seconds close() lets a process exit by itself after EOF
_CRASH_GRACE: Final = 1.0  # seconds to wait for the exit status once stdout hit EOF


@dataclass(frozen=True)
class Answer:
    """What a request got: a response object, or a failure text (exactly one is set)."""

    response: dict[str, Any] | None
    failure: str | None

    def __post_init__(self) -> None:
        if (self.response is None) == (self.failure is None):
            raise ValueError("an Answer has exactly one of response and failure")


class DescribeError(RuntimeError):
    """The implementation could not describe itself (no answer, or not a usable describe)."""


@runtime_checkable
class Implementation(Protocol):
    """An implementation under test. Not thread-safe across processes; one per pytest worker."""

    def describe(self) -> dict[str, Any]:
        """The ``implementation`` object of the describe answer (sent once, then cached).

        Raises :class:`DescribeError` when the exchange fails or the answer is not a describe.
        """
        ...

    def request(self, req: dict[str, Any]) -> Answer:
        """Send one request; never raises for anything the implementation does."""
        ...

    def close(self) -> None:
        """Release the implementation (kill and reap a subprocess). Idempotent."""
        ...


class _Base:
    """Id bookkeeping, response checks and describe, shared by both transports."""

    label: str

    def __init__(self, timeout: float) -> None:
        if not timeout > 0:
            raise ValueError(f"timeout must be positive, got {timeout!r}")
        self.timeout = float(timeout)
        self._counter = 0
        self._described: dict[str, Any] | None = None
        self._lock = threading.Lock()

    def _next_id(self) -> str:
        self._counter += 1
        return f"c-{self._counter}"

    def describe(self) -> dict[str, Any]:
        if self._described is None:
            answer = self.request({"op": "describe"})
            if answer.response is None:
                raise DescribeError(f"{self.label}: describe failed: {answer.failure}")
            implementation = answer.response.get("implementation")
            problem = _describe_problem(answer.response, implementation)
            if problem is not None:
                raise DescribeError(f"{self.label}: {problem}: {_snippet_json(answer.response)}")
            assert isinstance(implementation, dict)
            self._described = implementation
        return dict(self._described)

    def request(self, req: dict[str, Any]) -> Answer:
        with self._lock:
            wire_id = self._next_id()
            try:
                line = _encode_request(req, wire_id)
            except (TypeError, ValueError) as error:
                # A kit bug, not the implementation's: say so rather than blame it.
                return Answer(None, f"the kit could not encode request {wire_id}: {error}")
            return self._exchange(req, wire_id, line)

    def _exchange(self, req: dict[str, Any], wire_id: str, line: bytes) -> Answer:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> _Base:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _describe_problem(response: Mapping[str, Any], implementation: Any) -> str | None:
    if response.get("ok") is not True:
        return "describe did not answer ok"
    if not isinstance(implementation, dict):
        return "describe answered no `implementation` object"
    for key in ("name", "version", "language"):
        if not isinstance(implementation.get(key), str):
            return f"describe's implementation has no string {key!r}"
    ops = implementation.get("ops")
    if not isinstance(ops, list) or not all(isinstance(op, str) for op in ops):
        return "describe's implementation has no list of strings 'ops'"
    return None


def _encode_request(req: Mapping[str, Any], wire_id: str) -> bytes:
    if not isinstance(req, Mapping):
        raise TypeError(f"a request is a dict, not {type(req).__name__}")
    wire = {"id": wire_id, **{k: v for k, v in req.items() if k != "id"}}
    # ensure_ascii keeps the line pure ASCII; allow_nan=False: NaN is not JSON.
    return json.dumps(wire, separators=(",", ":"), allow_nan=False).encode("ascii") + b"\n"


def _strict_loads(data: str | bytes) -> Any:
    def no_constants(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    return json.loads(data, parse_constant=no_constants)


def _check_response(value: Any, wire_id: str, req: Mapping[str, Any]) -> Answer:
    """A decoded response as an Answer: an object with the right id (then the caller's id)."""
    if not isinstance(value, dict):
        shown = _snippet_json(value)
        return Answer(None, f"response is not a JSON object but {_kind(value)}: {shown}")
    if "id" not in value:
        return Answer(None, f"response to request {wire_id} has no id: {_snippet_json(value)}")
    if value["id"] != wire_id:
        return Answer(
            None,
            f"response id {_snippet_json(value['id'])} does not match request id "
            f"{json.dumps(wire_id)}: {_snippet_json(value)}",
        )
    value["id"] = req.get("id")
    return Answer(value, None)


_KINDS: Final[dict[type, str]] = {
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "null",
}


def _kind(value: Any) -> str:
    return _KINDS.get(type(value), type(value).__name__)


def _snippet_json(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= _SHOW_BYTES else text[:_SHOW_BYTES] + "…"


def _snippet_bytes(data: bytes) -> str:
    shown = repr(data[:_SHOW_BYTES])
    return shown + (f"… ({len(data)} bytes)" if len(data) > _SHOW_BYTES else "")


def _op_of(req: Mapping[str, Any]) -> str:
    op = req.get("op")
    return json.dumps(op) if op is not None else "(none)"


# --- in-process ---------------------------------------------------------------------------------


class InProcess(_Base):
    """A Python callable ``handle(request: dict) -> dict`` called in this process.

    ``timeout`` is checked after the call (see the module docstring): a call cannot be interrupted.
    Exceptions raised by ``handle`` (``SystemExit`` included) become failures quoting the
    exception's last traceback line and where it was raised; ``KeyboardInterrupt`` propagates.
    """

    def __init__(self, handle: Handle, timeout: float, *, label: str | None = None) -> None:
        super().__init__(timeout)
        if not callable(handle):
            raise TypeError(f"handle must be callable, not {type(handle).__name__}")
        self._handle = handle
        self.label = label or f"in-process {getattr(handle, '__module__', '?')}." + getattr(
            handle, "__qualname__", type(handle).__name__
        )

    def __repr__(self) -> str:
        return f"InProcess({self.label!r}, timeout={self.timeout})"

    def _exchange(self, req: dict[str, Any], wire_id: str, line: bytes) -> Answer:
        request = json.loads(line)  # a private copy: the callable may mutate it freely
        started = time.monotonic()
        try:
            result = self._handle(request)
        except (Exception, SystemExit) as error:
            what = f"request {wire_id} (op {_op_of(req)})"
            return Answer(None, f"implementation raised on {what}: {_exception_summary(error)}")
        elapsed = time.monotonic() - started
        if elapsed > self.timeout:
            return Answer(
                None,
                f"no response within {self.timeout:g} s: request {wire_id} (op {_op_of(req)}) "
                f"took {elapsed:.1f} s in-process (the call could not be interrupted)",
            )
        try:
            text = json.dumps(result, allow_nan=False)
        except (TypeError, ValueError) as error:
            return Answer(None, f"response to request {wire_id} is not JSON-serializable: {error}")
        return _check_response(_strict_loads(text), wire_id, req)


def _exception_summary(error: BaseException) -> str:
    last = traceback.format_exception_only(type(error), error)[-1].strip()
    frames = traceback.extract_tb(error.__traceback__)
    if frames:
        frame = frames[-1]
        last += f" (at {os.path.basename(frame.filename)}:{frame.lineno} in {frame.name})"
    return last


# --- subprocess ---------------------------------------------------------------------------------


class _Eof:
    """Queue marker: stdout reached end of file; ``partial`` is an unterminated last line."""

    def __init__(self, partial: bytes) -> None:
        self.partial = partial


class _Overlong:
    """Queue marker: a line exceeded MAX_LINE_BYTES (the reader stopped)."""

    def __init__(self, head: bytes) -> None:
        self.head = head


_Event = bytes | _Eof | _Overlong


class _Process:
    """One running child: the Popen, its reader threads, the stdout queue and the stderr ring."""

    def __init__(self, argv: list[str], cwd: str | None, env: Mapping[str, str] | None) -> None:
        self.popen = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=None if env is None else dict(env),
            start_new_session=True,  # its own process group: killpg reaches its children too
            bufsize=0,
        )
        assert self.popen.stdin is not None
        assert self.popen.stdout is not None
        assert self.popen.stderr is not None
        self.pid = self.popen.pid
        self.stdin_fd = self.popen.stdin.fileno()
        os.set_blocking(self.stdin_fd, False)
        self.lines: queue.Queue[_Event] = queue.Queue()
        self._stderr: collections.deque[bytes] = collections.deque()
        self._stderr_size = 0
        self._stderr_dropped = False
        self._stderr_lock = threading.Lock()
        self.requests = 0  # requests sent to this process
        self.last_answered: str | None = None  # wire id of the last request it answered
        self.exited_by_itself: bool | None = None  # known once finish() ran
        stdout_fd, stderr_fd = self.popen.stdout.fileno(), self.popen.stderr.fileno()
        self._out = threading.Thread(target=self._read_stdout, args=(stdout_fd,), daemon=True)
        self._err = threading.Thread(target=self._read_stderr, args=(stderr_fd,), daemon=True)
        self._out.start()
        self._err.start()

    def _read_stdout(self, fd: int) -> None:
        buffer = bytearray()
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                self.lines.put(_Eof(bytes(buffer)))
                return
            buffer += chunk
            while True:
                end = buffer.find(b"\n")
                if end < 0:
                    break
                self.lines.put(bytes(buffer[:end]))
                del buffer[: end + 1]
            if len(buffer) > MAX_LINE_BYTES:
                self.lines.put(_Overlong(bytes(buffer[:_SHOW_BYTES])))
                return

    def _read_stderr(self, fd: int) -> None:
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self._stderr_lock:
                self._stderr.append(chunk)
                self._stderr_size += len(chunk)
                while self._stderr_size - len(self._stderr[0]) >= STDERR_RING_BYTES:
                    self._stderr_size -= len(self._stderr.popleft())
                    self._stderr_dropped = True

    def stderr_tail(self, wait: float = 0.0) -> str:
        """The last STDERR_TAIL_BYTES of stderr, decoded leniently; waits for EOF up to ``wait``."""
        if wait > 0:
            self._err.join(wait)
        with self._stderr_lock:
            data = b"".join(self._stderr)
        tail = data[-STDERR_TAIL_BYTES:]
        text = tail.decode("utf-8", "replace").strip()
        if not text:
            return "stderr: (empty)"
        cut = len(data) > STDERR_TAIL_BYTES or self._stderr_dropped
        return f"stderr tail: {'…' if cut else ''}{text}"

    def write(self, data: bytes, deadline: float) -> str | None:
        """Write without blocking past the deadline: None, or the problem ("timeout", "closed")."""
        view = memoryview(data)
        with selectors.DefaultSelector() as selector:
            selector.register(self.stdin_fd, selectors.EVENT_WRITE)
            while view:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return "timeout"
                if not selector.select(remaining):
                    continue
                try:
                    written = os.write(self.stdin_fd, view)
                except BlockingIOError:
                    continue
                except (BrokenPipeError, OSError):
                    return "closed"
                view = view[written:]
        return None

    def finish(self, grace: float) -> int | None:
        """Let the child exit by itself for up to ``grace`` seconds, then SIGKILL its whole process
        group, reap it and release the pipes. Returns the exit code (negative: killed by that
        signal); ``exited_by_itself`` tells whether the kit had to kill it. Idempotent."""
        if self.popen.returncode is None:
            deadline = time.monotonic() + grace
            if hasattr(os, "waitid"):
                # Wait WITHOUT reaping: until the leader is reaped its pid is the group id and
                # cannot be reused, so the killpg below reaches our own group only (children
                # that outlive the leader, e.g. behind a shell wrapper, die with it).
                while not _exited_unreaped(self.pid) and time.monotonic() < deadline:
                    time.sleep(0.005)
                self.exited_by_itself = _exited_unreaped(self.pid)
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(self.pid, signal.SIGKILL)
            else:  # pragma: no cover - macOS: reaping first, so only a live leader's group
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.popen.wait(grace)
                self.exited_by_itself = self.popen.returncode is not None
                if not self.exited_by_itself:
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(self.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(5.0)
        self._release()
        return self.popen.returncode

    def kill(self) -> None:
        """SIGKILL the process group now (see :meth:`finish`)."""
        self.finish(0.0)

    def close(self, grace: float) -> None:
        """EOF on stdin, let the process exit by itself for ``grace`` seconds, then kill."""
        with contextlib.suppress(OSError):
            self.popen.stdin.close()  # type: ignore[union-attr]
        self.finish(grace)

    def _release(self) -> None:
        with contextlib.suppress(OSError):
            self.popen.stdin.close()  # type: ignore[union-attr]
        # A reader thread ends at EOF, i.e. once every writer of the pipe is gone. Close its fd
        # only then: closing an fd another thread is blocked on could hand the number to an
        # unrelated file. (A writer that escaped the process group keeps the thread, a daemon,
        # and the fd alive: a leak, not a hang.)
        for thread, stream in ((self._out, self.popen.stdout), (self._err, self.popen.stderr)):
            thread.join(1.0)
            if not thread.is_alive():
                with contextlib.suppress(OSError):
                    stream.close()  # type: ignore[union-attr]


def _exited_unreaped(pid: int) -> bool:
    try:
        result = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return True
    return result is not None


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "exit status unknown"
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"exit code {code}, killed by {signal.Signals(-code).name}"
    return f"exit code {code}"


class Subprocess(_Base):
    """A JSON Lines implementation run as one long-lived subprocess (see the module docstring)."""

    def __init__(
        self,
        command: str,
        timeout: float,
        cwd: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
        *,
        startup_timeout: float = 0.0,
    ) -> None:
        super().__init__(timeout)
        self.argv = shlex.split(command)
        if not self.argv:
            raise ValueError("the implementation command is empty")
        self.command = command
        self.cwd = None if cwd is None else os.fspath(cwd)
        self.env = env
        self.startup_timeout = float(startup_timeout)
        self.label = f"subprocess `{command}`"
        self.restarts = 0  # processes started after the first one (for reports and tests)
        self._process: _Process | None = None
        self._started = 0

    def __repr__(self) -> str:
        return f"Subprocess({self.command!r}, timeout={self.timeout})"

    @property
    def pid(self) -> int | None:
        """The running child's pid, or None when no process is running."""
        return None if self._process is None else self._process.pid

    def close(self) -> None:
        with self._lock:
            if self._process is not None:
                self._process.close(_CLOSE_GRACE)
                self._process = None

    def __del__(self) -> None:
        # Last resort for a forgotten close(): never leave a child behind.
        process = getattr(self, "_process", None)
        if process is not None:
            with contextlib.suppress(Exception):
                process.kill()

    def _start(self) -> _Process | str:
        try:
            process = _Process(self.argv, self.cwd, self.env)
        except (OSError, ValueError, subprocess.SubprocessError) as error:
            return f"cannot start the implementation ({self.command}): {error}"
        if self._started:
            self.restarts += 1
        self._started += 1
        self._process = process
        return process

    def _fail(self, process: _Process, text: str) -> Answer:
        """Kill the process, quote its stderr, and make the next request start a fresh one."""
        process.kill()
        self._process = None
        return Answer(None, f"{text}; {process.stderr_tail(wait=1.0)}")

    def _exchange(self, req: dict[str, Any], wire_id: str, line: bytes) -> Answer:
        what = f"request {wire_id} (op {_op_of(req)})"
        process = self._process
        fresh = process is None
        if process is None:
            started = self._start()
            if isinstance(started, str):
                return Answer(None, started)
            process = started
        allowance = self.timeout + (self.startup_timeout if fresh else 0.0)
        deadline = time.monotonic() + allowance
        restart = "process killed, restarted for the next request"

        # Anything already waiting on stdout before this request is sent is unsolicited.
        stray = self._stray_before(process)
        if stray is not None:
            return stray
        process.requests += 1
        problem = process.write(line, deadline)
        if problem == "timeout":
            text = f"no response within {allowance:g} s: {what} was not read ({restart})"
            return self._fail(process, text)
        if problem == "closed":
            return self._crashed(process, what)
        while True:
            remaining = deadline - time.monotonic()
            event: _Event | None = None
            if remaining > 0:
                with contextlib.suppress(queue.Empty):
                    event = process.lines.get(timeout=remaining)
            if event is None:
                since = " of starting the process" if fresh else ""
                text = f"no response within {allowance:g} s{since} to {what} ({restart})"
                return self._fail(process, text)
            if isinstance(event, _Eof):
                return self._crashed(process, what, event.partial)
            if isinstance(event, _Overlong):
                shown = _snippet_bytes(event.head)
                text = (
                    f"response line to {what} exceeds {MAX_LINE_BYTES} bytes: {shown} ({restart})"
                )
                return self._fail(process, text)
            if not event.strip():
                continue  # blank lines are allowed, and ignored, by the protocol
            answer = self._decode(event, wire_id, req, what)
            if answer.failure is not None:
                # Garbage or an id out of step: nothing later on this stream can be trusted.
                return self._fail(process, f"{answer.failure} ({restart})")
            process.last_answered = wire_id
            return answer

    def _stray_before(self, process: _Process) -> Answer | None:
        if process.last_answered is None:
            after = "before its first request"
        else:
            after = f"after its answer to request {process.last_answered}"
        while True:
            try:
                event = process.lines.get_nowait()
            except queue.Empty:
                return None
            if isinstance(event, bytes) and not event.strip():
                continue
            if isinstance(event, _Eof):
                code = process.finish(_CRASH_GRACE)
                text = f"implementation exited ({_describe_exit(code)}) {after}"
                if event.partial:
                    text += f", leaving unterminated output {_snippet_bytes(event.partial)}"
                return self._fail(process, f"{text} (restarted for the next request)")
            shown = _snippet_bytes(event.head if isinstance(event, _Overlong) else event)
            text = f"implementation wrote an extra line {after}: {shown}"
            return self._fail(process, f"{text} (process killed, restarted for the next request)")

    def _crashed(self, process: _Process, what: str, partial: bytes = b"") -> Answer:
        code = process.finish(_CRASH_GRACE)
        if not process.exited_by_itself:
            text = f"implementation closed its stdout on {what} (and was killed)"
        elif code == 0:
            text = f"implementation exited (exit code 0) on {what}"
        else:
            text = f"implementation crashed ({_describe_exit(code)}) on {what}"
        if partial:
            text += f", leaving unterminated output {_snippet_bytes(partial)}"
        return self._fail(process, f"{text} (restarted for the next request)")

    def _decode(self, line: bytes, wire_id: str, req: Mapping[str, Any], what: str) -> Answer:
        try:
            value = _strict_loads(line.decode("utf-8"))
        except UnicodeDecodeError as error:
            where = f"{error.reason} at byte {error.start}"
            text = f"response line to {what} is not valid UTF-8 ({where}): {_snippet_bytes(line)}"
            return Answer(None, text)
        except ValueError as error:
            text = f"response line to {what} is not a JSON object ({error}): {_snippet_bytes(line)}"
            return Answer(None, text)
        return _check_response(value, wire_id, req)


# --- load ---------------------------------------------------------------------------------------


def load(impl: str | None, cmd: str | None, timeout: float) -> Implementation:
    """Build the implementation a run is asked for.

    ``cmd`` (a command line) gives a :class:`Subprocess`; ``impl`` gives an :class:`InProcess`:
    ``"reference"`` is the kit's own Python reference (``reference.protocol.handle``), and
    ``"package.module:attr"`` (``attr`` may be dotted) any importable callable. Neither given means
    the reference. Raises ``ValueError`` for a bad specification, ``ImportError`` when the module
    cannot be imported.
    """
    if impl is not None and cmd is not None:
        raise ValueError("give an in-process implementation or a command, not both")
    if cmd is not None:
        return Subprocess(cmd, timeout)
    spec = "reference" if impl is None else impl
    if spec == "reference":
        spec = "reference.protocol:handle"
    module_name, colon, attr = spec.partition(":")
    if not colon or not module_name or not attr:
        raise ValueError(f"an in-process implementation is 'reference' or 'module:attr': {spec!r}")
    target: Any = importlib.import_module(module_name)
    for part in attr.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise ValueError(f"{module_name!r} has no attribute {attr!r}") from None
    if not callable(target):
        raise ValueError(f"{spec!r} is not callable")
    return InProcess(target, timeout, label=f"in-process {spec}")
