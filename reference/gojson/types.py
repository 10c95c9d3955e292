"""The Go type vocabulary the JSON layer is driven by, and how a Go struct is declared once.

A Go type is a `GoType` object: its kind (which decoding/encoding rules apply) and its name as
Go's ``reflect.Type.String()`` prints it (``"docker.Config"``, ``"[]string"``, ``"*time.Time"``,
``"struct { Cmd []string }"``), because that name appears verbatim in Go's error texts.

A struct is declared once, as a Python class whose body lists the Go fields in declaration order::

    class V2S2History(GoStruct, go_name="docker.V2S2History"):
        Created: GoTime = gofield(TIME, "created")
        Author: str = gofield(STRING, "author,omitempty")

The annotation is for mypy; `gofield(type, tag)` carries the Go type and the ``json:"..."`` tag
text (None when the Go field has no json tag). The class gets ``__slots__``, a keyword-only
``__init__`` that fills every field with its Go zero value, ``__eq__``, ``__repr__`` and a
``__copy__`` with Go's struct-copy semantics, and ``go_type``: its `StructType`.

Embedding is declared by inheritance: ``class V2Image(V1Image, go_name="docker.V2Image")`` embeds
V1Image as its first (anonymous) field. The Python attributes are therefore flattened exactly as
the contract wants (``v2image.Created``), and a field of the embedding struct with the same Go name
as a promoted one (``Parent``) is the one attribute. The JSON field list is computed like Go's
``typeFields`` (depth, tags, dominance), so V1Image.Parent is invisible to JSON in V2Image.
Only embedding as the first field(s) can be declared this way; that is all the 2017 types need.

Value representation (see the contract): string -> str, bool -> bool, ints -> int,
pointer to X -> the X value itself or None, slice -> list (the decoder returns `GoSlice`),
[]byte -> bytes (the decoder returns `GoBytes`), map -> dict, struct{} -> None,
time.Time -> GoTime, json.RawMessage -> bytes (the value's JSON text) or None.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, ClassVar

from reference import gotime


class Kind(enum.Enum):
    """Which rules of encoding/json apply to a type (a coarse reflect.Kind plus custom methods)."""

    STRING = "string"
    BOOL = "bool"
    INT = "int"  # signed, 64-bit here (int, int64, time.Duration)
    UINT8 = "uint8"  # only as the element of []byte
    PTR = "ptr"
    SLICE = "slice"
    BYTES = "bytes"  # []byte: base64 on the wire
    MAP = "map"  # map with a string-kind key
    STRUCT = "struct"
    EMPTY_STRUCT = "struct{}"
    TIME = "time.Time"  # custom MarshalJSON/UnmarshalJSON
    STRSLICE = "strslice.StrSlice"  # custom UnmarshalJSON (string or []string)
    RAW_MESSAGE = "json.RawMessage"  # custom methods: the value's raw bytes, both ways


class GoType:
    """A Go type: its kind and its ``reflect.Type.String()``."""

    __slots__ = ("kind", "name")

    def __init__(self, kind: Kind, name: str) -> None:
        self.kind = kind
        self.name = name

    def __repr__(self) -> str:
        return f"<GoType {self.name}>"


class PtrType(GoType):
    """``*elem``."""

    __slots__ = ("elem",)

    def __init__(self, elem: GoType) -> None:
        super().__init__(Kind.PTR, "*" + elem.name)
        self.elem = elem


class SliceType(GoType):
    """``[]elem``, or a named slice type (its name given)."""

    __slots__ = ("elem",)

    def __init__(self, elem: GoType, name: str | None = None) -> None:
        super().__init__(Kind.SLICE, name if name is not None else "[]" + elem.name)
        self.elem = elem


class MapType(GoType):
    """``map[key]elem`` with a string-kind key, or a named map type (its name given)."""

    __slots__ = ("elem", "key")

    def __init__(self, key: GoType, elem: GoType, name: str | None = None) -> None:
        if key.kind is not Kind.STRING:
            raise TypeError("only string-kind map keys are supported")
        super().__init__(Kind.MAP, name if name is not None else f"map[{key.name}]{elem.name}")
        self.key = key
        self.elem = elem


class Field:
    """One declared Go field: name, type, raw json tag (None = no tag), embedded or not."""

    __slots__ = ("embedded", "go_name", "omitempty", "tag", "tag_name", "type")

    def __init__(self, go_name: str, type_: GoType, tag: str | None, embedded: bool) -> None:
        self.go_name = go_name
        self.type = type_
        self.tag = tag
        self.embedded = embedded
        # Go's parseTag: the name is what precedes the first comma; options follow.
        name, _, opts = (tag or "").partition(",")
        if tag == "-":
            name = "-"
        elif not _valid_tag(name):
            name = ""
        self.tag_name = name
        self.omitempty = "omitempty" in opts.split(",")


def _valid_tag(s: str) -> bool:
    """Go's isValidTag (encode.go)."""
    if s == "":
        return False
    return all(c in "!#$%&()*+-./:;<=>?@[]^_{|}~ " or c.isalpha() or c.isdigit() for c in s)


