"""unmarshal: what Go leaves in the VALUES (the roundtrip tests see only the re-encoding).

Expected values are worked out by hand from Go 1.19's decode.go (array(): capacity growth to
max(4, cap + cap/2), SetLen, stale elements; literalStore; indirect) and GO_JSON_SEMANTICS.md.
"""

from __future__ import annotations

import binascii
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference import model
from reference.gojson import base64std, unmarshal
from reference.gojson.types import GoBytes, GoSlice, zero
from reference.gotime import ZERO_TIME, unmarshal_json_token


def cap(s: Any) -> int:
    return len(s) + len(getattr(s, "stale", ()))


def test_struct_values_are_decoded_in_place() -> None:
    v = model.V2S2History(Author="a")
    new, err = unmarshal(b'{"comment":"c"}', model.V2S2History_T, v)
    assert err is None
    assert new is v
    assert (v.Author, v.Comment) == ("a", "c")


def test_slice_capacity_grows_like_go() -> None:
    cfg = model.ImageConfig()
    unmarshal(b'{"Env":["a"]}', model.ImageConfig_T, cfg)
    assert isinstance(cfg.Env, GoSlice)
    assert cfg.Env == ["a"]
    assert cap(cfg.Env) == 4  # nil slice: first growth to 4
    unmarshal(b'{"Env":["a","b","c","d","e"]}', model.ImageConfig_T, cfg)
    assert cap(cfg.Env) == 6  # 4 + 4/2
    unmarshal(b'{"Env":["a","b","c","d","e","f","g"]}', model.ImageConfig_T, cfg)
    assert cap(cfg.Env) == 9  # 6 + 6/2
    unmarshal(b'{"Env":[]}', model.ImageConfig_T, cfg)
    assert cfg.Env == []
    assert cap(cfg.Env) == 0  # a fresh empty slice


def test_stale_elements_resurface() -> None:
    cfg, err = unmarshal(
        b'{"Env":["a","b","c"],"Env":["x"],"Env":[null,null,null,null,null]}',
        model.ImageConfig_T,
        model.ImageConfig(),
    )
    assert err is None
    # cap 4 after the first value; "x" cuts len to 1; the nulls leave elements 0..3 as they
    # were in the backing array; element 4 is past the capacity: a new array, zeroed
    assert cfg.Env == ["x", "b", "c", "", ""]


def test_stale_struct_elements_merge() -> None:
    img, _ = unmarshal(
        b'{"history":[{"author":"a","comment":"c1"},{"author":"b","comment":"c2"}],'
        b'"history":[{"author":"x"}],"history":[{"author":"y"},{"author":"z"}]}',
        model.OCIImage_T,
        model.OCIImage(),
    )
    assert [(h.Author, h.Comment) for h in img.History] == [("y", "c1"), ("z", "c2")]


def test_bytes_capacity_from_base64() -> None:
    c, err = unmarshal(b'{"config":"YWJjZA=="}', model.CopyData_T, model.CopyData())
    assert err is None
    assert isinstance(c.Config, GoBytes)
    assert c.Config == b"abcd"
    assert cap(c.Config) == 6  # make([]byte, DecodedLen(8))
    c, _ = unmarshal(b'{"config":[1,null,null,null,null,null]}', model.CopyData_T, c)
    assert c.Config == b"\x01bcd\x00\x00"
    c, _ = unmarshal(b'{"config":[2,null,null,null,null,null,null]}', model.CopyData_T, c)
    assert c.Config == b"\x02bcd\x00\x00\x00"  # grown to 9: only len elements copied


def test_bad_base64_leaves_the_field() -> None:
    c = model.CopyData(Config=b"keep")
    c, err = unmarshal(b'{"config":"YWJjZA"}', model.CopyData_T, c)
    assert err == "illegal base64 data at input byte 4"
    assert c.Config == b"keep"


