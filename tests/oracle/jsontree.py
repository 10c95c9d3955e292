"""A JSON tree that can say what Python's json module cannot: duplicate keys, number literals
kept verbatim (``1.0`` is not ``1``), and raw bytes (invalid UTF-8, escapes chosen by hand).

The request generator mutates documents with it. Trees are never changed in place: `edit` copies
only the containers on the path to the change, so one parsed document serves many mutations.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeAlias


class Obj:
    """A JSON object as its (key, value) pairs, in document order, duplicates allowed. (Not a
    list subclass, so that type checks tell objects from arrays.)"""

    __slots__ = ("pairs",)

    def __init__(self, pairs: Iterable[tuple[Key, Node]] = ()) -> None:
        self.pairs: list[tuple[Key, Node]] = list(pairs)

    def __iter__(self) -> Iterator[tuple[Key, Node]]:
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Obj) and self.pairs == other.pairs

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Obj({self.pairs!r})"


class Num(str):
    """A JSON number literal, written back exactly as given."""


class Raw(bytes):
    """Bytes written verbatim: a whole string token (quotes included) or any other fragment."""


Key: TypeAlias = str | Raw
Node: TypeAlias = bool | Num | str | Raw | list["Node"] | Obj | None
Path: TypeAlias = tuple[int, ...]

#: Separators (between items, between key and value). JSON allows only space, TAB, CR and LF.
COMPACT = (b",", b":")
STYLES: tuple[tuple[bytes, bytes], ...] = (
    COMPACT,
    (b", ", b": "),
    (b",\n  ", b": "),
    (b"\r\n,\t", b" :\t"),
)


def parse(raw: bytes) -> Node | None:
    """The tree of a JSON document, or None when Python cannot read it (then only byte-level
    mutations apply to it)."""
    try:
        text = raw.decode("utf-8")
        return json.loads(  # type: ignore[no-any-return]
            text, object_pairs_hook=Obj, parse_int=Num, parse_float=Num, parse_constant=_reject
        )
    except (UnicodeDecodeError, ValueError):
        return None


def _reject(literal: str) -> Node:
    raise ValueError(literal)


def dump(node: Node, style: tuple[bytes, bytes] = COMPACT) -> bytes:
    out: list[bytes] = []
    _dump(node, out, style[0], style[1])
    return b"".join(out)


def _dump(node: Node, out: list[bytes], item_sep: bytes, kv_sep: bytes) -> None:
    # Order matters: Num is a str, Raw is bytes, True/False are checked by identity.
    if node is None:
        out.append(b"null")
    elif node is True:
        out.append(b"true")
    elif node is False:
        out.append(b"false")
    elif isinstance(node, Raw):
        out.append(node)
    elif isinstance(node, Num):
        out.append(node.encode("ascii"))
    elif isinstance(node, str):
        out.append(string_token(node))
    elif isinstance(node, Obj):
        out.append(b"{")
        for i, (key, value) in enumerate(node):
            if i:
                out.append(item_sep)
            out.append(key if isinstance(key, Raw) else string_token(key))
            out.append(kv_sep)
            _dump(value, out, item_sep, kv_sep)
        out.append(b"}")
    else:
        out.append(b"[")
        for i, value in enumerate(node):
            if i:
                out.append(item_sep)
            _dump(value, out, item_sep, kv_sep)
        out.append(b"]")


def string_token(s: str) -> bytes:
    """`s` as a JSON string token, non-ASCII kept raw (lone surrogates, which have no UTF-8
    form, fall back to \\u escapes)."""
    try:
        return json.dumps(s, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(s).encode("ascii")


def string_body(s: str) -> bytes:
    """The bytes between the quotes of `string_token(s)`."""
    return string_token(s)[1:-1]


def bytes_token(data: bytes) -> Raw:
    """A JSON string token whose content is `data` taken byte for byte: only `"`, `\\` and
    control characters are escaped; any other byte, invalid UTF-8 included, is left raw."""
    body = bytearray(b'"')
    for byte in data:
        if byte == 0x22:
            body += b'\\"'
        elif byte == 0x5C:
            body += b"\\\\"
        elif byte < 0x20:
            body += b"\\u%04x" % byte
        else:
            body.append(byte)
    body += b'"'
    return Raw(bytes(body))


def values(node: Node) -> list[tuple[Path, Key | None, Node]]:
    """Every value of the tree with its path; the key is the member's key when the parent is an
    object (None for array elements and the root)."""
    found: list[tuple[Path, Key | None, Node]] = [((), None, node)]
    stack: list[tuple[Path, Node]] = [((), node)]
    while stack:
        path, current = stack.pop()
        if isinstance(current, Obj):
            for i, (key, value) in enumerate(current):
                found.append(((*path, i), key, value))
                stack.append(((*path, i), value))
        elif isinstance(current, list):
            for i, value in enumerate(current):
                found.append(((*path, i), None, value))
                stack.append(((*path, i), value))
    return found


def at(node: Node, path: Sequence[int]) -> Node:
    for i in path:
        if isinstance(node, Obj):
            node = node.pairs[i][1]
        else:
            assert isinstance(node, list)
            node = node[i]
    return node


def edit(node: Node, path: Sequence[int], fn: Callable[[Node], Node]) -> Node:
    """A new tree where the value at `path` is `fn(old value)`; everything off the path is
    shared."""
    if not path:
        return fn(node)
    i, rest = path[0], path[1:]
    if isinstance(node, Obj):
        new_obj = Obj(node.pairs)
        key, value = new_obj.pairs[i]
        new_obj.pairs[i] = (key, edit(value, rest, fn))
        return new_obj
    assert isinstance(node, list)
    new_list = list(node)
    new_list[i] = edit(new_list[i], rest, fn)
    return new_list


def key_text(key: Key | None) -> str:
    """The key's text for matching field names (raw keys are hand-made: they never match)."""
    return key if isinstance(key, str) else ""


def get(obj: Node, name: str) -> Node:
    """The last member named exactly `name` (what a decoder would keep), else None."""
    found: Node = None
    if isinstance(obj, Obj):
        for key, value in obj:
            if key == name:
                found = value
    return found


def put(obj: Node, names: Sequence[str], value: Node) -> Node:
    """A copy of `obj` with the member at the path of `names` set to `value` (objects along the
    way are created, the last existing member of a name is the one replaced)."""
    if not names:
        return value
    new_obj = Obj(obj.pairs if isinstance(obj, Obj) else ())
    name = names[0]
    for i in range(len(new_obj) - 1, -1, -1):
        key, old = new_obj.pairs[i]
        if key == name:
            new_obj.pairs[i] = (key, put(old, names[1:], value))
            return new_obj
    new_obj.pairs.append((name, put(None, names[1:], value)))
    return new_obj


def remove(obj: Node, name: str) -> Node:
    """A copy of `obj` without any member whose key folds (ASCII) to `name`."""
    if not isinstance(obj, Obj):
        return obj
    return Obj((k, v) for k, v in obj if key_text(k).lower() != name.lower())
