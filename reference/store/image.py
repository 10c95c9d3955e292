"""What containers/image (2017) does between ``ref.NewImage`` and ``src.ConfigBlob()``.

The original reads an image through c/image's storage transport:
``is.Transport.ParseStoreReference(store, "@"+imageID)``, ``ref.NewImage(ctx)`` (reads the
big-data item ``manifest`` and picks a manifest implementation by ``manifest.GuessMIMEType``),
``src.ConfigBlob()`` and ``src.Manifest()``. The parts that decide what the original sees are
restated here:

- **schema 1** (``schemaVersion`` 1, or anything unrecognized: c/image's fallback) has no config
  blob: ``ConfigBlob()`` returns nil, which sends ``initConfig`` down its schema-1 branch. c/image
  validates the manifest first (``manifestSchema1FromManifest``, ``fixManifestLayers``).
- **Docker schema 2 / OCI** manifests name their config by digest; c/image reads the blob stored
  under that digest and checks ``digest.FromBytes(blob)`` (always SHA-256) against it.
- **manifest lists / OCI indexes** are not images; the 2017 storage transport could not resolve
  them, so they are refused.

``src.Manifest()`` returns the manifest bytes exactly as stored. Layers are never consulted.
The error texts of c/image that surface in the original's messages are kept where they are known
("Download config.json digest ... does not match expected ...", "unsupported schema version
%d", ...); the others describe the problem and always name the image and the file.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from ..errors import GoError
from .backend import Blob, ImageRecord, Store
from .jsonutil import go_field

__all__ = [
    "DOCKER_V2_LIST",
    "DOCKER_V2_SCHEMA1",
    "DOCKER_V2_SCHEMA1_SIGNED",
    "DOCKER_V2_SCHEMA2",
    "OCI_INDEX",
    "OCI_MANIFEST",
    "SourcedImage",
    "guess_mime_type",
    "new_image",
    "parse_id_reference",
]

DOCKER_V2_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json"
DOCKER_V2_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws"
DOCKER_V2_SCHEMA2 = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_V2_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"

_V1_ID = re.compile(r"^[a-f0-9]{64}$")
_INT64 = range(-(2**63), 2**63)


class _Mismatch(Exception):
    """A JSON value that Go could not decode into the declared field type."""


def _obj(value: Any) -> dict[str, Any] | None:
    """A JSON value decoded into a Go struct: an object, or null (left zero)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _Mismatch
    return value


