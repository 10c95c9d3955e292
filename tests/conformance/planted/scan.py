"""Find the first bundled case that catches a planted fault, the way the kit would judge it.

Cases come from ``conformance.cases.bundled_cases()``, expected answers from the snapshot files
(``conformance.snapshots.read``), answers from the fault's handle loaded and called the way the
plugin does (``conformance.implementations.load`` -> ``InProcess``: JSON copies of request and
response, the kit's wire ids), verdicts from ``conformance.levels.compare`` at the fault's level.

Cases tagged with the fault's rule are tried first (in the kit's order), then all the others: a
fault that only other cases catch is still caught, and the README says so. A failing case counts
only if the unpatched reference passes it, so a stale snapshot can never pass for a catch.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from typing import Any

from conformance import implementations, levels, snapshots
from conformance.cases import Case, bundled_cases

from . import faults

#: Generous: the in-process timeout is checked after the call and must never be what fails.
TIMEOUT = 300.0

Expected = Callable[[str, str], "dict[str, Any] | None"]


@dataclasses.dataclass(frozen=True)
class Catch:
    """The first case that catches a fault."""

    fault: str
    case: str
    op: str
    source: str
    by_rule: bool  # the case is tagged with the fault's rule
    level: str | None  # the level the faulty answer still reached
    difference: str | None
    scanned: int  # cases compared until this one (itself included)
    seconds: float


@dataclasses.dataclass(frozen=True)
class Miss:
    """No bundled case catches the fault."""

    fault: str
    scanned: int
    without_snapshot: int
    seconds: float


class BrokenFault(AssertionError):
    """The fault's handle crashed or answered an internal error: a bug of the patch, which must
    not pass for a catch."""


def ordered(cases: Sequence[Case], rule: str) -> list[Case]:
    """The fault's own rule's cases first, then the rest; each group in the kit's order."""
    return [c for c in cases if rule in c.rules] + [c for c in cases if rule not in c.rules]


def spec(fault: faults.Fault) -> str:
    """The ``--copydata-impl`` value of a fault (this module's package, wherever imported)."""
    return f"{faults.__name__}:{fault.id}"


def _internal_error(response: dict[str, Any]) -> bool:
    error = response.get("error")
    return isinstance(error, str) and error.startswith("internal error")


def find_catch(
    fault: faults.Fault,
    cases: Sequence[Case] | None = None,
    expected: Expected = snapshots.read,
    implementation: implementations.Implementation | None = None,
) -> Catch | Miss:
    """The first case whose answer, from `implementation` (default: the fault's handle, loaded
    by its ``--copydata-impl`` name), stays below the fault's level; Miss when there is none."""
    started = time.monotonic()
    cases = bundled_cases() if cases is None else cases
    if implementation is None:
        faulty = implementations.load(spec(fault), None, TIMEOUT)
    else:
        faulty = implementation
    reference = implementations.load("reference", None, TIMEOUT)
    scanned = missing = 0
    try:
        for case in ordered(cases, fault.rule):
            want = expected(case.op, case.id)
            if want is None:
                missing += 1
                continue
            scanned += 1
            answer = faulty.request(case.request)
            if answer.response is None:
                raise BrokenFault(f"{fault.id} on {case.id}: no answer: {answer.failure}")
            if _internal_error(answer.response) or (
                answer.response.get("stage") == "request" and want.get("stage") != "request"
            ):
                # a crash of the patch, or a patch that breaks the protocol's own request
                # decoding (which goes through gojson too): not the fault under test
                raise BrokenFault(f"{fault.id} on {case.id}: {answer.response.get('error')}")
            comparison = levels.compare(want, answer.response)
            if comparison.at_least(fault.level):
                continue
            control = reference.request(case.request).response
            if control is None or not levels.compare(want, control).at_least(fault.level):
                continue  # the reference fails it too: a stale snapshot, not this fault
            return Catch(
                fault.id,
                case.id,
                case.op,
                case.source,
                fault.rule in case.rules,
                comparison.level,
                comparison.difference,
                scanned,
                time.monotonic() - started,
            )
    finally:
        faulty.close()
        reference.close()
    return Miss(fault.id, scanned, missing, time.monotonic() - started)