def test_pointer_allocated_before_the_kind_check() -> None:
    v, err = unmarshal(b'{"config":"x","rootfs":5}', model.V2Image_T, model.V2Image())
    assert err == (
        "json: cannot unmarshal string into Go struct field V2Image.config of type docker.Config"
    )
    assert v.Config == model.Config()
    assert v.RootFS == model.V2S2RootFS()
    cfg, err = unmarshal(b'{"StopTimeout":"x"}', model.Config_T, model.Config())
    assert (
        err == "json: cannot unmarshal string into Go struct field Config.StopTimeout of type int"
    )
    assert cfg.StopTimeout == 0  # pointer to 0, not nil


def test_aliases_see_the_decode() -> None:
    v = model.V2Image()
    v.Config = v.ContainerConfig  # what fixupConfig does: c.Docker.Config = &ContainerConfig
    unmarshal(b'{"config":{"User":"u"}}', model.V2Image_T, v)
    assert v.ContainerConfig.User == "u"
    assert v.Config is v.ContainerConfig


def test_null_rules() -> None:
    cfg = model.Config(User="u", Env=["e"], Healthcheck=model.HealthConfig(), StopTimeout=3)
    cfg, err = unmarshal(
        b'{"User":null,"Env":null,"Healthcheck":null,"StopTimeout":null,"Cmd":null}',
        model.Config_T,
        cfg,
    )
    assert err is None
    assert (cfg.User, cfg.Env, cfg.Healthcheck, cfg.StopTimeout, cfg.Cmd) == (
        "u",
        None,
        None,
        None,
        None,
    )
    c = model.CopyData(Type="t")
    assert unmarshal(b"null", model.CopyDataPtr_T, c) == (None, None)
    assert unmarshal(b"null", model.CopyData_T, c) == (c, None)


def test_strslice() -> None:
    cfg, err = unmarshal(b'{"Cmd":"sh","Entrypoint":["a",null]}', model.Config_T, model.Config())
    assert err is None
    assert (cfg.Cmd, cfg.Entrypoint) == (["sh"], ["a", ""])
    cfg, err = unmarshal(b'{"User":"u","Cmd":["a",1],"Env":["x"]}', model.Config_T, cfg)
    assert err == "json: cannot unmarshal array into Go struct field Config.Cmd of type string"
    assert (cfg.User, cfg.Cmd, cfg.Env) == ("u", ["sh"], None)  # aborted: Env not decoded


def test_time_abort_leaves_zero_time_and_stops() -> None:
    h = model.V2S2History(Created=unmarshal_json_token(b'"2017-01-01T00:00:00Z"'))
    h, err = unmarshal(b'{"author":5,"created":"bad","comment":"c"}', model.V2S2History_T, h)
    assert err is not None
    assert err.startswith('parsing time "\\"bad\\""')
    assert h.Created == ZERO_TIME
    assert h.Comment == ""
    img, _ = unmarshal(b'{"created":5,"author":"a"}', model.OCIImage_T, model.OCIImage())
    assert img.Created == ZERO_TIME  # the nil *time.Time was allocated first
    assert img.Author == ""


def test_abort_inside_a_slice_keeps_the_partial_slice() -> None:
    v, err = unmarshal(
        b'{"history":[{"author":"a"},{"created":"x","author":"b"},{"author":"c"}]}',
        model.V2Image_T,
        model.V2Image(),
    )
    assert err is not None
    assert [(h.Author, h.Created) for h in v.History] == [("a", ZERO_TIME), ("", ZERO_TIME)]


def test_first_type_error_wins_and_decoding_goes_on() -> None:
    h, err = unmarshal(
        b'{"author":5,"comment":true,"created_by":"x"}',
        model.V2S2History_T,
        zero(model.V2S2History_T),
    )
    assert err == (
        "json: cannot unmarshal number into Go struct field V2S2History.author of type string"
    )
    assert h.CreatedBy == "x"


