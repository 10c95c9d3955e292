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
from collections.abc import Callable, Iterable, Iterator, Sequence
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
    at,
    bytes_token,
    dump,
    edit,
    get,
    key_text,
    parse,
    put,
    remove,
    string_body,
    values,
)
from tests.oracle.jsontree import Path as TreePath

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
    "protocol": "request-level errors and id echo",
    "saved": "open of the states import_container answered (needs the oracle: phase 2)",
}

#: Keys worth aiming at (lower case): the fields the original reads or writes.
INTERESTING = frozenset(
    """created history config container_config labels env cmd entrypoint shell rootfs diff_ids
    docker_version architecture os size healthcheck stoptimeout exposedports volumes workingdir
    user author comment created_by empty_layer type parent id onbuild schemaversion annotations
    layers mediatype digest fslayers v1compatibility throwaway os.version os.features image
    image-id ociv1 docker manifest container-name stopsignal argsescaped""".split()
)
MAP_FIELDS = frozenset({"labels", "annotations", "exposedports", "volumes"})


@dataclass(frozen=True)
class Case:
    """One request and the family that produced it."""

    family: str
    request: Request

    @property
    def op(self) -> str:
        return str(self.request.get("op"))


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


def _hex(rng: random.Random, digits: int) -> str:
    return f"{rng.getrandbits(4 * digits):0{digits}x}"


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

#: The JSON body (between the quotes, escapes as written) of odd time strings.
CURATED_TIMES: tuple[str, ...] = (
    "2017-06-20T18:20:19.123456780+02:00",
    "2017-06-20T18:20:19.000000000+00:00",
    "2016-02-29T00:00:00-00:00",
    "2017-06-20T18:20:19.1234567895Z",
    "2017-06-20T18:20:19.00000000000000000000001Z",
    "2017-01-01T00:00:00,5Z",
    "2017-01-01T1:00:00Z",
    "2016-02-29T00:00:00+24:00",
    "2016-02-29T00:00:00+99:99",
    "2017-06-20T18:20:19+00:60",
    "0000-01-01T00:00:00+01:00",
    "0000-01-01T00:00:00Z",
    "0000-01-01T00:00:00-01:00",
    "0001-01-01T00:00:00-00:01",
    "0001-01-01T00:00:00Z",
    "0001-01-01T01:00:00+01:00",
    "0001-01-01T00:00:00+00:00",
    "9999-12-31T23:59:59.999999999Z",
    "9999-12-31T23:30:00-01:00",
    "9999-12-31T23:59:59+01:00",
    "9999-12-31T23:59:59-00:01",
    "1969-12-31T23:59:59.999999999Z",
    "1970-01-01T00:00:00Z",
    "2017-01-01t00:00:00Z",
    "2017-01-01T00:00:00z",
    "2017-06-20 18:20:19Z",
    "2017-06-20T18:20Z",
    "2016-02-29T00:00:00",
    "2016-02-29T00:00:00+0200",
    "2017-06-20T18:20:19+2:00",
    "2017-01-01T00:00:00+02:00:00",
    "2016-02-29T00:00:00.Z",
    "2017-1-01T00:00:00Z",
    "2017-02-29T00:00:00Z",
    "2000-02-29T00:00:00Z",
    "1900-02-29T00:00:00Z",
    "2017-04-31T00:00:00Z",
    "2017-01-01T24:00:00Z",
    "2017-01-01T23:59:60Z",
    "2017-01-01T23:60:00Z",
    "2017-13-01T00:00:00Z",
    "2017-00-01T00:00:00Z",
    "2017-01-00T00:00:00Z",
    " 2017-01-01T00:00:00Z",
    "2017-01-01T00:00:00Z ",
    "2016-02-29T00:00:00\\u005a",
    "\\u0032017-01-01T00:00:00Z",
    "",
    "2017",
    "2017-01-01T00:00:00.123456789123456789+05:30",
    "2017-01-01T00:00:00,Z",
    "2017-01-01T00:00:00..5Z",
    "2017-01-01T00:00:00.5.5Z",
    "+2017-01-01T00:00:00Z",
    "-2017-01-01T00:00:00Z",
    "20170-01-01T00:00:00Z",
    "2017-01-01T00:00:00-24:00",
    "2017-01-01T00:00:00+23:59",
    "2017-01-01T00:00:00+00:99",
    "2017-01-01T00:00:00+1:00",
    "2017-01-01T00:00:00Z07:00",
    "2017-01-01T00:00:00UTC",
    "2017-01-01T0:0:0Z",
    "2017-01-01T001:00:00Z",
    "2017-01-01T00:00:00.000Z",
    "2017-06-20T18:20:19.5+02:00",
    "٢٠١٧-01-01T00:00:00Z",
    "2017-01-01T00:00:00\\/",
    "2017-01-01T00:00:00.5\\u0000Z",
)

TEXT_SNIPPETS: tuple[bytes, ...] = (
    b"<",
    b">",
    b"&",
    b"<script>alert(1)</script>&amp;",
    "\u2028".encode(),
    "\u2029".encode(),
    b"\\u2028",
    b"\\u2029",
    b"\\u003c",
    b"\\u0000",
    b"\\u0001",
    b"\\u001f",
    b"\\b",
    b"\\f",
    b"\\n",
    b"\\r",
    b"\\t",
    b"\\/",
    b'\\"',
    b"\\\\",
    b"\x7f",
    b"\\u007f",
    "é".encode(),
    b"\\u00e9",
    "😀".encode(),
    b"\\ud83d\\ude00",
    "ﬅ".encode(),
    "\u00a0".encode(),
    "\ufeff".encode(),
    "\u0085".encode(),
    b"\\u0085",
    "\ufffd".encode(),
)
#: Raw control characters inside a string: syntax errors.
RAW_CONTROLS: tuple[bytes, ...] = (b"\t", b"\n", b"\x01", b"\x1f", b"\x00", b"\r")

