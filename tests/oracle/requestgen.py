"""Protocol requests for the differential run against the Go oracle: pure, seeded, deterministic.

Three sources, in this order:

(a) every document of the shared corpus (``<repo>/../shared/corpus/<kind>/<file>.json``, read at
    run time, never copied) turned into the ops that fit its kind (family ``base``);
(b) every request of the oracle's ``examples.jsonl`` and ``semantics.jsonl`` (families
    ``examples``, ``semantics``), verbatim apart from the id;
(c) seeded mutations of (a), one family per rule of ``spec/GO_JSON_SEMANTICS.md`` and per quirk of
    the original (see `FAMILIES`).

A fourth source needs the oracle's answers, so it is a separate function: `saved_state_cases`
turns the ``state`` that ``import_container`` answered (what ``Save()`` wrote) into ``open``
requests, as the original reads back its own ``kpod.json``.

Every request sets ``now`` (answers never depend on the clock); blobs are standard base64 (exact
bytes). Ids are ``"<family>:<kind>/<document>:<n>"``. The same seed always yields the same requests
in the same order: each document draws from its own `random.Random`, seeded with the seed and the
document's path, so adding a document does not reshuffle the others.

Run ``python -m tests.oracle.requestgen --out requests.jsonl`` to write them as JSON Lines.
"""

from __future__ import annotations

import argparse
import base64
import collections
import json
import random
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from tests.oracle.jsontree import (
    STYLES,
    Key,
    Node,
    Num,
    Obj,
    Raw,
    dump,
    get,
    parse,
    put,
    remove,
    values,
)
from tests.oracle.jsontree import Path as TreePath
from tests.oracle.mutations import (
    digest_forms,
    hex_digits,
    mutate,
)
from tests.protocol_vocabulary import ROUNDTRIP_TYPES

Request = dict[str, Any]

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
ORACLE_DIR = SHARED / "oracle"

DEFAULT_SEED = 20170831
NOW = "2017-09-01T12:00:00.5Z"

CONFIG_KINDS = ("docker-config", "oci-config", "docker-inspect", "other")
MANIFEST_KINDS = ("v2s2-manifest", "manifest-list", "oci-manifest", "oci-index")
V2S1 = "v2s1-manifest"

#: The families of (c) and which rule or quirk each one probes (GO_JSON_SEMANTICS.md sections).
FAMILIES: dict[str, str] = {
    "base": "corpus documents as they are, through every op that fits their kind",
    "examples": "the oracle's examples.jsonl",
    "semantics": "the oracle's semantics.jsonl (one request per documented rule)",
    "keycase": "§2 case-insensitive keys: ASCII folds, ſ (U+017F), K (U+212A), non-folds, escapes",
    "dupkeys": "§3 duplicate keys: last wins, maps/structs merge, slices reuse stale elements",
    "nulls": "§4 null: no-op for scalars/structs, nil for slices/maps/pointers, top-level null",
    "wrongtype": "§5 wrong JSON types: first error kept, StrSlice/time errors abort",
    "empties": "§11 omitempty: empty maps/slices/strings, zero numbers, false, pointer to 0",
    "numbers": "§6 integers: 1.0, 1e3, -0, int64 overflow, numbers in string fields",
    "utf8": "§7 invalid UTF-8 (one U+FFFD per byte), lone surrogate escapes, key collisions",
    "text": "§8 output escaping: <>&, U+2028/2029, control characters, DEL, non-ASCII",
    "mapkeys": "§10 map keys sorted by bytes",
    "time": "§12 odd times: 1-digit hours, commas, >9 digits, +99:99, year 0000/9999, bad dates",
    "truncate": "§1 truncated documents: syntax error, nothing decoded",
    "syntax": "§1 other syntax errors: comments, trailing commas, BOM, NaN, second value",
    "deep": "§1 nesting depth around Go's limit of 10000",
    "inverted": "§13 initConfig: no docker_version, decode errors, the inverted err != nil",
    "digest": "§13 go-digest rc0: diff_ids in many forms (upper-case hex is valid)",
    "schema1": "§13 schema 1: schemaVersion 1.0, history, v1Compatibility, created_by",
    "imageid": "§13 importCopyData: Parent from image IDs in many forms, container names",
    "names": "§13 MakeImageRef: names in many forms, manifest types, history timestamps",
    "env": "injected clock and platform: odd now, GOOS/GOARCH",
    "state": "open: states written by hand (type check, missing created, null)",
    "base64": "§9 []byte fields of states: padding, CR/LF, trailing bits, arrays of numbers",
    "protocol": "request-level errors, the id echo, raw request lines (duplicate keys, number "
    "literals, invalid JSON or UTF-8)",
    "saved": "open of the states import_container answered (needs the oracle: phase 2)",
}


@dataclass(frozen=True)
class Case:
    """One request and the family that produced it. `line`, when set, is sent instead of the
    request's JSON: a request line that no dict can express (duplicate keys, number literals,
    invalid JSON or UTF-8); `request` then only describes it."""

    family: str
    request: Request
    line: bytes | None = None

    @property
    def op(self) -> str:
        return str(self.request.get("op"))

    def encode(self) -> bytes:
        return self.line if self.line is not None else encode_request(self.request)


@dataclass
class Doc:
    kind: str
    name: str  # "<kind>/<file>"
    raw: bytes
    tree: Node | None

    @cached_property
    def nodes(self) -> list[tuple[TreePath, Key | None, Node]]:
        return values(self.tree)


