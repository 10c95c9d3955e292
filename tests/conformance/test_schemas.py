"""The schemas accept everything the Go oracle prints and reject hand-made broken documents."""

from __future__ import annotations

import base64
import importlib.resources
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped,unused-ignore]

from conformance import schemas
from conformance.implementations import Subprocess
from conformance.schemas import (
    ROUNDTRIP_SCHEMAS,
    SCHEMA_NAMES,
    registry,
    validate_document,
    validate_request,
    validate_response,
    validator,
)
from tests.protocol_vocabulary import ROUNDTRIP_TYPES

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
ORACLE = SHARED / "oracle"
CORPUS = SHARED / "corpus"
NOW = "2017-09-01T12:00:00.5Z"
ID64 = "c" * 64

# What Go printed for a small OCI config (README of the oracle, import_image example).
OCI = (
    '{"created":"2017-06-20T18:20:19.5Z","architecture":"amd64","os":"linux",'
    '"config":{"Cmd":["sh"],"WorkingDir":"/","Labels":{"a":"1","b":"2"}},'
    '"rootfs":{"type":"","diff_ids":[]}}'
)
CONFIG = (
    '{"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":false,'
    '"AttachStderr":false,"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":null,'
    '"Cmd":["sh"],"Image":"","Volumes":null,"WorkingDir":"/","Entrypoint":null,"OnBuild":null,'
    '"Labels":{"a":"1","b":"2"}}'
)
DOCKER = (
    f'{{"created":"2017-06-20T18:20:19.5Z","container_config":{CONFIG},"config":{CONFIG},'
    '"architecture":"amd64","os":"linux"}'
)
STATE = (
    '{"type":"kpod 0.0.1","image":"docker.io/library/busybox:latest","image-id":"abc",'
    f'"config":"eyJhIjoxfQ==","ociv1":{OCI},"docker":{DOCKER}}}'
)


def lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return [json.loads(line) for line in path.read_text().split("\n") if line.strip()]


def ok_response(op: str = "import_image", **fields: Any) -> dict[str, Any]:
    return {"id": 1, "op": op, "ok": True, "error": None, "panic": None, **fields}


# --- the registry -------------------------------------------------------------------------------