BAD_UTF8: tuple[bytes, ...] = (
    b"\xff",
    b"\xfe",
    b"\x80",
    b"\xc0\x80",
    b"\xed\xa0\x80",
    b"\xe2\x82",
    b"\xf4\x90\x80\x80",
    b"\xc3",
    b"\xf0\x9f\x98",
    b"\xe0\x80\xaf",
    b"\xc3\x28",
    b"\xed\xbf\xbf",
    b"\xf8\x88\x80\x80\x80",
    b"\xc1\xbf",
)
SURROGATES: tuple[bytes, ...] = (
    b"\\ud800",
    b"\\udc00",
    b"\\udbff\\udfff",
    b"\\ud83d\\ude00",
    b"\\ude00\\ud83d",
    b"\\ud800\\u0041",
    b"\\ud800x",
    b"\\uD83D\\uDE00",
    b"\\ud800\\ud800",
    b"\\uDFFF",
)

INT_LITERALS: tuple[str, ...] = (
    "0",
    "-0",
    "1",
    "7",
    "-1",
    "1.0",
    "1e3",
    "1E2",
    "-0.0",
    "0.5",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "1e400",
    "123456789012345678901234567890",
    "1.5e-3",
    "2E+1",
    "100000000000000000000000",
    "3000000000",
    "4294967296",
)

MAP_KEYS: tuple[str, ...] = (
    "B",
    "_",
    "a",
    "~",
    "À",
    "é",
    "80/tcp",
    "443/tcp",
    "1000/udp",
    "",
    "a b",
    "😀",
    "\ufffd",
    "A",
    "aa",
    "a\u0000",
    "<&>",
    "\u2028",
    "z",
    "0",
    "10",
    "9",
    "org.opencontainers.image.title",
    "Ω",
    "ｆ",
    "\u007f",
    "\U0001f600x",
    "\uffff",
)

#: Keys of docker/OCI configs where integers live (paths of member names).
INT_PATHS_CONFIG: tuple[tuple[str, ...], ...] = (
    ("Size",),
    ("config", "StopTimeout"),
    ("config", "Healthcheck", "Retries"),
    ("config", "Healthcheck", "Interval"),
    ("config", "Healthcheck", "Timeout"),
    ("container_config", "StopTimeout"),
    ("container_config", "Healthcheck", "Retries"),
)
INT_PATHS_MANIFEST: tuple[tuple[str, ...], ...] = (("schemaVersion",), ("config", "size"))

ROUNDTRIP_TYPES: tuple[str, ...] = (
    "CopyData",
    "*CopyData",
    "docker.V2Image",
    "docker.V1Image",
    "docker.Config",
    "docker.HealthConfig",
    "docker.V2S2RootFS",
    "docker.V2S2History",
    "docker.V2S1Manifest",
    "docker.V1Compatibility",
    "ociv1.Image",
    "ociv1.ImageConfig",
    "ociv1.RootFS",
    "ociv1.History",
    "ociv1.Manifest",
)
#: Sub-documents of a config and the types that decode them (roundtrip probes of the parts).
SUB_DOCUMENTS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("config",), ("docker.Config", "ociv1.ImageConfig")),
    (("container_config",), ("docker.Config",)),
    (("config", "Healthcheck"), ("docker.HealthConfig",)),
    (("rootfs",), ("docker.V2S2RootFS", "ociv1.RootFS")),
)


def digest_forms(rng: random.Random) -> list[str]:
    h64, h96, h128 = _hex(rng, 64), _hex(rng, 96), _hex(rng, 128)
    return [
        "sha256:" + h64,
        "sha256:" + h64,
        "sha256:" + h64.upper(),
        "sha256:" + h64[:63],
        "sha256:" + h64 + "0",
        "sha384:" + h96,
        "sha512:" + h128,
        "sha512:" + h64,
        "md5:" + h64[:32],
        "sha256:",
        ":" + h64,
        "sha256" + h64,
        "SHA256:" + h64,
        "sha256:" + h64[:63] + "g",
        "sha256+b64:" + h64,
        "a.b-c_d+e:" + h64,
        "sha256:" + h64 + "\n",
        "",
        "sha256:xyz",
        h64,
        "sha256:" + h64 + ":" + h64,
        "sha256 :" + h64,
    ]


def odd_time(rng: random.Random) -> Raw:
    """A JSON string token holding an odd (often invalid) RFC 3339 time."""
    if rng.random() < 0.45:
        return Raw(b'"' + rng.choice(CURATED_TIMES).encode() + b'"')

    def part(good: Sequence[str], odd: Sequence[str]) -> str:
        return rng.choice(odd) if rng.random() < 0.12 else rng.choice(good)

    year = part(("2017", "2016", "2000", "1970", "0000", "0001", "9999"), ("1", "217", "20170", "+201"))
    month = part(("01", "02", "06", "12"), ("00", "13", "1", "001"))
    day = part(("01", "28", "29", "30", "31"), ("00", "32", "1", "7"))
    hour = part(("00", "12", "23", "1", "9"), ("24", "001", "", "99"))
    minute = part(("00", "30", "59"), ("60", "5", ""))
    second = part(("00", "30", "59"), ("60", "5", "61"))
    frac = part(
        ("", "", ".5", ",5", ".123456789", ".1234567891", ".000000000", ".999999999999"),
        (".", ",", ".5.", ".x"),
    )
    zone = part(
        ("Z", "Z", "+00:00", "-00:00", "+02:00", "-07:00", "+24:00", "+99:99", "+00:60", "-23:59"),
        ("z", "+0200", "+2:00", "+02:00:00", "", "UTC", "+02"),
    )
    sep = part(("T",), ("t", " ", "_"))
    text = f"{year}-{month}-{day}{sep}{hour}:{minute}:{second}{frac}{zone}".encode()
    if rng.random() < 0.1:
        # Go's parse error quotes the raw token: non-ASCII and invalid bytes as \x.., a
        # literal U+FFFD as one \x.. per byte, escapes left undecoded.
        snippet = rng.choice(BAD_UTF8 + TEXT_SNIPPETS + SURROGATES + ("\ufffd".encode(),))
        pos = rng.randint(0, len(text))
        text = text[:pos] + snippet + text[pos:]
    return Raw(b'"' + text + b'"')


# --------------------------------------------------------------------------------------------
# Mutations of a parsed document. Each returns a new tree, final bytes, or None when it does not
# apply to this document.

Nodes = list[tuple[TreePath, Key | None, Node]]
Mutation = Callable[[random.Random, Node, Nodes], "Node | bytes | None"]


