#!/usr/bin/env python3
"""Writes protocol_cases.jsonl (hand-made request lines) and protocol_cases.out.jsonl (the Go
oracle's answer to each, byte for byte).

    python tests/reference/data/make_protocol_cases.py [--oracle PATH]

PATH defaults to ../shared/oracle/run.sh relative to the repository root (it builds the oracle
if needed). The cases cover every op, every bad-request path of the oracle's main.go, Go's
request decoding rules (syntax errors, case-folded and duplicate keys, type errors, stale slice
elements, raw id echo) and every panic path listed in GO_JSON_SEMANTICS.md. Requests are built
as bytes: some lines hold invalid UTF-8 or JSON that Python's json module would not write.
No line is blank (the oracle prints nothing for those, which would break the 1:1 pairing).
"""

from __future__ import annotations

import argparse
import base64
import json
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[2]
DEFAULT_ORACLE = REPO.parent / "shared" / "oracle" / "run.sh"

if __name__ == "__main__" and str(REPO) not in sys.path:  # run as a script
    sys.path.insert(0, str(REPO))

from tests.protocol_vocabulary import OPS  # noqa: E402

NOW = "2017-09-01T12:00:00.5Z"
IMG = "c" * 64
H = "sha256:" + "a" * 64
H2 = "sha256:" + "b" * 64

LINES: list[bytes] = []


def b64(data: str | bytes) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return base64.b64encode(data).decode("ascii")


