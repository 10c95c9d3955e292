"""The conformance protocol (``spec/PROTOCOL.md``): one request in, one response out.

This module is the reference's one face. It is a transcription of the oracle's
``cmd/copydata-oracle/main.go``, byte for byte on the wire:

* main.go's ``request`` and ``response`` structs are declared below as Go structs (gojson), so
  the JSON rules are gojson's, the same as for the original's types;
* a request line is decoded the way the oracle decodes it: a ``json.Decoder`` with
  ``DisallowUnknownFields`` (gojson.stream: only the first value counts, a truncated line is
  ``unexpected EOF``), then ``dec.More()``; on failure the ``id``/``op`` are salvaged with
  ``json.Unmarshal`` of the whole line into a two-field probe, exactly when Go's probe succeeds;
* each op runs the same steps in the same order as ``handle`` in main.go, so the same request
  problem is reported first (``now`` before the blobs, blobs before ``history_timestamp``, ...);
* the response is printed as its ``json.Encoder`` (``SetEscapeHTML(false)``) prints it.

:func:`handle` (in-process) sends the request through the same bytes path, so both transports
give the same answers. Nothing raises: a Python exception that is not a modelled Go error or
panic becomes a response with ``stage: "call"`` and an ``internal error:`` text (a bug).
"""

from __future__ import annotations

import json
import re
from typing import Any

import reference
from reference import convert, copydata, gojson, gotime, model
from reference.errors import GoError, GoPanic
from reference.gojson import base64std
from reference.gojson.encode import marshal_reusing, marshal_string
from reference.gojson.stream import Decoder
from reference.gojson.types import (
    BOOL,
    PTR_STRING,
    RAW_MESSAGE,
    STRING,
    GoStruct,
    MapType,
    SliceType,
    gofield,
)
from reference.gojson.types import zero as go_zero
from reference.gostrconv import quote as go_quote

__all__ = ["OPS", "handle", "handle_line", "is_blank_line"]

#: What ``describe`` announces (the oracle's ``supportedOps``, in its order).
OPS = (
    "import_image",
    "import_container",
    "open",
    "make_oci",
    "make_docker_v2s2",
    "make_docker_v2s1",
    "make_image_ref",
    "roundtrip",
)

# unicode.IsSpace: Latin-1 spaces plus the White_Space property.
_GO_SPACES = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)


# ASCII spaces for unicode.IsSpace, then a byte that is neither one nor part of a non-ASCII
# character (which may be a space: the decoding below decides).
_STARTS_WITH_ASCII_NON_SPACE = re.compile(rb"[\t\n\x0b\x0c\r ]*[^\t\n\x0b\x0c\r \x80-\xff]")


def is_blank_line(line: bytes) -> bool:
    """``len(strings.TrimSpace(string(line))) == 0``: the oracle skips such lines silently.

    Note that this is Go's Unicode notion of space (NBSP, U+2028, VT, ... count), not JSON's.
    """
    if _STARTS_WITH_ASCII_NON_SPACE.match(line) is not None:
        return False  # the common case, without decoding the line
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False  # an invalid byte is RuneError, never a space
    return all(ch in _GO_SPACES for ch in text)


# ---------------------------------------------------------------------------------------------
# main.go's structs.

_STRINGS = SliceType(STRING)
_STRING_MAP = MapType(STRING, STRING)


class _Request(GoStruct, go_name="main.request"):
    """main.go's ``request``: the *string fields are None unless given (JSON null sets them back
    to nil); the plain strings ignore null."""

    ID: bytes | None = gofield(RAW_MESSAGE, "id")
    Op: str = gofield(STRING, "op")
    # Blobs: base64 (std alphabet, padded) or JSON null; *_text is a convenience alternative.
    Config: str | None = gofield(PTR_STRING, "config")
    ConfigText: str | None = gofield(PTR_STRING, "config_text")
    Manifest: str | None = gofield(PTR_STRING, "manifest")
    ManifestText: str | None = gofield(PTR_STRING, "manifest_text")
    State: str | None = gofield(PTR_STRING, "state")
    StateText: str | None = gofield(PTR_STRING, "state_text")
    Docker: str | None = gofield(PTR_STRING, "docker")
    DockerText: str | None = gofield(PTR_STRING, "docker_text")
    OCI: str | None = gofield(PTR_STRING, "oci")
    OCIText: str | None = gofield(PTR_STRING, "oci_text")
    ImageName: str = gofield(STRING, "image_name")
    ImageID: str = gofield(STRING, "image_id")
    ContainerName: str = gofield(STRING, "container_name")
    ContainerID: str = gofield(STRING, "container_id")
    Now: str | None = gofield(PTR_STRING, "now")
    GOOS: str | None = gofield(PTR_STRING, "goos")
    GOARCH: str | None = gofield(PTR_STRING, "goarch")
    # roundtrip
    Type: str = gofield(STRING, "type")
    Input: str | None = gofield(PTR_STRING, "input")
    InputText: str | None = gofield(PTR_STRING, "input_text")
    # make_image_ref
    ManifestType: str = gofield(STRING, "manifest_type")
    Names: list[str] | None = gofield(_STRINGS, "names")
    LayerID: str = gofield(STRING, "layer_id")
    HistoryTimestamp: str | None = gofield(PTR_STRING, "history_timestamp")


