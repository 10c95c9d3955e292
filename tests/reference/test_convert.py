"""reference.convert: the three converters, against the spec's examples and the Go source.

Expected JSON texts are copied from spec/PROTOCOL.md's examples and GO_JSON_SEMANTICS.md (every
one of them produced by the oracle); the structural checks (sharing, aliasing, order of checks)
are read off the Go code of original/copy_data.go.
"""

from __future__ import annotations

import pytest

from reference import convert, gojson, model
from reference.errors import NIL_DEREFERENCE, GoError, GoPanic
from reference.gotime import GoTime, parse_rfc3339

NOW = parse_rfc3339("2017-09-01T12:00:00.5Z")
H = "sha256:" + "a" * 64


def decode(doc: bytes, t: gojson.types.GoType, value: object) -> object:
    out, err = gojson.unmarshal(doc, t, value)
    assert err is None, err
    return out


def docker_image(doc: bytes) -> model.V2Image:
    value = decode(doc, model.V2Image_T, model.V2Image())
    assert isinstance(value, model.V2Image)
    return value


def oci_image(doc: bytes) -> model.OCIImage:
    value = decode(doc, model.OCIImage_T, model.OCIImage())
    assert isinstance(value, model.OCIImage)
    return value


def schema1(doc: bytes) -> model.V2S1Manifest:
    value = decode(doc, model.V2S1Manifest_T, model.V2S1Manifest())
    assert isinstance(value, model.V2S1Manifest)
    return value


# ---------------------------------------------------------------------------------------------
# makeOCIv1Image


def test_make_oci_protocol_example() -> None:
    """PROTOCOL.md, "make_oci": a string Cmd, created and history converted to UTC."""
    dimage = docker_image(
        b'{"created":"2017-01-01T00:00:00+02:00","container_config":{"Cmd":"sh"},'
        b'"rootfs":{"type":"layers","diff_ids":["sha256:x"]},'
        b'"history":[{"created":"2017-01-01T00:00:00Z","empty_layer":true}]}'
    )
    image = convert.make_oci_v1_image(dimage)
    assert gojson.marshal(model.OCIImage_T, image) == (
        b'{"created":"2016-12-31T22:00:00Z","architecture":"","os":"","config":{"Cmd":["sh"]},'
        b'"rootfs":{"type":"layers","diff_ids":["sha256:x"]},'
        b'"history":[{"created":"2017-01-01T00:00:00Z","empty_layer":true}]}'
    )


def test_make_oci_utc_everywhere() -> None:
    """GO_JSON_SEMANTICS.md s140."""
    dimage = docker_image(
        b'{"created":"2017-01-01T00:00:00+02:00",'
        b'"history":[{"created":"2017-01-01T00:00:00.000000001-07:00"}]}'
    )
    assert gojson.marshal(model.OCIImage_T, convert.make_oci_v1_image(dimage)) == (
        b'{"created":"2016-12-31T22:00:00Z","architecture":"","os":"","config":{},'
        b'"rootfs":{"type":"","diff_ids":[]},'
        b'"history":[{"created":"2017-01-01T07:00:00.000000001Z"}]}'
    )


def test_make_oci_year_out_of_range_only_fails_on_marshal() -> None:
    """s141: the conversion succeeds, json.Marshal of the result fails."""
    image = convert.make_oci_v1_image(docker_image(b'{"created":"0000-01-01T00:00:00+01:00"}'))
    assert image.Created is not None
    assert image.Created.offset == 0
    with pytest.raises(GoError) as exc:
        gojson.marshal(model.OCIImage_T, image)
    assert str(exc.value) == (
        "json: error calling MarshalJSON for type *time.Time: Time.MarshalJSON: "
        "year outside of range [0,9999]"
    )