class JSONField:
    """A field as encoding/json sees it after Go's ``typeFields``: flattened, dominant only."""

    __slots__ = ("attr", "index", "name", "omitempty", "tagged", "type")

    def __init__(
        self,
        name: str,
        attr: str,
        type_: GoType,
        omitempty: bool,
        tagged: bool,
        index: tuple[int, ...],
    ) -> None:
        self.name = name  # the JSON key
        self.attr = attr  # the Python attribute (the Go field name, embedded structs flattened)
        self.type = type_
        self.omitempty = omitempty
        self.tagged = tagged
        self.index = index  # Go's field index path, e.g. (0, 3) for V2Image -> V1Image.Created


class StructType(GoType):
    """A struct type: declared fields, the JSON field list, and its Python value class."""

    __slots__ = ("cls", "fields", "json_fields", "short_name")

    def __init__(self, go_name: str | None, fields: list[Field], cls: type[GoStruct]) -> None:
        if go_name is None:  # anonymous: reflect prints the literal type
            name = _anonymous_struct_name(fields)
            short = ""
        else:
            name = go_name
            short = go_name.rpartition(".")[2]
        super().__init__(Kind.STRUCT, name)
        self.short_name = short  # reflect.Type.Name(): "" for an anonymous struct
        self.fields = fields
        self.cls = cls
        self.json_fields = _type_fields(self)


def _anonymous_struct_name(fields: list[Field]) -> str:
    if not fields:
        return "struct {}"
    parts = []
    for f in fields:
        part = f.type.name if f.embedded else f"{f.go_name} {f.type.name}"
        if f.tag is not None:
            tag = f'json:"{f.tag}"'
            part += ' "' + tag.replace("\\", "\\\\").replace('"', '\\"') + '"'
        parts.append(part)
    return "struct { " + "; ".join(parts) + " }"


def _type_fields(st: StructType) -> list[JSONField]:
    """Port of Go 1.19 encoding/json typeFields: breadth-first over embedded structs, then the
    dominant field per JSON name (shallowest; at equal depth a tagged one; else dropped)."""
    found: list[JSONField] = []
    current: list[tuple[StructType, tuple[int, ...]]] = []
    nxt: list[tuple[StructType, tuple[int, ...]]] = [(st, ())]
    count: dict[StructType, int] = {}
    next_count: dict[StructType, int] = {}
    visited: set[StructType] = set()
    while nxt:
        current, nxt = nxt, []
        count, next_count = next_count, {}
        for typ, prefix in current:
            if typ in visited:
                continue
            visited.add(typ)
            for i, sf in enumerate(typ.fields):
                if sf.tag_name == "-":
                    continue
                index = (*prefix, i)
                ft = sf.type
                if isinstance(ft, PtrType) and isinstance(ft.elem, StructType) and sf.embedded:
                    ft = ft.elem
                if sf.tag_name or not sf.embedded or not isinstance(ft, StructType):
                    name = sf.tag_name or sf.go_name
                    jf = JSONField(
                        name, sf.go_name, sf.type, sf.omitempty, bool(sf.tag_name), index
                    )
                    found.append(jf)
                    if count.get(typ, 0) > 1:
                        # Two embeddings of the same struct at one depth: Go annihilates them
                        # by adding the field twice (dominantField then drops it).
                        found.append(jf)
                    continue
                next_count[ft] = next_count.get(ft, 0) + 1
                if next_count[ft] == 1:
                    nxt.append((ft, index))
    found.sort(key=lambda f: (f.name, len(f.index), not f.tagged, f.index))
    out: list[JSONField] = []
    i = 0
    while i < len(found):
        j = i + 1
        while j < len(found) and found[j].name == found[i].name:
            j += 1
        group = found[i:j]
        if len(group) == 1 or not (
            len(group[0].index) == len(group[1].index) and group[0].tagged == group[1].tagged
        ):
            out.append(group[0])
        i = j
    out.sort(key=lambda f: f.index)
    attrs = [f.attr for f in out]
    if len(set(attrs)) != len(attrs):
        raise TypeError(f"{st.name}: two JSON-visible fields share a Python attribute")
    return out