class _Probe(GoStruct, go_name=None):
    """The anonymous ``probe`` struct process() salvages the id and op with."""

    ID: bytes | None = gofield(RAW_MESSAGE, "id")
    Op: str = gofield(STRING, "op")


class _Response(GoStruct, go_name="main.response"):
    """main.go's ``response``; None = nil (omitted where omitempty, ``null`` otherwise)."""

    ID: bytes | None = gofield(RAW_MESSAGE, "id")
    Op: str = gofield(STRING, "op")
    OK: bool = gofield(BOOL, "ok")
    Stage: str = gofield(STRING, "stage,omitempty")
    Error: str | None = gofield(PTR_STRING, "error")
    Panic: str | None = gofield(PTR_STRING, "panic")
    State: str | None = gofield(PTR_STRING, "state,omitempty")
    StateError: str | None = gofield(PTR_STRING, "state_error,omitempty")
    OCI: str | None = gofield(PTR_STRING, "oci,omitempty")
    OCIError: str | None = gofield(PTR_STRING, "oci_error,omitempty")
    Docker: str | None = gofield(PTR_STRING, "docker,omitempty")
    DockerError: str | None = gofield(PTR_STRING, "docker_error,omitempty")
    Annotations: bytes | None = gofield(RAW_MESSAGE, "annotations,omitempty")
    Output: str | None = gofield(PTR_STRING, "output,omitempty")
    OutputError: str | None = gofield(PTR_STRING, "output_error,omitempty")
    # make_image_ref
    Oconfig: str | None = gofield(PTR_STRING, "oconfig,omitempty")
    Dconfig: str | None = gofield(PTR_STRING, "dconfig,omitempty")
    Created: str | None = gofield(PTR_STRING, "created,omitempty")
    CreatedBy: str | None = gofield(PTR_STRING, "createdBy,omitempty")
    PreferredManifestType: str | None = gofield(PTR_STRING, "preferredManifestType,omitempty")
    Name: bytes | None = gofield(RAW_MESSAGE, "name,omitempty")
    Names: bytes | None = gofield(RAW_MESSAGE, "names,omitempty")
    LayerID: str | None = gofield(PTR_STRING, "layerID,omitempty")
    # describe
    Implementation: bytes | None = gofield(RAW_MESSAGE, "implementation,omitempty")

    def fail(self, stage: str, err: GoError) -> None:
        """main.go's ``fail``."""
        self.OK, self.Stage, self.Error = False, stage, str(err)

    def clear_after_panic(self) -> None:
        """main.go: whatever was produced before the panic is not meaningful."""
        self.State = self.OCI = self.Docker = self.Output = None
        self.StateError = self.OCIError = self.DockerError = self.OutputError = None
        self.Annotations = None


class _Implementation(GoStruct, go_name=None):
    """What describe's ``rawJSON(map[string]interface{}{...})`` prints: Go sorts a map's keys,
    so the fields are declared in that order."""

    Language: str = gofield(STRING, "language")
    Name: str = gofield(STRING, "name")
    Ops: list[str] = gofield(_STRINGS, "ops")
    Version: str = gofield(STRING, "version")


_Request_T = _Request.go_type
_Probe_T = _Probe.go_type
_Response_T = _Response.go_type


def _encode_response(resp: _Response) -> bytes:
    """The line ``enc.Encode(&resp)`` writes (``SetEscapeHTML(false)``), newline included."""
    return gojson.marshal(_Response_T, resp, escape_html=False) + b"\n"