def test_every_schema_file_is_package_data_and_a_valid_2020_12_schema() -> None:
    files = sorted(
        entry.name
        for entry in importlib.resources.files("conformance.schemas").iterdir()
        if entry.name.endswith(".schema.json")
    )
    assert files == [
        "common.schema.json",
        "docker-config.schema.json",
        "implementation.schema.json",
        "kpod-state.schema.json",
        "oci-config.schema.json",
        "oci-manifest.schema.json",
        "request.schema.json",
        "response.schema.json",
        "schema1-manifest.schema.json",
    ]
    for name in files:
        contents = json.loads(
            importlib.resources.files("conformance.schemas").joinpath(name).read_text()
        )
        Draft202012Validator.check_schema(contents)
        assert contents["$id"] == schemas.BASE + name
        assert contents["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_registry_and_validators_are_cached() -> None:
    assert registry() is registry()
    assert validator("kpod-state") is validator("kpod-state")
    assert len(SCHEMA_NAMES) == 8 + 15
    for name in SCHEMA_NAMES:
        validator(name)  # every reference resolves
    with pytest.raises(KeyError, match="unknown schema 'docker'"):
        validator("docker")


# --- what the oracle printed is accepted --------------------------------------------------------


def test_hand_copied_oracle_outputs_are_valid() -> None:
    assert validate_document("oci-config", OCI) == []
    assert validate_document("docker-config", DOCKER.encode()) == []
    assert validate_document("kpod-state", json.loads(STATE)) == []
    assert validate_document("*CopyData", "null") == []
    response = ok_response(state=STATE, oci=OCI, docker=DOCKER, annotations={})
    assert validate_response(response) == []


def test_the_oracles_recorded_answers_are_valid() -> None:
    for name in ("examples", "semantics"):
        requests = lines(ORACLE / f"{name}.jsonl")
        responses = lines(ORACLE / f"{name}.out.jsonl")
        assert len(requests) == len(responses)
        for request, response in zip(requests, responses, strict=True):
            if response.get("stage") != "request":
                assert validate_request(request) == [], request["id"]
            assert validate_response(response, request) == [], response["id"]


def corpus_requests() -> Iterator[dict[str, Any]]:
    """A few hundred requests built from every 8th corpus file, for every op that fits it."""

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode()

    configs = ("docker-config", "oci-config", "docker-inspect", "other")
    manifests = ("v2s1-manifest", "v2s2-manifest", "oci-manifest", "manifest-list")
    for kind in configs + manifests:
        for path in sorted((CORPUS / kind).glob("*.json"))[::8]:
            blob = b64(path.read_bytes())
            if kind in configs:
                image = {"config": blob, "image_id": ID64, "image_name": "docker.io/library/x:1"}
                yield {"op": "import_image", **image, "now": NOW}
                yield {"op": "import_container", **image, "container_name": "c", "now": NOW}
                yield {"op": "make_oci", "docker": blob}
                yield {"op": "make_docker_v2s2", "oci": blob}
                yield {"op": "roundtrip", "type": "docker.V2Image", "input": blob}
                yield {"op": "roundtrip", "type": "ociv1.Image", "input": blob}
                yield {"op": "roundtrip", "type": "CopyData", "input": blob}
            else:
                yield {"op": "import_image", "manifest": blob, "image_id": ID64, "now": NOW}
                yield {"op": "make_docker_v2s1", "manifest": blob, "now": NOW}
                yield {
                    "op": "make_image_ref",
                    "manifest": blob,
                    "image_id": ID64,
                    "now": NOW,
                    "names": ["docker.io/library/x:1"],
                    "layer_id": "l",
                    "history_timestamp": "2017-01-01T00:00:00+02:00",
                }
                yield {"op": "roundtrip", "type": "docker.V2S1Manifest", "input": blob}
                yield {"op": "roundtrip", "type": "ociv1.Manifest", "input": blob}


@pytest.fixture(scope="module")
def oracle() -> Iterator[Subprocess]:
    if not (ORACLE / "run.sh").exists():
        pytest.skip("the Go oracle is not available at ../shared/oracle/run.sh")
    impl = Subprocess("../shared/oracle/run.sh", 10.0, cwd=REPO, startup_timeout=300.0)
    yield impl
    impl.close()


@pytest.mark.oracle
def test_the_oracles_answers_for_the_corpus_are_valid(oracle: Subprocess) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is not available")
    seen: dict[tuple[str, bool], int] = {}
    states = []
    for request in corpus_requests():
        assert validate_request(request) == [], request
        answer = oracle.request(request)
        assert answer.response is not None, answer.failure
        response = answer.response
        assert response.get("stage") != "request", response
        assert validate_response(response, request) == [], (request["op"], response)
        key = (request["op"], response["ok"])
        seen[key] = seen.get(key, 0) + 1
        if request["op"] == "import_container" and response["ok"]:
            states.append(response["state"])
    for state in states:  # and reopen every state the oracle saved
        request = {"op": "open", "state_text": state, "now": NOW, "goarch": "arm64"}
        reopened = oracle.request(request).response
        assert reopened is not None
        assert reopened["ok"] is True
        assert validate_response(reopened, request) == []
    # the sample exercised successes of every op, and failures too
    ops = {op for op, ok in seen if ok}
    assert ops == {
        "import_image",
        "import_container",
        "make_oci",
        "make_docker_v2s2",
        "make_docker_v2s1",
        "make_image_ref",
        "roundtrip",
    }
    assert sum(count for (_, ok), count in seen.items() if not ok) > 20
    assert len(states) > 10


# --- hand-made broken documents are rejected ----------------------------------------------------


def replaced(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


#: id -> (schema, document, the start or a part of one of the problems found)
BROKEN_DOCUMENTS: dict[str, tuple[str, str | bytes, str]] = {
    # times: Go trims trailing fraction zeros, prints Z for offset 0, never 10 digits
    "time-fraction-trailing-zeros": ("oci-config", replaced(OCI, "19.5Z", "19.500Z"),
        "$.created: '2017-06-20T18:20:19.500Z' is not a time as Go's MarshalJSON prints it"),
    "time-utc-as-plus-offset": ("oci-config", replaced(OCI, "19.5Z", "19.5+00:00"),
        "is not a time as Go's MarshalJSON"),
    "time-utc-as-minus-offset": ("oci-config", replaced(OCI, "19.5Z", "19.5-00:00"),
        "is not a time as Go's MarshalJSON"),
    "time-ten-fraction-digits": ("oci-config", replaced(OCI, "19.5Z", "19.1234567891Z"),
        "is not a time as Go's"),
    "time-escaped-newline": ("oci-config", replaced(OCI, "19.5Z", "19.5Z\\n"),
        "is not a time as Go's MarshalJSON"),
    "time-lowercase-t": ("oci-config", replaced(OCI, "2017-06-20T18", "2017-06-20t18"),
        "is not a time as Go's"),
    # key sets and omitempty
    "oci-os-missing": ("oci-config", replaced(OCI, '"os":"linux",', ""),
        "$: 'os' is a required property"),
    "oci-unknown-key": ("oci-config", replaced(OCI, '"os":"linux"', '"os":"linux","variant":"v8"'),
        "$: Additional properties are not allowed ('variant' was unexpected)"),
    "oci-empty-working-dir": ("oci-config", replaced(OCI, '"WorkingDir":"/"', '"WorkingDir":""'),
        "$.config.WorkingDir: '' should be non-empty"),
    "oci-empty-cmd": ("oci-config", replaced(OCI, '"Cmd":["sh"]', '"Cmd":[]'),
        "$.config.Cmd: [] should be non-empty"),
    "oci-diff-id-not-string": ("oci-config", replaced(OCI, '"diff_ids":[]', '"diff_ids":[1]'),
        "$.rootfs.diff_ids[0]: 1 is not of type 'string'"),
    "oci-empty-layer-false": ("oci-config",
        replaced(OCI, '"rootfs"', '"history":[{"empty_layer":false}],"rootfs"'),
        "$.history[0].empty_layer: True was expected"),
    "docker-size-zero": ("docker-config",
        replaced(DOCKER, '"os":"linux"', '"os":"linux","Size":0'),
        "$.Size: 0 must be non-zero (an omitempty number is absent when 0)"),
    "docker-size-not-integer": ("docker-config",
        replaced(DOCKER, '"os":"linux"', '"os":"linux","Size":1.0'),
        "$.Size: Decimal('1.0') is not of type 'integer'"),
    "docker-size-over-int64": ("docker-config",
        replaced(DOCKER, '"os":"linux"', '"os":"linux","Size":' + str(2**63)),
        "$.Size: 9223372036854775808 is greater than the maximum of 9223372036854775807"),
    "docker-hostname-missing": ("docker-config", replaced(DOCKER, '"Hostname":"",', ""),
        "$.container_config: 'Hostname' is a required property"),
    "docker-cmd-string": ("docker-config", replaced(DOCKER, '"Cmd":["sh"]', '"Cmd":"sh"'),
        "$.container_config.Cmd: 'sh' is not of type 'array', 'null'"),
    "docker-volume-null": ("docker-config",
        replaced(DOCKER, '"Volumes":null', '"Volumes":{"/v":null}'),
        "$.container_config.Volumes['/v']: None is not of type 'object'"),
    "docker-empty-os": ("docker-config", replaced(DOCKER, '"os":"linux"', '"os":""'),
        "$.os: '' should be non-empty"),
    "docker-created-missing": ("docker-config",
        replaced(DOCKER, '"created":"2017-06-20T18:20:19.5Z",', ""),
        "$: 'created' is a required property"),
    "health-config-retries-zero": ("docker.HealthConfig", '{"Retries":0}',
        "$.Retries: 0 must be non-zero"),
    "state-config-not-go-base64": ("kpod-state", replaced(STATE, "eyJhIjoxfQ==", "eyJhIjoxfR=="),
        "$.config: 'eyJhIjoxfR==' is not base64 as Go's json.Marshal prints []byte"),
    "state-empty-config": ("kpod-state", replaced(STATE, "eyJhIjoxfQ==", ""),
        "$.config: '' should be non-empty"),
    "state-image-id-missing": ("kpod-state", replaced(STATE, '"image-id":"abc",', ""),
        "$: 'image-id' is a required property"),
    "state-empty-annotations": ("kpod-state",
        replaced(STATE, '"image-id":"abc",', '"image-id":"abc","annotations":{},'),
        "$.annotations: {} should be non-empty"),
    "schema1-signatures": ("schema1-manifest", '{"schemaVersion":1,"name":"","tag":"",'
        '"architecture":"","fsLayers":null,"history":null,"signatures":[]}',
        "$: Additional properties are not allowed ('signatures' was unexpected)"),
    "v1-compatibility-container-config-missing": ("docker.V1Compatibility",
        '{"id":"","created":"2017-01-01T00:00:00Z"}',
        "$: 'container_config' is a required property"),
    "manifest-config-size-missing": ("ociv1.Manifest",
        '{"schemaVersion":2,"config":{"digest":"d"},"layers":null}',
        "$.config: 'size' is a required property"),
    # JSON texts Go would never print
    "json-duplicate-key": ("oci-config", OCI[:-1] + ',"os":"linux"}', '$: duplicate key "os"'),
    "json-invalid-utf8": ("oci-config", OCI.encode()[:-1] + b'"\xff"}',
        "$: not valid UTF-8: invalid start byte at "),
    "json-nan": ("ociv1.RootFS", '{"type":NaN,"diff_ids":null}', "$: NaN is not JSON"),
    "json-trailing-data": ("ociv1.RootFS", '{"type":"","diff_ids":null} x',
        "$: not a JSON text: Extra data"),
}  # fmt: skip


@pytest.mark.parametrize(
    ("schema", "document", "message"), BROKEN_DOCUMENTS.values(), ids=BROKEN_DOCUMENTS.keys()
)
def test_broken_documents_are_rejected(schema: str, document: str | bytes, message: str) -> None:
    problems = validate_document(schema, document)
    assert problems, "accepted"
    assert any(problem.startswith(message) or message in problem for problem in problems), problems


# --- responses ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (ok_response(stage="call", state=STATE, oci=OCI, docker=DOCKER, annotations={}),
         "$.stage: 'call' must be absent when ok is true"),
        (ok_response(error="x", state=STATE, oci=OCI, docker=DOCKER, annotations={}),
         "$.error: 'x' is not of type 'null'"),
        (ok_response(state=STATE, oci=OCI, docker=DOCKER),
         "$: 'annotations' is a required property"),
        (ok_response(state=STATE, state_error="e", oci=OCI, docker=DOCKER, annotations={}),
         "$.state_error: 'e' must be absent when 'state' is present"),
        (ok_response(oci=OCI, docker=DOCKER, annotations={}),
         "$: 'state_error' is a required property"),
        (ok_response(state=STATE, oci=OCI, docker=DOCKER, annotations={}, output="{}"),
         "$: 'output' is not one of ['id', 'op', 'ok', 'stage', 'error', 'panic', 'state'"),
        (ok_response("make_oci", output=OCI, annotations={}), "$: 'annotations' is not one of"),
        (ok_response("roundtrip", output_error="e"), "$: 'output' is a required property"),
        (ok_response("describe"), "$: 'implementation' is a required property"),
        (ok_response("describe", implementation={"name": "x", "version": "1", "language": "c",
                                                 "ops": ["import-image"]}),
         "$.implementation.ops[0]: 'import-image' is not one of"),
        (ok_response("frobnicate"), "$.op: 'frobnicate' is not one of"),
        (ok_response("make_image_ref", annotations=None, oconfig=OCI, dconfig=DOCKER,
                     created="2017-09-01T14:00:00.5+02:00", createdBy="", preferredManifestType="",
                     name=None, names=None, layerID=""),
         "$.created: '2017-09-01T14:00:00.5+02:00' is not a UTC time as Go's Format(RFC3339Nano)"),
        ({"id": 1, "op": "open", "ok": False, "error": "x", "panic": None},
         "$: 'stage' is a required property"),
        ({"id": 1, "op": "open", "ok": False, "stage": "request", "error": "oops", "panic": None},
         "$.error: 'oops' does not match '^bad request: '"),
        ({"id": 1, "op": "open", "ok": False, "stage": "call", "error": "x", "panic": "y"},
         "$.error: 'x' is not of type 'null'"),
        ({"id": 1, "op": "open", "ok": False, "stage": "decode", "error": "x", "panic": None},
         "$.op: 'open' is not one of ['make_oci'"),
        ({"id": 1, "op": "open", "ok": False, "stage": "call", "error": "x", "panic": None,
          "state": STATE},
         "$: 'state' is not one of ['id', 'op', 'ok', 'stage', 'error', 'panic']"),
        ({"id": 1, "op": "roundtrip", "ok": False, "stage": "encode", "error": "x", "panic": None,
          "output": "{}"}, "$: 'output_error' is a required property"),
        ({"id": 1, "op": "open", "ok": False, "stage": "call", "error": "x", "panic": None,
          "extra": 1}, "$: Additional properties are not allowed ('extra' was unexpected)"),
        ({"op": "open", "ok": True, "panic": None}, "$: 'error' is a required property"),
    ],
)  # fmt: skip
def test_broken_responses_are_rejected(response: dict[str, Any], message: str) -> None:
    problems = validate_response(response)
    assert problems, "accepted"
    assert any(problem.startswith(message) for problem in problems), problems