# --- value classes ------------------------------------------------------------------------


class _FieldSpec:
    __slots__ = ("tag", "type")

    def __init__(self, type_: GoType, tag: str | None) -> None:
        self.type = type_
        self.tag = tag


def gofield(type_: GoType, tag: str | None = None) -> Any:
    """Declare a Go field in a `GoStruct` class body: its Go type and its json tag text
    (``"author,omitempty"``, ``",omitempty"``; None when the Go field has no json tag)."""
    return _FieldSpec(type_, tag)


class _MISSING_T:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<missing>"


_MISSING = _MISSING_T()


class _GoStructMeta(type):
    """Turns the `gofield` markers of a class body into ``__slots__`` before the class exists."""

    def __new__(
        mcls, name: str, bases: tuple[type, ...], ns: dict[str, Any], **kw: Any
    ) -> _GoStructMeta:
        specs = {k: v for k, v in ns.items() if isinstance(v, _FieldSpec)}
        for k in specs:
            del ns[k]
        inherited: set[str] = set()
        for b in bases:
            for klass in b.__mro__:
                inherited.update(getattr(klass, "__slots__", ()))
        ns["__slots__"] = tuple(k for k in specs if k not in inherited)
        ns["_gofield_specs"] = specs
        return super().__new__(mcls, name, bases, ns, **kw)


class GoStruct(metaclass=_GoStructMeta):
    """Base of every generated Go struct value class (see the module docstring)."""

    __slots__ = ()
    go_type: ClassVar[StructType]
    _gofield_specs: ClassVar[dict[str, _FieldSpec]]
    #: (attribute, zero constant or _MISSING, zero factory or None) for every flattened field.
    _zero_plan: ClassVar[tuple[tuple[str, Any, Callable[[], Any] | None], ...]]
    #: attributes holding struct VALUES (copied by a Go struct copy).
    _value_struct_attrs: ClassVar[tuple[str, ...]]

    def __init_subclass__(cls, go_name: str | None = "", **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if go_name == "":
            raise TypeError(f"{cls.__name__}: give go_name= (None for an anonymous struct)")
        embedded = [b for b in cls.__bases__ if issubclass(b, GoStruct) and b is not GoStruct]
        if len(embedded) > 1:
            raise TypeError(f"{cls.__name__}: at most one embedded struct can be declared")
        fields: list[Field] = [
            Field(
                b.__name__ if b.go_type.short_name == "" else b.go_type.short_name,
                b.go_type,
                None,
                True,
            )
            for b in embedded
        ]
        fields += [Field(k, s.type, s.tag, False) for k, s in cls._gofield_specs.items()]
        st = StructType(go_name, fields, cls)
        cls.go_type = st
        # Every flattened attribute: those of the embedded struct(s), then this struct's own.
        plan: dict[str, tuple[str, Any, Callable[[], Any] | None]] = {}
        for b in embedded:
            for entry in b._zero_plan:
                plan[entry[0]] = entry
        for f in fields[len(embedded) :]:
            plan[f.go_name] = _zero_entry(f.go_name, f.type)
        cls._zero_plan = tuple(plan.values())
        cls._value_struct_attrs = tuple(a for a, _, fac in cls._zero_plan if fac is not None)
        cls.__init__ = _make_init(cls)  # type: ignore[method-assign]
        cls.__copy__ = _make_copy(cls)  # type: ignore[method-assign,assignment]

    def __init__(self, **fields: Any) -> None:  # replaced per class by _make_init
        raise TypeError("GoStruct itself is abstract")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, a) == getattr(other, a) for a, _, _ in self._zero_plan)

    __hash__ = None  # type: ignore[assignment]  # mutable, like a Go struct

    def __repr__(self) -> str:
        items = ", ".join(f"{a}={getattr(self, a)!r}" for a, _, _ in self._zero_plan)
        return f"{type(self).__name__}({items})"

    def __copy__(self) -> GoStruct:
        """A Go struct copy: every field copied; nested struct VALUES copied recursively;
        pointers, slices and maps shared."""
        new = object.__new__(type(self))
        for a, _, _ in self._zero_plan:
            object.__setattr__(new, a, getattr(self, a))
        for a in self._value_struct_attrs:
            object.__setattr__(new, a, getattr(self, a).__copy__())
        return new


