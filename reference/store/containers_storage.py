"""Read-only reader of a containers/storage store, the layout buildah and podman write.

Layout (c/storage ``images.go``, ``containers.go``, ``store.go``), for a driver such as ``vfs``
or ``overlay``::

    <root>/<driver>-images/images.json          [{"id", "names", "digest", "big-data-names", ...}]
    <root>/<driver>-images/images.lock          POSIX record lock (readers: F_RDLCK)
    <root>/<driver>-images/<id>/<big-data file>  one file per big-data item
    <root>/<driver>-containers/containers.json  [{"id", "names", "image", "layer", ...}]
    <root>/<driver>-containers/volatile-containers.json   (same shape; newer c/storage)
    <root>/<driver>-containers/<id>/userdata    ContainerDirectory(): where kpod.json goes

A big-data item's file name is ``makeBigDataBaseName(key)``: the key itself when it consists of
``a-z``, ``0-9`` and ``.`` only (``manifest``), else ``"=" + base64.StdEncoding(key)`` (the
config ``sha256:<hex>``, ``manifest-sha256:<hex>``, ``signature-<hex>``). c/image keeps the
image's manifest under ``manifest`` (and, newer, also ``manifest-<digest>``) and the config
under its digest.

Nothing here writes to the store except :meth:`ContainersStorage.container_directory` with
``create=True`` (the original's ``ContainerDirectory`` makes ``userdata``) and the caller's
atomic write of ``kpod.json`` into it.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from .backend import Blob, ContainerRecord, ImageRecord, Index, NotKnownError
from .fs import (
    MAX_BLOB_SIZE,
    MAX_METADATA_SIZE,
    Dir,
    FsError,
    check_json_depth,
    check_name,
)
from .jsonutil import go_field

__all__ = ["ContainersStorage", "detect_drivers", "make_big_data_base_name"]

_DRIVER = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_SAFE_BIG_DATA = re.compile(r"^[a-z0-9.]*$")


def make_big_data_base_name(key: str) -> str:
    """c/storage's ``makeBigDataBaseName``: a big-data key as a file name."""
    if _SAFE_BIG_DATA.match(key) and key not in ("", ".", ".."):
        return key
    if key in ("", ".", ".."):
        # c/storage would use these verbatim (and fail); they can never name a blob file here.
        raise FsError(f"big-data key {key!r} is not a usable file name")
    return "=" + base64.b64encode(key.encode("utf-8", "surrogateescape")).decode("ascii")


def detect_drivers(root: Dir) -> list[str]:
    """The drivers that have an image or container store under ``root``."""
    found: set[str] = set()
    for entry in root.list():
        for suffix in ("-images", "-containers"):
            if entry.endswith(suffix) and _DRIVER.match(entry[: -len(suffix)]):
                found.add(entry[: -len(suffix)])
    return sorted(found)


def _load_json_list(data: bytes, where: str) -> list[Any]:
    if not data.strip():
        return []  # c/storage: an empty file is an empty store
    check_json_depth(data, where)
    try:
        value = json.loads(data)
    except ValueError as exc:
        raise FsError(f"{where}: not valid JSON: {exc}") from None
    if not isinstance(value, list):
        raise FsError(f"{where}: expected a JSON array of records, found {type(value).__name__}")
    return value


def _names(entry: dict[str, Any], where: str) -> tuple[str, ...]:
    names = go_field(entry, "names")
    if names is None:
        return ()
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise FsError(f'{where}: "names" is not a list of strings')
    return tuple(names)


def _record_id(entry: Any, where: str) -> tuple[str, dict[str, Any]]:
    if not isinstance(entry, dict):
        raise FsError(f"{where}: expected a JSON object")
    ident = go_field(entry, "id")
    if not isinstance(ident, str) or ident == "":
        raise FsError(f'{where}: missing or non-string "id"')
    return ident, entry