def test_make_oci_diff_ids_unchecked() -> None:
    """s151: makeOCIv1Image copies diff_ids without digest validation."""
    image = convert.make_oci_v1_image(
        docker_image(b'{"rootfs":{"type":"layers","diff_ids":["not a digest"]}}')
    )
    assert image.RootFS.Type == "layers"
    assert image.RootFS.DiffIDs == ["not a digest"]


def test_make_oci_rootfs_type_must_be_layers_exactly() -> None:
    image = convert.make_oci_v1_image(
        docker_image(b'{"rootfs":{"type":"Layers","diff_ids":["' + H.encode() + b'"]}}')
    )
    assert image.RootFS.Type == ""
    assert image.RootFS.DiffIDs == []


def test_make_oci_prefers_config_over_container_config() -> None:
    dimage = docker_image(
        b'{"container_config":{"User":"cc","Env":["C=1"]},"config":{"User":"c","Env":["E=1"]}}'
    )
    image = convert.make_oci_v1_image(dimage)
    assert image.Config.User == "c"
    assert image.Config.Env == ["E=1"]
    dimage = docker_image(b'{"container_config":{"User":"cc","WorkingDir":"/w"}}')
    image = convert.make_oci_v1_image(dimage)
    assert (image.Config.User, image.Config.WorkingDir) == ("cc", "/w")


def test_make_oci_shares_slices_and_maps_but_copies_exposed_ports() -> None:
    """Go assigns Env/Cmd/Labels/Volumes (shared) but builds a new ExposedPorts map."""
    dimage = docker_image(
        b'{"config":{"Env":["A=1"],"Labels":{"a":"b"},"Volumes":{"/v":{}},'
        b'"ExposedPorts":{"80/tcp":{}}}}'
    )
    image = convert.make_oci_v1_image(dimage)
    assert dimage.Config is not None
    assert image.Config.Env is dimage.Config.Env
    assert image.Config.Labels is dimage.Config.Labels
    assert image.Config.Volumes is dimage.Config.Volumes
    assert image.Config.ExposedPorts == {"80/tcp": None}
    assert image.Config.ExposedPorts is not dimage.Config.ExposedPorts


def test_make_oci_empty_exposed_ports_is_an_empty_map() -> None:
    """``ExposedPorts: map[string]struct{}{}``: non-nil, omitted by omitempty all the same."""
    image = convert.make_oci_v1_image(model.V2Image())
    assert image.Config.ExposedPorts == {}
    assert image.History == []
    assert image.Created == GoTime(-62135596800, 0, 0)


# ---------------------------------------------------------------------------------------------
# makeDockerV2S2Image


def test_make_docker_v2s2_protocol_example() -> None:
    """PROTOCOL.md, "make_docker_v2s2"."""
    oimage = oci_image(
        b'{"created":"2017-01-01T00:00:00+02:00","config":{"Env":["A=1"],'
        b'"ExposedPorts":{"80/tcp":{}}}}'
    )
    dimage = convert.make_docker_v2s2_image(oimage)
    config = (
        b'{"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":false,'
        b'"AttachStderr":false,"ExposedPorts":{"80/tcp":{}},"Tty":false,"OpenStdin":false,'
        b'"StdinOnce":false,"Env":["A=1"],"Cmd":null,"Image":"","Volumes":null,"WorkingDir":"",'
        b'"Entrypoint":null,"OnBuild":null,"Labels":null}'
    )
    assert gojson.marshal(model.V2Image_T, dimage) == (
        b'{"created":"2016-12-31T22:00:00Z","container_config":'
        + config
        + b',"config":'
        + config
        + b',"rootfs":{"type":""}}'
    )


def test_make_docker_v2s2_config_is_the_container_config() -> None:
    """``image.Config = &image.ContainerConfig``: one object, as Go's pointer."""
    dimage = convert.make_docker_v2s2_image(oci_image(b'{"created":"2017-01-01T00:00:00Z"}'))
    assert dimage.Config is dimage.ContainerConfig
    assert dimage.RootFS is not None
    assert dimage.History == []