def encode_request(request: Request) -> bytes:
    """One request line (without the newline). ASCII only, so no byte of it can be a newline."""
    return json.dumps(request, separators=(",", ":")).encode("ascii")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def read_corpus(corpus: Path = CORPUS) -> list[Doc]:
    docs = []
    for kind_dir in sorted(p for p in corpus.iterdir() if p.is_dir()):
        for path in sorted(kind_dir.glob("*.json")):
            raw = path.read_bytes()
            docs.append(Doc(kind_dir.name, f"{kind_dir.name}/{path.stem}", raw, parse(raw)))
    return docs


# --------------------------------------------------------------------------------------------
# Values the mutations draw from.

NAME_FORMS: tuple[str, ...] = (
    "docker.io/library/busybox:latest",
    "busybox",
    "busybox:latest",
    "library/busybox",
    "docker.io/busybox",
    "docker.io/library/busybox",
    "localhost/foo",
    "localhost:5000/foo/bar:tag",
    "quay.io/coreos/etcd:v3.1",
    "registry.example.com/a/b/c/d:1.0",
    "example.com:notaport/x",
    "Docker.io/library/busybox",
    "docker.io/Library/busybox",
    "BUSYBOX",
    "docker.io/library/busybox:",
    ":latest",
    "docker.io/library/busybox:" + "a" * 128,
    "docker.io/library/busybox:" + "a" * 129,
    "docker.io/" + "/".join(["abcdefghij"] * 25),
    "docker.io/library/b_u__s.y-b-o.x:t",
    "docker.io/library/-busybox",
    "docker.io/library/busybox-",
    "docker.io/library/busy..box",
    "[::1]:5000/foo",
    "192.168.0.1:5000/foo:bar",
    "docker.io/library/busybox:latest ",
    " docker.io/library/busybox",
    "docker.io//busybox",
    "docker.io/library/busybox/",
    "docker.io/library/busybox:tag:tag",
    "ü.example.com/x",
    "",
    "docker.io/library/busybox:latest\u2028",
    "<&>/x",
)

PLATFORMS: tuple[tuple[str, str], ...] = (
    ("linux", "amd64"),
    ("windows", "arm64"),
    ("", ""),
    ("darwin", "ppc64le"),
    ("LINUX", "AMD64"),
    ("<os>", "&arch"),
    ("\u2028", "é"),
    ("linux", ""),
    ("", "s390x"),
)

#: Valid for Go's time.Parse(RFC3339Nano), some of them odd (1-digit hour, comma, +99:99, years
#: whose UTC is outside 0..9999, the zero time).
NOW_FORMS: tuple[str, ...] = (
    NOW,
    "2017-09-01T12:00:00Z",
    "2017-09-01T14:00:00.123456789+02:00",
    "2017-09-01T2:00:00Z",
    "2017-09-01T12:00:00,5Z",
    "2017-09-01T12:00:00+99:99",
    "0000-01-01T00:30:00+01:00",
    "9999-12-31T23:59:59.999999999-01:00",
    "0001-01-01T00:00:00Z",
    "1970-01-01T00:00:00Z",
    "2016-02-29T23:59:59.999999999-23:59",
    "1969-12-31T23:59:59.999999999Z",
)

#: Request lines as the transport carries them (never blank: the oracle skips those without an
#: answer). The oracle decodes them with Go's encoding/json and echoes the raw id.
_OCI = b'"op":"make_oci","docker_text":"{}"'
RAW_REQUEST_LINES: tuple[bytes, ...] = (
    b'{"id":1.0,' + _OCI + b"}",
    b'{"id":1e400,' + _OCI + b"}",
    b'{"id":-0,' + _OCI + b"}",
    b'{"id":1E+2,' + _OCI + b"}",
    b'{"id":0.10,' + _OCI + b"}",
    b'{"id":123456789012345678901234567890,' + _OCI + b"}",
    b'{"id":"\\u00e9\\ud800",' + _OCI + b"}",
    b'{"id":"\\u003c<\xc3\xa9",' + _OCI + b"}",
    b'{"id": { "a" : [ 1 , 2 ] , "b" : "<&>" } ,' + _OCI + b"}",
    b'{"id":"\xff",' + _OCI + b"}",
    b'{"id":1,"op":"make_oci","docker_text":"{\\"os\\":\\"\xff\xfe\\"}"}',
    b'{"id":2,"op":"nope","op":"make_oci","docker_text":"{}"}',
    b'{"ID":3,"OP":"make_oci","Docker_Text":"{}"}',
    b'{"id":4,"op":"make_oci","docker_text":"{}","docker":null}',
    b'{"id":5,"op":"make_oci","docker_text":"{}","docker_text":"{\\"os\\":\\"x\\"}"}',
    b'{"id":6,"op":"make_oci","docker_text":"{}"',
    b'{"id":7,"op":"make_oci","docker_text":"{}"} {"id":8}',
    b'{"id":9,"op":"make_oci","docker_text":"{}"}x',
    b'{"id":10,"op":"make_oci","docker_text":"{}"}\\r',
    b'{"id":11,"op":"make_oci","docker_text":"{}"}\r',
    b'\xef\xbb\xbf{"id":12,"op":"make_oci","docker_text":"{}"}',
    b"[1,2]",
    b'"make_oci"',
    b"null",
    b"123",
    b"{}",
    b"{",
    b"nul",
    b'{"id":13,"op":"make_oci","docker_text":"{}","extra":{"deep":[1,{"x":null}]}}',
    b'{"id":14,"op":"make_oci","docker_text":5}',
    b'{"id":15,"op":"make_oci","docker_text":"{}","now":null,"goos":null}',
    b'{"id":16,"op":"make_oci","docker_text":"{\\"created\\":\\"2017-01-01T00:00:00\\\\u005a\\"}"}',
    b'{"id":17,"op":"import_image","image_id":"x","now":"2017-09-01T12:00:00Z","config_text":'
    b'"{\\"docker_version\\":\\"\\ud800\\u0000\\",\\"created\\":\\"2017-01-01T00:00:00Z\\"}"}',
    b'{"id":18,"op":"roundtrip","type":"ociv1.Image","input":"e30=","input":null}',
    b'{"id":[' + b"[" * 10000 + b"]" * 10000 + b"]," + _OCI + b"}",
    b'{"id":19,' + _OCI + b',"names":["a","b",]}',
    b'{"id":20 ,\t"op" : "make_oci" ,\r"docker_text":"{}" }',
)

