"""Crash safety of the kpod.json write: SIGKILL at random instants, and concurrent writers.

A writer child (forked, so no interpreter start-up per kill) saves state after state into
``kpod.json`` in a loop, recording in shared memory the sequence number of the save it starts and
of the last one that returned. The parent kills it with SIGKILL after a random delay, then checks
that ``kpod.json`` is byte for byte one complete state, and that it is the last completed one
("old") or the one being written ("new"), with mode 0600. Payloads are large enough (up to
256 KiB) that kills land inside write(), fsync() and rename() alike.
"""

from __future__ import annotations

import mmap
import os
import random
import signal
import stat
import struct
import time
from pathlib import Path

import pytest

from reference.store.fs import Dir

KILLS = 1000
_BLOCK = bytes(random.Random(7).choice(b"0123456789abcdef") for _ in range(300_000))


def payload(seq: int, writer: int = 0) -> bytes:
    """A complete, self-identifying state: its size varies from 1 KiB to 257 KiB."""
    size = 1024 + (seq * 7919 + writer * 104729) % (256 * 1024)
    return b'{"writer":%d,"seq":%d,"pad":"%s"}' % (writer, seq, _BLOCK[:size])


def identify(data: bytes) -> tuple[int, int]:
    head = data[:64].split(b",")
    writer = int(head[0].split(b":")[1])
    seq = int(head[1].split(b":")[1])
    return writer, seq


def _writer_loop(directory: Path, shared: mmap.mmap, first: int, writer: int = 0) -> None:
    """The child: save forever (until killed)."""
    d = Dir.open_root(str(directory))
    seq = first
    while True:
        seq += 1
        struct.pack_into("<q", shared, 0, seq)  # started
        d.write_atomic("kpod.json", payload(seq, writer))
        struct.pack_into("<q", shared, 8, seq)  # completed


def _fork(target_dir: Path, shared: mmap.mmap, first: int, writer: int = 0) -> int:
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        try:
            _writer_loop(target_dir, shared, first, writer)
        finally:
            os._exit(0)
    return pid


def test_sigkill_at_random_points_leaves_old_or_new_complete_state(tmp_path: Path) -> None:
    userdata = tmp_path / "userdata"
    userdata.mkdir(mode=0o700)
    with Dir.open_root(str(userdata)) as d:
        # Calibrate: kills are spread over about three saves' time (two fsyncs each), so they
        # land before, inside and after saves whatever the disk's speed and the machine's load.
        durations = []
        for i in range(20):
            t = time.monotonic()
            d.write_atomic("kpod.json", payload(i))
            durations.append(time.monotonic() - t)
        d.write_atomic("kpod.json", payload(0))
    # A forked child needs about a millisecond before its first save starts. The span is
    # capped so that a loaded machine (slow fsync) keeps the test's wall time reasonable.
    median = sorted(durations)[len(durations) // 2]
    span = min(3 * median + 0.002, 0.010)
    shared = mmap.mmap(-1, 16)
    struct.pack_into("<qq", shared, 0, 0, 0)
    rng = random.Random(20170831)
    kills = during_save = leftovers = 0
    outcomes = {"old": 0, "new": 0}
    on_disk = 0  # the state kpod.json holds
    first = 0  # sequence numbers stay unique across children
    start = time.monotonic()
    while kills < KILLS:
        struct.pack_into("<qq", shared, 0, on_disk, on_disk)
        pid = _fork(userdata, shared, first)
        time.sleep(rng.uniform(0, span))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status)
        assert os.WTERMSIG(status) == signal.SIGKILL
        kills += 1
        started, completed = struct.unpack_from("<qq", shared, 0)
        if started != completed:
            during_save += 1
        data = (userdata / "kpod.json").read_bytes()
        writer, seq = identify(data)
        assert data == payload(seq, writer), f"kill {kills}: a partial or mixed state"
        assert seq in (completed, started), f"kill {kills}: neither the old nor the new state"
        assert seq >= on_disk, "an older state came back"
        outcomes["new" if seq == started and started != completed else "old"] += 1
        mode = stat.S_IMODE((userdata / "kpod.json").stat().st_mode)
        assert mode == 0o600
        # Temporary files of killed writers are garbage (as with Go's AtomicWriteFile).
        for p in userdata.iterdir():
            if p.name != "kpod.json":
                assert p.name.startswith(".tmp-kpod.json")
                leftovers += 1
                p.unlink()
        on_disk = seq
        first = max(first, started)
    elapsed = time.monotonic() - start
    print(
        f"\n{kills} SIGKILLs in {elapsed:.1f}s (delays up to {span * 1000:.1f} ms); "
        f"{during_save} inside a save; "
        f"file afterwards: {outcomes}; {leftovers} temporary files left by killed writers; "
        f"{first} saves started in all"
    )
    assert kills == KILLS
    # Kills landed inside saves, before the rename (old) and, unless fsync is so slow here
    # that the capped delays rarely reach it, after the rename (new).
    assert during_save > 0
    assert outcomes["old"] > 0
    if median < 0.003:
        assert outcomes["new"] > 0


def test_concurrent_writers_never_interleave(tmp_path: Path) -> None:
    userdata = tmp_path / "userdata"
    userdata.mkdir(mode=0o700)
    with Dir.open_root(str(userdata)) as d:
        d.write_atomic("kpod.json", payload(0))
    shares = [mmap.mmap(-1, 16) for _ in range(3)]
    pids = [_fork(userdata, shares[w], 0, w + 1) for w in range(3)]
    reads = 0
    seen: set[int] = set()
    try:
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            data = (userdata / "kpod.json").read_bytes()
            writer, seq = identify(data)
            assert data == payload(seq, writer), "a reader saw a mixed state"
            seen.add(writer)
            reads += 1
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    data = (userdata / "kpod.json").read_bytes()
    writer, seq = identify(data)
    assert data == payload(seq, writer)
    completed = [struct.unpack_from("<qq", s, 0) for s in shares]
    print(f"\n{reads} reads, writers seen {sorted(seen)}, saves per writer {completed}")
    assert all(c[1] > 0 for c in completed), "every writer completed saves"
    assert len(seen - {0}) >= 2, "the reader should see several writers' states"


@pytest.mark.parametrize("delay", [0.0, 0.0005, 0.002])
def test_kill_before_the_first_save_keeps_the_old_state(tmp_path: Path, delay: float) -> None:
    userdata = tmp_path / "u"
    userdata.mkdir()
    (userdata / "kpod.json").write_bytes(payload(5))
    shared = mmap.mmap(-1, 16)
    struct.pack_into("<qq", shared, 0, 5, 5)
    pid = _fork(userdata, shared, 5)
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    started, completed = struct.unpack_from("<qq", shared, 0)
    data = (userdata / "kpod.json").read_bytes()
    _, seq = identify(data)
    assert data == payload(seq)
    assert seq in (started, completed)
