"""The original's store-facing functions, on a real store (``copy_data.go``, cri-o e18e962238).

``GetImageCopyData``, ``GetContainerCopyData``, ``importCopyData``, ``openCopyData``,
``ImportCopyDataFromImage`` (its store part) and ``Save``, statement for statement, with the
original's ``errors.Wrapf`` prefixes; the CopyData logic itself is :mod:`reference.copydata`.

Differences from the original, all deliberate and all on paths where it would misbehave:

- ``kpod.json`` and every directory on the way to it are opened without following symbolic
  links, and container/image IDs that are not plain file names are refused (no escape from
  the store);
- manifests and configs over 4 MiB, and JSON nested deeper than
  :data:`~reference.store.fs.MAX_JSON_DEPTH` levels, are refused before they are parsed;
- ``Save`` also fsyncs the directory after the rename;
- messages name the image or container and the file where the original's inner error would not.

``save_state=False`` (for read-only tools) skips the two writes the original makes: creating the
container's ``userdata`` directory (``ContainerDirectory`` does ``MkdirAll``) and saving
``kpod.json``. Everything else, including what is returned, is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import GoError
from ..refname import NormalizedName, parse_normalized_named, verbose_name
from .backend import ImageRecord, Store, go_quote
from .fs import MAX_STATE_SIZE, FsError, check_json_depth
from .image import new_image, parse_id_reference

if TYPE_CHECKING:
    from ..copydata import Host
    from ..model import CopyData

__all__ = [
    "STATE_FILE",
    "find_image",
    "get_container_copy_data",
    "get_image_copy_data",
    "import_copy_data",
    "import_copy_data_from_image",
    "open_copy_data",
    "save",
]

#: ``stateFile = Package + ".json"``
STATE_FILE = "kpod.json"
#: c/image storage's ``ErrInvalidReference``
_ERR_INVALID_REFERENCE = "invalid reference"


# -- FindImage -------------------------------------------------------------------------------
@dataclass(frozen=True)
class _StoreReference:
    name: NormalizedName | None
    id: str


def _parse_store_reference(ref: str) -> _StoreReference:
    """c/image (2017) ``is.Transport.ParseStoreReference(store, ref)``."""
    if ref == "":
        raise GoError(_ERR_INVALID_REFERENCE)
    if ref[0] == "[":
        close = ref.find("]")
        if close < 1:
            raise GoError(_ERR_INVALID_REFERENCE)
        ref = ref[close + 1 :]
    name: NormalizedName | None = None
    ident = ""
    if "@" not in ref:
        name = parse_normalized_named(ref)
    else:
        before, after = ref.split("@", 1)
        if before != "":
            name = parse_normalized_named(before)
        ident = parse_id_reference(after)
    return _StoreReference(name, ident)


def _get_store_image(store: Store, ref: _StoreReference) -> ImageRecord:
    """c/image ``GetStoreImage``: by the normalized name when there is one, else by ID."""
    if ref.name is None:
        if ref.id != "":
            try:
                return store.image(ref.id)
            except GoError:
                pass
        raise GoError(_ERR_INVALID_REFERENCE)
    return store.image(verbose_name(ref.name))


def find_image(store: Store, image: str) -> ImageRecord:
    """cri-o's ``FindImage(store, image)``: the normalized reference first, then the raw string
    (an ID, a unique ID prefix or a name exactly as stored)."""
    ref: _StoreReference | None = None
    try:
        ref = _parse_store_reference(image)
        found = _get_store_image(store, ref)
    except GoError as exc:
        err = exc
    else:
        return found
    try:
        return store.image(image)
    except GoError:
        pass
    if ref is None:
        raise err.wrap(f"error parsing reference to image {go_quote(image)}")
    raise err.wrap(f"unable to locate image {go_quote(image)}")


# -- ImportCopyDataFromImage / GetImageCopyData ------------------------------------------------
def _read_image(store: Store, image_id: str) -> tuple[bytes | None, bytes, str]:
    """The store part of ``ImportCopyDataFromImage``: config, manifest and first name."""
    config: bytes | None = b""
    manifest = b""
    image_name = ""
    if image_id != "":
        try:
            id_hex = parse_id_reference(image_id)
        except GoError as exc:
            raise exc.wrap(f"no such image {go_quote('@' + image_id)}") from None
        try:
            src = new_image(store, id_hex)
        except GoError as exc:
            raise exc.wrap("error instantiating image") from None
        try:
            config = src.config_blob()
        except GoError as exc:
            raise exc.wrap("error reading image configuration") from None
        manifest = src.manifest
        try:
            img = store.image(image_id)
        except GoError:
            pass
        else:
            if img.names:
                image_name = img.names[0]
    return config, manifest, image_name


def import_copy_data_from_image(
    store: Store, image_id: str, container_name: str, container_id: str, host: Host
) -> CopyData:
    """``ImportCopyDataFromImage(store, systemContext, imageID, containerName, containerID)``."""
    from ..copydata import import_copy_data_from_image as _import

    config, manifest, image_name = _read_image(store, image_id)
    return _import(image_id, image_name, config, manifest, container_name, container_id, host)


def get_image_copy_data(store: Store, image: str, host: Host) -> CopyData:
    """``GetImageCopyData(store, image)``."""
    if image == "":
        raise GoError("image name must be specified")
    try:
        img = find_image(store, image)
    except GoError as exc:
        raise exc.wrap(f"error locating image {go_quote(image)} for importing settings") from None
    try:
        return import_copy_data_from_image(store, img.id, "", "", host)
    except GoError as exc:
        raise exc.wrap("error reading image") from None


# -- containers --------------------------------------------------------------------------------
def save(store: Store, container_id: str, state: bytes) -> None:
    """The file part of ``Save()`` (``json.Marshal`` already done): ``ContainerDirectory`` then
    ``ioutils.AtomicWriteFile(<dir>/kpod.json, state, 0600)`` (see ``fs.Dir.write_atomic``)."""
    directory = store.container_directory(container_id, create=True)
    if directory is None:  # a store without container directories (an OCI layout)
        raise GoError(f"{store.description} has no container directory for {container_id}")
    with directory:
        directory.write_atomic(STATE_FILE, state, 0o600)


def import_copy_data(
    store: Store, container: str, host: Host, *, save_state: bool = True
) -> CopyData:
    """``importCopyData(store, container, "")``: import from the container's image, then save."""
    from ..copydata import import_copy_data_for_container

    if container == "":
        raise GoError("container name must be specified")
    ctr = store.container(container)
    config, manifest, image_name = _read_image(store, ctr.image_id)
    # Docker.Parent, ContainerConfig.Image, then Save's json.Marshal (its error comes back
    # already wrapped "error saving CopyData state").
    data, state = import_copy_data_for_container(
        ctr.image_id, image_name, config, manifest, container, ctr.id, host
    )
    if save_state:
        try:
            save(store, ctr.id, state)
        except GoError as exc:
            raise exc.wrap("error saving CopyData state") from None
    return data