#: Sub-documents of a config and the types that decode them (roundtrip probes of the parts).
SUB_DOCUMENTS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("config",), ("docker.Config", "ociv1.ImageConfig")),
    (("container_config",), ("docker.Config",)),
    (("config", "Healthcheck"), ("docker.HealthConfig",)),
    (("rootfs",), ("docker.V2S2RootFS", "ociv1.RootFS")),
)


def random_reference(rng: random.Random) -> str:
    """An image reference assembled from random parts, well-formed or not: domains (ports, IP
    addresses, upper case), path components with every separator, tags, digests."""

    def component() -> str:
        alnum = "abcdefghijklmnopqrstuvwxyz0123456789"
        runs = ["".join(rng.choices(alnum, k=rng.randint(1, 6))) for _ in range(rng.randint(1, 3))]
        out = runs[0]
        for run in runs[1:]:
            out += rng.choice((".", "_", "__", "-", "--", "---", "..", "___", "")) + run
        if rng.random() < 0.1:
            out = out.upper() if rng.random() < 0.5 else out + rng.choice(("-", ".", "_", "/"))
        return out

    parts = []
    if rng.random() < 0.6:
        parts.append(
            rng.choice(
                (
                    "docker.io",
                    "index.docker.io",
                    "localhost",
                    "localhost:5000",
                    "example.com",
                    "Example.COM",
                    "a.b.c",
                    "my-registry",
                    "my_registry",
                    "1.2.3.4:80",
                    "[::1]",
                    "[::1]:5000",
                    "reg.io:5000",
                    "reg.io:port",
                    "reg.io:",
                    "-bad.io",
                    "bad-.io",
                    "a..b",
                    "xn--bcher-kva.example",
                )
            )
        )
    parts += [component() for _ in range(rng.choice((1, 1, 2, 2, 3, 5)))]
    name = "/".join(parts)
    if rng.random() < 0.5:
        tag_chars = "abcXYZ019_.-"
        tag = rng.choice(("latest", "v1.0", "_x", ".x", "-x", "")) + "".join(
            rng.choices(tag_chars, k=rng.choice((0, 3, 20, 125, 127, 128)))
        )
        name += ":" + tag
    if rng.random() < 0.3:
        name += "@" + rng.choice(digest_forms(rng))
    return name


# --------------------------------------------------------------------------------------------
# The requests.

#: Mutations per document, by kind class: family -> expected count (the fraction is a chance).
PLAN: dict[str, dict[str, float]] = {
    "config": {
        "keycase": 3,
        "dupkeys": 3,
        "nulls": 2,
        "wrongtype": 3,
        "empties": 1,
        "numbers": 2,
        "utf8": 2,
        "text": 2,
        "mapkeys": 1,
        "time": 4,
        "truncate": 2,
        "syntax": 1.5,
        "deep": 0.05,
        "inverted": 3,
        "digest": 1,
    },
    "manifest": {
        "keycase": 1,
        "dupkeys": 1,
        "nulls": 1,
        "wrongtype": 1,
        "numbers": 0.6,
        "utf8": 0.5,
        "text": 0.4,
        "mapkeys": 0.5,
        "truncate": 0.6,
        "syntax": 0.4,
        "empties": 0.3,
    },
    "v2s1": {
        "schema1": 24,
        "keycase": 2,
        "dupkeys": 2,
        "nulls": 2,
        "wrongtype": 2,
        "numbers": 1,
        "utf8": 1,
        "text": 1,
        "truncate": 2,
        "syntax": 1,
        "empties": 1,
    },
    "state": {
        "keycase": 0.5,
        "dupkeys": 0.5,
        "nulls": 0.4,
        "wrongtype": 0.5,
        "time": 0.8,
        "utf8": 0.2,
        "text": 0.2,
        "mapkeys": 0.2,
        "truncate": 0.2,
        "numbers": 0.2,
        "empties": 0.2,
        "deep": 0.01,
    },
}

#: Op weights for a mutated document, by kind class ("convert" = the kind's converter).
OPS: dict[str, dict[str, int]] = {
    "config": {
        "import_image": 4,
        "import_container": 1,
        "make_image_ref": 1,
        "convert": 2,
        "roundtrip": 2,
    },
    "manifest": {"import_image": 3, "make_image_ref": 2, "roundtrip": 3},
    "v2s1": {
        "import_image": 3,
        "make_docker_v2s1": 3,
        "make_image_ref": 1,
        "import_container": 1,
        "roundtrip": 1,
    },
}
#: Families whose point is one path of the original.
FAMILY_OPS: dict[str, dict[str, int]] = {
    "inverted": {"import_image": 5, "import_container": 1, "make_image_ref": 1},
    "digest": {"import_image": 2, "make_docker_v2s2": 3, "make_oci": 2},
}


