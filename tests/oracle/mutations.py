"""Seeded mutations of JSON documents, one function per rule of spec/GO_JSON_SEMANTICS.md and
per quirk of the original, and the odd values they draw from.

Each mutation takes a `random.Random`, a parsed document (`tests.oracle.jsontree`) and the list
of its values, and returns a new tree, final bytes (byte-level mutations), or None when it does
not apply to the document. They never change the tree they are given.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

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

Nodes = list[tuple[TreePath, Key | None, Node]]
Mutation = Callable[[random.Random, Node, Nodes], "Node | bytes | None"]


def hex_digits(rng: random.Random, digits: int) -> str:
    return f"{rng.getrandbits(4 * digits):0{digits}x}"


#: Keys worth aiming at (lower case): the fields the original reads or writes.
INTERESTING = frozenset(
    [
        "created",
        "history",
        "config",
        "container_config",
        "labels",
        "env",
        "cmd",
        "entrypoint",
        "shell",
        "rootfs",
        "diff_ids",
        "docker_version",
        "architecture",
        "os",
        "size",
        "healthcheck",
        "stoptimeout",
        "exposedports",
        "volumes",
        "workingdir",
        "user",
        "author",
        "comment",
        "created_by",
        "empty_layer",
        "type",
        "parent",
        "id",
        "onbuild",
        "schemaversion",
        "annotations",
        "layers",
        "mediatype",
        "digest",
        "fslayers",
        "v1compatibility",
        "throwaway",
        "os.version",
        "os.features",
        "image",
        "image-id",
        "ociv1",
        "docker",
        "manifest",
        "container-name",
        "stopsignal",
        "argsescaped",
    ]
)
MAP_FIELDS = frozenset({"labels", "annotations", "exposedports", "volumes"})


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


def digest_forms(rng: random.Random) -> list[str]:
    h64, h96, h128 = hex_digits(rng, 64), hex_digits(rng, 96), hex_digits(rng, 128)
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

    year = part(
        ("2017", "2016", "2000", "1970", "0000", "0001", "9999"), ("1", "217", "20170", "+201")
    )
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


def _one(rng: random.Random, options: Sequence[Node]) -> Node:
    """rng.choice with the options typed as JSON values (mypy infers the literals from it)."""
    return rng.choice(options)


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
        new_obj = Obj(obj.pairs)
        new_obj.pairs[member_path[-1]] = (new_key, new_obj.pairs[member_path[-1]][1])
        return new_obj

    return edit(tree, member_path[:-1], change)


def _splice(tree: Node, member_path: TreePath, pairs: list[tuple[Key, Node]]) -> Node:
    """Replace the member at `member_path` by `pairs` (which may repeat or drop it)."""

    def change(obj: Node) -> Node:
        assert isinstance(obj, Obj)
        i = member_path[-1]
        return Obj([*obj.pairs[:i], *pairs, *obj.pairs[i + 1 :]])

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
        return Raw(
            b'"' + string_body(key[:i]) + b"\\u" + hex_digits + string_body(key[i + 1 :]) + b'"'
        )
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
    return parent.pairs[member_path[-1]][0]


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
        replacement: Node = _one(
            rng, ("sh -c x", "", ["a", Num("1")], [None], ["sh", "-c", "x"], Obj(), Num("5"))
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
        collide = Obj([(Raw(b'"a\xff"'), "1"), (Raw(b'"a\xfe"'), "2"), (Raw(b'"\xc0\x80"'), "3")])
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
    members: list[tuple[Key, Node]] = (
        list(old) if isinstance(old, Obj) and rng.random() < 0.5 else []
    )
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
        return put(tree, ("docker_version",), _one(rng, (Num("5"), True, ["1"], Obj())))
    edits: tuple[tuple[tuple[str, ...], Node], ...]
    where: tuple[str, ...]
    value: Node
    if how == "docker-error":
        edits = (
            (("Size",), "x"),
            (("container_config", "Env"), "x"),
            (("container",), Num("1")),
            (("config", "Healthcheck"), "x"),
            (("parent",), Num("5")),
        )
        where, value = rng.choice(edits)
        return put(tree, where, value)
    edits = (
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
    where, value = rng.choice(edits)
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
        diff_ids = _one(rng, ("x", Num("1"), [Num("1")], None))
    return put(tree, ("rootfs",), Obj([("type", rootfs_type), ("diff_ids", diff_ids)]))


def _v1c_paths(tree: Node, nodes: Nodes) -> list[TreePath]:
    """Paths of the v1Compatibility strings of a schema-1 manifest's history entries."""
    return [
        p
        for p, k, v in nodes
        if len(p) == 3
        and key_text(k) == "v1Compatibility"
        and _is_text(v)
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
        (
            "version",
            "version",
            "history",
            "order",
            "inner",
            "inner",
            "inner",
            "cmd",
            "cmd",
            "docker_version",
            "throwaway",
        )
    )
    if how == "version":
        version: Node = _one(
            rng,
            (Num("1"), Num("1.0"), Num("2"), Num("0"), Num("-1"), Num("1e0"), "1", None, Num("10")),
        )
        return put(tree, ("schemaVersion",), version)
    history = get(tree, "history")
    if how == "history" or not isinstance(history, list) or not history:
        return put(
            tree,
            ("history",),
            _one(
                rng,
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
                ),
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
        cmd: Node = _one(
            rng,
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
            ),
        )
        new_inner = put(inner, ("container_config", "Cmd"), cmd)
    elif how == "docker_version":
        new_inner = rng.choice(
            (
                remove(inner, "docker_version"),
                put(inner, ("docker_version",), ""),
                put(inner, ("docker_version",), Num("1")),
            )
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
        (
            "trailing-comma",
            "comment",
            "line-comment",
            "bom",
            "formfeed",
            "nul",
            "second-value",
            "whitespace-ok",
            "single-quotes",
            "bad-number",
            "bad-escape",
            "raw-control",
            "unclosed-string",
            "empty",
            "literal-typo",
            "missing-colon",
            "garbage",
        )
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
        bad = rng.choice(
            (
                b"NaN",
                b"Infinity",
                b"-Infinity",
                b"+1",
                b"01",
                b".5",
                b"1.",
                b"-",
                b"1e",
                b"0x10",
                b"1_000",
            )
        )
        return raw[: i + 1] + bad + b"," + raw[i + 1 :] if i >= 0 else bad
    if how == "bad-escape":
        i = raw.find(b'"', raw.find(b":"))
        return (
            raw[: i + 1] + rng.choice((b"\\x", b"\\u12", b"\\U0041", b"\\'", b"\\a")) + raw[i + 1 :]
        )
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
