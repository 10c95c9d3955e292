"""JSON Schemas (draft 2020-12) of the protocol and of the documents the original prints.

Public API::

    SCHEMA_NAMES                      # every name validator() accepts
    registry() -> referencing.Registry          # all schema files, loaded once (cached)
    validator(name) -> jsonschema validator     # cached per name
    validate_request(req) -> list[str]          # [] when valid
    validate_response(resp, request=None) -> list[str]
    validate_document(name, data: bytes | str | dict) -> list[str]

Schema names: ``request``, ``response``, ``implementation`` (describe's object), ``oci-config``
(``ociv1.Image``), ``oci-manifest`` (``ociv1.Manifest``), ``docker-config`` (``docker.V2Image``),
``schema1-manifest`` (``docker.V2S1Manifest``), ``kpod-state`` (``CopyData``), and every type name
of the protocol's ``roundtrip`` op (``docker.Config``, ``*CopyData``, ...: ``ROUNDTRIP_SCHEMAS``).

The document schemas describe what the original's ``json.Marshal`` PRINTS (exact key sets, Go
types, omitempty rules, Go's time and base64 forms): an implementation's outputs must satisfy them.
They are not meant for arbitrary input documents (real configs carry keys the 2017 types ignore).

``validate_response`` checks the envelope (which fields, for which op and outcome) and, when it
can tell their type, the JSON texts inside: ``state`` (kpod-state), ``oci``/``oconfig``
(oci-config), ``docker``/``dconfig`` (docker-config), the converters' ``output``, and roundtrip's
``output`` when the request (its ``type``) is given.

Documents given as text are parsed strictly: valid UTF-8, no duplicate keys, no NaN/Infinity,
and non-integral numbers kept as :class:`decimal.Decimal`, so ``1.0`` is not an integer (Go
never prints it for an integer field). Messages are ``"<JSON path>: <problem>"``, sorted.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    # No stubs unless types-jsonschema is installed: fine either way.
    from jsonschema.protocols import Validator  # type: ignore[import-untyped,unused-ignore]
    from referencing import Registry

__all__ = [
    "ROUNDTRIP_SCHEMAS",
    "SCHEMA_NAMES",
    "registry",
    "validate_document",
    "validate_request",
    "validate_response",
    "validator",
]

BASE: Final = "https://copydata-conformance.invalid/schemas/"

_FILES: Final = {
    "request": "request.schema.json",
    "response": "response.schema.json",
    "implementation": "implementation.schema.json",
    "oci-config": "oci-config.schema.json",
    "oci-manifest": "oci-manifest.schema.json",
    "docker-config": "docker-config.schema.json",
    "schema1-manifest": "schema1-manifest.schema.json",
    "kpod-state": "kpod-state.schema.json",
}

# roundtrip's type names -> the schema of what Go prints for them
ROUNDTRIP_SCHEMAS: Final = {
    "CopyData": "kpod-state.schema.json",
    "*CopyData": "kpod-state.schema.json#/$defs/CopyDataPointer",
    "docker.V2Image": "docker-config.schema.json",
    "docker.V1Image": "docker-config.schema.json#/$defs/V1Image",
    "docker.Config": "docker-config.schema.json#/$defs/Config",
    "docker.HealthConfig": "docker-config.schema.json#/$defs/HealthConfig",
    "docker.V2S2RootFS": "docker-config.schema.json#/$defs/V2S2RootFS",
    "docker.V2S2History": "docker-config.schema.json#/$defs/V2S2History",
    "docker.V2S1Manifest": "schema1-manifest.schema.json",
    "docker.V1Compatibility": "schema1-manifest.schema.json#/$defs/V1Compatibility",
    "ociv1.Image": "oci-config.schema.json",
    "ociv1.ImageConfig": "oci-config.schema.json#/$defs/ImageConfig",
    "ociv1.RootFS": "oci-config.schema.json#/$defs/RootFS",
    "ociv1.History": "oci-config.schema.json#/$defs/History",
    "ociv1.Manifest": "oci-manifest.schema.json",
}

SCHEMA_NAMES: Final = tuple(_FILES) + tuple(ROUNDTRIP_SCHEMAS)

# Response fields holding a JSON text, and the schema of that text (output depends on the op).
_TEXT_SCHEMAS: Final = {
    "state": "kpod-state",
    "oci": "oci-config",
    "oconfig": "oci-config",
    "docker": "docker-config",
    "dconfig": "docker-config",
}
_OUTPUT_SCHEMAS: Final = {
    "make_oci": "oci-config",
    "make_docker_v2s2": "docker-config",
    "make_docker_v2s1": "docker-config",
}


@functools.cache
def registry() -> Registry:
    """Every schema file of this package, as one (immutable) registry; loaded once."""
    from referencing import Registry, Resource

    folder = importlib.resources.files(__name__)
    resources = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".schema.json"):
            contents = json.loads(entry.read_text(encoding="utf-8"))
            resources.append((BASE + entry.name, Resource.from_contents(contents)))
    return Registry().with_resources(resources).crawl()


def _uri(name: str) -> str:
    if name in _FILES:
        return BASE + _FILES[name]
    if name in ROUNDTRIP_SCHEMAS:
        return BASE + ROUNDTRIP_SCHEMAS[name]
    raise KeyError(f"unknown schema {name!r} (known: {', '.join(SCHEMA_NAMES)})")


@functools.cache
def validator(name: str) -> Validator:
    """A draft 2020-12 validator for one of ``SCHEMA_NAMES`` (``KeyError`` for another name)."""
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped,unused-ignore]

    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": _uri(name)}
    return Draft202012Validator(schema, registry=registry())


def _messages(name: str, instance: Any, prefix: str = "") -> list[str]:
    messages = []
    for error in validator(name).iter_errors(instance):
        messages.append(f"{prefix}{error.json_path}: {_message(error)}")
    return sorted(messages)


def _message(error: Any) -> str:
    # jsonschema's messages quote whole (sub)documents and long regular expressions; where the
    # schema gives a title, say what it means instead.
    title = error.schema.get("title") if isinstance(error.schema, Mapping) else None
    if not isinstance(title, str) or error.validator not in ("pattern", "not", "anyOf", "oneOf"):
        return str(error.message)
    shown = repr(error.instance)
    if len(shown) > 80:
        shown = shown[:79] + "…"
    if error.validator == "pattern":
        return f"{shown} is not {title}"
    return f"{shown} {title}"


class _DocumentError(ValueError):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DocumentError(f"duplicate key {json.dumps(key, ensure_ascii=False)}")
        result[key] = value
    return result


def _constant(name: str) -> Any:
    raise _DocumentError(f"{name} is not JSON")


def _parse(data: bytes | str) -> Any:
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _DocumentError(f"not valid UTF-8: {error.reason} at byte {error.start}") from None
    try:
        return json.loads(
            data, object_pairs_hook=_pairs, parse_float=Decimal, parse_constant=_constant
        )
    except _DocumentError:
        raise
    except ValueError as error:
        raise _DocumentError(f"not a JSON text: {error}") from None


def validate_document(schema_name: str, data: bytes | str | Any) -> list[str]:
    """Problems of a document (a JSON text as bytes or str, or an already parsed value)."""
    if isinstance(data, (bytes, str)):
        try:
            data = _parse(data)
        except _DocumentError as error:
            return [f"$: {error}"]
    return _messages(schema_name, data)


def validate_request(req: Mapping[str, Any]) -> list[str]:
    """Problems of a protocol request ([] when the oracle would not call it a bad request)."""
    return _messages("request", req)


def validate_response(
    resp: Mapping[str, Any], request: Mapping[str, Any] | None = None
) -> list[str]:
    """Problems of a protocol response: its envelope, then the JSON texts inside it."""
    problems = _messages("response", resp)
    if problems:
        return problems
    for field, text_schema in _TEXT_SCHEMAS.items():
        if isinstance(resp.get(field), str):
            problems += _field_problems(field, text_schema, resp[field])
    output = resp.get("output")
    if isinstance(output, str):
        output_schema: str | None = _OUTPUT_SCHEMAS.get(str(resp.get("op")))
        if resp.get("op") == "roundtrip" and request is not None:
            type_name = request.get("type")
            output_schema = type_name if type_name in ROUNDTRIP_SCHEMAS else None
        if output_schema is not None:
            problems += _field_problems("output", output_schema, output)
    return sorted(problems)


def _field_problems(field: str, schema_name: str, text: str) -> list[str]:
    try:
        document = _parse(text)
    except _DocumentError as error:
        return [f"{field}: {error}"]
    return _messages(schema_name, document, prefix=f"{field}: ")
