"""containers/image's manifest sniffing and schema-1 checks, and docker/reference normalization.

Expected values follow the 2017 Go sources quoted in reference/store/image.py and
reference/refname.py.
"""

from __future__ import annotations

import json

import pytest

from reference.errors import GoError
from reference.refname import parse_normalized_named, verbose_name
from reference.store.image import (
    DOCKER_V2_LIST,
    DOCKER_V2_SCHEMA1,
    DOCKER_V2_SCHEMA1_SIGNED,
    DOCKER_V2_SCHEMA2,
    OCI_INDEX,
    OCI_MANIFEST,
    _schema1_checks,
    guess_mime_type,
    parse_id_reference,
)

OCI_CFG = "application/vnd.oci.image.config.v1+json"


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ({"schemaVersion": 2, "mediaType": DOCKER_V2_SCHEMA2}, DOCKER_V2_SCHEMA2),
        ({"schemaVersion": 2, "mediaType": DOCKER_V2_LIST}, DOCKER_V2_LIST),
        ({"schemaVersion": 1}, DOCKER_V2_SCHEMA1),
        ({"schemaVersion": 1, "signatures": []}, DOCKER_V2_SCHEMA1_SIGNED),
        ({"schemaVersion": 1, "signatures": None}, DOCKER_V2_SCHEMA1),
        # OCI: only recognized by its config media type AND at least one layer.
        ({"schemaVersion": 2, "config": {"mediaType": OCI_CFG}, "layers": [{}]}, OCI_MANIFEST),
        ({"schemaVersion": 2, "config": {"mediaType": OCI_CFG}, "layers": []}, DOCKER_V2_SCHEMA2),
        ({"schemaVersion": 2, "manifests": [{"mediaType": OCI_MANIFEST}]}, OCI_INDEX),
        ({"schemaVersion": 2, "mediaType": OCI_MANIFEST}, DOCKER_V2_SCHEMA2),
        ({"schemaVersion": 3}, ""),
        ({"SchemaVersion": 1}, DOCKER_V2_SCHEMA1),  # Go matches keys case-insensitively
        ({"schemaVersion": "2"}, ""),  # does not decode into an int
        ({"schemaVersion": 2.0}, ""),
        ([], ""),
        (None, ""),
    ],
)
def test_guess_mime_type(doc: object, expected: str) -> None:
    assert guess_mime_type(json.dumps(doc).encode()) == expected


def test_guess_mime_type_of_invalid_json() -> None:
    assert guess_mime_type(b"{") == ""


def _s1(history: list[dict[str, str]], layers: int | None = None) -> bytes:
    n = len(history) if layers is None else layers
    return json.dumps(
        {
            "schemaVersion": 1,
            "fsLayers": [{"blobSum": "sha256:" + "0" * 64}] * n,
            "history": [{"v1Compatibility": json.dumps(h)} for h in history],
        }
    ).encode()


A, B = "a" * 64, "b" * 64


def test_schema1_chain_is_accepted() -> None:
    _schema1_checks(_s1([{"id": A, "parent": B}, {"id": B}]))
    _schema1_checks(_s1([{"id": A}, {"id": A}]))  # a repeated ID is squashed, not an error


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (json.dumps({"schemaVersion": 2}).encode(), "unsupported schema version 2"),
        (_s1([{"id": A}], layers=2), "length of history not equal to number of layers"),
        (_s1([]), "no FSLayers in manifest"),
        (_s1([{"id": "xyz"}]), 'image ID "xyz" is invalid'),
        (_s1([{"id": A, "parent": B}]), "Invalid parent ID in the base layer of the image"),
        (_s1([{"id": A, "parent": A}, {"id": B}]), f"Invalid parent ID. Expected {B}, got {A}"),
        (_s1([{"id": A}, {"id": B}, {"id": A}]), f"ID {A} appears multiple times in manifest"),
    ],
)
def test_schema1_checks(manifest: bytes, message: str) -> None:
    with pytest.raises(GoError) as info:
        _schema1_checks(manifest)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("image_id", "result"),
    [("c" * 64, "c" * 64), ("sha256:" + "c" * 64, "c" * 64), ("C" * 64, "C" * 64)],
)
def test_parse_id_reference(image_id: str, result: str) -> None:
    assert parse_id_reference(image_id) == result


@pytest.mark.parametrize(
    ("image_id", "message"),
    [
        ("abc", "invalid checksum digest length"),
        ("", "invalid checksum digest format"),
        ("c" * 63 + "g", "invalid checksum digest format"),
    ],
)
def test_parse_id_reference_errors(image_id: str, message: str) -> None:
    with pytest.raises(GoError) as info:
        parse_id_reference(image_id)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("name", "verbose"),
    [
        ("busybox", "docker.io/library/busybox:latest"),
        ("index.docker.io/busybox:1", "docker.io/library/busybox:1"),
        ("user/app", "docker.io/user/app:latest"),
        ("localhost/x", "localhost/x:latest"),
        ("localhost:5000/x/y:t", "localhost:5000/x/y:t"),
        ("quay.io/a/b@sha256:" + "e" * 64, "quay.io/a/b"),  # the digest is dropped
        ("quay.io/a/b:t@sha256:" + "e" * 64, "quay.io/a/b:t"),
    ],
)
def test_normalized_names(name: str, verbose: str) -> None:
    assert verbose_name(parse_normalized_named(name)) == verbose


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Busybox", "invalid reference format: repository name must be lowercase"),
        ("docker.io/Library/x", "invalid reference format: repository name must be lowercase"),
        ("a b", "invalid reference format"),
        ("x:" + "t" * 129, "invalid reference format"),
        ("x@sha256:abc", "invalid reference format"),
        ("x@sha257:" + "e" * 64, "unsupported digest algorithm"),
        ("a/" * 130 + "b", "repository name must not be more than 255 characters"),
        (
            "f" * 64,
            f"invalid repository name ({'f' * 64}), cannot specify 64-byte hexadecimal strings",
        ),
    ],
)
def test_name_errors(name: str, message: str) -> None:
    with pytest.raises(GoError) as info:
        parse_normalized_named(name)
    assert str(info.value) == message