# ---------------------------------------------------------------------------------------------
# The ops (main.go's `handle`).


class _BadRequest(Exception):
    """main.go's ``badRequest`` panic payload."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _set_env(req: _Request, need_now: bool) -> copydata.Host:
    """main.go's ``setEnv``: the injected platform and clock (``time.Time{}`` without ``now``)."""
    goos = req.GOOS if req.GOOS is not None else "linux"
    goarch = req.GOARCH if req.GOARCH is not None else "amd64"
    if req.Now is None:
        if need_now:
            raise _BadRequest('"now" (RFC3339Nano) is required for op ' + req.Op)
        return _host(gotime.ZERO_TIME, goos, goarch)
    try:
        now = gotime.parse_rfc3339(req.Now)
    except GoError as exc:
        raise _BadRequest(f'"now" is not RFC3339Nano: {exc}') from None
    return _host(now, goos, goarch)


_HOSTS: dict[tuple[gotime.GoTime, str, str], copydata.Host] = {}


def _host(now: gotime.GoTime, goos: str, goarch: str) -> copydata.Host:
    """``copydata.Host(now, goos, goarch)``, shared (it is immutable): requests of a stream
    mostly carry the same clock and platform."""
    key = (now, goos, goarch)
    host = _HOSTS.get(key)
    if host is None:
        if len(_HOSTS) >= 256:
            _HOSTS.clear()
        host = _HOSTS[key] = copydata.Host(now=now, goos=goos, goarch=goarch)
    return host


def _blob(b64: str | None, text: str | None, name: str) -> bytes | None:
    """main.go's ``blob``: base64 or ``<name>_text``, not both; None for nil."""
    if b64 is not None and text is not None:
        raise _BadRequest(f"give either {go_quote(name)} or {go_quote(name + '_text')}, not both")
    if text is not None:
        return text.encode("utf-8")
    if b64 is None:
        return None
    try:
        return base64std.decode(b64.encode("utf-8"))
    except base64std.CorruptInputError as exc:
        raise _BadRequest(f"{go_quote(name)} is not valid padded standard base64: {exc}") from None


def _require_blob(b64: str | None, text: str | None, name: str) -> bytes:
    if b64 is None and text is None:
        raise _BadRequest(f"{go_quote(name)} (base64) or {go_quote(name + '_text')} is required")
    blob = _blob(b64, text, name)
    assert blob is not None
    return blob


def _marshal(go_type: Any, value: Any) -> tuple[str | None, str | None]:
    """main.go's ``marshalInto``: (the text, None) or (None, the error). The text goes into a
    response string only: it is made as the content of one (`Escaped`) right away."""
    try:
        return _marshal_text(go_type, value), None
    except GoError as exc:
        return None, str(exc)


def _marshal_text(go_type: Any, value: Any) -> str:
    """json.Marshal's text, made as the content of a response string right away (`Escaped`);
    raises GoError like gojson.marshal. (MakeImageRef is handed this one.)"""
    return marshal_string(go_type, value, embedded=True)


def _report(resp: _Response, c: model.CopyData) -> None:
    """main.go's ``report``: state, oci, docker, annotations of a CopyData.

    ``json.Marshal(c)`` prints ``c.OCIv1`` and ``c.Docker`` exactly as the oci and docker
    answers do, so those two are encoded once and reused in the state."""
    resp.OCI, resp.OCIError = oci = _marshal(model.OCIImage_T, c.OCIv1)
    resp.Docker, resp.DockerError = docker = _marshal(model.V2Image_T, c.Docker)
    known: dict[str, str | GoError] = {
        "OCIv1": oci[0] if oci[0] is not None else GoError(oci[1] or ""),
        "Docker": docker[0] if docker[0] is not None else GoError(docker[1] or ""),
    }
    try:
        state = marshal_reusing(model.CopyDataPtr_T, c, known, embedded=True)
        resp.State, resp.StateError = state, None
    except GoError as exc:
        resp.State, resp.StateError = None, str(exc)
    resp.Annotations = gojson.marshal(_STRING_MAP, copydata.annotations(c))


class _Stage:
    """The oracle's ``stage`` variable: where a panic is attributed."""

    def __init__(self) -> None:
        self.value = "request"


