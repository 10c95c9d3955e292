"""The public strategies make what they promise: checked by hand-written rules and the oracle."""

from __future__ import annotations

import base64
import calendar
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from conformance import strategies as cs
from conformance.implementations import Subprocess
from conformance.schemas import validate_request, validate_response

REPO = Path(__file__).resolve().parents[2]
ORACLE = REPO.parent / "shared" / "oracle"

# Go 1.19's RFC 3339 parser, restated from GO_JSON_SEMANTICS.md §12 (not from the strategy):
# 4-digit year, 2-digit month/day/minute/second, 1- or 2-digit hour, '.' or ',' and at least one
# fraction digit, Z or ±hh:mm (not range-checked), calendar ranges checked after the layout.
_GO_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{1,2}):(\d{2}):(\d{2})(?:[.,]\d+)?(?:Z|[+-]\d{2}:\d{2})"
)


def go19_accepts(text: str) -> bool:
    match = _GO_RFC3339.fullmatch(text)
    if match is None:
        return False
    year, month, day, hour, minute, second = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        return False
    days = calendar.monthrange(year or 2000, month)[1]  # year 0 is a leap year
    return 1 <= day <= days and hour < 24 and minute < 60 and second < 60


QUICK = settings(max_examples=60, deadline=None, derandomize=True, database=None)


def exists(strategy: st.SearchStrategy[Any], predicate: Any, tries: int = 500) -> None:
    """Some example satisfies the predicate (found without shrinking: shrinking is slow here)."""
    find(
        strategy,
        predicate,
        settings=settings(
            max_examples=tries, phases=[Phase.generate], derandomize=True, database=None
        ),
    )


def objects_without_duplicates(data: bytes) -> Any:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in items]
        assert len(keys) == len(set(keys)), f"duplicate keys in {data!r}"
        return dict(items)

    return json.loads(data, object_pairs_hook=pairs)


# --- times --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("2017-01-01T00:00:00Z", True),
        ("2017-01-01T1:00:00,5+99:99", True),
        ("0000-02-29T00:00:00Z", True),
        ("2017-02-29T00:00:00Z", False),
        ("2017-01-01T24:00:00Z", False),
        ("2017-01-01T00:00:00.Z", False),
        ("2017-01-01T00:00:00+0200", False),
    ],
)
def test_the_hand_written_rule_itself(text: str, accepted: bool) -> None:
    assert go19_accepts(text) is accepted


@QUICK
@given(cs.go_time_strings())
def test_valid_times_are_accepted_by_go_19(text: str) -> None:
    assert go19_accepts(text), text


@QUICK
@given(cs.go_time_strings(invalid=True))
def test_invalid_times_are_rejected_by_go_19(text: str) -> None:
    assert not go19_accepts(text), text


def test_the_lenient_forms_are_generated() -> None:
    times = cs.go_time_strings()
    exists(times, lambda t: t[12:13] == ":")  # a one-digit hour
    exists(times, lambda t: "," in t)
    exists(times, lambda t: re.search(r"[.,]\d{10,}", t) is not None)  # more than 9 digits
    exists(times, lambda t: re.search(r"[+-](2[4-9]|[3-9]\d):", t) is not None)  # offset >= 24 h
    exists(times, lambda t: t.startswith("0000-"))


# --- documents ----------------------------------------------------------------------------------


@QUICK
@given(cs.docker_configs())
def test_docker_configs(data: bytes) -> None:
    document = objects_without_duplicates(data)
    assert isinstance(document, dict)
    assert isinstance(document["docker_version"], str)
    assert document["docker_version"]  # the docker branch of initConfig


@QUICK
@given(cs.oci_configs())
def test_oci_configs(data: bytes) -> None:
    document = objects_without_duplicates(data)
    assert isinstance(document, dict)
    assert "docker_version" not in document
    assert set(document) <= {
        "created",
        "author",
        "architecture",
        "os",
        "config",
        "rootfs",
        "history",
    }


@QUICK
@given(cs.schema1_manifests())
def test_schema1_manifests(data: bytes) -> None:
    manifest = objects_without_duplicates(data)
    assert manifest["schemaVersion"] in (1, 2)
    assert len(manifest["fsLayers"]) == len(manifest["history"]) >= 1
    for entry in manifest["history"]:
        assert isinstance(json.loads(entry["v1Compatibility"]), dict)
    assert "docker_version" in json.loads(manifest["history"][0]["v1Compatibility"])


@QUICK
@given(cs.kpod_states())
def test_kpod_states(data: bytes) -> None:
    state = objects_without_duplicates(data)
    assert {"type", "image-id", "ociv1", "docker"} <= set(state)
    assert "created" in state["ociv1"]  # else every open would panic
    for blob in ("config", "manifest"):
        if blob in state:
            base64.b64decode(state[blob], validate=True)


def test_documents_come_in_several_styles() -> None:
    exists(cs.oci_configs(), lambda d: b'": ' in d)
    exists(cs.oci_configs(), lambda d: b'":"' in d)
    exists(cs.docker_configs(), lambda d: b"\\u" in d)
    exists(cs.docker_configs(), lambda d: any(byte >= 0x80 for byte in d))


# --- adversarial documents ----------------------------------------------------------------------

BASE = b'{"created":"2017-01-01T00:00:00Z","os":"linux","config":{"User":"u","Labels":{"a":"1"}}}'


def has_duplicate_keys(data: bytes) -> bool:
    found = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal found
        found = found or len({k for k, _ in items}) < len(items)
        return dict(items)

    try:
        json.loads(data, object_pairs_hook=pairs)
    except ValueError:
        return False
    return found