class ContainersStorage:
    """A containers/storage store at ``root`` (graph root) for one ``driver``.

    ``driver`` None picks the only driver present (``vfs``, ``overlay``, ...); with several, the
    caller must choose.
    """

    def __init__(self, root: str, driver: str | None = None) -> None:
        self.root = root
        self._root = Dir.open_root(root)
        try:
            if driver is None:
                drivers = detect_drivers(self._root)
                if not drivers:
                    raise FsError(
                        f"{root}: not a containers-storage store (no <driver>-images or "
                        f"<driver>-containers directory)"
                    )
                if len(drivers) > 1:
                    raise FsError(
                        f"{root}: the store has data for several storage drivers "
                        f"({', '.join(drivers)}); choose one"
                    )
                driver = drivers[0]
            if not _DRIVER.match(driver):
                raise FsError(f"storage driver name {driver!r} is not valid")
        except BaseException:
            self._root.close()
            raise
        self.driver = driver
        self.description = f"containers-storage store {root} (driver {driver})"
        self._images: Index[ImageRecord] | None = None
        self._containers: Index[ContainerRecord] | None = None
        try:
            # As c/storage's GetStore: the records are loaded (and their errors reported) when
            # the store is opened, not in the middle of a lookup.
            self._load_images()
            self._load_containers()
        except BaseException:
            self._root.close()
            raise

    # -- paths -------------------------------------------------------------------------------
    @property
    def images_dir_name(self) -> str:
        return f"{self.driver}-images"

    @property
    def containers_dir_name(self) -> str:
        return f"{self.driver}-containers"

    def _images_json(self) -> str:
        return self._root.child_path(f"{self.images_dir_name}/images.json")

    def _containers_json(self) -> str:
        return self._root.child_path(f"{self.containers_dir_name}/containers.json")

    # -- loading -----------------------------------------------------------------------------
    def _open_optional(self, name: str) -> Dir | None:
        if not self._root.exists(name):
            return None
        return self._root.open_dir(name)

    def _load_images(self) -> Index[ImageRecord]:
        if self._images is not None:
            return self._images
        records: list[ImageRecord] = []
        images_dir = self._open_optional(self.images_dir_name)
        if images_dir is not None:
            with images_dir, images_dir.shared_lock("images.lock"):
                where = images_dir.child_path("images.json")
                try:
                    data = images_dir.read_file("images.json", MAX_METADATA_SIZE)
                except FsError as exc:
                    if not exc.not_exist:
                        raise
                    data = b""
                for i, entry in enumerate(_load_json_list(data, where)):
                    ident, obj = _record_id(entry, f"{where}: image record {i}")
                    digest = go_field(obj, "digest")
                    records.append(
                        ImageRecord(
                            id=ident,
                            names=_names(obj, f"{where}: image {ident}"),
                            digest=digest if isinstance(digest, str) else "",
                        )
                    )
        self._images = Index(records)
        return self._images

    def _load_containers(self) -> Index[ContainerRecord]:
        if self._containers is not None:
            return self._containers
        records: list[ContainerRecord] = []
        containers_dir = self._open_optional(self.containers_dir_name)
        if containers_dir is not None:
            with containers_dir, containers_dir.shared_lock("containers.lock"):
                for file in ("containers.json", "volatile-containers.json"):
                    where = containers_dir.child_path(file)
                    try:
                        data = containers_dir.read_file(file, MAX_METADATA_SIZE)
                    except FsError as exc:
                        if not exc.not_exist:
                            raise
                        continue
                    for i, entry in enumerate(_load_json_list(data, where)):
                        ident, obj = _record_id(entry, f"{where}: container record {i}")
                        image = go_field(obj, "image")
                        if image is not None and not isinstance(image, str):
                            raise FsError(f'{where}: container {ident}: "image" is not a string')
                        records.append(
                            ContainerRecord(
                                id=ident,
                                names=_names(obj, f"{where}: container {ident}"),
                                image_id=image or "",
                            )
                        )
        self._containers = Index(records)
        return self._containers

    # -- the Store interface -----------------------------------------------------------------
    def image(self, name_or_id: str) -> ImageRecord:
        found = self._load_images().lookup(name_or_id)
        if found is None:
            raise NotKnownError("image", name_or_id, self._images_json())
        return found

    def _read_big_data(self, image: ImageRecord, key: str, what: str) -> Blob:
        name = make_big_data_base_name(key)
        # IDs become directory names: refuse any that could leave the store.
        check_name(image.id, "image ID", self._images_json())
        with (
            self._root.open_dir(self.images_dir_name) as images_dir,
            images_dir.shared_lock("images.lock"),
        ):
            try:
                with images_dir.open_dir(image.id, what="image ID") as d:
                    data = d.read_file(name, MAX_BLOB_SIZE, what="big-data file")
            except FsError as exc:
                raise FsError(f"image {image.id}: {what}: {exc}", not_exist=exc.not_exist) from None
        path = images_dir.child_path(f"{image.id}/{name}")
        check_json_depth(data, f"image {image.id}: {what} {path}")
        return Blob(data, path)

    def read_manifest(self, image: ImageRecord) -> Blob:
        return self._read_big_data(image, "manifest", "manifest")

    def read_config(self, image: ImageRecord, digest: str) -> Blob:
        return self._read_big_data(image, digest, "config")

    def container(self, name_or_id: str) -> ContainerRecord:
        found = self._load_containers().lookup(name_or_id)
        if found is None:
            raise NotKnownError("container", name_or_id, self._containers_json())
        return found

    def container_directory(self, name_or_id: str, *, create: bool) -> Dir | None:
        container = self.container(name_or_id)
        check_name(container.id, "container ID", self._containers_json())
        parts = [self.containers_dir_name, container.id, "userdata"]
        if create:
            return self._root.open_path(parts, create=True)
        try:
            return self._root.open_path(parts)
        except FsError as exc:
            if exc.not_exist:
                return None
            raise

    def close(self) -> None:
        self._root.close()

    def __enter__(self) -> ContainersStorage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