def js(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


def req(**fields: object) -> None:
    """A request object written by Python's json (ASCII escapes, compact)."""
    LINES.append(json.dumps(fields, separators=(",", ":")).encode("ascii"))


def raw(line: bytes) -> None:
    """A request line exactly as given."""
    assert b"\n" not in line
    LINES.append(line)


def build() -> None:
    # ---------------------------------------------------------------- lines that are not requests
    for line in [
        b"garbage",
        b"5x",
        b'"a"x',
        b"null",
        b"nullx",
        b"null]",
        b"true",
        b'""',
        b"[1]",
        b"[]",
        b"[1,2",
        b"{",
        b'{"id":1',
        b'{"id":1,"op":"nope"',
        b"tru",
        b"-",
        b"01",
        b"-01",
        b"1.",
        b"1e",
        b"1e+",
        b"1.5e3",
        b'{"id":1,}',
        b'{"id" 1}',
        b'{"id":1 "op":2}',
        b"{1:2}",
        b"\xef\xbb\xbf{}",
        b"\x1c",
        b"\x0c{}",
        b"\xff",
        b"\xa0",
        "\u200b".encode(),
        "\u0085x".encode(),
        b'{"id":"a\tb","op":"nope"}',
        b'{"id":"\\x","op":"nope"}',
        b'{"id":"\\u12G4","op":"nope"}',
        b'{"id":tru,"op":"nope"}',
        b'{"id":nul}',
        b'{"id":fals}',
        b'{"id":[1,],"op":"nope"}',
        b'{"id":[1 2],"op":"nope"}',
        b"{}",
        b"{} x",
        b"{}]",
        b"{}}",
        b"{}{}",
        b'{"id":1}',
        b' \t\r{"id":"ws","op":"nope"} \r',
    ]:
        raw(line)
    # Nesting: Go's scanner allows 10000 levels, not one more.
    raw(b'{"id":' + b"[" * 9999 + b"]" * 9999 + b',"op":"nope"}')
    raw(b'{"id":' + b"[" * 10000 + b"]" * 10000 + b',"op":"nope"}')
    # ---------------------------------------------------------------- the id echo (raw, compacted)
    for id_text in [
        b"1.0",
        b"-0",
        b"1E+5",
        b"12345678901234567890123",
        b'"x<>&"',
        b'{"a" : 1 , "b" : [ 1 , 2 ] }',
        b"[ ]",
        b"null",
        b"true",
        b'"\\u003c\\u2028\\/"',
        b'"\xe2\x80\xa8\xe2\x80\xa9"',
        b'"\xff\xfe"',
        b'" s p a c e s "',
        b'{"nested":{"deep":[null,{"x":"<"}]}}',
    ]:
        raw(b'{"id":' + id_text + b',"op":"nope"}')
    raw(b'{"op":"nope"}')
    raw(b'{"id":1,"id":2,"op":"nope"}')
    raw(b'{"ID":"upper","Op":"nope"}')
    raw(b'{"iD":"mixed","oP":"nope"}')
    raw(b'{"\\u0069d":"escaped-key","\\u006fp":"nope"}')
    # ---------------------------------------------------------------- op texts (%q, escaping)
    for op_text in [
        b'"nope<>&"',
        b'"x\\u2028y\\u2029"',
        b'"\\u0001\\u007f"',
        b'"\\ud800"',
        b'"\\udc00\\ud800\\udc00"',
        b'"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"',
        b'"\xff\xe2\x82"',
        b'"\xed\xa0\x80"',
        b'"\\u00a0\\u00ad\\u0085"',
        b'"tab\\there"',
        b'"quote\\"back\\\\slash"',
        b'"\\ufeff"',
        b'""',
        b"null",
        b"5",
        b"true",
        b"{}",
        b"[]",
    ]:
        raw(b'{"id":"op","op":' + op_text + b"}")
    # ---------------------------------------------------------------- unknown keys, folding
    req(id="unknown", op="nope", foo=1)
    req(id="unknown-first", op="nope", foo=1, image_id=5)
    req(id="typeerr-first", op="nope", image_id=5, foo=1)
    raw(b'{"id":"unknown-invalid-utf8","op":"nope","k\xffy":1}')
    req(id="unknown-escaped", op="nope", **{"fo\u00ffo": 1, "a\u2028b": 2})
    req(id="unknown-tab", op="nope", **{"a\tb": 1})
    req(id="fold-long-s", op="open", now=NOW, **{"\u017ftate_text": "null"})
    req(id="fold-kelvin", op="make_oci", **{"doc\u212aer_text": "{}"})
    req(id="fold-upper", op="make_oci", DOCKER_TEXT="{}")
    req(id="fold-not-for-others", op="nope", **{"\u017fomething": 1})
    req(id="fold-kelvin-not-k", op="nope", **{"\u212aey": 1})
    req(id="unknown-after-probe-fails", op=5, foo=1)
    raw(b'{"id":"unknown-then-garbage","op":"nope","foo":1} x')
    raw(b'{"id":"unknown-then-bracket","op":"nope","foo":1} ]')
    # ---------------------------------------------------------------- type errors
    req(id="te-string-number", op="nope", image_id=5)
    req(id="te-string-bool", op="nope", image_name=True)
    req(id="te-string-object", op="nope", container_name={})
    req(id="te-string-array", op="nope", layer_id=[])
    req(id="te-ptr-number", op="nope", config=1.5)
    req(id="te-ptr-bool", op="nope", now=False)
    req(id="te-ptr-object", op="nope", goos={"a": 1})
    req(id="te-ptr-array", op="nope", history_timestamp=[NOW])
    req(id="te-names-string", op="nope", names="x")
    req(id="te-names-number", op="nope", names=[1])
    req(id="te-names-object", op="nope", names={})
    req(id="te-names-array-in-array", op="nope", names=[[1]])
    req(id="te-names-object-in-array", op="nope", names=["a", {}])
    req(id="te-names-bool", op="nope", names=True)
    req(id="te-type", op="roundtrip", type=False)
    req(id="te-two", op="nope", image_id=5, layer_id=6)
    # ---------------------------------------------------------------- more than one value
    raw(b'{"id":"more","op":"nope"} x')
    raw(b'{"id":"more2","op":"nope"}{}')
    raw(b'{"id":"more3","op":"nope"} "s"')
    raw(b'{"id":"bracket","op":"nope"} ]')
    raw(b'{"id":"brace","op":"nope"}}')
    raw(b'{"id":"more-valid-op","op":"make_oci","docker_text":"{}"} 1')
    # ---------------------------------------------------------------- unknown op
    req(id="op-unknown", op="nope")
    req(id="op-empty", op="")
    req(id="op-case", op="Import_Image", now=NOW)
    # ---------------------------------------------------------------- now / goos / goarch
    for op in ["import_image", "import_container", "open", "make_docker_v2s1", "make_image_ref"]:
        req(id=f"now-missing-{op}", op=op)
    for op in OPS:
        req(id=f"now-bad-{op}", op=op, now="2017-09-01 12:00:00Z")
    for bad_now in [
        "",
        "x",
        "2017-09-01T12:00:00",
        "2017-09-01T12:00:00+0200",
        "2017-02-29T00:00:00Z",
        "2017-09-01T24:00:00Z",
        "2017-09-01T12:00:00.Z",
        "2017-09-01T12:00:00Zjunk",
        "2017-09-01t12:00:00z",
        "\u00e9",
        '"2017-09-01T12:00:00Z"',
    ]:
        req(id="now-bad-text", op="import_image", image_id=IMG, config_text="{}", now=bad_now)
    req(id="now-null", op="import_image", image_id=IMG, now=None)
    req(id="now-optional-make-oci", op="make_oci", docker_text="{}")
    req(id="describe-ignores-now", op="nope", now="bad")
    ok_cfg = js({"docker_version": "1", "created": "2017-06-20T18:20:19.5Z"})
    for now in [
        "2017-09-01T12:00:00+02:00",
        "2017-09-01T1:00:00,123456789123Z",
        "2016-02-29T00:00:00+99:99",
        "0001-01-01T00:00:00Z",
        "0000-01-01T00:00:00+01:00",
        "9999-12-31T23:30:00-01:00",
    ]:
        req(id="now-variant", op="import_image", image_id=IMG, config_text="{}", now=now)
        req(id="now-variant-ref", op="make_image_ref", image_id=IMG, config_text=ok_cfg, now=now)
    req(
        id="goos-goarch",
        op="import_image",
        image_id=IMG,
        config_text=ok_cfg,
        now=NOW,
        goos="windows",
        goarch="s390x",
    )
    req(
        id="goos-empty",
        op="import_image",
        image_id=IMG,
        config_text=ok_cfg,
        now=NOW,
        goos="",
        goarch="",
    )
    req(id="goos-null", op="import_image", image_id=IMG, config_text=ok_cfg, now=NOW, goos=None)
    req(
        id="goos-kept-when-set",
        op="import_image",
        image_id=IMG,
        now=NOW,
        goos="plan9",
        config_text=js({"docker_version": "1", "os": "linux", "architecture": "arm"}),
    )
    # ---------------------------------------------------------------- base64
    for text in [
        "abc",
        "QR=",
        "QR==x",
        "Q===",
        "=",
        "==",
        "Q",
        "QQ",
        "QQ=",
        "QQ==QQ==",
        "QQ==\n",
        "QQ\r\n==",
        "QQ=\r\n=",
        "Q\nQ==",
        " QQ==",
        "QQ== ",
        "QUJD\u00e9",
        "QUJD-_",
        "QR==",
        "QUI=",
        "QUJDRA==",
        "",
        "\r\n",
        "QUJD\nRA==\n",
        "QUJDRA=\n=\n\n",
        "QUJDRA=\nx",
    ]:
        req(id="b64", op="import_image", image_id=IMG, now=NOW, config=text)
    req(
        id="b64-manifest",
        op="import_image",
        image_id=IMG,
        now=NOW,
        config=b64(ok_cfg),
        manifest="!!",
    )
    req(id="b64-state", op="open", now=NOW, state="e30")
    req(id="b64-docker", op="make_oci", docker="e30=x")
    req(id="b64-oci", op="make_docker_v2s2", oci="*")
    req(id="b64-input", op="roundtrip", type="docker.Config", input="e3")
    req(id="b64-ignored-store", op="import_image", image_id="", now=NOW, config="!!")
    # ---------------------------------------------------------------- blob and blob_text
    for op, name in [
        ("import_image", "config"),
        ("import_image", "manifest"),
        ("import_container", "config"),
        ("open", "state"),
        ("make_oci", "docker"),
        ("make_docker_v2s2", "oci"),
        ("make_docker_v2s1", "manifest"),
        ("make_image_ref", "config"),
        ("make_image_ref", "manifest"),
        ("roundtrip", "input"),
    ]:
        fields: dict[str, object] = {
            "id": f"both-{op}-{name}",
            "op": op,
            "now": NOW,
            "type": "docker.Config",
            name: "e30=",
            name + "_text": "{}",
        }
        req(**fields)
    req(id="both-null-b64", op="make_oci", docker=None, docker_text="{}")
    req(id="both-null-text", op="make_oci", docker="e30=", docker_text=None)
    for op, name in [
        ("open", "state"),
        ("make_oci", "docker"),
        ("make_docker_v2s2", "oci"),
        ("make_docker_v2s1", "manifest"),
        ("roundtrip", "input"),
    ]:
        req(id=f"missing-{name}", op=op, now=NOW, type="docker.Config")
        req(id=f"null-{name}", op=op, now=NOW, type="docker.Config", **{name: None})
    # ---------------------------------------------------------------- check order
    req(id="order-now-before-blob", op="import_image", config="!!")
    req(id="order-config-before-manifest", op="import_image", now=NOW, config="!!", manifest="!!")
    req(
        id="order-blob-before-hts",
        op="make_image_ref",
        now=NOW,
        config="!!",
        history_timestamp="bad",
    )
    req(id="order-now-before-type", op="roundtrip", now="bad", type="nope")
    req(id="order-type-before-input", op="roundtrip", type="nope")
    req(id="order-now-before-state", op="open", now="bad")
    # ---------------------------------------------------------------- import_image
    docker_cfg = {
        "architecture": "amd64",
        "config": {
            "User": "nobody",
            "Env": ["PATH=/usr/bin"],
            "Cmd": ["sh"],
            "ExposedPorts": {"80/tcp": {}, "53/udp": {}},
            "Volumes": {"/v": {}},
            "Labels": {"b": "2", "a": "1"},
            "WorkingDir": "",
            "Entrypoint": "/init",
            "Healthcheck": {"Test": ["CMD", "true"], "Interval": 5},
        },
        "container": "deadbeef",
        "container_config": {"Hostname": "x", "Cmd": "/bin/sh -c #(nop) CMD"},
        "created": "2017-06-20T18:20:19.123456789+02:00",
        "docker_version": "17.03.1-ce",
        "history": [
            {"created": "2017-06-20T18:20:18.5Z", "created_by": "/bin/sh -c ADD"},
            {
                "created": "2017-06-20T18:20:19-07:00",
                "empty_layer": True,
                "author": "<me>",
                "comment": "c",
            },
        ],
        "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [H, "not-a-digest"]},
        "id": "i",
        "parent": "p",
        "comment": "x",
        "author": "a",
        "Size": 5,
        "os.version": "10",
        "os.features": ["f"],
    }
    docker_manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "x", "size": 1, "digest": H2},
        "layers": [{"mediaType": "y", "size": 2, "digest": H}],
    }
    oci_cfg = {
        "created": "2017-07-01T10:00:00+03:00",
        "author": "me",
        "architecture": "arm64",
        "os": "linux",
        "config": {
            "Env": ["A=1"],
            "Entrypoint": ["/init"],
            "WorkingDir": "/srv",
            "ExposedPorts": {"8080/tcp": {}},
            "StopSignal": "TERM",
            "Labels": {"z": "<&>"},
        },
        "rootfs": {"type": "layers", "diff_ids": [H]},
        "history": [{"created": "2017-07-01T09:00:00Z", "created_by": "buildah"}],
    }
    oci_manifest = {
        "schemaVersion": 2,
        "config": {"digest": H2, "size": 3},
        "layers": [],
        "annotations": {"org.opencontainers.image.ref.name": "v1", "z": "<last>"},
    }
    v1c0 = {
        "id": "2" * 64,
        "parent": "1" * 64,
        "created": "2017-05-01T00:00:02.000000001Z",
        "container_config": {"Cmd": ["/bin/sh", "-c", "#(nop) ", 'CMD ["sh"]']},
        "config": {"Cmd": ["sh"]},
        "docker_version": "1.12.6",
        "architecture": "amd64",
        "os": "linux",
        "throwaway": True,
    }
    v1c1 = {
        "id": "1" * 64,
        "created": "2017-05-01T00:00:01+01:00",
        "author": "someone",
        "comment": "made",
        "container_config": {"Cmd": ["", "a b", ""]},
    }
    schema1 = {
        "schemaVersion": 1,
        "name": "library/busybox",
        "tag": "latest",
        "architecture": "amd64",
        "fsLayers": [{"blobSum": H}, {"blobSum": H2}],
        "history": [
            {"v1Compatibility": js(v1c0)},
            {"v1Compatibility": js(v1c1)},
            {"v1Compatibility": "not json"},
            {"v1Compatibility": js({"container_config": {"Cmd": "s"}})},
        ],
        "signatures": [{"header": {}}],
    }

    def imp(case_id: str, **fields: object) -> None:
        base: dict[str, object] = {"id": case_id, "op": "import_image", "image_id": IMG, "now": NOW}
        base.update(fields)
        req(**base)

    imp(
        "ii-docker",
        config=b64(js(docker_cfg)),
        manifest=b64(js(docker_manifest)),
        image_name="docker.io/library/busybox:latest",
        container_name="n",
        container_id="i",
    )
    imp("ii-docker-no-manifest", config=b64(js(docker_cfg)))
    imp(
        "ii-docker-config-null",
        config_text=js(
            {
                "docker_version": "1",
                "config": None,
                "container_config": {"Cmd": ["x"], "WorkingDir": "/w"},
            }
        ),
    )
    imp(
        "ii-docker-workdir-kept",
        config_text=js({"docker_version": "1", "config": {"WorkingDir": "/app"}}),
    )
    imp(
        "ii-docker-rootfs-not-layers",
        config_text=js({"docker_version": "1", "rootfs": {"type": "x", "diff_ids": [H]}}),
    )
    imp("ii-oci", config=b64(js(oci_cfg)), manifest=b64(js(oci_manifest)))
    imp(
        "ii-oci-manifest-no-annotations",
        config=b64(js(oci_cfg)),
        manifest_text=js({"schemaVersion": 2}),
    )
    imp("ii-oci-manifest-bad", config=b64(js(oci_cfg)), manifest_text="{bad")
    imp(
        "ii-oci-manifest-type-error",
        config=b64(js(oci_cfg)),
        manifest_text=js({"schemaVersion": "2", "annotations": {"a": "b"}}),
    )
    imp(
        "ii-oci-manifest-2017-types",
        config=b64(js(oci_cfg)),
        manifest_text=js(
            {"schemaVersion": 2, "subject": 5, "config": {"data": "!!"}, "annotations": {"a": "b"}}
        ),
    )
    imp(
        "ii-versionless-docker",
        config_text=js(
            {
                "created": "2017-01-01T00:00:00+05:00",
                "container_config": {"Cmd": ["kept"]},
                "config": {"Env": ["E=1"]},
            }
        ),
    )
    imp(
        "ii-inverted",
        config_text=js(
            {
                "created": "2017-01-01T00:00:00Z",
                "architecture": 5,
                "os": "x",
                "history": [{"created": "2017-01-01T00:00:00+02:00"}],
            }
        ),
    )
    imp("ii-inverted-full", config_text=js({**oci_cfg, "author": 5}))
    imp(
        "ii-inverted-bad-digest",
        config_text=js(
            {**oci_cfg, "author": 5, "rootfs": {"type": "layers", "diff_ids": ["sha256:x"]}}
        ),
    )
    imp("ii-inverted-created-nil", config_text=js({"architecture": 5}))
    imp(
        "ii-inverted-history-created-nil",
        config_text=js(
            {"created": "2017-01-01T00:00:00Z", "architecture": 5, "history": [{"author": "a"}]}
        ),
    )
    imp(
        "ii-inverted-digest-before-history",
        config_text=js(
            {
                "created": "2017-01-01T00:00:00Z",
                "architecture": 5,
                "history": [{"author": "a"}],
                "rootfs": {"type": "layers", "diff_ids": ["md5:00"]},
            }
        ),
    )
    imp("ii-syntax-error", config_text='{"architecture":"amd64",')
    imp("ii-syntax-error-created", config_text='{"created":"2017-01-01T00:00:00Z","x":}')
    imp("ii-null-config", config_text="null")
    imp("ii-oci-no-created", config_text=js({"architecture": "amd64", "os": "linux"}))
    imp("ii-oci-created-null", config_text=js({"created": None}))
    imp("ii-bad-created", config_text=js({"created": "bad", "architecture": "amd64"}))
    imp("ii-bad-created-docker", config_text=js({"docker_version": "1", "created": "bad"}))
    imp(
        "ii-zero-created-offset",
        config_text=js({"docker_version": "1", "created": "0001-01-01T01:00:00+01:00"}),
    )
    imp(
        "ii-docker-year-minus-1",
        config_text=js({"docker_version": "1", "created": "0000-01-01T00:00:00+01:00"}),
    )
    imp(
        "ii-inverted-year-10000",
        config_text=js({"created": "9999-12-31T23:30:00-01:00", "architecture": 5}),
    )
    imp("ii-image-id-empty", image_id="", config=b64(js(docker_cfg)))
    imp("ii-config-null-no-manifest", config=None)
    imp("ii-config-empty", config="")
    imp(
        "ii-schema1",
        config=None,
        manifest=b64(js(schema1)),
        image_name="docker.io/library/busybox:latest",
    )
    imp("ii-schema1-float-version", manifest_text=js({**schema1, "schemaVersion": 1.0}))
    imp(
        "ii-schema1-no-docker-version",
        manifest_text=js({"schemaVersion": 1, "history": [{"v1Compatibility": "{}"}]}),
    )
    imp("ii-schema1-no-history", manifest_text=js({"schemaVersion": 1}))
    imp(
        "ii-schema1-bad-history0",
        manifest_text=js({"schemaVersion": 1, "history": [{"v1Compatibility": "not json"}]}),
    )
    imp("ii-manifest-invalid", manifest_text="not json")
    imp("ii-manifest-v2-no-config", manifest=b64(js(docker_manifest)))
    imp(
        "ii-container-fields",
        config_text=ok_cfg,
        container_name="ctr",
        container_id="cid",
        image_name="busybox",
    )
    imp(
        "ii-duplicate-keys",
        config_text='{"docker_version":"1","created":"2017-01-01T00:00:00Z",'
        '"config":{"Labels":{"x":"1"},"Cmd":["a","b"]},"config":{"Labels":{"y":"2"},"Cmd":[null]}}',
    )
    imp(
        "ii-html-u2028",
        config_text=js(
            {"docker_version": "1", "created": NOW, "author": "<a&b> \u2028 \u2029 \u00e9 \b\f\x7f"}
        ),
    )
    imp(
        "ii-invalid-utf8",
        config=b64(
            b'{"docker_version":"1","created":"2017-01-01T00:00:00Z",'
            b'"author":"x\xff\xfey","config":{"Labels":{"k\xc3":"v"}}}'
        ),
    )

    # ---------------------------------------------------------------- import_container
    def ctr(case_id: str, **fields: object) -> None:
        base: dict[str, object] = {
            "id": case_id,
            "op": "import_container",
            "image_id": IMG,
            "now": NOW,
            "container_name": "ctr",
            "container_id": "f00",
        }
        base.update(fields)
        req(**base)

    ctr(
        "ic-docker",
        config=b64(js(docker_cfg)),
        manifest=b64(js(docker_manifest)),
        image_name="docker.io/library/busybox:latest",
    )
    ctr("ic-oci", config=b64(js(oci_cfg)), manifest=b64(js(oci_manifest)))
    ctr("ic-no-container-name", container_name="", config_text=ok_cfg)
    ctr("ic-no-container-name-first", container_name="", image_id="")
    ctr("ic-digest-id", image_id=H, config_text=ok_cfg)
    ctr("ic-upper-digest-id", image_id="sha256:" + "A" * 64, config_text=ok_cfg)
    ctr("ic-bad-digest-id", image_id="SHA256:" + "a" * 64, config_text=ok_cfg)
    ctr("ic-sha512-short", image_id="sha512:" + "a" * 64, config_text=ok_cfg)
    ctr("ic-image-id-empty", image_id="", config_text=ok_cfg)
    ctr(
        "ic-save-error",
        config_text=js({"docker_version": "1", "created": "0000-01-01T00:00:00+01:00"}),
    )
    ctr("ic-panic", config_text=js({"architecture": "amd64"}))
    ctr("ic-schema1", manifest=b64(js(schema1)), image_name="busybox:latest")
    # ---------------------------------------------------------------- open
    state = {
        "type": "kpod 0.0.1",
        "image": "docker.io/library/busybox:latest",
        "image-id": IMG,
        "config": b64(js(docker_cfg)),
        "container-name": "ctr",
        "container-id": "f00",
        "mountpoint": "/mnt",
        "annotations": {"b": "2", "a": "<1>"},
        "created-by": "me",
        "ociv1": {
            "created": "2017-01-01T00:00:00+02:00",
            "architecture": "arm",
            "config": {"Env": ["X=1"]},
        },
        "docker": {
            "created": "2017-01-01T00:00:00-03:00",
            "container_config": {"Cmd": ["old"], "Image": "i"},
            "config": {"Cmd": ["new"]},
            "docker_version": "9",
            "parent": H,
        },
    }

    def opn(case_id: str, **fields: object) -> None:
        base: dict[str, object] = {"id": case_id, "op": "open", "now": NOW}
        base.update(fields)
        req(**base)

    opn("open-full", state=b64(js(state)))
    opn(
        "open-goarch",
        state_text=js({"type": "kpod 0.0.1", "ociv1": {"created": "2017-01-01T00:00:00Z"}}),
        goos="freebsd",
        goarch="riscv64",
    )
    opn("open-null", state_text="null")
    opn("open-wrong-type", state_text=js({"type": "kpod 0.0.2", "ociv1": {"created": NOW}}))
    opn("open-no-type", state_text="{}")
    opn("open-syntax", state_text="{")
    opn("open-empty", state="")
    opn(
        "open-type-error",
        state_text=js({"type": "kpod 0.0.1", "image-id": 5, "ociv1": {"created": NOW}}),
    )
    opn("open-time-error", state_text=js({"type": "kpod 0.0.1", "ociv1": {"created": "yesterday"}}))
    opn("open-no-oci-created", state_text=js({"type": "kpod 0.0.1"}))
    opn(
        "open-oci-created-zero",
        state_text=js({"type": "kpod 0.0.1", "ociv1": {"created": "0001-01-01T00:00:00Z"}}),
    )
    opn("open-array", state_text="[]")
    opn(
        "open-bytes-config",
        state_text=js(
            {
                "type": "kpod 0.0.1",
                "config": [1, 2, 255],
                "manifest": "e30=\r\n",
                "ociv1": {"created": NOW},
            }
        ),
    )
    opn(
        "open-bad-base64",
        state_text=js({"type": "kpod 0.0.1", "config": "!!", "ociv1": {"created": NOW}}),
    )
    opn(
        "open-year",
        state_text=js(
            {
                "type": "kpod 0.0.1",
                "ociv1": {"created": "2017-01-01T00:00:00Z"},
                "docker": {"created": "0000-01-01T00:00:00-01:00"},
            }
        ),
        now="0000-01-01T00:00:00+01:00",
    )
    # ---------------------------------------------------------------- make_oci
    req(id="mo-full", op="make_oci", docker=b64(js(docker_cfg)))
    req(id="mo-empty", op="make_oci", docker_text="{}")
    req(id="mo-decode-error", op="make_oci", docker_text='{"created":5}')
    req(id="mo-syntax-error", op="make_oci", docker_text="{")
    req(id="mo-null", op="make_oci", docker_text="null")
    req(id="mo-year", op="make_oci", docker_text=js({"created": "0000-01-01T00:00:00+01:00"}))
    req(
        id="mo-history-year",
        op="make_oci",
        docker_text=js({"created": NOW, "history": [{"created": "9999-12-31T23:30:00-01:00"}]}),
    )
    req(
        id="mo-container-config",
        op="make_oci",
        docker_text=js({"container_config": {"User": "u", "ExposedPorts": {"1/tcp": {}}}}),
    )
    # ---------------------------------------------------------------- make_docker_v2s2
    req(id="md2-full", op="make_docker_v2s2", oci=b64(js(oci_cfg)))
    req(id="md2-no-created", op="make_docker_v2s2", oci_text="{}")
    req(id="md2-created-null", op="make_docker_v2s2", oci_text='{"created":null}')
    req(
        id="md2-history-no-created",
        op="make_docker_v2s2",
        oci_text=js({"created": NOW, "history": [{"created": NOW}, {"author": "a"}]}),
    )
    for bad in [
        "sha256:x",
        "md5:" + "a" * 32,
        "sha512:" + "a" * 64,
        "sha256",
        "sha256:",
        ":" + "a" * 64,
        "sha256:" + "g" * 64,
        "SHA256:" + "a" * 64,
    ]:
        req(
            id="md2-digest",
            op="make_docker_v2s2",
            oci_text=js({"created": NOW, "rootfs": {"type": "layers", "diff_ids": [H, bad]}}),
        )
    req(
        id="md2-digest-upper",
        op="make_docker_v2s2",
        oci_text=js(
            {"created": NOW, "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "A" * 64]}}
        ),
    )
    req(
        id="md2-digest-before-history",
        op="make_docker_v2s2",
        oci_text=js(
            {"created": NOW, "history": [{}], "rootfs": {"type": "layers", "diff_ids": ["x"]}}
        ),
    )
    req(
        id="md2-not-layers",
        op="make_docker_v2s2",
        oci_text=js({"created": NOW, "rootfs": {"type": "Layers", "diff_ids": ["x"]}}),
    )
    req(id="md2-decode-error", op="make_docker_v2s2", oci_text='{"architecture":5}')
    req(id="md2-year", op="make_docker_v2s2", oci_text=js({"created": "9999-12-31T23:30:00-01:00"}))
    # ---------------------------------------------------------------- make_docker_v2s1
    req(id="md1-full", op="make_docker_v2s1", now=NOW, manifest=b64(js(schema1)))
    req(id="md1-no-history", op="make_docker_v2s1", now=NOW, manifest_text="{}")
    req(
        id="md1-bad-history0",
        op="make_docker_v2s1",
        now=NOW,
        manifest_text=js({"history": [{"v1Compatibility": '{"docker_version":'}]}),
    )
    req(
        id="md1-empty-history0",
        op="make_docker_v2s1",
        now=NOW,
        manifest_text=js({"history": [{"v1Compatibility": ""}]}),
    )
    req(
        id="md1-no-docker-version",
        op="make_docker_v2s1",
        now=NOW,
        manifest_text=js({"history": [{"v1Compatibility": js({"created": NOW})}]}),
    )
    req(
        id="md1-decode-error", op="make_docker_v2s1", now=NOW, manifest_text='{"schemaVersion":"1"}'
    )
    req(
        id="md1-schema-version-ignored",
        op="make_docker_v2s1",
        now="2017-09-01T12:00:00+02:00",
        manifest_text=js(
            {
                "schemaVersion": 7,
                "history": [
                    {"v1Compatibility": js({"docker_version": "1", "created": "bad"})},
                    {
                        "v1Compatibility": js(
                            {
                                "created": "2017-01-01T00:00:00+01:00",
                                "container_config": {"Cmd": ["a", "", "<b>"]},
                                "throwaway": True,
                            }
                        )
                    },
                ],
            }
        ),
    )

    # ---------------------------------------------------------------- make_image_ref
    def ref(case_id: str, **fields: object) -> None:
        base: dict[str, object] = {
            "id": case_id,
            "op": "make_image_ref",
            "image_id": IMG,
            "now": NOW,
            "config_text": ok_cfg,
        }
        base.update(fields)
        req(**base)

    ref("mir-defaults")
    ref(
        "mir-full",
        config=b64(js(oci_cfg)),
        config_text=None,
        manifest=b64(js(oci_manifest)),
        manifest_type="application/vnd.docker.distribution.manifest.v2+json",
        names=["docker.io/library/busybox:latest", "other"],
        layer_id="layer",
        history_timestamp="2017-01-01T00:00:00.123456789+05:30",
    )
    for names in [
        [],
        ["busybox"],
        ["busybox:latest"],
        ["docker.io/busybox"],
        ["localhost:5000/a/b:tag"],
        ["Upper/case"],
        [""],
        ["docker.io/library/x@" + H],
        ["example.com/a@sha256:" + "A" * 64],
        ["docker.io/library/x:t@" + H2],
        ["a" * 300],
        ["<html>&"],
        None,
    ]:
        ref("mir-names", names=names)
    ref("mir-annotations-nil", manifest_text=js({"schemaVersion": 2}))
    ref("mir-annotations-html", manifest_text=js({"annotations": {"<k>": "&v\u2028"}}))
    ref("mir-hts-null", history_timestamp=None)
    ref("mir-hts-bad", history_timestamp="2017")
    ref("mir-hts-year", history_timestamp="0000-01-01T00:00:00+01:00")
    ref("mir-hts-year-10000", history_timestamp="9999-12-31T23:30:00-01:00")
    ref(
        "mir-oci-encode-error",
        config_text=js({"docker_version": "1", "created": "0000-01-01T00:00:00+01:00"}),
    )
    ref(
        "mir-docker-encode-error",
        config_text=js({"created": "9999-12-31T23:30:00-01:00", "architecture": 5}),
    )
    ref("mir-panic", image_id="")
    ref("mir-created-by-empty", container_name="c", container_id="i")
    raw(
        b'{"id":"mir-stale-names","op":"make_image_ref","image_id":"'
        + IMG.encode()
        + b'","now":"'
        + NOW.encode()
        + b'","config_text":'
        + json.dumps(ok_cfg).encode()
        + b',"names":["a","b","c","d"],"names":["docker.io/library/x:1"],'
        + b'"names":[null,null,null,null,null]}'
    )
    raw(
        b'{"id":"mir-names-null-elem","op":"make_image_ref","image_id":"'
        + IMG.encode()
        + b'","now":"'
        + NOW.encode()
        + b'","config_text":'
        + json.dumps(ok_cfg).encode()
        + b',"names":[null,"x"]}'
    )
    raw(
        b'{"id":"mir-names-reset","op":"make_image_ref","image_id":"'
        + IMG.encode()
        + b'","now":"'
        + NOW.encode()
        + b'","config_text":'
        + json.dumps(ok_cfg).encode()
        + b',"names":["a","b"],"names":[],"names":[null]}'
    )
    raw(
        b'{"id":"mir-names-nil-reset","op":"make_image_ref","image_id":"'
        + IMG.encode()
        + b'","now":"'
        + NOW.encode()
        + b'","config_text":'
        + json.dumps(ok_cfg).encode()
        + b',"names":["a","b"],"names":null,"names":[null]}'
    )
    raw(
        b'{"id":"dup-scalars","op":"make_image_ref","image_id":"'
        + IMG.encode()
        + b'","now":"bad","now":"'
        + NOW.encode()
        + b'","config_text":'
        + json.dumps(ok_cfg).encode()
        + b',"layer_id":"l1","layer_id":null,"config":"!!","config":null}'
    )
    # ---------------------------------------------------------------- roundtrip
    for type_name, doc in [
        ("CopyData", js(state)),
        ("*CopyData", js(state)),
        ("CopyData", "null"),
        ("*CopyData", "null"),
        ("*CopyData", "5"),
        ("CopyData", "5"),
        ("docker.V2Image", js(docker_cfg)),
        ("docker.V1Image", js({**docker_cfg, "parent": "p1"})),
        (
            "docker.Config",
            js({"Cmd": "a b", "Shell": ["sh"], "StopTimeout": 3, "Healthcheck": None}),
        ),
        ("docker.HealthConfig", js({"Interval": 1.5})),
        ("docker.V2S2RootFS", js({"type": "layers", "diff_ids": []})),
        ("docker.V2S2History", js({"created": "2017-01-01T00:00:00.100+02:00"})),
        ("docker.V2S1Manifest", js(schema1)),
        ("docker.V1Compatibility", js(v1c0)),
        ("ociv1.Image", js(oci_cfg)),
        ("ociv1.ImageConfig", js({"ExposedPorts": {"b": {}, "a": {"x": 1}}})),
        ("ociv1.RootFS", js({"diff_ids": None})),
        ("ociv1.History", js({"created": None, "empty_layer": False})),
        ("ociv1.Manifest", js(oci_manifest)),
        ("ociv1.Manifest", "{"),
        ("docker.Config", js({"Cmd": 5, "Env": ["a"]})),
    ]:
        req(id="rt-" + type_name, op="roundtrip", type=type_name, input=b64(doc))
    req(id="rt-unknown", op="roundtrip", type="docker.Nope", input_text="{}")
    req(id="rt-empty-type", op="roundtrip", input_text="{}")
    req(id="rt-type-case", op="roundtrip", type="copydata", input_text="{}")


def run_oracle(oracle: pathlib.Path, data: bytes) -> bytes:
    proc = subprocess.run([str(oracle)], input=data, capture_output=True, check=True)
    return proc.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--oracle",
        type=pathlib.Path,
        default=DEFAULT_ORACLE,
        help="the oracle (run.sh or its binary)",
    )
    args = parser.parse_args(argv)
    build()
    data = b"".join(line + b"\n" for line in LINES)
    out = run_oracle(args.oracle, data)
    answers = out.split(b"\n")[:-1]  # split on "\n" only, as the oracle writes lines
    if len(answers) != len(LINES) or not out.endswith(b"\n"):
        print(f"oracle answered {len(answers)} lines for {len(LINES)} requests", file=sys.stderr)
        return 1
    (HERE / "protocol_cases.jsonl").write_bytes(data)
    (HERE / "protocol_cases.out.jsonl").write_bytes(out)
    print(f"{len(LINES)} cases written to {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
