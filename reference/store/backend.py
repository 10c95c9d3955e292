"""The one small interface every image source implements: what the original asks of its store.

The original calls, on its ``storage.Store`` (directly or through containers/image):

- ``store.Image(nameOrID)``: an image's ID and names (``FindImage``'s fallback, and the first
  name that becomes ``FromImage``);
- the image's manifest and config blobs (``ref.NewImage``, ``src.Manifest()``,
  ``src.ConfigBlob()``: c/image reads the big-data items ``manifest`` and ``<config digest>``);
- ``store.Container(nameOrID)``: a container's ID and image ID;
- ``store.ContainerDirectory(nameOrID)``: where ``kpod.json`` lives.

:class:`Store` is exactly that; :mod:`.containers_storage` and :mod:`.oci_layout` implement it,
and tests may implement it in memory. Lookups by name, full ID or unique ID prefix follow
c/storage's ``lookup`` (ID, then name, then ``truncindex`` prefix).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Generic, NamedTuple, Protocol, TypeVar

from ..errors import GoError
from ..gostrconv import quote
from .fs import Dir

__all__ = [
    "Blob",
    "ContainerRecord",
    "ImageRecord",
    "Index",
    "NotKnownError",
    "Store",
    "go_quote",
]


@dataclass(frozen=True)
class ImageRecord:
    """What c/storage's ``Image`` record says of an image (the fields the original reads)."""

    id: str
    names: tuple[str, ...] = ()
    #: the digest of the image's manifest, when known ("" otherwise)
    digest: str = ""


@dataclass(frozen=True)
class ContainerRecord:
    """What c/storage's ``Container`` record says of a container."""

    id: str
    names: tuple[str, ...] = ()
    #: the ID of the container's image ("" for a container made from scratch)
    image_id: str = ""


def go_quote(s: str) -> str:
    """Go's ``%q`` (``strconv.Quote``) for the strings that appear in the original's messages
    (an undecodable byte, as ``surrogateescape`` gives it, prints as ``\\xNN``)."""
    return quote(s)


class Blob(NamedTuple):
    """A blob read from a store, and the file it came from (for messages)."""

    data: bytes
    path: str


class NotKnownError(GoError):
    """c/storage's ``ErrImageUnknown`` / ``ErrContainerUnknown``, with the key and the file."""

    def __init__(self, what: str, key: str, where: str) -> None:
        super().__init__(f"{what} not known ({go_quote(key)}, looked up in {where})")


class Store(Protocol):
    """A read-only image/container source, plus the container directory the original writes."""

    #: names the store in messages, e.g. ``containers-storage /var/lib/containers/storage (vfs)``
    description: str

    def image(self, name_or_id: str) -> ImageRecord:
        """``store.Image``: by ID, then name, then unique ID prefix; NotKnownError otherwise."""
        ...

    def read_manifest(self, image: ImageRecord) -> Blob:
        """The image's manifest (big-data item ``manifest``), at most ``MAX_BLOB_SIZE`` bytes
        and ``MAX_JSON_DEPTH`` deep; GoError naming the image and the file otherwise."""
        ...

    def read_config(self, image: ImageRecord, digest: str) -> Blob:
        """The blob stored for ``digest`` (c/image: big-data item ``<digest>``), with the same
        limits; the caller verifies the digest."""
        ...

    def container(self, name_or_id: str) -> ContainerRecord:
        """``store.Container``: by ID, then name, then unique ID prefix."""
        ...

    def container_directory(self, name_or_id: str, *, create: bool) -> Dir | None:
        """``store.ContainerDirectory``: the container's ``userdata`` directory, opened.

        With ``create`` it is made (mode 0700) when missing, as c/storage does; without, a
        missing directory gives None (nothing saved there yet) and nothing is written.
        """
        ...

    def close(self) -> None: ...


R = TypeVar("R", ImageRecord, ContainerRecord)


class Index(Generic[R]):
    """c/storage's in-memory index: ``byid``, ``byname`` and the ``truncindex`` of IDs."""

    def __init__(self, records: Iterable[R]) -> None:
        self.records: list[R] = []
        self.byid: dict[str, R] = {}
        self.byname: dict[str, R] = {}
        for record in records:
            self.records.append(record)
            self.byid[record.id] = record
            for name in record.names:
                # c/storage's Load: a later record takes a name over from an earlier one.
                self.byname[name] = record
        # Names taken over are dropped from the earlier record, as c/storage's Load does.
        fixed: list[R] = []
        for record in self.records:
            names = tuple(n for n in record.names if self.byname.get(n) is record)
            if names != record.names:
                record = replace(record, names=names)
                self.byid[record.id] = record
                for name in names:
                    self.byname[name] = record
            fixed.append(record)
        self.records = fixed

    def lookup(self, key: str) -> R | None:
        if key in self.byid:
            return self.byid[key]
        if key in self.byname:
            return self.byname[key]
        if key == "":
            return None  # truncindex: "Prefix can't be empty"
        matches = [i for i in self.byid if i.startswith(key)]
        if len(matches) == 1:  # an ambiguous prefix finds nothing
            return self.byid[matches[0]]
        return None