def test_the_json_texts_inside_a_response_are_validated() -> None:
    bad_state = replaced(STATE, '"created":"2017-06-20T18:20:19.5Z","container_config"',
                         '"created":"2017-06-20T18:20:19.50Z","container_config"')  # fmt: skip
    response = ok_response(state=bad_state, oci=OCI, docker="{", annotations={})
    assert validate_response(response) == [
        "docker: not a JSON text: Expecting property name enclosed in double quotes: line 1 "
        "column 2 (char 1)",
        "state: $.docker.created: '2017-06-20T18:20:19.50Z' is not a time as Go's MarshalJSON "
        "prints it",
    ]
    roundtrip = ok_response("roundtrip", output='{"Hostname":""}')
    assert validate_response(roundtrip) == []  # which type? unknown without the request
    problems = validate_response(roundtrip, {"op": "roundtrip", "type": "docker.Config"})
    assert "output: $: 'Domainname' is a required property" in problems
    assert validate_response(ok_response("make_oci", output=DOCKER)) != []  # not an OCI config


# --- requests -----------------------------------------------------------------------------------

BROKEN_REQUESTS: list[tuple[dict[str, Any], str]] = [
    ({"op": "import_image", "image_id": "x"}, "$: 'now' is a required property"),
    ({"op": "import_image", "now": None}, "$.now: None is not of type 'string'"),
    ({"op": "import_image", "now": "2017-09-01 12:00:00Z"},
     "$.now: '2017-09-01 12:00:00Z' is not an RFC 3339 time Go 1.19 parses"),
    ({"op": "import_image", "now": NOW, "config": "e30", "image_id": "x"},
     "$.config: 'e30' is not standard padded base64"),
    ({"op": "import_image", "now": NOW, "config": "e30=", "config_text": "{}"},
     "$.config_text: '{}' must be null or absent when 'config' is given"),
    ({"op": "import_image", "now": NOW, "colour": "blue"},
     "$: Additional properties are not allowed ('colour' was unexpected)"),
    ({"op": "open", "now": NOW},
     "$: {'op': 'open', 'now': '2017-09-01T12:00:00.5Z'} must give 'state' (base64) or "
     "'state_text'"),
    ({"op": "make_oci"}, "$: {'op': 'make_oci'} must give 'docker' (base64) or 'docker_text'"),
    ({"op": "make_docker_v2s1", "manifest_text": "{}"}, "$: 'now' is a required property"),
    ({"op": "roundtrip", "type": "docker.Image", "input_text": "{}"},
     "$.type: 'docker.Image' is not one of"),
    ({"op": "make_image_ref", "now": NOW, "history_timestamp": "2017-09-01T12:00Z"},
     "$.history_timestamp: '2017-09-01T12:00Z' is not an RFC 3339 time Go 1.19 parses"),
    ({"op": "make_image_ref", "now": "2017-09-01T12:00:00.1234567891Z"},
     "$.now: '2017-09-01T12:00:00.1234567891Z' is not an RFC 3339 time Go 1.19 parses"),
    ({"op": "nope"}, "$.op: 'nope' is not one of"),
    ({"id": 3}, "$: 'op' is a required property"),
]  # fmt: skip


