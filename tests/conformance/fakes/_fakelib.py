"""The loop shared by the fake implementations in this folder (test doubles for the runner).

Each fake is a small script speaking the protocol of ``spec/PROTOCOL.md`` over JSON Lines that
misbehaves in one way, on the ``--at``-th request line this process receives (1-based; a restarted
process counts from 1 again). Until then it answers like a well-behaved implementation: describe
properly, every other op with a canned ``ok`` response, or with the reference's answer when given
``--reference`` (then the repository root must be importable: it is put on ``sys.path``).

Standard library only; never imports the kit.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from typing import Any

OPS = [
    "import_image",
    "import_container",
    "open",
    "make_oci",
    "make_docker_v2s2",
    "make_docker_v2s1",
    "make_image_ref",
    "roundtrip",
]
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

Message = dict[str, Any]
# behaviour(n, request, answer) -> True when it took care of the request itself
Behaviour = Callable[[int, Message, Message], bool]


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--at", type=int, default=2, help="misbehave on this request line (1-based)")
    p.add_argument("--reference", action="store_true", help="answer with the reference")
    p.add_argument("--name", default=os.path.basename(sys.argv[0]).removesuffix(".py"))
    p.add_argument("--stderr-bytes", type=int, default=0, help="diagnostics per request on stderr")
    return p


def write(data: bytes) -> None:
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def write_json(value: Any) -> None:
    write(json.dumps(value, separators=(",", ":")).encode() + b"\n")


def log(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def answer_for(request: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    if request.get("op") == "describe":
        return {
            "id": request.get("id"),
            "op": "describe",
            "ok": True,
            "error": None,
            "panic": None,
            "implementation": {
                "name": args.name,
                "version": "0.0.0",
                "language": "python",
                "ops": OPS,
            },
        }
    if args.reference:
        if REPO not in sys.path:
            sys.path.insert(0, REPO)
        from reference.protocol import handle  # type: ignore[import-not-found,unused-ignore]

        return dict(handle(request))
    return {
        "id": request.get("id"),
        "op": request.get("op"),
        "ok": True,
        "error": None,
        "panic": None,
    }


def serve(args: argparse.Namespace, behaviour: Behaviour | None = None) -> None:
    """Answer requests until EOF; ``behaviour`` may take over any request."""
    n = 0
    for raw in sys.stdin.buffer:
        if not raw.strip():
            continue
        n += 1
        if args.stderr_bytes:
            log(f"request {n}: " + "x" * args.stderr_bytes)
        try:
            request = json.loads(raw)
        except ValueError:
            request = {"id": None, "op": ""}
        answer = answer_for(request, args)
        if behaviour is not None and behaviour(n, request, answer):
            continue
        write_json(answer)