def test_error_context_is_the_innermost_struct_and_the_full_path() -> None:
    _, err = unmarshal(
        b'{"history":[{"author":5}],"container_config":{"Healthcheck":{"Retries":1.5}}}',
        model.V2Image_T,
        model.V2Image(),
    )
    assert err == (
        "json: cannot unmarshal number into Go struct field V2S2History.history.author "
        "of type string"
    )
    _, err = unmarshal(
        b'{"container_config":{"Healthcheck":{"Retries":1.5}}}', model.V2Image_T, model.V2Image()
    )
    assert err == (
        "json: cannot unmarshal number 1.5 into Go struct field "
        "HealthConfig.container_config.Healthcheck.Retries of type int"
    )
    _, err = unmarshal(b"[]", model.V2S2History_T, model.V2S2History())
    assert err == "json: cannot unmarshal array into Go value of type docker.V2S2History"
    _, err = unmarshal(
        b'{"container_config":{"Cmd":"x"}}', model.V1Compatibility_T, model.V1Compatibility()
    )
    assert err == (
        "json: cannot unmarshal string into Go struct field .container_config.Cmd of type []string"
    )


def test_keys() -> None:
    v, _ = unmarshal(
        b'{"parent":"p","Parent":"q","OS":"a","\\u006fs":"b","o\xc5\xbf":"c","\xc3\x9f":1}',
        model.V2Image_T,
        model.V2Image(),
    )
    assert v.Parent == "q"  # V2Image's own Parent; the last key wins
    assert v.OS == "c"  # U+017F folds to s
    img, _ = unmarshal('{"hi\ufb05ory":[{}]}'.encode(), model.OCIImage_T, model.OCIImage())
    assert img.History is None  # U+FB05 is not "st" for Go


def test_maps_merge_and_values_replace() -> None:
    cfg, err = unmarshal(
        b'{"Labels":{"a":"1","b":"x"},"Labels":{"b":"2"},"Volumes":{"/v":null,"/w":{"x":1}}}',
        model.ImageConfig_T,
        model.ImageConfig(),
    )
    assert err is None
    assert cfg.Labels == {"a": "1", "b": "2"}
    assert cfg.Volumes == {"/v": None, "/w": None}


def test_ints() -> None:
    hc, err = unmarshal(
        b'{"Retries":-9223372036854775808,"Interval":9223372036854775807,"Timeout":-0}',
        model.HealthConfig_T,
        model.HealthConfig(),
    )
    assert err is None
    assert (hc.Retries, hc.Interval, hc.Timeout) == (-(2**63), 2**63 - 1, 0)
    _, err = unmarshal(b'{"config":[-0]}', model.CopyData_T, model.CopyData())
    assert (
        err == "json: cannot unmarshal number -0 into Go struct field CopyData.config of type uint8"
    )


def test_huge_integer_literal_is_a_type_error() -> None:
    lit = "9" * 5000  # beyond Python's default int() digit limit
    _, err = unmarshal(f'{{"Retries":{lit}}}'.encode(), model.HealthConfig_T, model.HealthConfig())
    assert err == (
        f"json: cannot unmarshal number {lit} into Go struct field HealthConfig.Retries of type int"
    )


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="QUJDRAx+/=\n\r?", max_size=14))
def test_base64_fast_path_is_exact(text: str) -> None:
    """base64std.decode's binascii fast path against the regex check and Go's decodeQuantum
    port it stands in for."""
    src = text.encode()
    stripped = src.replace(b"\n", b"").replace(b"\r", b"")
    try:
        got: bytes | str = base64std.decode(src)
    except base64std.CorruptInputError as e:
        got = str(e)
    if base64std._VALID.fullmatch(stripped) is not None:
        assert got == binascii.a2b_base64(stripped)
    else:
        with pytest.raises(base64std.CorruptInputError) as info:
            base64std._find_error(src)
        assert got == str(info.value)


def test_grown_capacity_table() -> None:
    """decode.py's table of capacities Go's array() reaches from a nil slice is its loop's."""
    from reference.gojson import decode

    for n in range(100):
        cap = 0
        while cap < n:
            cap = max(4, cap + cap // 2)  # decode.go: newcap := v.Cap() + v.Cap()/2, min 4
        assert decode._grown_cap(n) == cap