def _pick(
    rng: random.Random,
    nodes: Nodes,
    pred: Callable[[Key | None, Node], bool] = lambda k, v: True,
    hot: float = 0.7,
) -> tuple[TreePath, Key | None, Node] | None:
    """A non-root value satisfying `pred`, preferring (with probability `hot`) the members whose
    key names a field of the original."""
    items = [n for n in nodes if n[0] and pred(n[1], n[2])]
    if not items:
        return None
    if rng.random() < hot:
        hot_items = [n for n in items if key_text(n[1]).lower() in INTERESTING]
        if hot_items:
            items = hot_items
    return rng.choice(items)


def _is_text(value: Node) -> bool:
    return isinstance(value, str) and not isinstance(value, Num)


def _kind(value: Node) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, Num):
        return "num"
    if isinstance(value, str):
        return "str"
    if isinstance(value, Obj):
        return "obj"
    if isinstance(value, list):
        return "arr"
    return "raw"


def _rekey(tree: Node, member_path: TreePath, new_key: Key) -> Node:
    def change(obj: Node) -> Node:
        assert isinstance(obj, Obj)
        new_obj = Obj(obj)
        new_obj[member_path[-1]] = (new_key, new_obj[member_path[-1]][1])
        return new_obj

    return edit(tree, member_path[:-1], change)


def _splice(tree: Node, member_path: TreePath, pairs: list[tuple[Key, Node]]) -> Node:
    """Replace the member at `member_path` by `pairs` (which may repeat or drop it)."""

    def change(obj: Node) -> Node:
        assert isinstance(obj, Obj)
        i = member_path[-1]
        return Obj([*obj[:i], *pairs, *obj[i + 1 :]])

    return edit(tree, member_path[:-1], change)


def _set(tree: Node, path: TreePath, value: Node) -> Node:
    return edit(tree, path, lambda _old: value)


def fold_variant(rng: random.Random, key: str) -> Key:
    """Another spelling of `key`: ASCII case changes and Go's two Unicode folds (ſ, K) match the
    field; the ligatures, escapes and near misses probe what must not (or must) match."""
    options = ["upper", "lower", "swap", "cap", "escape"]
    low = key.lower()
    if "s" in low:
        options += ["longs", "longs", "longs"]
    if "k" in low:
        options += ["kelvin", "kelvin", "kelvin"]
    if "st" in low:
        options.append("ligature")
    if "ss" in low:
        options.append("sharp-s")
    options.append("near-miss")
    how = rng.choice(options)
    if how == "upper":
        return key.upper()
    if how == "lower":
        return key.lower()
    if how == "swap":
        return key.swapcase()
    if how == "cap":
        return key[:1].upper() + key[1:].lower()
    if how == "longs":
        base = key.upper() if rng.random() < 0.3 else key
        return base.replace("s", "\u017f").replace("S", "\u017f")
    if how == "kelvin":
        base = key.lower() if rng.random() < 0.3 else key
        return base.replace("k", "\u212a").replace("K", "\u212a")
    if how == "ligature":
        i = low.index("st")
        return key[:i] + rng.choice(("\ufb05", "\ufb06")) + key[i + 2 :]
    if how == "sharp-s":
        i = low.index("ss")
        return key[:i] + "ß" + key[i + 2 :]
    if how == "escape" and key:
        i = rng.randrange(len(key))
        hex_digits = b"%04x" % ord(key[i]) if rng.random() < 0.5 else b"%04X" % ord(key[i])
        return Raw(b'"' + string_body(key[:i]) + b"\\u" + hex_digits + string_body(key[i + 1 :]) + b'"')
    return rng.choice(
        (
            key + " ",
            " " + key,
            key.replace("_", "-"),
            key + "\u200b",
            key.replace("i", "\u0130").replace("I", "\u0130"),
            key.replace("e", "é"),
            key + key[-1:],
        )
    )


def m_keycase(rng: random.Random, tree: Node, nodes: Nodes) -> Node | bytes | None:
    members = [p for p, k, _ in nodes if p and isinstance(k, str)]
    if not members:
        return None
    for path in rng.sample(members, min(len(members), rng.choice((1, 1, 2, 3)))):
        key = at_key(tree, path)
        if isinstance(key, str):
            tree = _rekey(tree, path, fold_variant(rng, key))
    return tree


def at_key(tree: Node, member_path: TreePath) -> Key:
    parent = at(tree, member_path[:-1])
    assert isinstance(parent, Obj)
    return parent[member_path[-1]][0]


def _partial(rng: random.Random, value: Node) -> Node:
    """A value that overlaps `value`: for objects a subset of members (sometimes changed)."""
    if isinstance(value, Obj):
        keep = rng.sample(list(value), rng.randint(0, len(value))) if value else []
        if rng.random() < 0.3 and keep:
            key, _ = keep[0]
            keep[0] = (key, _scalar_variant(rng, keep[0][1]))
        if rng.random() < 0.2:
            keep.append(("author", "stale?"))
        return Obj(keep)
    return _scalar_variant(rng, value)


def _scalar_variant(rng: random.Random, value: Node) -> Node:
    if isinstance(value, bool):
        return not value
    if isinstance(value, Num):
        return Num(rng.choice(("7", "0", "-3")))
    if isinstance(value, str):
        return rng.choice((value + "-dup", "", "dup", "2018-01-01T00:00:00+01:00"))
    if value is None:
        return rng.choice(("x", Num("1"), Obj()))
    if isinstance(value, Obj):
        return _partial(rng, value)
    if isinstance(value, list):
        return [_partial(rng, v) for v in value[: rng.randint(0, len(value))]]
    return value


def _slice_occurrences(rng: random.Random, value: list[Node]) -> list[Node]:
    """Lists for repeated keys, of lengths around Go's slice capacities (4, 6, 9), so that the
    decoder's reuse of stale elements beyond the length shows."""
    pool = value or [Obj([("created", "2017-01-01T00:00:00Z")])]
    out: list[Node] = []
    for _ in range(rng.randint(1, 3)):
        roll = rng.random()
        if roll < 0.1:
            out.append(None)
        elif roll < 0.2:
            out.append([])
        else:
            length = rng.choice((1, 2, 3, 4, 5, 6, 7, 9, 10))
            items: list[Node] = []
            for i in range(length):
                if rng.random() < 0.1:
                    items.append(None)
                else:
                    items.append(_partial(rng, pool[i % len(pool)]))
            out.append(items)
    return out