def test_make_docker_v2s2_digests() -> None:
    """s148-s150: rc0 digests, upper-case hex accepted; Go returns the first error."""
    ok = convert.make_docker_v2s2_image(
        oci_image(
            b'{"created":"2017-01-01T00:00:00Z","rootfs":{"type":"layers","diff_ids":'
            b'["sha256:' + b"A" * 64 + b'"]}}'
        )
    )
    assert ok.RootFS is not None
    assert ok.RootFS.DiffIDs == ["sha256:" + "A" * 64]
    for diff_id, message in [
        ("sha512:" + "a" * 64, "invalid checksum digest length"),
        ("md5:" + "a" * 32, "unsupported digest algorithm"),
        ("sha256:x y", "invalid checksum digest format"),
    ]:
        oimage = oci_image(
            b'{"created":"2017-01-01T00:00:00Z","rootfs":{"type":"layers","diff_ids":["'
            + H.encode()
            + b'","'
            + diff_id.encode()
            + b'","also bad"]}}'
        )
        with pytest.raises(GoError) as exc:
            convert.make_docker_v2s2_image(oimage)
        assert str(exc.value) == message


def test_make_docker_v2s2_nil_created_panics() -> None:
    """GO_JSON_SEMANTICS.md, "Paths of the original that panic": oimage.Created nil."""
    with pytest.raises(GoPanic) as exc:
        convert.make_docker_v2s2_image(oci_image(b"{}"))
    assert str(exc.value) == NIL_DEREFERENCE


def test_make_docker_v2s2_nil_history_created_panics() -> None:
    """s164: a history entry without created."""
    oimage = oci_image(b'{"created":"2017-01-01T00:00:00Z","history":[{"author":"a"}]}')
    with pytest.raises(GoPanic):
        convert.make_docker_v2s2_image(oimage)


def test_make_docker_v2s2_created_panic_comes_before_digest_error() -> None:
    oimage = oci_image(b'{"rootfs":{"type":"layers","diff_ids":["bad"]}}')
    with pytest.raises(GoPanic):
        convert.make_docker_v2s2_image(oimage)


def test_make_docker_v2s2_digest_error_comes_before_history_panic() -> None:
    oimage = oci_image(
        b'{"created":"2017-01-01T00:00:00Z","history":[{}],'
        b'"rootfs":{"type":"layers","diff_ids":["bad"]}}'
    )
    with pytest.raises(GoError, match=r"^invalid checksum digest format$"):
        convert.make_docker_v2s2_image(oimage)


def test_make_docker_v2s2_history_utc() -> None:
    oimage = oci_image(
        b'{"created":"2017-01-01T00:00:00Z","history":[{"created":"2017-01-01T02:00:00+02:00",'
        b'"created_by":"c","author":"a","comment":"m","empty_layer":true}]}'
    )
    dimage = convert.make_docker_v2s2_image(oimage)
    assert dimage.History is not None
    (h,) = dimage.History
    assert (h.Created, h.CreatedBy, h.Author, h.Comment, h.EmptyLayer) == (
        parse_rfc3339("2017-01-01T00:00:00Z"),
        "c",
        "a",
        "m",
        True,
    )
    assert h.Created.offset == 0


# ---------------------------------------------------------------------------------------------
# makeDockerV2S1Image


