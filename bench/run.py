"""Throughput of the reference against the Go oracle, measured in the same run.

One request file (the differential suite's generated requests, written to bench/out/) is streamed
through the oracle binary and through ``copydata-reference`` as long-lived subprocesses, start-up
included for both; the reference's in-process paths (``reference.protocol.handle`` on parsed
requests, and ``handle_line`` on raw lines when it exists) are timed separately. Printed: requests
per second, the ratio reference / oracle, and each subprocess's peak RSS (wait4 rusage). The
figures also go to bench/out/bench-<time>.json and bench/out/latest.json. Nothing here asserts a
timing: machines are shared and noisy.

    python bench/run.py                 # all generated requests (~30,000)
    python bench/run.py --limit 5000    # fewer
    python bench/run.py --repeat 3      # best of 3 for each measurement
    python bench/run.py --profile       # cProfile of the in-process path: top 25 functions
    python bench/run.py --by-op         # also the ratio of each op's requests, streamed alone
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import importlib
import json
import os
import platform
import pstats
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.oracle import requestgen, runner  # noqa: E402

OUT = ROOT / "bench" / "out"
Handler = Callable[[dict[str, Any]], dict[str, Any]]
LineHandler = Callable[[bytes], bytes]


def reference_subprocess() -> list[str]:
    """The console script when installed (as users run it), else ``python -m reference``."""
    beside = Path(sys.executable).with_name("copydata-reference")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("copydata-reference")
    return [found] if found else [sys.executable, "-m", "reference"]


def request_lines(args: argparse.Namespace) -> list[bytes]:
    if args.requests:
        lines = [line for line in args.requests.read_bytes().splitlines() if line.strip()]
    else:
        lines = [requestgen.encode_request(r) for r in requestgen.requests(seed=args.seed)]
    return lines[: args.limit] if args.limit else lines


def time_subprocess(cmd: Sequence[str], lines: Sequence[bytes]) -> dict[str, Any]:
    result = runner.stream(cmd, lines, timeout=3600, answer_timeout=120, max_restarts=0)
    return {
        "seconds": result.seconds,
        "answered": result.answered,
        "peak_rss_kib": result.peak_rss_kib,
        "failures": len(result.failures),
        "answers": result.answers,
    }


def time_calls(call: Callable[[Any], Any], items: Sequence[Any]) -> float:
    started = time.perf_counter()
    for item in items:
        call(item)
    return time.perf_counter() - started


def op_of(request: Any) -> str:
    """The op a request line names ("?" for lines that are not a request object)."""
    op = request.get("op") if isinstance(request, dict) else None
    return op if isinstance(op, str) else "?"


def by_op(
    lines: Sequence[bytes],
    requests: Sequence[Any],
    commands: dict[str, list[str]],
    repeat: int,
) -> list[dict[str, Any]]:
    """Each op's requests streamed alone through both subprocesses (start-up included, as in
    the whole run): where the reference is furthest behind."""
    groups: dict[str, list[bytes]] = {}
    for line, request in zip(lines, requests, strict=True):
        groups.setdefault(op_of(request), []).append(line)
    rows = []
    for op, group in sorted(groups.items(), key=lambda item: -len(item[1])):
        if len(group) < 100:
            continue  # too few to time: start-up would be all there is to see
        seconds = {
            name: best([time_subprocess(cmd, group)["seconds"] for _ in range(repeat)])
            for name, cmd in commands.items()
        }
        rows.append({"op": op, "requests": len(group), "seconds": seconds})
    return rows


def reference_handlers() -> tuple[Handler, LineHandler | None]:
    protocol = importlib.import_module("reference.protocol")
    handle: Handler = protocol.handle
    handle_line: LineHandler | None = getattr(protocol, "handle_line", None)
    return handle, handle_line


def profile(requests: list[dict[str, Any]], sort: str, top: int) -> None:
    handle, _ = reference_handlers()
    gc.collect()
    gc.freeze()  # as in main(): the parsed requests are not the reference's garbage
    profiler = cProfile.Profile()
    profiler.enable()
    for request in requests:
        handle(request)
    profiler.disable()
    OUT.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(OUT / "profile.prof")
    print(f"cProfile of reference.protocol.handle over {len(requests)} requests, by {sort}")
    print(f"(full data: {OUT / 'profile.prof'}; e.g. python -m pstats {OUT / 'profile.prof'})")
    pstats.Stats(profiler).strip_dirs().sort_stats(sort).print_stats(top)


def best(values: list[float]) -> float:
    return min(values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=Path, help="a JSON Lines request file to use instead")
    parser.add_argument("--seed", type=int, default=requestgen.DEFAULT_SEED)
    parser.add_argument("--limit", type=int, default=0, help="use only the first N requests")
    parser.add_argument("--repeat", type=int, default=1, help="best of N for each measurement")
    parser.add_argument("--profile", action="store_true", help="cProfile the in-process path")
    parser.add_argument(
        "--by-op", action="store_true", help="also time each op's requests alone (subprocesses)"
    )
    parser.add_argument("--sort", default="tottime", help="pstats sort key (with --profile)")
    parser.add_argument("--top", type=int, default=25, help="functions shown (with --profile)")
    args = parser.parse_args(argv)

    lines = request_lines(args)
    requests = [json.loads(line) for line in lines]
    if args.profile:
        profile(requests, args.sort, args.top)
        return 0

    OUT.mkdir(parents=True, exist_ok=True)
    request_file = OUT / "requests.jsonl"
    request_file.write_bytes(b"".join(line + b"\n" for line in lines))
    try:
        oracle_cmd = runner.oracle_command()
    except runner.Unavailable as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    reference_cmd = reference_subprocess()
    handle, handle_line = reference_handlers()

    runs: dict[str, list[float]] = {"oracle": [], "reference": [], "handle": [], "handle_line": []}
    rss: dict[str, int] = {"oracle": 0, "reference": 0}
    identical = 0
    for _ in range(max(1, args.repeat)):
        # Alternate the contenders so that a slow spell of the machine hits both.
        answers: dict[str, list[bytes | None]] = {}
        for name, cmd in (("oracle", oracle_cmd), ("reference", reference_cmd)):
            measured = time_subprocess(cmd, lines)
            if measured["failures"]:
                print(
                    f"bench: {name} left {measured['failures']} requests unanswered",
                    file=sys.stderr,
                )
            runs[name].append(measured["seconds"])
            rss[name] = max(rss[name], measured["peak_rss_kib"])
            answers[name] = measured["answers"]
        identical = sum(
            a == b for a, b in zip(answers["oracle"], answers["reference"], strict=True)
        )
        del answers, measured
        # The bench's own heap (all requests, parsed) must not slow the in-process path down:
        # the garbage collector would scan it again and again. Freeze it, as in a fresh process.
        gc.collect()
        gc.freeze()
        runs["handle"].append(time_calls(handle, requests))
        if handle_line is not None:
            runs["handle_line"].append(time_calls(handle_line, lines))
        gc.unfreeze()

    n = len(lines)
    rate = {name: n / best(times) for name, times in runs.items() if times}
    rows = [
        ("oracle (Go, subprocess)", "oracle", rss["oracle"]),
        ("reference (subprocess)", "reference", rss["reference"]),
        ("reference handle()", "handle", None),
        ("reference handle_line()", "handle_line", None),
    ]
    print(f"{n} requests from {request_file}; best of {max(1, args.repeat)}")
    print(f"{'':<26}{'seconds':>9}{'req/s':>10}{'vs oracle':>11}{'peak RSS':>11}")
    for label, key, peak in rows:
        if key not in rate:
            continue
        ratio = rate[key] / rate["oracle"]
        peak_text = f"{peak / 1024:.0f} MiB" if peak else "-"
        print(f"{label:<26}{best(runs[key]):>9.2f}{rate[key]:>10.0f}{ratio:>10.3f}x{peak_text:>11}")
    ratio = rate["reference"] / rate["oracle"]
    print(f"throughput ratio reference / oracle (subprocess): {ratio:.3f}")
    print(f"identical answer lines: {identical}/{n}")
    per_op: list[dict[str, Any]] = []
    if args.by_op:
        commands = {"oracle": oracle_cmd, "reference": reference_cmd}
        per_op = by_op(lines, requests, commands, max(1, args.repeat))
        print(f"{'op, streamed alone':<26}{'requests':>9}{'oracle s':>10}{'ref. s':>9}{'ratio':>8}")
        for row in per_op:
            go, py = row["seconds"]["oracle"], row["seconds"]["reference"]
            print(f"{row['op']:<26}{row['requests']:>9}{go:>10.2f}{py:>9.2f}{go / py:>8.3f}")

    stamp = time.strftime("%Y%m%d-%H%M%S")
    record = {
        "when": stamp,
        "requests": n,
        "request_file": str(request_file),
        "repeat": max(1, args.repeat),
        "seconds": {k: v for k, v in runs.items() if v},
        "median_seconds": {k: statistics.median(v) for k, v in runs.items() if v},
        "requests_per_second": rate,
        "ratio_reference_to_oracle": rate["reference"] / rate["oracle"],
        "ratio_handle_to_oracle": rate["handle"] / rate["oracle"],
        "peak_rss_kib": rss,
        "by_op": per_op,
        "identical_answer_lines": identical,
        "commands": {"oracle": oracle_cmd, "reference": reference_cmd},
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
    }
    for name in (f"bench-{stamp}.json", "latest.json"):
        (OUT / name).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"written: {OUT / f'bench-{stamp}.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