def _run(req: _Request, resp: _Response, stage: _Stage) -> None:
    op = req.Op
    if op == "describe":
        resp.OK = True
        resp.Implementation = gojson.marshal(
            _Implementation.go_type,
            _Implementation(
                Language="python",
                Name="copydata-reference",
                Ops=list(OPS),
                Version=reference.__version__,
            ),
        )
    elif op in ("import_image", "import_container"):
        host = _set_env(req, True)
        config = _blob(req.Config, req.ConfigText, "config")
        manifest = _blob(req.Manifest, req.ManifestText, "manifest")
        stage.value = "call"
        args = (req.ImageID, req.ImageName, config, manifest, req.ContainerName)
        try:
            if op == "import_image":
                c = copydata.import_copy_data_from_image(*args, req.ContainerID, host)
            else:
                c, _ = copydata.import_copy_data_for_container(*args, req.ContainerID, host)
        except GoError as exc:
            resp.fail("call", exc)
            return
        stage.value = "report"
        resp.OK = True
        # import_container: main.go then sets state to what Save() wrote; it equals
        # json.Marshal(c) (the same c), which report printed already.
        _report(resp, c)
    elif op == "open":
        host = _set_env(req, True)
        blob = _require_blob(req.State, req.StateText, "state")
        stage.value = "call"
        try:
            c = copydata.open_copy_data(blob, host)
        except GoError as exc:
            resp.fail("call", exc)
            return
        stage.value = "report"
        resp.OK = True
        _report(resp, c)
    elif op in ("make_oci", "make_docker_v2s2", "make_docker_v2s1"):
        _run_converter(req, resp, stage)
    elif op == "make_image_ref":
        _run_make_image_ref(req, resp, stage)
    elif op == "roundtrip":
        _run_roundtrip(req, resp, stage)
    else:
        raise _BadRequest(f"unknown op {go_quote(op)}")


def _run_converter(req: _Request, resp: _Response, stage: _Stage) -> None:
    op = req.Op
    host = _set_env(req, op == "make_docker_v2s1")
    result: Any
    if op == "make_oci":
        blob = _require_blob(req.Docker, req.DockerText, "docker")
        in_type, out_type = model.V2Image_T, model.OCIImage_T
        zero: Any = model.V2Image()
    elif op == "make_docker_v2s2":
        blob = _require_blob(req.OCI, req.OCIText, "oci")
        in_type, out_type = model.OCIImage_T, model.V2Image_T
        zero = model.OCIImage()
    else:
        blob = _require_blob(req.Manifest, req.ManifestText, "manifest")
        in_type, out_type = model.V2S1Manifest_T, model.V2Image_T
        zero = model.V2S1Manifest()
    stage.value = "decode"
    value, err = gojson.unmarshal(blob, in_type, zero)
    if err is not None:
        resp.fail("decode", GoError(err))
        return
    stage.value = "call"
    try:
        if op == "make_oci":
            result = convert.make_oci_v1_image(value)
        elif op == "make_docker_v2s2":
            result = convert.make_docker_v2s2_image(value)
        else:
            result = convert.make_docker_v2s1_image(value, host.now)
    except GoError as exc:
        resp.fail("call", exc)
        return
    stage.value = "report"
    resp.OK = True
    resp.Output, resp.OutputError = _marshal(out_type, result)


def _run_make_image_ref(req: _Request, resp: _Response, stage: _Stage) -> None:
    host = _set_env(req, True)
    config = _blob(req.Config, req.ConfigText, "config")
    manifest = _blob(req.Manifest, req.ManifestText, "manifest")
    history_timestamp = None
    if req.HistoryTimestamp is not None:
        try:
            history_timestamp = gotime.parse_rfc3339(req.HistoryTimestamp)
        except GoError as exc:
            raise _BadRequest(f'"history_timestamp" is not RFC3339Nano: {exc}') from None
    stage.value = "call"
    try:
        c = copydata.import_copy_data_from_image(
            req.ImageID,
            req.ImageName,
            config,
            manifest,
            req.ContainerName,
            req.ContainerID,
            host,
        )
        ref = copydata.make_image_ref(
            c, req.ManifestType, req.Names, req.LayerID, history_timestamp, host, _marshal_text
        )
    except GoError as exc:
        resp.fail("call", exc)
        return
    stage.value = "report"
    resp.OK = True
    resp.Oconfig = ref.oconfig
    resp.Dconfig = ref.dconfig
    resp.Created = ref.created.format_rfc3339nano()
    resp.CreatedBy = ref.created_by
    resp.Annotations = gojson.marshal(_STRING_MAP, ref.annotations)  # may be null (nil map)
    resp.PreferredManifestType = ref.preferred_manifest_type
    resp.Name = gojson.marshal(PTR_STRING, ref.name)  # null without a (parsable) name
    resp.Names = gojson.marshal(_STRINGS, ref.names)
    resp.LayerID = ref.layer_id


