"""Test support for the plugin's pytester suite (imported by the sandboxes' conftest too).

The sandboxes run the kit on a small, fixed set of cases: the hand-made requests of the oracle's
README (one or two per op, with an error and a panic), whose answers the Go oracle gave
(``oracle_answers.json``). The kit's own fixtures are not used: a sandbox has its own fixtures
folder, so ``--snapshot-update`` writes there and nowhere else.

Where a module of the kit written in parallel is not there yet, a small stand-in takes its place
(the reference: a table of the oracle's answers; the report: plain JSON Lines). The stand-ins
live here only, never in the package.
"""

from __future__ import annotations

import base64
import dataclasses
import importlib
import json
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
ANSWERS = json.loads((HERE / "oracle_answers.json").read_text(encoding="utf-8"))


def _key(request: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in request.items() if k != "id"}, sort_keys=True)


_TABLE = {_key(item["request"]): item["response"] for item in ANSWERS["cases"]}


def standin_handle(request: dict[str, Any]) -> dict[str, Any]:
    """The oracle's answers to the small case set (a stand-in for reference.protocol.handle)."""
    if request.get("op") == "describe":
        response = dict(ANSWERS["describe"])
        response["implementation"] = dict(response["implementation"], name="stand-in reference")
    else:
        known = _TABLE.get(_key(request))
        response = (
            dict(known)
            if known is not None
            else {
                "id": None,
                "op": request.get("op"),
                "ok": False,
                "stage": "request",
                "error": "bad request: the stand-in reference knows the test cases only",
                "panic": None,
            }
        )
    response["id"] = request.get("id")
    return response


def has_module(name: str) -> bool:
    """Whether the module imports (a module written in parallel may exist but not import yet)."""
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


def reference_handle() -> Callable[[dict[str, Any]], dict[str, Any]]:
    if has_module("reference.protocol"):
        from reference.protocol import handle

        return handle
    return standin_handle


def case_requests() -> list[dict[str, Any]]:
    return [dict(item["request"]) for item in ANSWERS["cases"]]


def small_cases() -> list[Any]:
    from conformance.cases import Case, case_id

    return [
        Case(case_id(request), request["op"], request, f"oracle-readme/{number}", "hand-made", ())
        for number, request in enumerate(case_requests(), 1)
    ]


def b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


# -- stand-ins -----------------------------------------------------------------------------------


def _standin_report() -> types.ModuleType:
    module = types.ModuleType("conformance.report")

    @dataclasses.dataclass(frozen=True)
    class CaseResult:
        id: str
        op: str
        level: str | None
        outcome: str | None
        expected_outcome: str | None
        difference: str | None
        failure: str | None
        skipped_reason: str | None

    class Report:
        def __init__(self, path: Path) -> None:
            self.path = Path(path)
            self.results: list[CaseResult] = []

        def add(self, result: CaseResult) -> None:
            self.results.append(result)

        def finish(self, implementation: Any, kit_version: str, corpus: Any) -> None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            header = {"implementation": implementation, "kit_version": kit_version}
            lines = [json.dumps(header)] + [json.dumps(dataclasses.asdict(r)) for r in self.results]
            self.path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            self.path.with_suffix(".md").write_text("# stand-in report\n", encoding="utf-8")
            self.path.with_suffix(".html").write_text("<p>stand-in</p>\n", encoding="utf-8")

    module.CaseResult = CaseResult  # type: ignore[attr-defined]
    module.Report = Report  # type: ignore[attr-defined]
    return module


def _standin_schemas() -> types.ModuleType:
    module = types.ModuleType("conformance.schemas")

    def validate_request(request: dict[str, Any]) -> list[str]:
        return [] if isinstance(request.get("op"), str) else ["request: 'op' is required"]

    def validate_response(response: dict[str, Any]) -> list[str]:
        problems = []
        if not isinstance(response.get("ok"), bool):
            problems.append("response: 'ok' must be a boolean")
        if "op" not in response:
            problems.append("response: 'op' is required")
        return problems

    module.validate_request = validate_request  # type: ignore[attr-defined]
    module.validate_response = validate_response  # type: ignore[attr-defined]
    return module


def _standin_reference() -> types.ModuleType:
    module = types.ModuleType("reference.protocol")
    module.handle = standin_handle  # type: ignore[attr-defined]
    return module


_STANDINS: dict[str, Callable[[], types.ModuleType]] = {
    "reference.protocol": _standin_reference,
    "conformance.report": _standin_report,
    "conformance.schemas": _standin_schemas,
}


def _schemas_usable() -> bool:
    if not has_module("conformance.schemas"):
        return False
    module = importlib.import_module("conformance.schemas")
    return hasattr(module, "validate_request") and hasattr(module, "validate_response")


def activate(fixtures: Path) -> Callable[[], None]:
    """Point the kit at the sandbox's fixtures and the small cases; returns the undo."""
    import conformance.cases

    undo: list[Callable[[], None]] = []

    def patch(obj: Any, name: str, value: Any) -> None:
        old = getattr(obj, name)
        setattr(obj, name, value)
        undo.append(lambda: setattr(obj, name, old))

    cases = small_cases()
    patch(conformance.cases, "fixtures_root", lambda: fixtures)
    patch(conformance.cases, "bundled_cases", lambda: list(cases))
    for name, make in _STANDINS.items():
        missing = not _schemas_usable() if name == "conformance.schemas" else not has_module(name)
        if missing:
            module = make()
            previous = sys.modules.get(name)
            sys.modules[name] = module
            parent, _, child = name.rpartition(".")
            setattr(importlib.import_module(parent), child, module)

            def restore(name: str = name, previous: Any = previous) -> None:
                if previous is None:
                    sys.modules.pop(name, None)
                else:
                    sys.modules[name] = previous

            undo.append(restore)

    def undo_all() -> None:
        while undo:
            undo.pop()()

    return undo_all