def m_dupkeys(rng: random.Random, tree: Node, nodes: Nodes) -> Node | bytes | None:
    pick = _pick(rng, nodes, lambda k, v: isinstance(k, str))
    if pick is None:
        return None
    path, key, value = pick
    assert isinstance(key, str)

    def spelled() -> Key:
        return fold_variant(rng, key) if rng.random() < 0.25 else key

    roll = rng.random()
    pairs: list[tuple[Key, Node]]
    if isinstance(value, list) and roll < 0.5:
        pairs = [(key, value)] + [(spelled(), v) for v in _slice_occurrences(rng, value)]
    elif roll < 0.15:
        pairs = [(key, value), (spelled(), None), (spelled(), _partial(rng, value))]
    elif roll < 0.35:
        pairs = [(spelled(), _partial(rng, value)), (key, value)]
    else:
        pairs = [(key, value), (spelled(), _partial(rng, value))]
    return _splice(tree, path, pairs)


def m_nulls(rng: random.Random, tree: Node, nodes: Nodes) -> Node | bytes | None:
    roll = rng.random()
    if roll < 0.06:
        return b"null"
    if roll < 0.3:
        # An element of an array or a map value: becomes the element's zero value.
        elements = [n for n in nodes if n[0] and isinstance(at(tree, n[0][:-1]), list)]
        pool = elements + _map_members(nodes)
        if pool:
            return _set(tree, rng.choice(pool)[0], None)
    pick = _pick(rng, nodes)
    if pick is None:
        return None
    return _set(tree, pick[0], None)


def _map_members(nodes: Nodes) -> Nodes:
    """The members of maps (Labels, annotations, ExposedPorts, Volumes): their keys are data."""
    map_paths = {p for p, k, v in nodes if isinstance(v, Obj) and key_text(k).lower() in MAP_FIELDS}
    return [n for n in nodes if n[0] and n[0][:-1] in map_paths and n[1] is not None]


WRONG_VALUES: dict[str, tuple[Node, ...]] = {
    "num": (Num("5"), Num("1.5"), Num("-1"), Num("0")),
    "str": ("x", "", "5", "true"),
    "bool": (True, False),
    "arr": ([], [Num("1")], ["a"], [None], [Obj()]),
    "obj": (Obj(), Obj([("a", Num("1"))]), Obj([("a", "b")])),
}


def m_wrongtype(rng: random.Random, tree: Node, nodes: Nodes) -> Node | bytes | None:
    pick = _pick(rng, nodes, hot=0.8)
    if rng.random() < 0.15:
        # Aim at a StrSlice (docker Config's Cmd/Entrypoint/Shell): its own UnmarshalJSON.
        str_slices = [n for n in nodes if key_text(n[1]) in ("Cmd", "Entrypoint", "Shell")]
        pick = rng.choice(str_slices) if str_slices else pick
    if pick is None:
        return None
    path, key, value = pick
    name = key_text(key).lower()
    if name in ("cmd", "entrypoint", "shell") and rng.random() < 0.6:
        # StrSlice takes a string too; a non-string element aborts the whole decode.
        replacement: Node = rng.choice(
            ("sh -c x", "", ["a", Num("1")], [None], ["sh", "-c", "x"], Obj(), Num("5"))
        )
    elif name == "created" and rng.random() < 0.6:
        replacement = rng.choice((Num("5"), True, Obj(), [], Num("1504267200"), ""))
    else:
        kinds = [k for k in WRONG_VALUES if k != _kind(value)]
        replacement = rng.choice(WRONG_VALUES[rng.choice(kinds)])
    return _set(tree, path, replacement)


def m_empties(rng: random.Random, tree: Node, nodes: Nodes) -> Node | bytes | None:
    if rng.random() < 0.3 and isinstance(tree, Obj):
        extra: tuple[tuple[str, ...], Node] = rng.choice(
            (
                (("config", "StopTimeout"), Num("0")),
                (("config", "Healthcheck"), Obj()),
                (("config", "ArgsEscaped"), False),
                (("config", "ExposedPorts"), Obj()),
                (("config", "Labels"), Obj()),
                (("config", "Env"), []),
                (("history",), []),
                (("rootfs", "diff_ids"), []),
                (("annotations",), Obj()),
                (("os.features",), []),
                (("Size",), Num("0")),
                (("author",), ""),
            )
        )
        return put(tree, extra[0], extra[1])
    empty_of: dict[str, Node] = {"obj": Obj(), "arr": [], "str": "", "num": Num("0"), "bool": False}
    picks = [n for n in nodes if n[0] and _kind(n[2]) in empty_of]
    if not picks:
        return None
    for path, _, value in rng.sample(picks, min(len(picks), rng.randint(1, 4))):
        # Later picks may sit inside an emptied container: skip those.
        try:
            tree = _set(tree, path, empty_of[_kind(value)])
        except (IndexError, AssertionError):
            continue
    return tree


def m_numbers(rng: random.Random, tree: Node, nodes: Nodes) -> Node | bytes | None:
    literal = Num(rng.choice(INT_LITERALS))
    roll = rng.random()
    numbers = [n for n in nodes if n[0] and isinstance(n[2], Num)]
    if roll < 0.4 and numbers:
        return _set(tree, rng.choice(numbers)[0], literal)
    if roll < 0.55:
        texts = [n for n in nodes if n[0] and (_is_text(n[2]) or isinstance(n[2], bool))]
        if texts:
            return _set(tree, rng.choice(texts)[0], literal)
    if not isinstance(tree, Obj):
        return None
    is_manifest = any(key_text(k) in ("schemaVersion", "layers", "manifests") for k, _ in tree)
    paths = INT_PATHS_MANIFEST if is_manifest else INT_PATHS_CONFIG
    return put(tree, rng.choice(paths), literal)


def _insert_into(rng: random.Random, text: str, snippet: bytes) -> Raw:
    pos = rng.randint(0, len(text))
    return Raw(b'"' + string_body(text[:pos]) + snippet + string_body(text[pos:]) + b'"')