def _kind_class(kind: str) -> str:
    if kind in CONFIG_KINDS:
        return "config"
    if kind == V2S1:
        return "v2s1"
    return "manifest"


def _draws(rng: random.Random, expected: float) -> int:
    whole = int(expected)
    return whole + (1 if rng.random() < expected - whole else 0)


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    names = list(weights)
    return rng.choices(names, weights=[weights[n] for n in names])[0]


@dataclass
class Generator:
    """Builds the cases; one instance per run (it numbers the ids)."""

    seed: int = DEFAULT_SEED
    corpus: Path = CORPUS
    oracle_dir: Path = ORACLE_DIR
    counter: int = 0
    docs: list[Doc] = field(default_factory=list)

    def case(self, family: str, source: str, request: Request) -> Case:
        self.counter += 1
        return Case(family, {"id": f"{family}:{source}:{self.counter}", **request})

    def env(self, rng: random.Random, odd: float = 0.06) -> Request:
        out: Request = {"now": rng.choice(NOW_FORMS) if rng.random() < odd else NOW}
        if rng.random() < 0.2:
            goos, goarch = rng.choice(PLATFORMS) if rng.random() < 0.3 else PLATFORMS[0]
            out["goos"], out["goarch"] = goos, goarch
        return out

    def image_request(
        self,
        rng: random.Random,
        op: str,
        config: bytes | None,
        manifest: bytes | None,
        *,
        image_id: str | None = None,
        image_name: str | None = None,
        names: list[str] | None = None,
    ) -> Request:
        if image_id is None:
            image_id = (
                hex_digits(rng, 64) if rng.random() < 0.9 else "sha256:" + hex_digits(rng, 64)
            )
        if image_name is None:
            image_name = rng.choice(
                (
                    "docker.io/library/busybox:latest",
                    "docker.io/library/alpine:3.6",
                    "",
                    "quay.io/x/y:z",
                    "localhost/img",
                )
            )
        req: Request = {"op": op}
        # Absent and null both mean Go's nil: use both spellings.
        if config is not None or rng.random() < 0.5:
            req["config"] = None if config is None else b64(config)
        if manifest is not None or rng.random() < 0.5:
            req["manifest"] = None if manifest is None else b64(manifest)
        req["image_name"] = image_name
        req["image_id"] = image_id
        if op == "import_container":
            req["container_name"] = f"ctr-{hex_digits(rng, 6)}"
            req["container_id"] = hex_digits(rng, 64)
        elif rng.random() < 0.3:
            req["container_name"] = rng.choice(("", "c", "working-container"))
            req["container_id"] = rng.choice(("", hex_digits(rng, 64)))
        req.update(self.env(rng))
        if op == "make_image_ref":
            req["manifest_type"] = rng.choice(
                (
                    "",
                    "",
                    "application/vnd.docker.distribution.manifest.v2+json",
                    "application/vnd.oci.image.manifest.v1+json",
                    "x",
                )
            )
            if names is None:
                names = [image_name] if image_name else rng.choice(([], ["busybox"]))
                if rng.random() < 0.1:
                    names = [*names, "docker.io/library/other:1"]
            req["names"] = names
            req["layer_id"] = rng.choice((hex_digits(rng, 64), ""))
            req["history_timestamp"] = (
                None if rng.random() < 0.7 else rng.choice((*NOW_FORMS, "2017-01-01T00:00:00Z"))
            )
        return req

    def blob_request(self, rng: random.Random, op: str, blob: bytes, rtype: str = "") -> Request:
        """Converter ops and roundtrip: one document in."""
        req: Request = {"op": op}
        if op == "make_oci":
            req["docker"] = b64(blob)
        elif op == "make_docker_v2s2":
            req["oci"] = b64(blob)
        elif op == "make_docker_v2s1":
            req["manifest"] = b64(blob)
        else:
            req["type"] = rtype
            req["input"] = b64(blob)
        req.update(self.env(rng))
        return req

    # -- (b) ---------------------------------------------------------------------------------

    def oracle_files(self) -> Iterator[Case]:
        for family, name in (("examples", "examples.jsonl"), ("semantics", "semantics.jsonl")):
            path = self.oracle_dir / name
            if not path.exists():
                continue
            for line in path.read_bytes().splitlines():
                if line.strip():
                    request = json.loads(line)
                    # Keep the request as it is; only the id says where it came from.
                    self.counter += 1
                    request["id"] = f"{family}:{request.get('id')}:{self.counter}"
                    yield Case(family, request)

    # -- (a) + (c) per document --------------------------------------------------------------

    def config_pool(self) -> list[bytes]:
        return [d.raw for d in self.docs if d.kind in ("docker-config", "oci-config")]

    def manifest_pool(self) -> list[bytes]:
        return [d.raw for d in self.docs if d.kind in MANIFEST_KINDS or d.kind == V2S1]

    def roundtrip_type(self, rng: random.Random, kind: str) -> str:
        if kind == "docker-config":
            return rng.choice(("docker.V2Image",) * 4 + ("docker.V1Image", "ociv1.Image"))
        if kind == "oci-config":
            return rng.choice(("ociv1.Image",) * 4 + ("docker.V2Image", "CopyData"))
        if kind == V2S1:
            return rng.choice(("docker.V2S1Manifest",) * 4 + ("ociv1.Manifest",))
        if kind in MANIFEST_KINDS:
            return rng.choice(("ociv1.Manifest",) * 3 + ("docker.V2S1Manifest",))
        return rng.choice(ROUNDTRIP_TYPES)

    def ops_for(self, rng: random.Random, doc: Doc, blob: bytes, family: str) -> Request:
        """One request running `blob` (a variant of `doc`) through an op that fits its kind."""
        kind_class = _kind_class(doc.kind)
        op = _weighted(rng, FAMILY_OPS.get(family, OPS[kind_class]))
        if op == "convert":
            op = {"docker-config": "make_oci", "oci-config": "make_docker_v2s2"}.get(
                doc.kind, rng.choice(("make_oci", "make_docker_v2s2"))
            )
        if op in ("make_oci", "make_docker_v2s2", "make_docker_v2s1"):
            return self.blob_request(rng, op, blob)
        if op == "roundtrip":
            return self.blob_request(rng, op, blob, self.roundtrip_type(rng, doc.kind))
        if kind_class == "config":
            manifest = rng.choice(self.manifest_pool()) if rng.random() < 0.2 else None
            return self.image_request(rng, op, blob, manifest)
        if kind_class == "v2s1":
            return self.image_request(rng, op, None, blob)
        return self.image_request(rng, op, rng.choice(self.config_pool()), blob)

    def base(self, rng: random.Random, doc: Doc) -> Iterator[Case]:
        raw = doc.raw
        src = doc.name

        def make(op: str, **kw: Any) -> Case:
            if op in ("import_image", "import_container", "make_image_ref"):
                return self.case("base", src, self.image_request(rng, op, **kw))
            return self.case("base", src, self.blob_request(rng, op, **kw))

        if doc.kind in CONFIG_KINDS:
            yield make("import_image", config=raw, manifest=None)
            yield make("import_container", config=raw, manifest=None)
            yield make(
                "make_image_ref",
                config=raw,
                manifest=rng.choice(self.manifest_pool()) if rng.random() < 0.5 else None,
            )
            if doc.kind == "docker-config":
                yield make("make_oci", blob=raw)
            elif doc.kind == "oci-config":
                yield make("make_docker_v2s2", blob=raw)
            else:
                yield make(rng.choice(("make_oci", "make_docker_v2s2")), blob=raw)
            main_type = {"docker-config": "docker.V2Image", "oci-config": "ociv1.Image"}
            yield make("roundtrip", blob=raw, rtype=main_type.get(doc.kind, "docker.V2Image"))
            yield make("roundtrip", blob=raw, rtype=rng.choice(ROUNDTRIP_TYPES))
            if doc.kind in ("docker-config", "oci-config"):
                yield make("import_image", config=raw, manifest=rng.choice(self.manifest_pool()))
            for names, types in SUB_DOCUMENTS:
                sub: Node = doc.tree
                for name in names:
                    sub = get(sub, name)
                if isinstance(sub, Obj):
                    yield make("roundtrip", blob=dump(sub), rtype=rng.choice(types))
            history = get(doc.tree, "history")
            if isinstance(history, list) and history and isinstance(history[0], Obj):
                yield make(
                    "roundtrip",
                    blob=dump(history[-1]),
                    rtype=rng.choice(("docker.V2S2History", "ociv1.History")),
                )
        elif doc.kind == V2S1:
            yield make("import_image", config=None, manifest=raw)
            yield make("import_container", config=None, manifest=raw)
            yield make("make_image_ref", config=None, manifest=raw)
            yield make("import_image", config=rng.choice(self.config_pool()), manifest=raw)
            yield make("make_docker_v2s1", blob=raw)
            yield make("roundtrip", blob=raw, rtype="docker.V2S1Manifest")
            yield make("roundtrip", blob=raw, rtype="ociv1.Manifest")
            history = get(doc.tree, "history")
            if isinstance(history, list):
                for entry in history[:3]:
                    inner = get(entry, "v1Compatibility")
                    if isinstance(inner, str) and not isinstance(inner, Num):
                        yield make(
                            "roundtrip",
                            blob=inner.encode("utf-8", "surrogatepass"),
                            rtype=rng.choice(("docker.V1Compatibility", "docker.V2Image")),
                        )
        else:
            yield make("import_image", config=rng.choice(self.config_pool()), manifest=raw)
            yield make("make_image_ref", config=rng.choice(self.config_pool()), manifest=raw)
            yield make("roundtrip", blob=raw, rtype="ociv1.Manifest")
            if rng.random() < 0.2:
                # No config and a manifest that is not schema 1: Created stays nil (panic).
                yield make("import_image", config=None, manifest=raw)
            if rng.random() < 0.3:
                yield make("roundtrip", blob=raw, rtype="docker.V2S1Manifest")

    def mutations(self, rng: random.Random, doc: Doc, plan: dict[str, float]) -> Iterator[Case]:
        if doc.tree is None:
            return
        for family, expected in plan.items():
            for _ in range(_draws(rng, expected)):
                result = mutate(family, rng, doc.tree, doc.nodes)
                if result is None:
                    continue
                blob = result if isinstance(result, bytes) else dump(result, self.style(rng))
                yield self.case(family, doc.name, self.ops_for(rng, doc, blob, family))

    def style(self, rng: random.Random) -> tuple[bytes, bytes]:
        return STYLES[0] if rng.random() < 0.8 else rng.choice(STYLES)

    # -- states for open ---------------------------------------------------------------------

    def state_tree(self, rng: random.Random, doc: Doc) -> Obj:
        """A kpod.json written by hand around a config document."""
        members: list[tuple[Key, Node]] = [("type", "kpod 0.0.1")]
        if rng.random() < 0.7:
            members.append(("image", rng.choice(NAME_FORMS[:6])))
        members.append(("image-id", hex_digits(rng, 64)))
        if rng.random() < 0.7:
            members.append(("config", b64(doc.raw)))
        if rng.random() < 0.3:
            members.append(("manifest", b64(rng.choice(self.manifest_pool()))))
        if rng.random() < 0.6:
            members.append(("container-name", "ctr"))
            members.append(("container-id", hex_digits(rng, 64)))
        if rng.random() < 0.2:
            members.append(("mountpoint", "/var/lib/containers/storage/overlay/x/merged"))
        if rng.random() < 0.4:
            members.append(("annotations", Obj([("k", "v"), ("a", "<&>")])))
        if rng.random() < 0.2:
            members.append(("created-by", "/bin/sh -c #(nop) CMD"))
        tree = doc.tree
        if doc.kind == "oci-config" or rng.random() < 0.5:
            members.append(("ociv1", tree))
        else:
            members.append(("ociv1", Obj([("created", get(tree, "created") or NOW)])))
        if doc.kind != "oci-config" or rng.random() < 0.3:
            members.append(("docker", tree))
        return Obj(members)

    def open_request(self, rng: random.Random, state: bytes) -> Request:
        req: Request = {"op": "open", "state": b64(state)}
        req.update(self.env(rng, odd=0.1))
        return req

    def states(self, rng: random.Random, doc: Doc) -> Iterator[Case]:
        if doc.tree is None or not isinstance(doc.tree, Obj):
            return
        state = self.state_tree(rng, doc)
        yield self.case("state", doc.name, self.open_request(rng, dump(state)))
        how = rng.choice(("type", "type", "no-created", "null", "drop", "none"))
        special: Node | bytes | None = None
        if how == "type":
            kind: Node = rng.choice(
                ("KPOD 0.0.1", "kpod 0.0.1 ", "", "kpod 0.0.2", None, Num("5"), "kpod\u00a00.0.1")
            )
            special = put(state, ("type",), kind)
        elif how == "no-created":
            special = put(state, ("ociv1",), remove(get(state, "ociv1"), "created"))
        elif how == "null":
            special = rng.choice((b"null", b" null ", b"{}", b"[]", b'"kpod 0.0.1"'))
        elif how == "drop":
            special = remove(state, rng.choice(("docker", "ociv1", "type", "image-id")))
        if special is not None:
            blob = special if isinstance(special, bytes) else dump(special)
            yield self.case("state", doc.name, self.open_request(rng, blob))
        # open fails on the first decode error; roundtrip shows what was decoded anyway.
        blob = dump(self.base64_state(rng, state, doc))
        yield self.case("base64", doc.name, self.open_request(rng, blob))
        rtype = rng.choice(("CopyData", "*CopyData"))
        yield self.case("base64", doc.name, self.blob_request(rng, "roundtrip", blob, rtype))
        nodes = values(state)
        for family, expected in PLAN["state"].items():
            for _ in range(_draws(rng, expected)):
                result = mutate(family, rng, state, nodes)
                if result is not None:
                    blob = result if isinstance(result, bytes) else dump(result)
                    yield self.case(family, doc.name, self.open_request(rng, blob))

    def base64_state(self, rng: random.Random, state: Obj, doc: Doc) -> Node:
        payload = doc.raw[: rng.choice((1, 2, 3, 4, 5, 64, len(doc.raw)))]
        text = b64(payload)
        forms: list[Node] = [
            text,
            text.rstrip("="),
            text + "=",
            text[:-1] if text.endswith("=") else text + "==",
            text[:2] + "\n" + text[2:],
            text[:4] + "\r\n" + text[4:] + "\n",
            text[:3] + " " + text[3:],
            text.replace("+", "-").replace("/", "_") if ("+" in text or "/" in text) else "-_-_",
            "",
            None,
            "YR==",
            "YQ=",
            "====",
            "YQ==YQ==",
            "YQ=\n=",
            "\r\n",
            "=",
            "YQ===",
            "YWJj====",
            [Num("1e1")],
            [Num("-0"), Num("255")],
            "Y",
            "YQ",
            "YW\\u004aj",
            [Num(str(b)) for b in payload[:8]],
            [Num("256"), Num("97")],
            [Num("-1")],
            [Num("1.5")],
            ["a"],
            [None, Num("98")],
            Num("5"),
            Obj(),
            Raw(b'"YW\\/j"'),
        ]
        where = rng.choice(("config", "manifest", "config"))
        changed = put(state, (where,), rng.choice(forms))
        if rng.random() < 0.3:
            # Both fields, and a duplicate of one of them.
            other = "manifest" if where == "config" else "config"
            changed = put(changed, (other,), rng.choice(forms))
            assert isinstance(changed, Obj)
            changed = Obj([*changed, (where, rng.choice(forms))])
        return changed

    # -- families that are about the request's own fields ------------------------------------

    def names_and_ids(self, rng: random.Random, doc: Doc) -> Iterator[Case]:
        # These families are about the request's fields: a config that imports cleanly (most
        # of the time) keeps the original from panicking before it reaches them.
        config = doc.raw if doc.kind in ("docker-config", "oci-config") else None
        if config is None or rng.random() < 0.1:
            config = rng.choice(self.config_pool())
        # names: MakeImageRef parses names[0] with reference.ParseNamed (the error is ignored).
        for _ in range(_draws(rng, 1.3)):
            forms = [
                *NAME_FORMS,
                f"docker.io/library/busybox@sha256:{hex_digits(rng, 64)}",
                f"docker.io/library/busybox:latest@sha256:{hex_digits(rng, 64)}",
                f"docker.io/library/busybox@sha256:{hex_digits(rng, 64).upper()}",
                f"docker.io/library/busybox@sha512:{hex_digits(rng, 128)}",
                f"docker.io/library/busybox@sha256:{hex_digits(rng, 63)}",
                f"docker.io/library/busybox@md5:{hex_digits(rng, 32)}",
                f"x/y@sha256:{hex_digits(rng, 8)}",
                f"sha256:{hex_digits(rng, 64)}",
                hex_digits(rng, 64),
            ]
            first = rng.choice(forms) if rng.random() < 0.5 else random_reference(rng)
            names: list[str] = [first] + (rng.sample(forms, 2) if rng.random() < 0.2 else [])
            name_for_store = first if rng.random() < 0.5 else None
            req = self.image_request(
                rng, "make_image_ref", config, None, image_name=name_for_store, names=names
            )
            if rng.random() < 0.15:
                req["names"] = rng.choice((None, [], [""]))
            yield self.case("names", doc.name, req)
        # image IDs: importCopyData sets Parent to the ID if it parses as a digest.
        ids = [*digest_forms(rng), "abc", "ABC", hex_digits(rng, 64).upper(), "ü", "<&>", " "]
        op = "import_container" if rng.random() < 0.8 else "import_image"
        req = self.image_request(
            rng,
            op,
            config,
            None,
            image_id=rng.choice(ids),
            image_name=rng.choice(NAME_FORMS) if rng.random() < 0.5 else None,
        )
        if op == "import_container" and rng.random() < 0.1:
            req["container_name"] = ""  # "container name must be specified"
        yield self.case("imageid", doc.name, req)
        # The injected clock and platform.
        if rng.random() < 0.6:
            op = rng.choice(("import_image", "import_container", "make_image_ref"))
            req = self.image_request(rng, op, config, None)
            req["now"] = rng.choice(NOW_FORMS)
            goos, goarch = rng.choice(PLATFORMS)
            if rng.random() < 0.8:
                req["goos"], req["goarch"] = goos, goarch
            if op == "make_image_ref" and rng.random() < 0.5:
                req["history_timestamp"] = rng.choice(NOW_FORMS)
            yield self.case("env", doc.name, req)

    def protocol(self) -> Iterator[Case]:
        """Request-level problems (bad request answers) and ids of every JSON kind."""
        rng = random.Random(f"{self.seed}:protocol")
        config = b'{"docker_version":"1","created":"2017-01-01T00:00:00Z"}'
        good = {"op": "import_image", "config": b64(config), "image_id": "abc", "now": NOW}
        variants: list[Request] = [
            {"op": "nope"},
            {"op": ""},
            {},
            {"op": "IMPORT_IMAGE", "image_id": "abc", "now": NOW},
            {"op": "describe", "extra": 1},
            {**good, "now": None},
            {k: v for k, v in good.items() if k != "now"},
            {**good, "config_text": "{}"},
            {**good, "config": "YWJjZA"},
            {**good, "config": "!!!!"},
            {**good, "config": "YW Jj"},
            {**good, "config": "YWJj\n"},
            {**good, "config": "YWJj\r\nZA=="},
            {**good, "config": b64(config).rstrip("=") + "="},
            {**good, "config": 5},
            {**good, "foo": 1},
            {**good, "image_id": 5},
            {**good, "image_id": None},
            {**good, "goos": None, "goarch": None},
            {**good, "goos": 5},
            {**good, "now": 5},
            {**good, "OP": "roundtrip"},
            {**good, "Config": b64(b"null")},
            {**good, "NOW": "2017-01-01T00:00:00Z"},
            {**good, "Image_ID": ""},
            {**good, "now": "2017-09-01"},
            {**good, "now": ""},
            {**good, "now": "2017-09-01T12:00:00"},
            {**good, "now": "2017-09-01T12:00:00.5z"},
            {**good, "now": "2017-02-29T12:00:00Z"},
            {**good, "now": "2017-09-01T12:00:00+0200"},
            {**good, "now": " 2017-09-01T12:00:00Z"},
            {**good, "now": "2017-09-01T12:00:00.1234567891Z"},
            {
                **good,
                "config_text": '{"docker_version":"1","created":"2017-01-01T00:00:00Z"}',
                "config": None,
            },
            {
                "op": "import_image",
                "config_text": '{"created":"2017-01-01T00:00:00Z"}',
                "manifest_text": '{"annotations":{"k":"\u2028<>"}}',
                "image_id": "x",
                "now": NOW,
            },
            {"op": "open", "now": NOW},
            {"op": "open", "state": None, "now": NOW},
            {"op": "open", "state": b64(b"{}"), "state_text": "{}", "now": NOW},
            {
                "op": "open",
                "state_text": '{"type":"kpod 0.0.1","ociv1":{"created":"2017-01-01T00:00:00Z"}}',
            },
            {"op": "make_oci"},
            {"op": "make_oci", "docker": None},
            {"op": "make_oci", "docker_text": "{}"},
            {"op": "make_docker_v2s2", "oci": "e30="},
            {"op": "make_docker_v2s2", "oci_text": '{"created":"2017-01-01T00:00:00Z"}'},
            {"op": "make_docker_v2s1", "manifest": "e30="},
            {"op": "make_docker_v2s1", "manifest": "e30=", "now": NOW},
            {"op": "make_docker_v2s1", "manifest_text": '{"history":[]}', "now": NOW},
            {"op": "roundtrip", "type": "ociv1.image", "input": "e30="},
            {"op": "roundtrip", "type": "nope", "input": "e30="},
            {"op": "roundtrip", "type": "", "input": "e30="},
            {"op": "roundtrip", "type": "ociv1.Image"},
            {"op": "roundtrip", "type": "ociv1.Image", "input": "e30=", "input_text": "{}"},
            {"op": "roundtrip", "type": "ociv1.Image", "input_text": '{"os":"\u00e9\u2028<"}'},
            {"op": "roundtrip", "Type": "ociv1.RootFS", "Input": "e30=", "now": NOW},
            {**good, "op": "make_image_ref", "names": "x"},
            {**good, "op": "make_image_ref", "names": [1]},
            {**good, "op": "make_image_ref", "names": None, "history_timestamp": "bad"},
            {
                **good,
                "op": "make_image_ref",
                "history_timestamp": "2017-01-01T00:00:00Z",
                "layer_id": 5,
            },
            {**good, "op": "make_image_ref", "manifest_type": None},
            {**good, "op": "import_container"},
            {**good, "op": "import_container", "container_name": "c", "container_id": 1},
            {**good, "image_name": "\ud800"},
            {**good, "image_name": "a\u0000b"},
            {**good, "image_id": "\udfff\ud800"},
        ]
        ids: list[Any] = [
            0,
            -1,
            1.5,
            12345678901234567890123,
            "",
            "<&>\u2028\u2029",
            {"a": [1, {"b": None}]},
            [1, 2],
            True,
            False,
            None,
            -0.0,
            1e-07,
            1e300,
            "\u00e9\ud83d\ude00",
            "\ud800",
            "line\nbreak",
            {"": ""},
            [],
            {},
        ]
        for request in variants:
            self.counter += 1
            yield Case("protocol", {"id": f"protocol:{self.counter}", **request})
        for id_value in ids:
            self.counter += 1
            request = dict(good)
            if rng.random() < 0.5:
                request = {"op": "make_oci", "docker_text": "{}"}
            yield Case("protocol", {"id": id_value, **request})
        # No id at all: the answer's id is null.
        yield Case("protocol", dict(good))
        for line in RAW_REQUEST_LINES:
            self.counter += 1
            yield Case("protocol", {"raw": line.decode("utf-8", "replace")}, line)

    # -- all of it ---------------------------------------------------------------------------

    def cases(self) -> Iterator[Case]:
        self.docs = read_corpus(self.corpus)
        yield from self.oracle_files()
        yield from self.protocol()
        for doc in self.docs:
            rng = random.Random(f"{self.seed}:{doc.name}")
            yield from self.base(rng, doc)
            kind_class = _kind_class(doc.kind)
            yield from self.mutations(rng, doc, PLAN[kind_class])
            if kind_class == "config":
                yield from self.states(rng, doc)
                yield from self.names_and_ids(rng, doc)


