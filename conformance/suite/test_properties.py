"""Properties: the implementation against the reference on generated requests, and laws.

The laws are properties of the original, each checked against the Go oracle (cri-o e18e962238)
on the shared corpus and the oracle's hand-made and semantic examples before being relied on:

- ``open`` is stable: for the state ``s`` that ``import_container`` saves, once ``open(s)``
  succeeds, ``open(open(s).state)`` succeeds and answers exactly the same texts;
- ``make_oci`` after ``make_docker_v2s2`` keeps every mapped field of an OCI config (author,
  architecture, os and the config's User, Env, Entrypoint, Cmd, Volumes, WorkingDir, Labels,
  ExposedPorts), and one more round changes nothing;
- ``roundtrip`` is idempotent: re-decoding an output gives the same output, whenever the decoder
  accepts it (Go writes zone offsets such as ``+100:39`` that its own parser rejects).

Only the implementation's answers enter a law, so they hold for any conformant implementation.
The hypothesis profile is the kit's ``ci`` unless ``--hypothesis-profile`` names another.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, note, settings

from conformance import levels, strategies
from conformance.plugin import Settings, Target, reaches
from conformance.vocabulary import OPS

pytestmark = pytest.mark.copydata

strategies.register_profiles()
if settings.get_current_profile_name() == "default":
    settings.load_profile("ci")

TEXTS = ("state", "oci", "docker", "annotations", "state_error", "oci_error", "docker_error")
MAPPED = ("author", "architecture", "os")
MAPPED_CONFIG = (
    "User",
    "Env",
    "Entrypoint",
    "Cmd",
    "Volumes",
    "WorkingDir",
    "Labels",
    "ExposedPorts",
)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _require(target: Target, *ops: str) -> None:
    missing = [op for op in ops if not target.supports(op)]
    if missing:
        pytest.skip(f"the implementation does not list {', '.join(missing)} in describe")


def _answer(target: Target, request: dict[str, Any]) -> dict[str, Any]:
    request = {"id": "law", **request}
    response, failure = target.ask(request)
    if failure is not None or response is None:
        raise AssertionError(f"no usable answer to {_brief(request)}: {failure}")
    return response


def _brief(request: dict[str, Any]) -> str:
    text = json.dumps(request, sort_keys=True)
    return text if len(text) <= 400 else text[:400] + "..."


@pytest.mark.parametrize("op", OPS)
def test_differential(
    op: str,
    copydata_target: Target,
    copydata_settings: Settings,
    copydata_reference: Callable[[dict[str, Any]], dict[str, Any]],
) -> None:
    """On generated requests, the implementation answers like the reference."""
    _require(copydata_target, op)

    @given(request=strategies.requests(op=op))
    def differential(request: dict[str, Any]) -> None:
        expected = copydata_reference(request)
        actual = _answer(copydata_target, request)
        comparison = levels.compare(expected, actual)
        note(f"request: {_brief(request)}")
        assert reaches(comparison.level, copydata_settings.level), (
            f"reached {comparison.level or 'no level'} (required: {copydata_settings.level}); "
            f"first difference: {comparison.difference}"
        )

    differential()


def _platform(request: dict[str, Any]) -> dict[str, Any]:
    return {key: request[key] for key in ("now", "goos", "goarch") if key in request}


@given(request=strategies.requests(op="import_container"))
def _open_is_stable(target: Target, request: dict[str, Any]) -> None:
    imported = _answer(target, request)
    if not imported.get("ok") or not isinstance(imported.get("state"), str):
        return
    first = _answer(target, {"op": "open", "state": _b64(imported["state"]), **_platform(request)})
    if not first.get("ok") or not isinstance(first.get("state"), str):
        return  # e.g. a zone offset that Go writes but cannot read back
    second = _answer(target, {"op": "open", "state": _b64(first["state"]), **_platform(request)})
    assert second.get("ok"), f"open(open(s).state) failed: {second.get('error')}"
    for key in TEXTS:
        assert second.get(key) == first.get(key), f"open(open(s).state).{key} != open(s).{key}"


def test_open_is_stable(copydata_target: Target) -> None:
    _require(copydata_target, "import_container", "open")
    _open_is_stable(copydata_target)


@given(request=strategies.requests(op="make_docker_v2s2"))
def _oci_docker_oci_keeps_mapped_fields(target: Target, request: dict[str, Any]) -> None:
    if not isinstance(request.get("oci"), str):
        return
    docker = _answer(target, request)
    if not docker.get("ok") or not isinstance(docker.get("output"), str):
        return
    oci = _answer(target, {"op": "make_oci", "docker": _b64(docker["output"])})
    original = _answer(target, {"op": "roundtrip", "type": "ociv1.Image", "input": request["oci"]})
    if not (oci.get("ok") and original.get("ok")):
        return
    if not (isinstance(oci.get("output"), str) and isinstance(original.get("output"), str)):
        return
    before, after = json.loads(original["output"]), json.loads(oci["output"])
    for key in MAPPED:
        assert after.get(key) == before.get(key), f"{key} changed"
    before_config, after_config = before.get("config") or {}, after.get("config") or {}
    for key in MAPPED_CONFIG:
        assert after_config.get(key) == before_config.get(key), f"config.{key} changed"
    again = _answer(target, {"op": "make_docker_v2s2", "oci": _b64(oci["output"])})
    assert again.get("ok"), f"make_docker_v2s2 rejects make_oci's output: {again.get('error')}"
    assert isinstance(again.get("output"), str)
    twice = _answer(target, {"op": "make_oci", "docker": _b64(again["output"])})
    assert twice.get("output") == oci["output"], "a second round changed the OCI config"


def test_make_oci_of_make_docker_v2s2_keeps_mapped_fields(copydata_target: Target) -> None:
    _require(copydata_target, "make_docker_v2s2", "make_oci", "roundtrip")
    _oci_docker_oci_keeps_mapped_fields(copydata_target)


@given(request=strategies.requests(op="roundtrip"))
def _roundtrip_is_idempotent(target: Target, request: dict[str, Any]) -> None:
    if not isinstance(request.get("type"), str):
        return
    first = _answer(target, request)
    if not first.get("ok") or not isinstance(first.get("output"), str):
        return
    second = _answer(
        target, {"op": "roundtrip", "type": request["type"], "input": _b64(first["output"])}
    )
    if second.get("ok"):
        assert second.get("output") == first["output"], "roundtrip(roundtrip(x)) != roundtrip(x)"


def test_roundtrip_is_idempotent(copydata_target: Target) -> None:
    _require(copydata_target, "roundtrip")
    _roundtrip_is_idempotent(copydata_target)