def _insert_snippets(
    rng: random.Random, tree: Node, nodes: Nodes, snippets: Sequence[bytes]
) -> Node | None:
    texts = [n for n in nodes if n[0] and _is_text(n[2])]
    map_keys = [n for n in _map_members(nodes) if isinstance(n[1], str)]
    all_keys = [n for n in nodes if n[0] and isinstance(n[1], str)]
    changed = False
    for _ in range(rng.choice((1, 1, 2, 3))):
        roll = rng.random()
        snippet = rng.choice(snippets)
        if roll < 0.25 and map_keys:
            path, key, _ = rng.choice(map_keys)
        elif roll < 0.32 and all_keys:
            path, key, _ = rng.choice(all_keys)
        elif texts:
            path, _, value = rng.choice(texts)
            assert isinstance(value, str)
            tree = _set(tree, path, _insert_into(rng, value, snippet))
            changed = True
            continue
        else:
            continue
        assert isinstance(key, str)
        tree = _rekey(tree, path, _insert_into(rng, key, snippet))
        changed = True
    return tree if changed else None


def m_text(rng: random.Random, tree: Node, nodes: Nodes) -> Node | bytes | None:
    snippets = RAW_CONTROLS if rng.random() < 0.06 else TEXT_SNIPPETS
    return _insert_snippets(rng, tree, nodes, snippets)


def m_utf8(rng: random.Random, tree: Node, nodes: Nodes) -> Node | bytes | None:
    if rng.random() < 0.12 and isinstance(tree, Obj):
        # Distinct raw keys that decode to the same key (U+FFFD): last wins / merge.
        collide = Obj(
            [(Raw(b'"a\xff"'), "1"), (Raw(b'"a\xfe"'), "2"), (Raw(b'"\xc0\x80"'), "3")]
        )
        where = rng.choice((("config", "Labels"), ("annotations",), ("config", "Volumes")))
        if where[-1] == "Volumes":
            collide = Obj([(k, Obj()) for k, _ in collide])
        return put(tree, where, collide)
    snippets = SURROGATES if rng.random() < 0.35 else BAD_UTF8
    return _insert_snippets(rng, tree, nodes, snippets)


def m_mapkeys(rng: random.Random, tree: Node, nodes: Nodes) -> Node | bytes | None:
    if not isinstance(tree, Obj):
        return None
    top = {key_text(k) for k, _ in tree}
    if "ociv1" in top or "docker" in top:
        targets: tuple[tuple[str, ...], ...] = (
            ("annotations",),
            ("ociv1", "config", "Labels"),
            ("docker", "config", "ExposedPorts"),
            ("docker", "container_config", "Volumes"),
        )
    elif "schemaVersion" in top and "history" not in top:
        targets = (("annotations",), ("config", "annotations"))
    else:
        targets = (
            ("config", "Labels"),
            ("config", "ExposedPorts"),
            ("config", "Volumes"),
            ("container_config", "Labels"),
        )
    where = rng.choice(targets)
    as_set = where[-1] in ("ExposedPorts", "Volumes")
    keys = rng.sample(MAP_KEYS, rng.randint(2, 9))
    old = get(get(tree, where[0]), where[1]) if len(where) == 2 else get(tree, where[0])
    members: list[tuple[Key, Node]] = list(old) if isinstance(old, Obj) and rng.random() < 0.5 else []
    for key in keys:
        members.append((key, Obj() if as_set else rng.choice(("v", "", key, "<&>"))))
    rng.shuffle(members)
    return put(tree, where, Obj(members))


def m_time(rng: random.Random, tree: Node, nodes: Nodes) -> Node | bytes | None:
    created = [n for n in nodes if n[0] and key_text(n[1]).lower() == "created"]

    def replacement() -> Node:
        roll = rng.random()
        if roll < 0.06:
            return None
        if roll < 0.14:
            return rng.choice((Num("5"), True, Obj(), [], Num("1504267200")))
        return odd_time(rng)

    if not created:
        if not isinstance(tree, Obj):
            return None
        return put(tree, ("created",), replacement())
    for path, _, _ in rng.sample(created, min(len(created), rng.choice((1, 1, 2)))):
        tree = _set(tree, path, replacement())
    return tree


def m_deep(rng: random.Random, tree: Node, nodes: Nodes) -> Node | bytes | None:
    if not isinstance(tree, Obj):
        return None
    host: tuple[str, ...] = rng.choice((("x",), ("x",), ("config", "x"), ("history",)))
    # Go allows 10000 nested arrays/objects, counting the document's own levels.
    total = rng.choice((rng.randint(50, 3000), 9999, 10000, 10000, 10001, 10002))
    depth = total - len(host)
    if rng.random() < 0.5:
        nested = b"[" * depth + b"]" * depth
    else:
        nested = b'{"a":' * (depth - 1) + b"[]" + b"}" * (depth - 1)
    return put(tree, host, Raw(nested))


def m_inverted(rng: random.Random, tree: Node, nodes: Nodes) -> Node | bytes | None:
    """Steer initConfig: docker branch off (no/empty/mistyped docker_version, docker decode
    errors) and the OCI decode failing, which (inverted test) runs makeDockerV2S2Image on the
    partially decoded image: panics without created, digest errors with layers."""
    if not isinstance(tree, Obj):
        return None
    how = rng.choice(
        ("drop", "empty", "mistyped", "docker-error", "oci-error", "oci-error", "oci-error")
    )
    if how == "drop":
        return remove(tree, "docker_version")
    if how == "empty":
        return put(tree, ("docker_version",), "")
    if how == "mistyped":
        return put(tree, ("docker_version",), rng.choice((Num("5"), True, ["1"], Obj())))
    if how == "docker-error":
        where, value = rng.choice(
            (
                (("Size",), "x"),
                (("container_config", "Env"), "x"),
                (("container",), Num("1")),
                (("config", "Healthcheck"), "x"),
                (("parent",), Num("5")),
            )
        )
        return put(tree, where, value)
    where, value = rng.choice(
        (
            (("architecture",), Num("5")),
            (("os",), []),
            (("config",), "x"),
            (("config", "Env"), "x"),
            (("config", "Labels"), []),
            (("config", "ExposedPorts"), Obj([("80/tcp", Num("1"))])),
            (("author",), True),
            (("rootfs",), "x"),
            (("rootfs", "diff_ids"), "x"),
            (("history",), Obj()),
            (("history",), [Num("1")]),
        )
    )
    tree = put(tree, where, value)
    extra = rng.random()
    if extra < 0.2:
        tree = remove(tree, "created")  # nil Created: makeDockerV2S2Image panics
    elif extra < 0.4:
        history = get(tree, "history")
        if isinstance(history, list) and history and isinstance(history[0], Obj):
            entry = remove(history[0], "created")
            tree = put(tree, ("history",), [entry, *history[1:]])
        else:
            tree = put(tree, ("history",), [Obj([("author", "a")])])
    elif extra < 0.6:
        tree = put(
            tree,
            ("rootfs",),
            Obj([("type", "layers"), ("diff_ids", rng.sample(digest_forms(rng), 2))]),
        )
    elif extra < 0.7:
        tree = put(tree, ("created",), odd_time(rng))
    elif extra < 0.8:
        # In range with its offset, out of range after the converter's .UTC(): the OCI side
        # marshals, the docker side does not.
        edge = rng.choice(("0000-01-01T00:00:00+01:00", "9999-12-31T23:30:00-01:00"))
        tree = put(tree, ("created",), edge)
    return tree


