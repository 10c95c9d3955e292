"""Read-only reader of an OCI image layout directory, behind the same :class:`Store` interface.

Layout (image-spec ``image-layout.md``)::

    <dir>/oci-layout     {"imageLayoutVersion": "1.0.0"}
    <dir>/index.json     {"schemaVersion": 2, "manifests": [descriptor, ...]}
    <dir>/blobs/<alg>/<encoded>

Each descriptor of ``index.json`` is an image. Its ID is what containers/storage would give the
image on a pull (and what buildah and podman show): the encoded part of its config digest; for a
descriptor whose manifest has no config (an index), the manifest digest's. Its names are the
``org.opencontainers.image.ref.name`` annotations (``latest``, or a full reference), in the
order of ``index.json``. Several descriptors with the same ID are one image with several names.
An OCI layout has no containers.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from .backend import Blob, ContainerRecord, ImageRecord, Index, NotKnownError
from .fs import (
    MAX_BLOB_SIZE,
    MAX_METADATA_SIZE,
    Dir,
    FsError,
    check_json_depth,
)

__all__ = ["REF_NAME_ANNOTATION", "OCILayout"]

REF_NAME_ANNOTATION = "org.opencontainers.image.ref.name"
# image-spec descriptor.md: algorithm and encoded grammar.
_DIGEST = re.compile(r"^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$")
_HASHES = {"sha256": hashlib.sha256, "sha384": hashlib.sha384, "sha512": hashlib.sha512}


def _split_digest(digest: Any, where: str) -> tuple[str, str]:
    if not isinstance(digest, str):
        raise FsError(f"{where}: descriptor digest is not a string")
    m = _DIGEST.match(digest)
    if m is None:
        raise FsError(f"{where}: {digest!r} is not a valid digest")
    return m.group(1), m.group(2)


@dataclass(frozen=True)
class _Entry:
    record: ImageRecord
    manifest_digest: str


class OCILayout:
    """An OCI image layout at ``path``."""

    def __init__(self, path: str) -> None:
        self.root = path
        self._root = Dir.open_root(path)
        self.description = f"OCI layout {path}"
        try:
            self._entries = self._load()
        except BaseException:
            self._root.close()
            raise
        self._index: Index[ImageRecord] = Index(e.record for e in self._entries.values())

    # -- loading -----------------------------------------------------------------------------
    def _json(self, name: str) -> Any:
        where = self._root.child_path(name)
        data = self._root.read_file(name, MAX_METADATA_SIZE)
        check_json_depth(data, where)
        try:
            return json.loads(data)
        except ValueError as exc:
            raise FsError(f"{where}: not valid JSON: {exc}") from None

    def _blob(self, digest: str, where: str, what: str) -> bytes:
        alg, encoded = _split_digest(digest, where)
        with self._root.open_path(["blobs", alg]) as d:
            data = d.read_file(encoded, MAX_BLOB_SIZE, what="blob")
        hasher = _HASHES.get(alg)
        if hasher is not None and hasher(data).hexdigest() != encoded:
            raise FsError(
                f"{where}: {what} blob {self._root.child_path(f'blobs/{alg}/{encoded}')} "
                f"does not match its digest {digest}"
            )
        check_json_depth(data, f"{where}: {what} {self._root.child_path(f'blobs/{alg}/{encoded}')}")
        return data

    def _load(self) -> dict[str, _Entry]:
        layout = self._json("oci-layout")
        if not isinstance(layout, dict) or not isinstance(layout.get("imageLayoutVersion"), str):
            raise FsError(
                f'{self._root.child_path("oci-layout")}: no "imageLayoutVersion" '
                f"(not an OCI image layout)"
            )
        index = self._json("index.json")
        where_index = self._root.child_path("index.json")
        manifests = index.get("manifests") if isinstance(index, dict) else None
        if not isinstance(manifests, list):
            raise FsError(f'{where_index}: no "manifests" list')
        entries: dict[str, _Entry] = {}
        for i, desc in enumerate(manifests):
            where = f"{where_index}: manifests[{i}]"
            if not isinstance(desc, dict):
                raise FsError(f"{where}: not a descriptor object")
            digest = desc.get("digest")
            _, encoded = _split_digest(digest, where)
            assert isinstance(digest, str)
            annotations = desc.get("annotations")
            name = annotations.get(REF_NAME_ANNOTATION) if isinstance(annotations, dict) else None
            ident = encoded
            try:
                manifest = json.loads(self._blob(digest, where, "manifest"))
            except (FsError, ValueError):
                manifest = None  # reported when the image is opened
            if isinstance(manifest, dict):
                config = manifest.get("config")
                if isinstance(config, dict) and isinstance(config.get("digest"), str):
                    with contextlib.suppress(FsError):
                        ident = _split_digest(config["digest"], where)[1]
            previous = entries.get(ident)
            if previous is None:
                names = (name,) if isinstance(name, str) else ()
                entries[ident] = _Entry(ImageRecord(ident, names, digest), digest)
            elif isinstance(name, str) and name not in previous.record.names:
                rec = previous.record
                entries[ident] = _Entry(
                    ImageRecord(rec.id, (*rec.names, name), rec.digest), previous.manifest_digest
                )
        return entries

    # -- the Store interface -----------------------------------------------------------------
    def image(self, name_or_id: str) -> ImageRecord:
        found = self._index.lookup(name_or_id)
        if found is None:
            raise NotKnownError("image", name_or_id, self._root.child_path("index.json"))
        return found

    def read_manifest(self, image: ImageRecord) -> Blob:
        entry = self._entries.get(image.id)
        if entry is None:
            raise NotKnownError("image", image.id, self._root.child_path("index.json"))
        alg, encoded = _split_digest(entry.manifest_digest, f"image {image.id}")
        path = self._root.child_path(f"blobs/{alg}/{encoded}")
        try:
            data = self._blob(entry.manifest_digest, f"image {image.id}", "manifest")
        except FsError as exc:
            if str(exc).startswith(f"image {image.id}"):
                raise
            raise FsError(f"image {image.id}: manifest: {exc}", not_exist=exc.not_exist) from None
        return Blob(data, path)

    def read_config(self, image: ImageRecord, digest: str) -> Blob:
        # Not verified here: the caller checks the digest with containers/image's words.
        alg, encoded = _split_digest(digest, f"image {image.id}: config")
        path = self._root.child_path(f"blobs/{alg}/{encoded}")
        try:
            with self._root.open_path(["blobs", alg]) as d:
                data = d.read_file(encoded, MAX_BLOB_SIZE, what="blob")
        except FsError as exc:
            raise FsError(f"image {image.id}: config: {exc}", not_exist=exc.not_exist) from None
        check_json_depth(data, f"image {image.id}: config {path}")
        return Blob(data, path)

    def container(self, name_or_id: str) -> ContainerRecord:
        raise NotKnownError("container", name_or_id, f"{self.description}, which has no containers")

    def container_directory(self, name_or_id: str, *, create: bool) -> Dir | None:
        self.container(name_or_id)
        return None

    def close(self) -> None:
        self._root.close()

    def __enter__(self) -> OCILayout:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
