"""The type vocabulary: Go type names, struct declaration, Go's typeFields, value classes."""

from __future__ import annotations

import copy

import pytest

from reference import gotime
from reference.gojson.types import (
    BOOL,
    BYTES,
    EMPTY_STRUCT,
    INT,
    PTR_TIME,
    STRING,
    STRSLICE,
    TIME,
    GoSlice,
    GoStruct,
    MapType,
    PtrType,
    SliceType,
    gofield,
    named_string,
    zero,
)


class Inner(GoStruct, go_name="test.Inner"):
    Name: str = gofield(STRING, "name,omitempty")
    Shadowed: str = gofield(STRING, "shadowed")
    Tags: list[str] | None = gofield(SliceType(STRING), "tags")


class Outer(Inner, go_name="test.Outer"):  # embeds Inner
    Shadowed: int = gofield(INT, "shadowed")  # hides Inner.Shadowed (shallower)
    Own: Inner = gofield(Inner.go_type)  # no tag: key "Own"
    Ptr: Inner | None = gofield(PtrType(Inner.go_type), ",omitempty")
    Twin1: str = gofield(STRING, "twin")  # same name, same depth, both tagged: both dropped
    Twin2: str = gofield(STRING, "twin")
    Skipped: str = gofield(STRING, "-")
    When: gotime.GoTime = gofield(TIME, "when")


class Anonymous(GoStruct, go_name=None):
    Cmd: list[str] | None = gofield(SliceType(STRING))


def test_type_names_are_reflect_strings() -> None:
    assert STRING.name == "string"
    assert BYTES.name == "[]uint8"
    assert PTR_TIME.name == "*time.Time"
    assert SliceType(named_string("digest.Digest")).name == "[]digest.Digest"
    assert MapType(STRING, EMPTY_STRUCT).name == "map[string]struct {}"
    assert MapType(STRING, STRING).name == "map[string]string"
    assert PtrType(Inner.go_type).name == "*test.Inner"
    assert STRSLICE.name == "strslice.StrSlice"
    assert Anonymous.go_type.name == "struct { Cmd []string }"
    assert Anonymous.go_type.short_name == ""
    assert Outer.go_type.short_name == "Outer"


def test_type_fields_like_go() -> None:
    fields = Outer.go_type.json_fields
    # embedded fields in place (first), then the outer struct's; hidden and dropped ones gone
    assert [(f.name, f.attr, f.index) for f in fields] == [
        ("name", "Name", (0, 0)),
        ("tags", "Tags", (0, 2)),
        ("shadowed", "Shadowed", (1,)),
        ("Own", "Own", (2,)),
        ("Ptr", "Ptr", (3,)),
        ("when", "When", (7,)),
    ]
    assert [f.omitempty for f in fields] == [True, False, False, False, True, False]
    assert fields[2].type is INT  # the outer Shadowed, not Inner's string


def test_value_class_zero_values_and_keywords() -> None:
    o = Outer()
    assert o.Name == ""
    assert o.Tags is None
    assert o.Shadowed == 0
    assert o.Own == Inner()
    assert o.Ptr is None
    assert o.When == gotime.ZERO_TIME
    assert not hasattr(o, "__dict__")  # slots only
    o2 = Outer(Name="n", Shadowed=3)
    assert (o2.Name, o2.Shadowed) == ("n", 3)
    assert Outer().Own is not Outer().Own  # fresh struct values
    with pytest.raises(TypeError):
        Outer(Nope=1)
    with pytest.raises(TypeError):
        Outer("positional")  # type: ignore[call-arg]


def test_equality_repr_and_hash() -> None:
    assert Outer(Name="a") == Outer(Name="a")
    assert Outer(Name="a") != Outer(Name="b")
    assert Inner() != Outer()
    assert "Name='a'" in repr(Outer(Name="a"))
    with pytest.raises(TypeError):
        hash(Outer())


def test_copy_is_a_go_struct_copy() -> None:
    shared = Inner(Name="p")
    tags = GoSlice(["t"])
    o = Outer(Ptr=shared, Tags=tags, Own=Inner(Name="own"))
    c = copy.copy(o)
    assert c == o
    assert c.Ptr is shared  # pointers are shared
    assert c.Tags is tags  # slices share their backing array
    assert c.Own is not o.Own  # a struct value is copied...
    assert c.Own == o.Own
    c.Own.Name = "changed"
    assert o.Own.Name == "own"


def test_zero() -> None:
    assert zero(STRING) == ""
    assert zero(BOOL) is False
    assert zero(INT) == 0
    assert zero(TIME) is gotime.ZERO_TIME
    assert zero(PTR_TIME) is None
    assert zero(SliceType(STRING)) is None
    assert zero(BYTES) is None
    assert zero(MapType(STRING, STRING)) is None
    assert zero(EMPTY_STRUCT) is None
    assert zero(STRSLICE) is None
    assert zero(Inner.go_type) == Inner()


def test_declaration_errors() -> None:
    with pytest.raises(TypeError):

        class NoName(GoStruct):  # go_name is required
            X: str = gofield(STRING)

    with pytest.raises(TypeError):
        MapType(INT, STRING)  # only string-kind keys