def m_digest(rng: random.Random, tree: Node, nodes: Nodes) -> Node | bytes | None:
    if not isinstance(tree, Obj):
        return None
    rootfs_type = rng.choice(("layers",) * 6 + ("Layers", "", "layer", "LAYERS"))
    diff_ids: Node = [d for d in rng.sample(digest_forms(rng), rng.randint(1, 3))]
    if rng.random() < 0.05:
        diff_ids = rng.choice(("x", Num("1"), [Num("1")], None))
    return put(tree, ("rootfs",), Obj([("type", rootfs_type), ("diff_ids", diff_ids)]))


def _v1c_paths(tree: Node, nodes: Nodes) -> list[TreePath]:
    """Paths of the v1Compatibility strings of a schema-1 manifest's history entries."""
    return [
        p
        for p, k, v in nodes
        if len(p) == 3 and key_text(k) == "v1Compatibility" and _is_text(v)
        and key_text(at_key(tree, p[:1])) == "history"
    ]


INNER_MUTATIONS: tuple[str, ...] = (
    "keycase",
    "dupkeys",
    "nulls",
    "wrongtype",
    "time",
    "time",
    "text",
    "utf8",
    "numbers",
    "truncate",
    "empties",
)


def m_schema1(rng: random.Random, tree: Node, nodes: Nodes) -> Node | bytes | None:
    if not isinstance(tree, Obj):
        return None
    how = rng.choice(
        ("version", "version", "history", "order", "inner", "inner", "inner", "cmd", "cmd",
         "docker_version", "throwaway")
    )
    if how == "version":
        version: Node = rng.choice(
            (Num("1"), Num("1.0"), Num("2"), Num("0"), Num("-1"), Num("1e0"), "1", None, Num("10"))
        )
        return put(tree, ("schemaVersion",), version)
    history = get(tree, "history")
    if how == "history" or not isinstance(history, list) or not history:
        return put(
            tree,
            ("history",),
            rng.choice(
                (
                    [],
                    None,
                    Obj(),
                    [Obj()],
                    [Obj([("v1Compatibility", "")])],
                    [Obj([("v1Compatibility", Num("5"))])],
                    [Obj([("v1Compatibility", "{}")])],
                    [Obj([("v1Compatibility", "null")])],
                    [Obj([("v1Compatibility", '{"docker_version":"1"}')])],
                    [Obj([("V1COMPATIBILITY", '{"docker_version":"1"}')])],
                )
            ),
        )
    if how == "order":
        order = rng.choice(("reverse", "first", "double"))
        if order == "reverse":
            return put(tree, ("history",), list(reversed(history)))
        if order == "first":
            return put(tree, ("history",), history[:1])
        return put(tree, ("history",), history + history)
    paths = _v1c_paths(tree, nodes)
    if not paths:
        return None
    path = paths[0] if rng.random() < 0.6 else rng.choice(paths)
    inner_text = at(tree, path)
    assert isinstance(inner_text, str)
    inner = parse(inner_text.encode("utf-8", "surrogatepass"))
    if not isinstance(inner, Obj):
        return None
    new_inner: Node | bytes | None
    if how == "inner":
        name = rng.choice(INNER_MUTATIONS)
        new_inner = mutate(name, rng, inner, values(inner))
    elif how == "cmd":
        cmd: Node = rng.choice(
            (
                ["", "a b", ""],
                "sh",
                [],
                None,
                ["a", Num("1")],
                ["/bin/sh", "-c", '#(nop) CMD ["sh"]'],
                Obj(),
                ["  ", "\u2028", "<&>"],
                [""],
            )
        )
        new_inner = put(inner, ("container_config", "Cmd"), cmd)
    elif how == "docker_version":
        new_inner = rng.choice(
            (remove(inner, "docker_version"), put(inner, ("docker_version",), ""),
             put(inner, ("docker_version",), Num("1")))
        )
    else:
        throwaway: Node = rng.choice((True, "true", Num("1"), None, False))
        new_inner = put(inner, ("throwaway",), throwaway)
    if new_inner is None:
        return None
    inner_bytes = new_inner if isinstance(new_inner, bytes) else dump(new_inner)
    return _set(tree, path, bytes_token(inner_bytes))


