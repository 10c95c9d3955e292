"""Real image sources for the original's store functions: containers/storage and OCI layouts.

- :class:`ContainersStorage` reads the store buildah and podman write (``vfs``, ``overlay``, ...);
- :class:`OCILayout` reads an OCI image layout directory;
- both implement :class:`Store`, the small interface the original needs of its store;
- :mod:`.api` runs ``GetImageCopyData``, ``GetContainerCopyData``, ``importCopyData``,
  ``openCopyData`` and ``Save`` on any :class:`Store`, writing ``kpod.json`` atomically;
- :mod:`.fs` holds the limits (:data:`MAX_BLOB_SIZE`, :data:`MAX_JSON_DEPTH`, ...) and the
  symlink-proof file access.
"""

from __future__ import annotations

from .api import (
    STATE_FILE,
    find_image,
    get_container_copy_data,
    get_image_copy_data,
    import_copy_data,
    import_copy_data_from_image,
    open_copy_data,
    save,
)
from .backend import Blob, ContainerRecord, ImageRecord, NotKnownError, Store
from .containers_storage import ContainersStorage, make_big_data_base_name
from .fs import (
    MAX_BLOB_SIZE,
    MAX_JSON_DEPTH,
    MAX_METADATA_SIZE,
    MAX_STATE_SIZE,
    Dir,
    FsError,
    check_json_depth,
)
from .oci_layout import OCILayout

__all__ = [
    "MAX_BLOB_SIZE",
    "MAX_JSON_DEPTH",
    "MAX_METADATA_SIZE",
    "MAX_STATE_SIZE",
    "STATE_FILE",
    "Blob",
    "ContainerRecord",
    "ContainersStorage",
    "Dir",
    "FsError",
    "ImageRecord",
    "NotKnownError",
    "OCILayout",
    "Store",
    "check_json_depth",
    "find_image",
    "get_container_copy_data",
    "get_image_copy_data",
    "import_copy_data",
    "import_copy_data_from_image",
    "make_big_data_base_name",
    "open_copy_data",
    "save",
]