def open_copy_data(
    store: Store, container: str, host: Host, *, create_dir: bool = True
) -> CopyData:
    """``openCopyData(store, container)``: read ``kpod.json`` from the container's directory.

    A missing file raises :class:`FsError` with ``not_exist`` set (Go's ``os.IsNotExist``).
    """
    from ..copydata import open_copy_data as _open

    directory = store.container_directory(container, create=create_dir)
    if directory is None:
        # Read-only and no userdata directory yet: the same outcome as a missing kpod.json.
        raise FsError(
            f"open {container}/userdata/{STATE_FILE}: no such file or directory", not_exist=True
        )
    with directory:
        path = directory.child_path(STATE_FILE)
        state = directory.read_file(STATE_FILE, MAX_STATE_SIZE, what="state file")
    check_json_depth(state, path)
    try:
        return _open(state, host)
    except GoError as exc:
        # The original's text, with the file it is about.
        raise exc.wrap(path) from None


def get_container_copy_data(
    store: Store, name: str, host: Host, *, save_state: bool = True
) -> CopyData:
    """``GetContainerCopyData(store, name)``: the saved state, else import it (and save it)."""
    data: CopyData | None = None
    err: GoError | None = None
    if name != "":
        try:
            data = open_copy_data(store, name, host, create_dir=save_state)
        except FsError as exc:
            if exc.not_exist:
                try:
                    data = import_copy_data(store, name, host, save_state=save_state)
                except GoError as exc2:
                    err = exc2
            else:
                err = exc
        except GoError as exc:
            err = exc
    if err is not None:
        raise err.wrap("error reading build container")
    if data is None:
        raise GoError("error finding build container")
    return data