def _zero_entry(attr: str, t: GoType) -> tuple[str, Any, Callable[[], Any] | None]:
    if isinstance(t, StructType):
        return (attr, _MISSING, t.cls)
    return (attr, zero(t), None)


def _make_copy(cls: type[GoStruct]) -> Callable[[Any], Any]:
    """Generate ``__copy__`` (the Go struct copy `GoStruct.__copy__` describes) with one
    statement per field: it is on the original's hot path (fixupConfig copies a Config)."""
    values = set(cls._value_struct_attrs)
    body = ["    new = _new(_cls)"]
    for attr, _, _ in cls._zero_plan:
        if attr in values:
            body.append(f"    new.{attr} = self.{attr}.__copy__()")
        else:
            body.append(f"    new.{attr} = self.{attr}")
    src = "def __copy__(self):\n" + "\n".join(body) + "\n    return new\n"
    env: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    exec(src, env)  # generated from declared field names only
    copy_fn: Callable[[Any], Any] = env["__copy__"]
    copy_fn.__qualname__ = f"{cls.__qualname__}.__copy__"
    return copy_fn


def _make_init(cls: type[GoStruct]) -> Callable[..., None]:
    """Generate ``__init__(self, *, Field=<zero>, ...)``: struct construction is on the decoder's
    hot path, so it is compiled once per class rather than looping over the fields."""
    params = []
    body = []
    env: dict[str, Any] = {"_MISSING": _MISSING}
    for i, (attr, const, factory) in enumerate(cls._zero_plan):
        if factory is None:
            env[f"_z{i}"] = const
            params.append(f"{attr}=_z{i}")
            body.append(f"    self.{attr} = {attr}")
        else:
            env[f"_f{i}"] = factory
            params.append(f"{attr}=_MISSING")
            body.append(f"    self.{attr} = _f{i}() if {attr} is _MISSING else {attr}")
    sig = ", *, " + ", ".join(params) if params else ""
    src = f"def __init__(self{sig}):\n" + ("\n".join(body) if body else "    pass") + "\n"
    exec(src, env)  # generated from declared field names only
    init: Callable[..., None] = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


# --- slices and []byte that remember Go's capacity ----------------------------------------


class GoSlice(list[Any]):
    """A decoded Go slice. ``stale`` holds the elements between len and cap of the backing
    array: Go's decoder decodes INTO them when a later duplicate key fills the slice again
    (see decode.py). Plain lists are accepted everywhere (cap == len)."""

    __slots__ = ("stale",)
    stale: list[Any]


class GoBytes(bytes):
    """A decoded []byte; ``stale`` = the bytes between len and cap (see `GoSlice`)."""

    stale: bytes


# --- the basic types ------------------------------------------------------------------------

STRING = GoType(Kind.STRING, "string")
BOOL = GoType(Kind.BOOL, "bool")
INT = GoType(Kind.INT, "int")
INT64 = GoType(Kind.INT, "int64")
UINT8 = GoType(Kind.UINT8, "uint8")
BYTES = GoType(Kind.BYTES, "[]uint8")
TIME = GoType(Kind.TIME, "time.Time")
PTR_TIME = PtrType(TIME)
STRSLICE = GoType(Kind.STRSLICE, "strslice.StrSlice")
EMPTY_STRUCT = GoType(Kind.EMPTY_STRUCT, "struct {}")
PTR_STRING = PtrType(STRING)
RAW_MESSAGE = GoType(Kind.RAW_MESSAGE, "json.RawMessage")


def named_string(name: str) -> GoType:
    """A named type whose underlying type is string (``digest.Digest``)."""
    return GoType(Kind.STRING, name)


def named_int(name: str) -> GoType:
    """A named type whose underlying type is int64 (``time.Duration``)."""
    return GoType(Kind.INT, name)


def zero(t: GoType) -> Any:
    """A fresh Go zero value of `t` (a new object for structs)."""
    k = t.kind
    if k is Kind.STRING:
        return ""
    if k is Kind.BOOL:
        return False
    if k is Kind.INT or k is Kind.UINT8:
        return 0
    if k is Kind.TIME:
        return gotime.ZERO_TIME
    if isinstance(t, StructType):
        return t.cls()
    # pointers, slices, []byte, maps, StrSlice: nil; struct{}: represented by None
    return None
