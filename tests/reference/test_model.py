"""reference.model against the specification: every field table of spec/TYPES.md (Go name, Go
type, JSON key, omitempty, embedding), its effective field orders, PROTOCOL.md's roundtrip
types, and the json tags of the oracle's Go restatements of the 2017 types."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reference import model
from reference.gojson.types import GoStruct, PtrType, StructType

SHARED = Path(__file__).resolve().parents[3] / "shared"
TYPES_MD = SHARED / "spec" / "TYPES.md"
PROTOCOL_MD = SHARED / "spec" / "PROTOCOL.md"
ORACLE_SRC = SHARED / "oracle" / "gopath" / "src" / "github.com"

STRUCTS: dict[str, type[GoStruct]] = {
    "images.CopyData": model.CopyData,
    "v1.Image": model.OCIImage,
    "v1.ImageConfig": model.ImageConfig,
    "v1.RootFS": model.RootFS,
    "v1.History": model.History,
    "v1.Manifest": model.Manifest,
    "specs.Versioned": model.Versioned,
    "v1.Descriptor": model.Descriptor,
    "v1.Platform": model.Platform,
    "docker.V2Image": model.V2Image,
    "docker.V1Image": model.V1Image,
    "docker.Config": model.Config,
    "docker.HealthConfig": model.HealthConfig,
    "docker.V2S2RootFS": model.V2S2RootFS,
    "docker.V2S2History": model.V2S2History,
    "docker.V2S1Manifest": model.V2S1Manifest,
    "docker.V2Versioned": model.V2Versioned,
    "docker.V2S1FSLayer": model.V2S1FSLayer,
    "docker.V2S1History": model.V2S1History,
    "docker.V1Compatibility": model.V1Compatibility,
    "docker.V1Compatibility.ContainerConfig": model.V1CompatibilityContainerConfig,
}

Row = tuple[str, str, str | None, bool | None]  # Go field, Go type, JSON key (None: embedded)


def types_md_tables() -> dict[str, list[Row]]:
    tables: dict[str, list[Row]] = {}
    current: list[Row] | None = None
    for line in TYPES_MD.read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            name = line[4:].split(" ")[0]
            current = tables.setdefault(name, []) if name in STRUCTS else None
            continue
        m = re.match(r"\| \d+ \| (\w+) \| `([^`]+)`[^|]*\| (.*?) \| (.*?) \|$", line)
        if current is None or m is None:
            continue
        go_name, go_type, key, omit = m.groups()
        if key.startswith("— (unexported"):
            continue  # CopyData.store: never encoded or decoded, not declared
        if key.startswith("(embedded"):
            current.append((go_name, go_type, None, None))
        else:
            current.append((go_name, go_type, key.strip("`"), omit == "**yes**"))
    return tables


def declared_rows(cls: type[GoStruct]) -> list[Row]:
    rows: list[Row] = []
    for f in cls.go_type.fields:
        type_name = f.type.name
        # TYPES.md spells two types the way the Go source does, not as reflect prints them
        type_name = {"struct { Cmd []string }": "struct{ Cmd []string }", "[]uint8": "[]byte"}.get(
            type_name, type_name
        )
        if f.embedded:
            rows.append((f.go_name, type_name, None, None))
        else:
            rows.append((f.go_name, type_name, f.tag_name or f.go_name, f.omitempty))
    return rows


needs_spec = pytest.mark.skipif(not TYPES_MD.exists(), reason=f"{TYPES_MD} is absent")


@needs_spec
def test_every_struct_of_types_md_is_declared() -> None:
    assert set(types_md_tables()) == set(STRUCTS)


@needs_spec
@pytest.mark.parametrize("go_name", sorted(STRUCTS))
def test_fields_match_types_md(go_name: str) -> None:
    cls = STRUCTS[go_name]
    assert declared_rows(cls) == types_md_tables()[go_name]
    if go_name != "docker.V1Compatibility.ContainerConfig":
        assert cls.go_type.name == go_name
    else:
        assert cls.go_type.short_name == ""


@needs_spec
def test_effective_field_orders_of_types_md() -> None:
    text = TYPES_MD.read_text(encoding="utf-8")
    section = text.split("## Effective JSON field order", 1)[1].split("\n## ", 1)[0]
    orders: dict[str, list[str]] = {}
    for item in section.split("\n* ")[1:]:
        name = re.match(r"`([^`]+)`", item)
        assert name is not None
        body = item.split(":", 1)[1].split("(no ")[0]
        keys = re.findall(
            r"`([^`]+)`", body.split(" (this is")[0] + body.split("never encoded")[-1]
        )
        orders[name.group(1)] = list(dict.fromkeys(keys))
    assert set(orders) == {"docker.V2Image", "docker.V2S1Manifest", "v1.Manifest"}
    for go_name, keys in orders.items():
        assert [f.name for f in STRUCTS[go_name].go_type.json_fields] == keys


def test_v2image_parent_is_its_own() -> None:
    parents = [f for f in model.V2Image_T.json_fields if f.name == "parent"]
    assert len(parents) == 1
    assert parents[0].type is model.ID  # V2Image.Parent is a docker.ID; V1Image's a string
    assert parents[0].index == (1,)


@pytest.mark.skipif(not PROTOCOL_MD.exists(), reason=f"{PROTOCOL_MD} is absent")
def test_roundtrip_types_are_protocol_md_s() -> None:
    line = next(
        line
        for line in PROTOCOL_MD.read_text(encoding="utf-8").splitlines()
        if line.startswith("| `roundtrip` |")
    )
    names = re.findall(r"`([^`]+)`", line.split("Types:", 1)[1])
    assert list(model.ROUNDTRIP_TYPES) == names
    for name, t in model.ROUNDTRIP_TYPES.items():
        if name == "*CopyData":
            assert isinstance(t, PtrType)
            assert t.elem is model.CopyData_T
        else:
            assert isinstance(t, StructType)
            assert t.name == name.replace("ociv1.", "v1.").replace("CopyData", "images.CopyData")


def go_struct_tags() -> dict[str, dict[str, str | None]]:
    """{struct: {exported field: raw json tag or None}} from the oracle's Go restatements."""
    out: dict[str, dict[str, str | None]] = {}
    for path in sorted(ORACLE_SRC.rglob("*.go")):
        src = path.read_text(encoding="utf-8")
        pkg = re.search(r"^package (\w+)", src, re.M)
        assert pkg is not None
        for m in re.finditer(r"^type (\w+) struct \{\n(.*?)^\}", src, re.M | re.S):
            body = re.sub(r"//[^\n]*", "", m.group(2))
            # an anonymous struct field on several lines becomes one line
            body = re.sub(r"struct \{[^}]*\}", "struct{...}", body)
            fields: dict[str, str | None] = {}
            for line in body.splitlines():
                fm = re.match(r"\s*([\w.]+)(?:\s+[^`\s]+)?(?:\s+`json:\"([^\"]*)\"`)?\s*$", line)
                if fm is None:
                    continue
                name = fm.group(1).rsplit(".", 1)[-1]  # embedded specs.Versioned: Versioned
                if name[0].islower():
                    continue  # unexported (CopyData.store)
                fields[name] = fm.group(2)
            out[f"{pkg.group(1)}.{m.group(1)}"] = fields
    return out


@pytest.mark.skipif(not ORACLE_SRC.is_dir(), reason=f"{ORACLE_SRC} is absent")
def test_json_tags_match_the_oracles_go_types() -> None:
    go = go_struct_tags()
    for go_name, cls in STRUCTS.items():
        if go_name == "docker.V1Compatibility.ContainerConfig":
            continue
        assert go_name in go, go_name
        declared = {f.go_name: f.tag for f in cls.go_type.fields}
        assert declared == go[go_name], go_name