def _str(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _Mismatch
    return value


def _int(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value not in _INT64:
        raise _Mismatch
    return value


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _Mismatch
    return value


def guess_mime_type(manifest: bytes) -> str:
    """c/image ``manifest.GuessMIMEType`` (2017): "" when undecidable."""
    try:
        doc = json.loads(manifest)
        meta = _obj(doc) or {}
        media_type = _str(go_field(meta, "mediaType"))
        schema_version = _int(go_field(meta, "schemaVersion"))
        signatures = go_field(meta, "signatures")
    except (ValueError, _Mismatch):
        return ""
    if media_type in (DOCKER_V2_SCHEMA2, DOCKER_V2_LIST):
        return media_type
    if schema_version == 1:
        return DOCKER_V2_SCHEMA1_SIGNED if signatures is not None else DOCKER_V2_SCHEMA1
    if schema_version == 2:
        # OCI manifests need not carry mediaType: c/image's best guess.
        try:
            config = _obj(go_field(meta, "config")) or {}
            config_media_type = _str(go_field(config, "mediaType"))
            layers = _list(go_field(meta, "layers"))
            if config_media_type == OCI_CONFIG and layers:
                return OCI_MANIFEST
            manifests = _list(go_field(meta, "manifests"))
            if manifests:
                first = _obj(manifests[0]) or {}
                if _str(go_field(first, "mediaType")) == OCI_MANIFEST:
                    return OCI_INDEX
        except _Mismatch:
            return ""
        return DOCKER_V2_SCHEMA2
    return ""


def parse_id_reference(image_id: str) -> str:
    """``is.Transport.ParseStoreReference(store, "@"+imageID)``: the ID as c/image keeps it.

    The part after ``@`` is tried as a digest, then as ``sha256:<id>``; the error is
    go-digest's (e.g. ``invalid checksum digest length`` for an ID that is not 64 hex digits).
    """
    from .. import digest as godigest

    try:
        parsed = godigest.parse(image_id)
    except GoError:
        parsed = godigest.parse("sha256:" + image_id)
    return parsed.split(":", 1)[1]


@dataclass(frozen=True)
class SourcedImage:
    """``ref.NewImage()``: the stored manifest, its type and (schema 2/OCI) the config digest."""

    store: Store
    record: ImageRecord
    manifest_blob: Blob
    mime_type: str
    config_digest: str | None

    @property
    def manifest(self) -> bytes:
        """``src.Manifest()``: the stored bytes, unchanged."""
        return self.manifest_blob.data

    def config_blob(self) -> bytes | None:
        """``src.ConfigBlob()``: nil for schema 1; else the blob, checked against its digest."""
        if self.config_digest is None:
            return None
        from .. import digest as godigest

        where = f"image {self.record.id} ({self.manifest_blob.path})"
        if self.config_digest == "":
            raise GoError(f"{where}: the manifest names no config blob")
        try:
            godigest.parse(self.config_digest)
        except GoError as exc:
            raise exc.wrap(f"{where}: config digest {json.dumps(self.config_digest)}") from None
        blob = self.store.read_config(self.record, self.config_digest)
        computed = "sha256:" + hashlib.sha256(blob.data).hexdigest()
        if computed != self.config_digest:
            raise GoError(
                f"image {self.record.id} ({blob.path}): Download config.json digest {computed} "
                f"does not match expected {self.config_digest}"
            )
        return blob.data


def _schema1_checks(manifest: bytes) -> None:
    """``manifestSchema1FromManifest`` and ``fixManifestLayers``: the checks that can fail."""
    try:
        doc = _obj(json.loads(manifest)) or {}
        schema_version = _int(go_field(doc, "schemaVersion"))
        fs_layers = _list(go_field(doc, "fsLayers"))
        history = _list(go_field(doc, "history"))
    except ValueError as exc:
        raise GoError(f"not valid JSON: {exc}") from None
    except _Mismatch:
        raise GoError("not a schema 1 manifest (a field has the wrong JSON type)") from None
    if schema_version != 1:
        raise GoError(f"unsupported schema version {schema_version}")
    if len(fs_layers) != len(history):
        raise GoError("length of history not equal to number of layers")
    if not fs_layers:
        raise GoError("no FSLayers in manifest")
    ids: list[tuple[str, str]] = []
    for i, h in enumerate(history):
        try:
            compat = _str(go_field(_obj(h) or {}, "v1Compatibility"))
            v1 = _obj(json.loads(compat)) or {}
            ident, parent = _str(go_field(v1, "id")), _str(go_field(v1, "parent"))
        except (ValueError, _Mismatch):
            raise GoError(f"history[{i}].v1Compatibility is not a valid image") from None
        if not _V1_ID.match(ident):
            raise GoError(f"image ID {json.dumps(ident)} is invalid")
        ids.append((ident, parent))
    if ids[-1][1] != "":
        raise GoError("Invalid parent ID in the base layer of the image")
    seen: set[str] = set()
    last = ""
    for ident, _ in ids:
        if ident != last and ident in seen:
            raise GoError(f"ID {ident} appears multiple times in manifest")
        last = ident
        seen.add(ident)
    for i in range(len(ids) - 2, -1, -1):
        if ids[i][0] != ids[i + 1][0] and ids[i][1] != ids[i + 1][0]:
            raise GoError(f"Invalid parent ID. Expected {ids[i + 1][0]}, got {ids[i][1]}")


def new_image(store: Store, image_id: str) -> SourcedImage:
    """``ref.NewImage(ctx)`` for the reference ``@<image_id>``."""
    try:
        record = store.image(image_id)
    except GoError as exc:
        raise exc.wrap(f'error reading image "{image_id}"') from None
    blob = store.read_manifest(record)
    where = f"image {record.id} ({blob.path})"
    mime = guess_mime_type(blob.data)
    if mime in (DOCKER_V2_LIST, OCI_INDEX):
        raise GoError(
            f"{where}: manifest lists are not supported by this transport "
            f"(the image's manifest is a {mime})"
        )
    if mime in (DOCKER_V2_SCHEMA2, OCI_MANIFEST):
        try:
            doc = _obj(json.loads(blob.data)) or {}
            config = _obj(go_field(doc, "config")) or {}
            digest = _str(go_field(config, "digest"))
            _int(go_field(config, "size"))
            _str(go_field(config, "mediaType"))
        except (ValueError, _Mismatch):
            raise GoError(f"{where}: the config descriptor has the wrong JSON type") from None
        return SourcedImage(store, record, blob, mime, digest)
    # Schema 1 and, as c/image's fallback, anything it could not recognize.
    try:
        _schema1_checks(blob.data)
    except GoError as exc:
        raise exc.wrap(where) from None
    return SourcedImage(store, record, blob, mime or DOCKER_V2_SCHEMA1, None)
