"""marshal: Go 1.19 encode.go's output rules, on values built in Python (not decoded), with
expected texts written by hand from encode.go and GO_JSON_SEMANTICS.md sections 8-12."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference import model
from reference.errors import GoError
from reference.gojson import marshal
from reference.gojson.encode import quote
from reference.gotime import GoTime, unmarshal_json_token

# 10000-01-01T00:00:00Z and -0001-12-31T23:00:00Z as Unix seconds
YEAR_10000 = 253402300800
YEAR_MINUS_1 = -62167219200 - 3600


@pytest.mark.parametrize(
    ("s", "json_text"),
    [
        ("", '""'),
        ("plain /é😀\x7f", '"plain /é😀\x7f"'),
        ("<&>", '"\\u003c\\u0026\\u003e"'),
        ("\u2028\u2029", '"\\u2028\\u2029"'),
        ('"\\', '"\\"\\\\"'),
        ("\n\r\t", '"\\n\\r\\t"'),
        ("\x00\x08\x0c\x1f", '"\\u0000\\u0008\\u000c\\u001f"'),  # no \b \f in Go 1.19
        ("\udcff", '"\\ufffd"'),  # a Python stand-in for an invalid byte
    ],
)
def test_quote(s: str, json_text: str) -> None:
    assert quote(s) == json_text


def test_struct_fields_in_order_omitempty_and_nil() -> None:
    cfg = model.Config(
        Env=[],
        Labels={},
        ExposedPorts={},
        StopTimeout=0,
        Healthcheck=None,
        Shell=[],
        Volumes={"/b": None, "/a": None},
    )
    assert marshal(model.Config_T, cfg) == (
        b'{"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":false,'
        b'"AttachStderr":false,"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":[],'
        b'"Cmd":null,"Image":"","Volumes":{"/a":{},"/b":{}},"WorkingDir":"","Entrypoint":null,'
        b'"OnBuild":null,"Labels":{},"StopTimeout":0}'
    )


def test_embedded_fields_and_the_hidden_parent() -> None:
    v = model.V2Image(Parent="sha256:p", Size=7, OS="linux")
    out = marshal(model.V2Image_T, v)
    assert out.endswith(b'"os":"linux","Size":7,"parent":"sha256:p"}')
    assert out.count(b'"parent"') == 1


def test_never_omitted_structs() -> None:
    assert marshal(model.OCIImage_T, model.OCIImage()) == (
        b'{"architecture":"","os":"","config":{},"rootfs":{"type":"","diff_ids":null}}'
    )
    assert marshal(model.V1Compatibility_T, model.V1Compatibility()) == (
        b'{"id":"","created":"0001-01-01T00:00:00Z","container_config":{"Cmd":null}}'
    )


def test_map_keys_sorted_by_bytes_and_escaped() -> None:
    labels = {"b": "1", "a": "2", "B": "3", "é": "4", "_": "5", "À": "6", "~": "7", "<": ""}
    assert (
        marshal(model.ImageConfig_T, model.ImageConfig(Labels=labels))
        == (
            '{"Labels":{"\\u003c":"","B":"3","_":"5","a":"2","b":"1","~":"7","À":"6","é":"4"}}'
        ).encode()
    )


def test_bytes_as_base64() -> None:
    c = model.CopyData(Config=b"abc", Manifest=b"")
    out = marshal(model.CopyData_T, c)
    assert out.startswith(b'{"type":"","image-id":"","config":"YWJj","ociv1":')


def test_time_offsets_kept() -> None:
    h = model.History(Created=unmarshal_json_token(b'"2017-06-20T18:20:19.123456780+02:00"'))
    assert marshal(model.History_T, h) == b'{"created":"2017-06-20T18:20:19.12345678+02:00"}'


def test_time_marshal_errors_name_the_go_type() -> None:
    # checked with the oracle: a time.Time field reports "time.Time", *time.Time "*time.Time"
    late = GoTime(YEAR_10000, 0, 0)
    early = GoTime(YEAR_MINUS_1, 0, 0)
    with pytest.raises(GoError) as info:
        marshal(model.V2S2History_T, model.V2S2History(Created=late))
    assert str(info.value) == (
        "json: error calling MarshalJSON for type time.Time: "
        "Time.MarshalJSON: year outside of range [0,9999]"
    )
    with pytest.raises(GoError) as info:
        marshal(model.OCIImage_T, model.OCIImage(Created=early))
    assert str(info.value) == (
        "json: error calling MarshalJSON for type *time.Time: "
        "Time.MarshalJSON: year outside of range [0,9999]"
    )


def test_nil_pointer_at_top_level() -> None:
    assert marshal(model.CopyDataPtr_T, None) == b"null"


def go_quote(s: str, escape_html: bool = True) -> str:
    """encode.go's encodeState.string, character by character."""
    out = ['"']
    for ch in s:
        c = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in "\n\r\t":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch])
        elif c < 0x20 or (escape_html and ch in "<>&"):
            out.append(f"\\u00{c:02x}")
        elif ch in "\u2028\u2029":
            out.append(f"\\u202{c & 0xF:x}")
        elif 0xD800 <= c <= 0xDFFF:
            out.append("\\ufffd" * (1 if 0xDC80 <= c <= 0xDCFF else 3))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


@settings(max_examples=500, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            [
                "a",
                "é",
                "😀",
                '"',
                "\\",
                "b",
                "f",
                "\b",
                "\f",
                "\n",
                "\x00",
                "\x1f",
                "\x7f",
                "<",
                ">",
                "&",
                "\u2028",
                "\u2029",
                "\udcff",
                "\ud800",
                "u",
                "0",
            ]
        ),
        max_size=30,
    )
)
def test_quote_matches_go_rules(s: str) -> None:
    assert quote(s) == go_quote(s)
    assert quote(s, escape_html=False) == go_quote(s, escape_html=False)
