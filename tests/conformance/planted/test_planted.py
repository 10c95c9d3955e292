"""The kit must be able to fail: every planted fault makes the bundled suite fail.

For each fault of ``faults.FAULTS``, the bundled cases run in-process through the kit's own path
(``scan.find_catch``: bundled cases, snapshot files, ``levels.compare`` at the fault's level)
until one fails; cases tagged with the fault's rule go first, the rest only when needed. A fault
no case catches is a hole in the fixtures, or a seam that stopped working because the reference
changed (a new fast path): the failure message says which rule and where the fault is planted.
The README's planted-faults table must list exactly the cases found here, and a few end-to-end
runs of ``copydata-conformance`` show the CLI failing on them.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import reference.gojson as gojson_package
from conformance import implementations, levels
from conformance.cases import Case, bundled_cases, read_rules
from reference import convert, copydata, digest, gotime, model, protocol, refname
from reference.gojson import base64std, decode, encode, parse
from reference.gojson.types import StructType

from . import faults, readme, scan

ROOT = Path(__file__).resolve().parents[3]


@functools.cache
def _cases() -> tuple[Case, ...]:
    return tuple(bundled_cases())


@functools.cache
def catch_of(fault_id: str) -> scan.Catch | scan.Miss:
    """The first case that catches a fault (computed once per session)."""
    return scan.find_catch(faults.BY_ID[fault_id], _cases())


# --- the faults as data ---------------------------------------------------------------------


def test_faults_are_declared_once_with_a_known_rule() -> None:
    rules = {rule.rule for rule in read_rules()}
    ids = [fault.id for fault in faults.FAULTS]
    assert len(ids) == len(set(ids))
    for fault in faults.FAULTS:
        assert fault.id.isidentifier(), fault.id
        assert fault.rule in rules, f"{fault.id}: {fault.rule} is not in fixtures/RULES.tsv"
        assert fault.level in ("bytes", "errors"), fault.id
        assert fault.description, fault.id
        assert "\n" not in fault.description, fault.id
        assert fault.planted, fault.id


def test_exact_key_preference_is_unobservable_so_not_planted() -> None:
    """Go prefers an exact key to a folded one; that only matters for a struct with two fields
    whose names fold alike. If a type ever gets such a pair, plant a fault for it."""
    for name, value in vars(model).items():
        if isinstance(value, StructType):
            folded = [field.name.lower() for field in value.json_fields]
            assert len(folded) == len(set(folded)), f"{name}: plant an exact-match fault"


def test_every_fault_id_names_its_handle() -> None:
    for fault in faults.FAULTS:
        handle = getattr(faults, fault.id)
        assert handle is faults.handle_for(fault)
        assert handle.__name__ == fault.id
    with pytest.raises(AttributeError, match="no_such_fault"):
        _ = faults.no_such_fault


def test_describe_names_the_planted_fault() -> None:
    answer = faults.handle_for(faults.FAULTS[0])({"id": 1, "op": "describe"})
    assert answer["ok"] is True
    assert answer["implementation"]["name"].endswith(faults.FAULTS[0].id)
    assert (
        answer["implementation"]["ops"]
        == protocol.handle({"op": "describe"})["implementation"]["ops"]
    )


# --- planting and restoring -------------------------------------------------------------------

_MODULES = (
    gojson_package,
    decode,
    encode,
    parse,
    base64std,
    gotime,
    copydata,
    convert,
    digest,
    refname,
    protocol,
)


def _fingerprint() -> dict[str, Any]:
    """Everything a fault may patch: module globals, the patched classes' attributes, the
    struct types' field lists and the codec caches."""
    found: dict[str, Any] = {}
    for module in _MODULES:
        for name, value in vars(module).items():
            found[f"{module.__name__}.{name}"] = value
    for cls in (gotime.GoTime, decode._Ctx):
        for name, value in vars(cls).items():
            found[f"{cls.__qualname__}.{name}"] = value
    for name, value in vars(model).items():
        if isinstance(value, StructType):
            found[f"model.{name}.json_fields"] = value.json_fields
    for cache_name in ("decode._CACHE", "decode._RAW_KEYS", "encode._CACHE"):
        module_name, attr = cache_name.split(".")
        cache = getattr(decode if module_name == "decode" else encode, attr)
        for key, value in cache.items():
            found[f"{cache_name}[{key!r} at {id(key):#x}]"] = value  # (type names repeat)
    return found


def test_every_fault_restores_the_reference_after_each_request() -> None:
    cases = _cases()
    before = _fingerprint()
    for fault in faults.FAULTS:
        handle = faults.handle_for(fault)
        handle({"op": "describe"})
        tagged = next(case for case in cases if fault.rule in case.rules)
        handle(dict(tagged.request))
    after = _fingerprint()
    changed = sorted(
        name for name in before.keys() & after.keys() if before[name] is not after[name]
    )
    assert not changed, f"left patched: {changed[:10]}"
    # (new cache entries are fine: types first used meanwhile; lost ones are not)
    assert not sorted(before.keys() - after.keys()), "patched attributes or cache entries lost"
    assert not [n for n in after.keys() - before.keys() if "_CACHE[" not in n and "_KEYS[" not in n]


def test_a_plant_that_raises_is_undone() -> None:
    depth = vars(parse)["MAX_NESTING_DEPTH"]

    def plant(p: faults.Patcher) -> None:
        p.set(parse, "MAX_NESTING_DEPTH", 3)
        p.fresh_codecs()
        raise RuntimeError("half planted")

    fault = faults.Fault("half", "json.syntax.depth", "a broken plant", "nowhere", plant)
    cached = dict(decode._CACHE)
    with pytest.raises(RuntimeError, match="half planted"), faults.planted(fault):
        pass
    assert depth == vars(parse)["MAX_NESTING_DEPTH"]
    assert cached == decode._CACHE