def syntax_error(rng: random.Random, raw: bytes) -> bytes:
    """`raw` with one syntax error (or, for the whitespace case, without)."""
    how = rng.choice(
        ("trailing-comma", "comment", "line-comment", "bom", "formfeed", "nul", "second-value",
         "whitespace-ok", "single-quotes", "bad-number", "bad-escape", "raw-control",
         "unclosed-string", "empty", "literal-typo", "missing-colon", "garbage")
    )
    if how == "trailing-comma":
        i = raw.rfind(b"}")
        return raw[:i] + b"," + raw[i:] if i >= 0 else raw + b","
    if how in ("comment", "line-comment"):
        commas = [i for i, c in enumerate(raw) if c == 0x2C]
        i = rng.choice(commas) + 1 if commas else 1
        return raw[:i] + (b"/*c*/" if how == "comment" else b"//x\n") + raw[i:]
    if how == "bom":
        return b"\xef\xbb\xbf" + raw
    if how == "formfeed":
        return b"\x0c" + raw
    if how == "nul":
        return raw + b"\x00"
    if how == "second-value":
        return raw + rng.choice((b" {}", b"x", b"]", b"\n{}", b"null", b"0"))
    if how == "whitespace-ok":
        return b" \t\r\n" + raw + b"\r\n\t "
    if how == "single-quotes":
        return raw.replace(b'"', b"'", 2)
    if how == "bad-number":
        i = raw.find(b":")
        bad = rng.choice((b"NaN", b"Infinity", b"-Infinity", b"+1", b"01", b".5", b"1.", b"-",
                          b"1e", b"0x10", b"1_000"))
        return raw[: i + 1] + bad + b"," + raw[i + 1 :] if i >= 0 else bad
    if how == "bad-escape":
        i = raw.find(b'"', raw.find(b":"))
        return raw[: i + 1] + rng.choice((b"\\x", b"\\u12", b"\\U0041", b"\\'", b"\\a")) + raw[i + 1 :]
    if how == "raw-control":
        i = raw.find(b'"', raw.find(b":"))
        return raw[: i + 1] + rng.choice(RAW_CONTROLS) + raw[i + 1 :]
    if how == "unclosed-string":
        return raw[: rng.randrange(len(raw))] + b'"abc' if raw else b'"abc'
    if how == "empty":
        return rng.choice((b"", b" ", b"\n", b"\t\r\n"))
    if how == "literal-typo":
        for good, bad in ((b"true", b"True"), (b"null", b"nul"), (b"false", b"fals")):
            if good in raw:
                return raw.replace(good, bad, 1)
        return raw + b"tru"
    if how == "missing-colon":
        return raw.replace(b'":', b'" ', 1)
    return rng.choice((b"{", b"[", b"}", b'{"a"', b'{"a":', b'{"a":1,', b"\xff", b"nul"))


def truncation(rng: random.Random, raw: bytes) -> bytes:
    if not raw:
        return raw
    if rng.random() < 0.25:
        return raw[: max(0, len(raw) - rng.randint(1, 4))]
    return raw[: rng.randrange(len(raw))]


MUTATIONS: dict[str, Mutation] = {
    "keycase": m_keycase,
    "dupkeys": m_dupkeys,
    "nulls": m_nulls,
    "wrongtype": m_wrongtype,
    "empties": m_empties,
    "numbers": m_numbers,
    "utf8": m_utf8,
    "text": m_text,
    "mapkeys": m_mapkeys,
    "time": m_time,
    "deep": m_deep,
    "inverted": m_inverted,
    "digest": m_digest,
    "schema1": m_schema1,
}


def mutate(name: str, rng: random.Random, tree: Node, nodes: Nodes) -> Node | bytes | None:
    """Apply mutation family `name` to a parsed document (the byte-level families re-serialize
    the tree first, in a random whitespace style)."""
    if name == "truncate":
        return truncation(rng, dump(tree, rng.choice(STYLES)))
    if name == "syntax":
        return syntax_error(rng, dump(tree, rng.choice(STYLES)))
    return MUTATIONS[name](rng, tree, nodes)


# --------------------------------------------------------------------------------------------
# The requests.

#: Mutations per document, by kind class: family -> expected count (the fraction is a chance).
PLAN: dict[str, dict[str, float]] = {
    "config": {
        "keycase": 3, "dupkeys": 3, "nulls": 2, "wrongtype": 3, "empties": 1, "numbers": 2,
        "utf8": 2, "text": 2, "mapkeys": 1, "time": 4, "truncate": 2, "syntax": 1.5,
        "deep": 0.05, "inverted": 3, "digest": 1,
    },
    "manifest": {
        "keycase": 1, "dupkeys": 1, "nulls": 1, "wrongtype": 1, "numbers": 0.6, "utf8": 0.5,
        "text": 0.4, "mapkeys": 0.5, "truncate": 0.6, "syntax": 0.4, "empties": 0.3,
    },
    "v2s1": {
        "schema1": 24, "keycase": 2, "dupkeys": 2, "nulls": 2, "wrongtype": 2, "numbers": 1,
        "utf8": 1, "text": 1, "truncate": 2, "syntax": 1, "empties": 1,
    },
    "state": {
        "keycase": 0.5, "dupkeys": 0.5, "nulls": 0.4, "wrongtype": 0.5, "time": 0.8,
        "utf8": 0.2, "text": 0.2, "mapkeys": 0.2, "truncate": 0.2, "numbers": 0.2,
        "empties": 0.2, "deep": 0.01,
    },
}