def test_make_docker_v2s1_protocol_example() -> None:
    """PROTOCOL.md, "make_docker_v2s1"."""
    manifest = schema1(
        b'{"schemaVersion":1,"history":[{"v1Compatibility":"{\\"docker_version\\":\\"1\\",'
        b'\\"created\\":\\"2017-01-01T00:00:00Z\\",\\"container_config\\":{\\"Cmd\\":'
        b'[\\"/bin/sh\\",\\"-c\\",\\"#(nop) CMD\\"]}}"}]}'
    )
    dimage = convert.make_docker_v2s1_image(manifest, NOW)
    assert gojson.marshal(model.V2Image_T, dimage) == (
        b'{"created":"2017-01-01T00:00:00Z","container_config":{"Hostname":"","Domainname":"",'
        b'"User":"","AttachStdin":false,"AttachStdout":false,"AttachStderr":false,"Tty":false,'
        b'"OpenStdin":false,"StdinOnce":false,"Env":null,"Cmd":["/bin/sh","-c","#(nop) CMD"],'
        b'"Image":"","Volumes":null,"WorkingDir":"","Entrypoint":null,"OnBuild":null,'
        b'"Labels":null},"docker_version":"1","rootfs":{"type":"layers"},'
        b'"history":[{"created":"2017-01-01T00:00:00Z","created_by":"[/bin/sh -c #(nop) CMD]"}]}'
    )


def test_make_docker_v2s1_history_rules() -> None:
    """s147: %v formatting, a failed V1Compatibility decode keeps now, prepend order."""
    manifest = schema1(
        b'{"schemaVersion": 1, "history": [{"v1Compatibility": "{\\"docker_version\\": \\"1\\",'
        b' \\"created\\": \\"2017-01-01T00:00:00Z\\", \\"container_config\\": {\\"Cmd\\":'
        b' \\"sh\\"}}"}, {"v1Compatibility": "not json"}, {"v1Compatibility": "{\\"container_config'
        b'\\": {\\"Cmd\\": [\\"\\", \\"a b\\", \\"\\"]}, \\"throwaway\\": true}"}]}'
    )
    dimage = convert.make_docker_v2s1_image(manifest, NOW)
    out = gojson.marshal(model.V2Image_T, dimage)
    assert out.endswith(
        b'"docker_version":"1","rootfs":{"type":"layers"},"history":[{"created":'
        b'"0001-01-01T00:00:00Z","created_by":"[ a b ]","empty_layer":true},{"created":'
        b'"2017-09-01T12:00:00.5Z"},{"created":"2017-09-01T12:00:00.5Z"}]}'
    )
    assert dimage.RootFS is not None
    assert dimage.RootFS.DiffIDs == []


def test_make_docker_v2s1_now_is_made_utc() -> None:
    manifest = schema1(
        b'{"history":[{"v1Compatibility":"{\\"docker_version\\":\\"1\\"}"},'
        b'{"v1Compatibility":"x"}]}'
    )
    now = parse_rfc3339("2017-09-01T14:00:00+02:00")
    dimage = convert.make_docker_v2s1_image(manifest, now)
    assert dimage.History is not None
    assert dimage.History[0].Created == parse_rfc3339("2017-09-01T12:00:00Z")
    assert dimage.History[0].Created.offset == 0


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (b"{}", "error parsing image configuration from manifest"),
        (b'{"history":[]}', "error parsing image configuration from manifest"),
        (
            b'{"history":[{"v1Compatibility":"not json"}]}',
            "invalid character 'o' in literal null (expecting 'u')",
        ),
        (b'{"history":[{"v1Compatibility":""}]}', "unexpected end of JSON input"),
        (
            b'{"history":[{"v1Compatibility":"{}"}]}',
            "error parsing image configuration from history",
        ),
        (
            b'{"history":[{"v1Compatibility":"{\\"docker_version\\":5}"}]}',
            "json: cannot unmarshal number into Go struct field V2Image.docker_version"
            " of type string",
        ),
    ],
)
def test_make_docker_v2s1_errors(doc: bytes, message: str) -> None:
    with pytest.raises(GoError) as exc:
        convert.make_docker_v2s1_image(schema1(doc), NOW)
    assert str(exc.value) == message


@pytest.mark.parametrize(
    ("words", "text"),
    [([], "[]"), (["sh"], "[sh]"), (["", "a b", ""], "[ a b ]"), (["a", "", "b"], "[a  b]")],
)
def test_sprint_v(words: list[str], text: str) -> None:
    """fmt.Sprintf("%v", []string{...})."""
    assert convert._sprint_v(words) == text