def cases(seed: int = DEFAULT_SEED, corpus: Path = CORPUS) -> Iterator[Case]:
    """Families (a), (b) and (c), in a fixed order."""
    return Generator(seed=seed, corpus=corpus).cases()


def requests(seed: int = DEFAULT_SEED, corpus: Path = CORPUS) -> Iterator[Request]:
    """The requests that are dicts (what an in-process ``handle`` takes): all but the raw lines."""
    return (c.request for c in cases(seed, corpus) if c.line is None)


def saved_state_cases(
    answered: Iterable[tuple[Request, str]], seed: int = DEFAULT_SEED
) -> Iterator[Case]:
    """``open`` of the states that ``import_container`` answered (phase 2): each state as it was
    saved, and for some a mutated copy, as a later reader of kpod.json would meet it."""
    gen = Generator(seed=seed)
    for request, state in answered:
        rng = random.Random(f"{seed}:saved:{request.get('id')}")
        blob = state.encode("utf-8")
        source = (
            str(request.get("id", "")).split(":", 2)[1] if ":" in str(request.get("id")) else ""
        )
        open_request: Request = {"op": "open", "state": b64(blob), "now": request.get("now", NOW)}
        for key in ("goos", "goarch"):
            if key in request:
                open_request[key] = request[key]
        if rng.random() < 0.2:
            open_request.update(gen.env(rng, odd=0.5))
        yield gen.case("saved", source, open_request)
        if rng.random() < 0.5:
            tree = parse(blob)
            if tree is None:
                continue
            name = rng.choice(
                (
                    "keycase",
                    "dupkeys",
                    "nulls",
                    "wrongtype",
                    "time",
                    "utf8",
                    "text",
                    "truncate",
                    "numbers",
                    "empties",
                )
            )
            result = mutate(name, rng, tree, values(tree))
            if result is not None:
                mutated = result if isinstance(result, bytes) else dump(result)
                yield gen.case("saved", source, gen.open_request(rng, mutated))


def tally(items: Iterable[Case]) -> dict[str, collections.Counter[str]]:
    """Counts by family, by op, and by family/op."""
    by_family: collections.Counter[str] = collections.Counter()
    by_op: collections.Counter[str] = collections.Counter()
    by_pair: collections.Counter[str] = collections.Counter()
    for case in items:
        by_family[case.family] += 1
        by_op[case.op] += 1
        by_pair[f"{case.family}/{case.op}"] += 1
    return {"family": by_family, "op": by_op, "family/op": by_pair}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="write the requests here (JSON Lines)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    all_cases = list(cases(args.seed, args.corpus))
    if args.out:
        with args.out.open("wb") as out:
            for case in all_cases:
                out.write(case.encode() + b"\n")
    counts = tally(all_cases)
    print(f"{len(all_cases)} requests", file=sys.stderr)
    for family, n in sorted(counts["family"].items()):
        print(f"  {family:<10} {n:>6}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