def _run_roundtrip(req: _Request, resp: _Response, stage: _Stage) -> None:
    _set_env(req, False)
    go_type = model.ROUNDTRIP_TYPES.get(req.Type)
    if go_type is None:
        known = ", ".join(sorted(model.ROUNDTRIP_TYPES))
        raise _BadRequest(f"unknown type {go_quote(req.Type)} (known: {known})")
    blob = _require_blob(req.Input, req.InputText, "input")
    stage.value = "decode"
    # main.go's constructors: a pointer to a zero value; for "*CopyData" a **CopyData whose
    # *CopyData is NOT nil (&CopyData{}), so a failed decode still prints an empty CopyData.
    value: Any = model.CopyData() if req.Type == "*CopyData" else go_zero(go_type)
    value, derr = gojson.unmarshal(blob, go_type, value)
    stage.value = "encode"
    resp.Output, resp.OutputError = _marshal(go_type, value)
    resp.OK = derr is None and resp.OutputError is None
    if derr is not None:
        resp.Stage, resp.Error = "decode", derr
    elif resp.OutputError is not None:
        resp.Stage, resp.Error = "encode", resp.OutputError


# ---------------------------------------------------------------------------------------------
# main.go's `process`, and the two public faces.


def _process(line: bytes, resp: _Response, stage: _Stage) -> None:
    dec = Decoder(line)
    dec.disallow_unknown_fields()
    req, err = dec.decode(_Request_T, _Request())
    if err is not None:
        # Try to salvage the id for the echo.
        probe, perr = gojson.unmarshal(line, _Probe_T, _Probe())
        if perr is None:
            resp.ID, resp.Op = probe.ID, probe.Op
        raise _BadRequest(err)
    if dec.more():
        resp.ID, resp.Op = req.ID, req.Op
        raise _BadRequest("more than one JSON value on the line")
    resp.ID, resp.Op = req.ID, req.Op
    _run(req, resp, stage)


def handle_line(line: bytes) -> bytes:
    """What the oracle prints for one input line: ``b""`` for a blank line (skipped), else the
    response line, ``\\n`` included. ``line`` may end with its ``\\n`` or not (a last line)."""
    if is_blank_line(line):
        return b""
    resp = _Response()
    stage = _Stage()
    try:
        _process(line, resp, stage)
    except _BadRequest as exc:
        resp.OK, resp.Stage, resp.Panic = False, "request", None
        resp.Error = "bad request: " + exc.message
    except GoPanic as exc:
        resp.OK, resp.Stage, resp.Panic = False, stage.value, str(exc)
        resp.clear_after_panic()
    except Exception as exc:  # a bug of this package; never let it escape
        resp.OK, resp.Stage, resp.Panic = False, "call", None
        resp.Error = f"internal error: {type(exc).__name__}: {exc}"
        resp.clear_after_panic()
    try:
        return _encode_response(resp)
    except Exception as exc:  # pragma: no cover - a bug in the response itself
        fallback = _Response(OK=False, Stage="call", Error=f"internal error: {exc!r}")
        return _encode_response(fallback)


def handle(request: dict[str, Any]) -> dict[str, Any]:
    """One request object -> one response object, as the oracle would answer its JSON text.

    The request goes through the very bytes path of :func:`handle_line` (``json.dumps`` with
    ASCII escapes, then Go's decoding rules), so the in-process and subprocess transports agree
    on every request, malformed ones included.
    """
    try:
        line = json.dumps(request, ensure_ascii=True).encode("ascii")
    except (TypeError, ValueError) as exc:
        return {
            "id": None,
            "op": "",
            "ok": False,
            "stage": "request",
            "error": f"bad request: the request is not JSON-serializable: {exc}",
            "panic": None,
        }
    answer: dict[str, Any] = json.loads(handle_line(line))
    return answer