def parses(data: bytes) -> bool:
    try:
        json.loads(data)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(
    "predicate",
    [
        pytest.param(has_duplicate_keys, id="duplicate keys"),
        pytest.param(lambda d: b'"OS"' in d or b'"Os"' in d or b'"oS"' in d, id="folded key"),
        pytest.param(lambda d: "ſ".encode() in d or b"\\u017f" in d, id="long s"),
        pytest.param(lambda d: b":null" in d.replace(b" ", b""), id="null"),
        pytest.param(lambda d: b'"os":[' in d.replace(b" ", b""), id="wrong type"),
        pytest.param(lambda d: b"1e3" in d or b"1.0" in d, id="bad integer literal"),
        pytest.param(lambda d: not d.startswith(b"\xef") and b"\xff" in d, id="invalid UTF-8"),
        pytest.param(
            lambda d: (
                d[:1] == b"{" and not d.endswith((b"}", b" x", b",", b"\x00")) and not parses(d)
            ),
            id="truncated",
        ),
        pytest.param(lambda d: d.startswith(b"\xef\xbb\xbf"), id="BOM"),
        pytest.param(lambda d: d == b"null", id="null document"),
    ],
)
def test_adversarial_json_covers_every_edit(predicate: Any) -> None:
    exists(cs.adversarial_json(st.just(BASE)), predicate, tries=2000)


def test_adversarial_json_survives_non_json_bases() -> None:
    exists(cs.adversarial_json(st.just(b"\xff not json")), lambda d: isinstance(d, bytes))


# --- requests -----------------------------------------------------------------------------------


@pytest.mark.parametrize("op", cs.OPS)
def test_requests_are_valid_protocol_requests(op: str) -> None:
    @settings(max_examples=25, deadline=None, derandomize=True, database=None)
    @given(cs.requests(op))
    def check(request: dict[str, Any]) -> None:
        assert request["op"] == op
        assert "id" not in request
        assert validate_request(request) == [], request
        if "now" in request:
            assert request["now"] == cs.NOW

    check()


def test_requests_of_any_op() -> None:
    exists(cs.requests(), lambda r: r["op"] == "roundtrip")
    exists(cs.requests(), lambda r: r["op"] == "open")
    with pytest.raises(ValueError, match="unknown op 'describe'"):
        cs.requests("describe")


@pytest.fixture(scope="module")
def oracle() -> Iterator[Subprocess]:
    if not (ORACLE / "run.sh").exists():
        pytest.skip("the Go oracle is not available at ../shared/oracle/run.sh")
    impl = Subprocess("../shared/oracle/run.sh", 10.0, cwd=REPO, startup_timeout=300.0)
    yield impl
    impl.close()


@pytest.mark.oracle
def test_the_oracle_agrees_on_which_times_are_valid(oracle: Subprocess) -> None:
    @settings(max_examples=80, deadline=None, derandomize=True, database=None)
    @given(st.one_of(cs.go_time_strings(), cs.go_time_strings(invalid=True)))
    def check(text: str) -> None:
        request = {
            "op": "roundtrip",
            "type": "docker.V2S2History",
            "input": base64.b64encode(json.dumps({"created": text}).encode()).decode(),
        }
        response = oracle.request(request).response
        assert response is not None
        assert response["ok"] is go19_accepts(text), (text, response)
        # history_timestamp goes through time.Parse(RFC3339Nano): at most 9 fraction digits
        ref = {"op": "make_image_ref", "image_id": "", "now": cs.NOW, "history_timestamp": text}
        answer = oracle.request(ref).response
        assert answer is not None
        nano_ok = go19_accepts(text) and not re.search(r"[.,]\d{10}", text)
        assert (answer["stage"] != "request") is nano_ok, (text, answer)

    check()


@pytest.mark.oracle
def test_the_oracle_never_calls_a_generated_request_bad(oracle: Subprocess) -> None:
    @settings(max_examples=40, deadline=None, derandomize=True, database=None)
    @given(cs.requests())
    def check(request: dict[str, Any]) -> None:
        answer = oracle.request(request)
        assert answer.response is not None, answer.failure
        assert answer.response.get("stage") != "request", (request, answer.response)
        assert validate_response(answer.response, request) == []

    check()


# --- profiles and imports -----------------------------------------------------------------------


def test_register_profiles() -> None:
    cs.register_profiles()
    ci = settings.get_profile("ci")
    assert ci.derandomize is True
    assert ci.database is None
    assert ci.deadline is None
    for name in ("dev", "thorough"):
        assert settings.get_profile(name).deadline is None
    assert settings.get_profile("thorough").max_examples > ci.max_examples
    assert settings.get_profile("dev").max_examples < ci.max_examples


def test_only_the_strategies_import_hypothesis_and_the_runner_stays_light() -> None:
    code = (
        "import sys\n"
        "import conformance.implementations, conformance.levels, conformance.report\n"
        "import conformance.schemas\n"
        "heavy = ['hypothesis', 'jsonschema', 'referencing', 'syrupy', 'reference']\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_wrong_values_are_fresh_objects_per_draw() -> None:
    # The adversarial edits mutate drawn containers in place; a shared instance (st.just) used
    # to end up inside itself and blow the recursion limit under the `thorough` profile.
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from conformance import strategies

    shared: list[int] = []

    @settings(max_examples=50, database=None, derandomize=True)
    @given(st.lists(strategies._WRONG, min_size=30, max_size=30))
    def collect(values: list[object]) -> None:
        containers = [v for v in values if isinstance(v, list)]
        shared.append(len(containers) - len({id(v) for v in containers}))

    collect()
    assert shared
    assert max(shared) == 0, "a container was drawn twice as the same object"