def _plant_machinery_only(p: faults.Patcher) -> None:
    """Every stand-in the faults install, with no fault in it."""
    faults._plant_struct_encoder(p)  # (fresh codec caches too)
    faults._uncached_time_json(p)
    faults._copydata_unmarshal(p, lambda t, value, err: (value, err))
    faults._wrap_builder(p, "_struct_decoder", lambda builder, *args: builder(*args))
    faults._unmarshal_wrapper(p, lambda real: real)
    faults._slow_parser_only(p)
    faults._wrap_time_token(p, lambda raw, real: real(raw))
    faults._null_through_field_decoders(p)


def test_the_planting_machinery_alone_changes_no_answer() -> None:
    """A fault must be the only change: the stand-ins the plants use (a struct encoder that
    goes field by field, uncached time texts, wrapped decoders, parse.py's slow path, the time
    parser without its caches) answer every bundled case exactly like the reference, error
    texts included."""
    machinery = faults.Fault(
        "machinery_only", "json.syntax", "nothing broken", "everywhere", _plant_machinery_only
    )
    implementation = implementations.InProcess(faults.handle_for(machinery), scan.TIMEOUT)
    result = scan.find_catch(
        dataclasses.replace(machinery, level="errors"), _cases(), implementation=implementation
    )
    assert isinstance(result, scan.Miss), (
        f"the machinery alone changes the answer to {result.case}: {result.difference}"
    )
    assert result.without_snapshot == 0


# --- the bundled suite catches every fault ------------------------------------------------------


@pytest.mark.parametrize("fault", faults.FAULTS, ids=[fault.id for fault in faults.FAULTS])
def test_the_bundled_suite_catches_the_fault(fault: faults.Fault) -> None:
    result = catch_of(fault.id)
    if fault.hole is not None:
        if isinstance(result, scan.Catch):
            pytest.fail(
                f"{fault.id} is now caught by {result.case} ({result.source}): the fixture hole "
                "is closed, remove the fault's `hole` and regenerate the README table "
                "(python -m tests.conformance.planted.readme)"
            )
        pytest.xfail(f"known fixture hole: {fault.hole}")
    assert isinstance(result, scan.Catch), (
        f"no bundled case (of {result.scanned}) catches fault {fault.id} at level {fault.level}: "
        f"{fault.description} [rule {fault.rule}]. Either the fixtures lack a case for the rule "
        f"(add one, tagged {fault.rule}), or the seam the fault is planted at ({fault.planted}) "
        "is no longer on the reference's path: plant it where the reference now does the work"
    )
    reached = -1 if result.level is None else levels.LEVELS.index(result.level)
    assert reached < levels.LEVELS.index(fault.level)
    if fault.level == "errors":
        # an error-text fault: the answer is right at every other level
        assert result.level == "bytes", result.difference


def test_the_readme_table_is_current() -> None:
    results = {fault.id: catch_of(fault.id) for fault in faults.FAULTS}
    text = readme.README.read_text(encoding="utf-8")
    current = readme.section(text)
    assert current is not None, (
        f"{readme.README} has no {readme.BEGIN} section: python -m tests.conformance.planted.readme"
    )
    assert current == readme.render(results), (
        "the planted-faults table of README.md is outdated: "
        "python -m tests.conformance.planted.readme"
    )


# --- end to end: the CLI fails ------------------------------------------------------------------

# One fault of each family: key folding, time output, an error text (at --copydata-level errors).
E2E = ("fold_ascii_only", "time_utc_not_applied", "save_error_unwrapped")


def _run_kit(*args: str) -> subprocess.CompletedProcess[str]:
    program = shutil.which("copydata-conformance")
    command = [program] if program else [sys.executable, "-m", "conformance"]
    env = dict(os.environ)
    # the faults are imported by name (tests.conformance.planted.faults) in the child
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run(
        [*command, *args, "-p", "no:cacheprovider"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _e2e_catches() -> list[tuple[faults.Fault, scan.Catch]]:
    found = []
    for fault_id in E2E:
        result = catch_of(fault_id)
        assert isinstance(result, scan.Catch), f"{fault_id} is not caught by any bundled case"
        found.append((faults.BY_ID[fault_id], result))
    return found


def test_the_cli_passes_the_catching_cases_with_the_reference() -> None:
    cases = sorted({catch.case for _, catch in _e2e_catches()})
    result = _run_kit("--copydata-level", "errors", "-q", "-k", " or ".join(cases))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert f"{len(cases)} passed" in result.stdout


@pytest.mark.parametrize("fault_id", E2E)
def test_the_cli_fails_with_a_planted_fault(fault_id: str) -> None:
    fault = faults.BY_ID[fault_id]
    catch = catch_of(fault_id)
    assert isinstance(catch, scan.Catch)
    spec = f"tests.conformance.planted.faults:{fault.id}"
    result = _run_kit(
        "--copydata-impl", spec, "--copydata-level", fault.level, "-x", "-q", "-k", catch.case
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-3000:]
    assert f"case {catch.case} ({catch.op}, {catch.source}): the answer differs" in output
    assert f"FAILED conformance/suite/test_cases.py::test_case[{catch.case}]" in output
    assert f"planted fault {fault.id}" in output  # the describe answer names the fault
