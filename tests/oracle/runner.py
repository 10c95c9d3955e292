"""Stream JSON Lines requests through one long-lived implementation process.

All requests are written by a writer thread while the answers are read as they come, so neither
side can block on a full pipe. Each answer has a time limit: a process that hangs on a request is
killed, as is one that dies; the request it was working on is recorded as unanswered and a fresh
process carries on from the next one (at most `max_restarts` times).
"""

from __future__ import annotations

import contextlib
import os
import queue
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
ORACLE_RUN = ROOT.parent / "shared" / "oracle" / "run.sh"


class Unavailable(Exception):
    """The implementation cannot be run here (the message says why)."""


def oracle_command(run_sh: Path = ORACLE_RUN, build_timeout: float = 900.0) -> list[str]:
    """The oracle binary (built by ``run.sh --build-only`` if needed), run directly so that the
    script's start-up is not timed."""
    if not run_sh.exists():
        raise Unavailable(f"{run_sh} is absent: the Go oracle is not available")
    try:
        built = subprocess.run(
            [str(run_sh), "--build-only"], capture_output=True, timeout=build_timeout, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Unavailable(f"the Go oracle cannot be built: {exc}") from exc
    lines = built.stdout.decode(errors="replace").strip().splitlines()
    if built.returncode != 0 or not lines or not Path(lines[-1]).is_file():
        tail = built.stderr.decode(errors="replace")[-2000:]
        raise Unavailable(f"the Go oracle cannot be built (exit {built.returncode}): {tail}")
    return [lines[-1]]


def reference_command() -> list[str]:
    """How to start the reference: $COPYDATA_REFERENCE_CMD (for other implementations), else
    ``python -m reference`` of this interpreter, run from the repository root."""
    override = os.environ.get("COPYDATA_REFERENCE_CMD")
    if override:
        return shlex.split(override)
    return [sys.executable, "-m", "reference"]


@dataclass
class StreamResult:
    answers: list[bytes | None]  # one per request, newline stripped; None = no answer
    failures: dict[int, str] = field(default_factory=dict)  # request index -> what happened
    seconds: float = 0.0  # wall clock, process start-ups included
    peak_rss_kib: int = 0  # the largest VmHWM of the processes started
    starts: int = 0

    @property
    def answered(self) -> int:
        return sum(a is not None for a in self.answers)


def _write_all(stdin: IO[bytes], lines: Sequence[bytes]) -> None:
    # stdin stays open: the main thread closes it once every answer is in (and the peak RSS
    # read), so that the process cannot exit before it is measured.
    try:
        chunk: list[bytes] = []
        for line in lines:
            chunk.append(line)
            chunk.append(b"\n")
            if len(chunk) >= 512:
                stdin.write(b"".join(chunk))
                chunk.clear()
        stdin.write(b"".join(chunk))
        stdin.flush()
    except (BrokenPipeError, OSError, ValueError):
        pass  # the process died: the reader side notices and reports it


def _close(stdin: IO[bytes]) -> None:
    with contextlib.suppress(BrokenPipeError, OSError):
        stdin.close()


def _peak_rss_kib(pid: int) -> int:
    """VmHWM, the high-water mark of the process's own memory. (wait4's ru_maxrss is no good
    here: a child started with vfork inherits the parent's high-water mark.)"""
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _read_all(stdout: IO[bytes], out: queue.Queue[bytes]) -> None:
    for line in iter(stdout.readline, b""):
        out.put(line)
    out.put(b"")  # end of output


def _reap(proc: subprocess.Popen[bytes], grace: float = 30.0) -> int:
    """Wait for the process, killing it if it outlives its closed stdin by `grace` seconds."""
    try:
        return proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


def _run_once(
    cmd: Sequence[str],
    lines: Sequence[bytes],
    deadline: float,
    answer_timeout: float,
    cwd: Path | None,
) -> tuple[list[bytes], str, int]:
    """Start the process and stream `lines`; the answers got before it stopped, why it
    stopped early ("" when all were answered), and its peak RSS (KiB)."""
    with tempfile.TemporaryFile() as stderr:
        try:
            proc = subprocess.Popen(
                list(cmd), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, cwd=cwd
            )
        except OSError as exc:
            raise Unavailable(f"cannot start {shlex.join(cmd)}: {exc}") from exc
        assert proc.stdin is not None
        assert proc.stdout is not None
        answers: queue.Queue[bytes] = queue.Queue()
        writer = threading.Thread(target=_write_all, args=(proc.stdin, lines), daemon=True)
        reader = threading.Thread(target=_read_all, args=(proc.stdout, answers), daemon=True)
        writer.start()
        reader.start()
        got: list[bytes] = []
        why = ""
        while len(got) < len(lines):
            wait = min(answer_timeout, deadline - time.monotonic())
            try:
                line = answers.get(timeout=max(wait, 0.0))
            except queue.Empty:
                why = f"no answer within {answer_timeout:.0f} s" if wait > 0 else "run timed out"
                break
            if not line:
                why = "the process exited"
                break
            got.append(line.rstrip(b"\n"))
        rss = _peak_rss_kib(proc.pid)
        if why:
            proc.kill()
        else:
            writer.join()
        _close(proc.stdin)
        code = _reap(proc)
        writer.join(timeout=5)
        reader.join(timeout=5)
        proc.stdout.close()
        extra = 0
        while not answers.empty():
            extra += bool(answers.get_nowait())
        if extra and not why:
            why = f"{extra} lines more than requests"
        if why:
            stderr.seek(0)
            tail = stderr.read()[-1500:].decode(errors="replace")
            why = f"{why} (exit {code}); stderr: {tail.strip() or '(empty)'}"
        return got, why, rss


def stream(
    cmd: Sequence[str],
    lines: Sequence[bytes],
    *,
    timeout: float = 900.0,
    answer_timeout: float = 60.0,
    cwd: Path | None = ROOT,
    max_restarts: int = 20,
) -> StreamResult:
    """Answers of `cmd` to `lines` (request lines without newlines), in order."""
    result = StreamResult(answers=[None] * len(lines))
    started = time.monotonic()
    deadline = started + timeout
    index = 0
    while index < len(lines):
        if result.starts > max_restarts or time.monotonic() >= deadline:
            result.failures[index] = f"gave up after {result.starts} starts: the rest unanswered"
            break
        result.starts += 1
        got, why, rss = _run_once(cmd, lines[index:], deadline, answer_timeout, cwd)
        result.peak_rss_kib = max(result.peak_rss_kib, rss)
        result.answers[index : index + len(got)] = got
        index += len(got)
        if why and index < len(lines):
            # The request being worked on is lost; go on with the next one.
            result.failures[index] = why
            index += 1
        elif why:
            result.failures[len(lines) - 1] = why
    result.seconds = time.monotonic() - started
    return result