@pytest.mark.parametrize(("request_", "message"), BROKEN_REQUESTS)
def test_broken_requests_are_rejected(request_: dict[str, Any], message: str) -> None:
    problems = validate_request(request_)
    assert any(problem.startswith(message) for problem in problems), problems


@pytest.mark.oracle
def test_the_oracle_calls_the_broken_requests_bad_requests(oracle: Subprocess) -> None:
    for request, _ in BROKEN_REQUESTS:
        answer = oracle.request(request)
        assert answer.response is not None, answer.failure
        assert answer.response["stage"] == "request", (request, answer.response)


def test_good_requests_are_accepted() -> None:
    good: list[dict[str, Any]] = [
        {"op": "describe"},
        {"op": "describe", "id": {"any": ["json"]}},
        {"op": "import_image", "now": "2017-01-01T1:00:00,123+99:99", "config": None,
         "config_text": "{}", "manifest": "", "image_id": "", "goos": None},
        {"op": "open", "now": NOW, "state": "e30="},
        {"op": "make_oci", "docker_text": "{}", "now": NOW},  # `now` is known, merely unused
        {"op": "roundtrip", "type": "*CopyData", "input": "bnVsbA=="},
        {"op": "make_image_ref", "now": NOW, "names": None, "history_timestamp": None},
    ]  # fmt: skip
    for request in good:
        assert validate_request(request) == [], request


def test_roundtrip_schema_names_cover_every_protocol_type() -> None:
    protocol = (REPO.parent / "shared" / "spec" / "PROTOCOL.md").read_text()
    assert set(ROUNDTRIP_SCHEMAS) == set(ROUNDTRIP_TYPES)
    for name in ROUNDTRIP_SCHEMAS:
        assert f"`{name}`" in protocol