#: Op weights for a mutated document, by kind class ("convert" = the kind's converter).
OPS: dict[str, dict[str, int]] = {
    "config": {"import_image": 4, "import_container": 1, "make_image_ref": 1, "convert": 2,
               "roundtrip": 2},
    "manifest": {"import_image": 3, "make_image_ref": 2, "roundtrip": 3},
    "v2s1": {"import_image": 3, "make_docker_v2s1": 3, "make_image_ref": 1,
             "import_container": 1, "roundtrip": 1},
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
            image_id = _hex(rng, 64) if rng.random() < 0.9 else "sha256:" + _hex(rng, 64)
        if image_name is None:
            image_name = rng.choice(
                ("docker.io/library/busybox:latest", "docker.io/library/alpine:3.6", "",
                 "quay.io/x/y:z", "localhost/img")
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
            req["container_name"] = f"ctr-{_hex(rng, 6)}"
            req["container_id"] = _hex(rng, 64)
        elif rng.random() < 0.3:
            req["container_name"] = rng.choice(("", "c", "working-container"))
            req["container_id"] = rng.choice(("", _hex(rng, 64)))
        req.update(self.env(rng))
        if op == "make_image_ref":
            req["manifest_type"] = rng.choice(
                ("", "", "application/vnd.docker.distribution.manifest.v2+json",
                 "application/vnd.oci.image.manifest.v1+json", "x")
            )
            if names is None:
                names = [image_name] if image_name else rng.choice(([], ["busybox"]))
                if rng.random() < 0.1:
                    names = names + ["docker.io/library/other:1"]
            req["names"] = names
            req["layer_id"] = rng.choice((_hex(rng, 64), ""))
            req["history_timestamp"] = (
                None if rng.random() < 0.7 else rng.choice(NOW_FORMS + ("2017-01-01T00:00:00Z",))
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
                "make_image_ref", config=raw,
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
                    "roundtrip", blob=dump(history[-1]),
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
                    if _is_text(inner):
                        assert isinstance(inner, str)
                        yield make(
                            "roundtrip", blob=inner.encode("utf-8", "surrogatepass"),
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
        members.append(("image-id", _hex(rng, 64)))
        if rng.random() < 0.7:
            members.append(("config", b64(doc.raw)))
        if rng.random() < 0.3:
            members.append(("manifest", b64(rng.choice(self.manifest_pool()))))
        if rng.random() < 0.6:
            members.append(("container-name", "ctr"))
            members.append(("container-id", _hex(rng, 64)))
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
            forms = list(NAME_FORMS) + [
                f"docker.io/library/busybox@sha256:{_hex(rng, 64)}",
                f"docker.io/library/busybox:latest@sha256:{_hex(rng, 64)}",
                f"docker.io/library/busybox@sha256:{_hex(rng, 64).upper()}",
                f"docker.io/library/busybox@sha512:{_hex(rng, 128)}",
                f"docker.io/library/busybox@sha256:{_hex(rng, 63)}",
                f"docker.io/library/busybox@md5:{_hex(rng, 32)}",
                f"x/y@sha256:{_hex(rng, 8)}",
                f"sha256:{_hex(rng, 64)}",
                _hex(rng, 64),
            ]
            first = rng.choice(forms)
            names: list[str] = [first] + (rng.sample(forms, 2) if rng.random() < 0.2 else [])
            name_for_store = first if rng.random() < 0.5 else None
            req = self.image_request(
                rng, "make_image_ref", config, None, image_name=name_for_store, names=names
            )
            if rng.random() < 0.15:
                req["names"] = rng.choice((None, [], [""]))
            yield self.case("names", doc.name, req)
        # image IDs: importCopyData sets Parent to the ID if it parses as a digest.
        ids = digest_forms(rng) + ["abc", "ABC", _hex(rng, 64).upper(), "ü", "<&>", " "]
        op = "import_container" if rng.random() < 0.8 else "import_image"
        req = self.image_request(
            rng, op, config, None, image_id=rng.choice(ids),
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
            {**good, "config_text": "{\"docker_version\":\"1\",\"created\":\"2017-01-01T00:00:00Z\"}",
             "config": None},
            {"op": "import_image", "config_text": "{\"created\":\"2017-01-01T00:00:00Z\"}",
             "manifest_text": "{\"annotations\":{\"k\":\"\u2028<>\"}}", "image_id": "x", "now": NOW},
            {"op": "open", "now": NOW},
            {"op": "open", "state": None, "now": NOW},
            {"op": "open", "state": b64(b"{}"), "state_text": "{}", "now": NOW},
            {"op": "open", "state_text": "{\"type\":\"kpod 0.0.1\",\"ociv1\":{\"created\":"
             "\"2017-01-01T00:00:00Z\"}}"},
            {"op": "make_oci"},
            {"op": "make_oci", "docker": None},
            {"op": "make_oci", "docker_text": "{}"},
            {"op": "make_docker_v2s2", "oci": "e30="},
            {"op": "make_docker_v2s2", "oci_text": "{\"created\":\"2017-01-01T00:00:00Z\"}"},
            {"op": "make_docker_v2s1", "manifest": "e30="},
            {"op": "make_docker_v2s1", "manifest": "e30=", "now": NOW},
            {"op": "make_docker_v2s1", "manifest_text": "{\"history\":[]}", "now": NOW},
            {"op": "roundtrip", "type": "ociv1.image", "input": "e30="},
            {"op": "roundtrip", "type": "nope", "input": "e30="},
            {"op": "roundtrip", "type": "", "input": "e30="},
            {"op": "roundtrip", "type": "ociv1.Image"},
            {"op": "roundtrip", "type": "ociv1.Image", "input": "e30=", "input_text": "{}"},
            {"op": "roundtrip", "type": "ociv1.Image", "input_text": "{\"os\":\"\u00e9\u2028<\"}"},
            {"op": "roundtrip", "Type": "ociv1.RootFS", "Input": "e30=", "now": NOW},
            {**good, "op": "make_image_ref", "names": "x"},
            {**good, "op": "make_image_ref", "names": [1]},
            {**good, "op": "make_image_ref", "names": None, "history_timestamp": "bad"},
            {**good, "op": "make_image_ref", "history_timestamp": "2017-01-01T00:00:00Z",
             "layer_id": 5},
            {**good, "op": "make_image_ref", "manifest_type": None},
            {**good, "op": "import_container"},
            {**good, "op": "import_container", "container_name": "c", "container_id": 1},
            {**good, "image_name": "\ud800"},
            {**good, "image_name": "a\u0000b"},
            {**good, "image_id": "\udfff\ud800"},
        ]
        ids: list[Any] = [
            0, -1, 1.5, 12345678901234567890123, "", "<&>\u2028\u2029", {"a": [1, {"b": None}]},
            [1, 2], True, False, None, -0.0, 1e-07, 1e300, "\u00e9\ud83d\ude00", "\ud800",
            "line\nbreak", {"": ""}, [], {},
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
    return (c.request for c in cases(seed, corpus))


def saved_state_cases(
    answered: Iterable[tuple[Request, str]], seed: int = DEFAULT_SEED
) -> Iterator[Case]:
    """``open`` of the states that ``import_container`` answered (phase 2): each state as it was
    saved, and for some a mutated copy, as a later reader of kpod.json would meet it."""
    gen = Generator(seed=seed)
    for request, state in answered:
        rng = random.Random(f"{seed}:saved:{request.get('id')}")
        blob = state.encode("utf-8")
        source = str(request.get("id", "")).split(":", 2)[1] if ":" in str(request.get("id")) else ""
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
                ("keycase", "dupkeys", "nulls", "wrongtype", "time", "utf8", "text", "truncate",
                 "numbers", "empties")
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
                out.write(encode_request(case.request) + b"\n")
    counts = tally(all_cases)
    print(f"{len(all_cases)} requests", file=sys.stderr)
    for family, n in sorted(counts["family"].items()):
        print(f"  {family:<10} {n:>6}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
