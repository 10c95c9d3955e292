"""In-process fakes: callables ``handle(request) -> dict`` misbehaving in one way each."""

from __future__ import annotations

import time
from typing import Any


def echo(request: dict[str, Any]) -> dict[str, Any]:
    if request.get("op") == "describe":
        implementation = {
            "name": "fake-echo",
            "version": "1",
            "language": "python",
            "ops": ["open"],
        }
        return {
            "id": request.get("id"),
            "op": "describe",
            "ok": True,
            "error": None,
            "panic": None,
            "implementation": implementation,
        }
    return {
        "id": request.get("id"),
        "op": request.get("op"),
        "ok": True,
        "error": None,
        "panic": None,
        "seen": request,
    }


def raising(request: dict[str, Any]) -> dict[str, Any]:
    raise KeyError("config")


def exiting(request: dict[str, Any]) -> dict[str, Any]:
    raise SystemExit(4)


def not_a_dict(request: dict[str, Any]) -> Any:
    return ["a", "list"]


def not_json(request: dict[str, Any]) -> dict[str, Any]:
    return {"id": request.get("id"), "ok": True, "blob": b"bytes"}


def wrong_id(request: dict[str, Any]) -> dict[str, Any]:
    return {"id": "fake", "op": request.get("op"), "ok": True, "error": None, "panic": None}


def mutating(request: dict[str, Any]) -> dict[str, Any]:
    request["op"] = "mutated"
    request.clear()
    return {"id": None, "ok": True}


def slow(request: dict[str, Any]) -> dict[str, Any]:
    time.sleep(0.3)
    return echo(request)


class Namespace:
    class Inner:
        @staticmethod
        def handle(request: dict[str, Any]) -> dict[str, Any]:
            return echo(request)


not_callable = 42
