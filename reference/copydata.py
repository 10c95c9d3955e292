"""CopyData itself: initConfig, fixupConfig, the setters, the imports, open, Save, MakeImageRef.

A transcription of ``spec/original/copy_data.go`` (cri-o e18e962238) with the same replacements
the oracle makes (its ``ORACLE:`` comments): the store lookups become arguments, ``time.Now()``
and ``runtime.GOOS``/``GOARCH`` come from an injected :class:`Host`, and ``Save`` hands back
the bytes it would write (``save`` below writes them for library use).

Go value semantics in Python (see the contract): a struct is one object, a pointer to a struct
is that object itself, ``copy.copy`` is a Go struct copy. So ``c.Docker.Config =
&c.Docker.ContainerConfig`` becomes ``c.Docker.Config = c.Docker.ContainerConfig`` and later
writes through either name are seen through both, as in Go.
"""

# No `from __future__ import annotations` here: it would bind the name `annotations`, which is
# this module's CopyData.Annotations() (a contract name).
import copy
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

from reference import convert, digest, gojson, model, refname
from reference.errors import GoError, GoPanic
from reference.gojson.types import GoType
from reference.gotime import GoTime

#: What MakeImageRef's configs are written as: json.Marshal's bytes, or a text (see make_image_ref).
ConfigT = TypeVar("ConfigT", bytes, str)

__all__ = [
    "CONTAINER_TYPE",
    "OCIV1_IMAGE_MANIFEST",
    "PACKAGE",
    "STATE_FILE",
    "Host",
    "ImageRef",
    "annotations",
    "architecture",
    "fixup_config",
    "import_copy_data_for_container",
    "import_copy_data_from_image",
    "init_config",
    "make_image_ref",
    "open_copy_data",
    "os_name",
    "save",
    "set_architecture",
    "set_os",
    "set_work_dir",
    "work_dir",
]

#: Package is used to identify working containers.
PACKAGE = "kpod"
CONTAINER_TYPE = PACKAGE + " 0.0.1"
STATE_FILE = PACKAGE + ".json"
#: v1.MediaTypeImageManifest, MakeImageRef's default manifest type.
OCIV1_IMAGE_MANIFEST = "application/vnd.oci.image.manifest.v1+json"

# runtime.GOARCH for the machines Python reports; used only by Host.real().
_GOARCH = {
    "x86_64": "amd64",
    "amd64": "amd64",
    "aarch64": "arm64",
    "arm64": "arm64",
    "i386": "386",
    "i686": "386",
    "x86": "386",
    "armv6l": "arm",
    "armv7l": "arm",
    "ppc64le": "ppc64le",
    "ppc64": "ppc64",
    "s390x": "s390x",
    "riscv64": "riscv64",
    "mips64": "mips64",
}


@dataclass(frozen=True)
class Host:
    """What the original reads from its environment: the clock and the platform.

    The protocol injects them (``now``, ``goos``, ``goarch``) so that answers are reproducible.
    """

    now: GoTime
    goos: str = "linux"
    goarch: str = "amd64"

    @classmethod
    def real(cls) -> "Host":
        """``time.Now()``, ``runtime.GOOS``, ``runtime.GOARCH`` of this machine (library use)."""
        ns = time.time_ns()
        now = GoTime(unix=ns // 1_000_000_000, nsec=ns % 1_000_000_000, offset=0)
        goos = "darwin" if sys.platform == "darwin" else sys.platform
        if goos.startswith("win"):
            goos = "windows"
        elif goos.startswith("linux"):
            goos = "linux"
        import platform  # (library use only: the server starts without it)

        machine = platform.machine().lower()
        return cls(now=now, goos=goos, goarch=_GOARCH.get(machine, machine))


# -- initConfig / fixupConfig --------------------------------------------------------------


def init_config(c: model.CopyData, host: Host) -> None:
    """``(c *CopyData) initConfig()``, the inverted ``err != nil`` test included."""
    image = model.OCIImage()
    dimage = model.V2Image()
    if c.Config:
        # Try to parse the image config. If we fail, try to start over from scratch
        dimage, err = gojson.unmarshal(c.Config, model.V2Image_T, dimage)
        if err is None and dimage.DockerVersion != "":
            image = convert.make_oci_v1_image(dimage)  # its error is always nil
        else:
            # ORIGINAL QUIRK: `dimage` keeps whatever the failed/versionless decode put in it.
            image, err = gojson.unmarshal(c.Config, model.OCIImage_T, image)
            if err is not None:
                # ORIGINAL QUIRK (inverted condition): converts only when the OCI decode
                # FAILED, from the partially decoded `image` (nil Created -> panic).
                try:
                    dimage = convert.make_docker_v2s2_image(image)
                except GoError:
                    dimage = model.V2Image()
        c.OCIv1 = image
        c.Docker = dimage
    else:
        # Try to dig out the image configuration from the manifest
        manifest = model.V2S1Manifest()
        manifest, err = gojson.unmarshal(c.Manifest or b"", model.V2S1Manifest_T, manifest)
        if err is None and manifest.SchemaVersion == 1:
            try:
                dimage = convert.make_docker_v2s1_image(manifest, host.now)
            except GoError:
                # Go assigns the returned docker.V2Image{} before testing err.
                dimage = model.V2Image()
            else:
                image = convert.make_oci_v1_image(dimage)
        c.OCIv1 = image
        c.Docker = dimage
    if c.Manifest:
        # Attempt to recover format-specific data from the manifest
        v1_manifest = model.Manifest()
        v1_manifest, err = gojson.unmarshal(c.Manifest, model.Manifest_T, v1_manifest)
        if err is None:
            # ORIGINAL QUIRK: may set ImageAnnotations to nil (manifest without annotations).
            c.ImageAnnotations = v1_manifest.Annotations
    fixup_config(c, host)


def fixup_config(c: model.CopyData, host: Host) -> None:
    """``(c *CopyData) fixupConfig()``."""
    if c.Docker.Config is not None:
        # Prefer image-level settings over those from the container it was built from
        c.Docker.ContainerConfig = copy.copy(c.Docker.Config)  # = *c.Docker.Config
    c.Docker.Config = c.Docker.ContainerConfig  # = &c.Docker.ContainerConfig
    c.Docker.DockerVersion = ""
    now = host.now.utc()
    if c.Docker.Created.is_zero():
        c.Docker.Created = now
    # ORIGINAL QUIRK: OCIv1.Created is a *time.Time; when nil this dereference panics.
    if c.OCIv1.Created is None:
        raise GoPanic()
    if c.OCIv1.Created.is_zero():
        c.OCIv1.Created = now
    if os_name(c) == "":
        set_os(c, host.goos)
    if architecture(c) == "":
        set_architecture(c, host.goarch)
    if work_dir(c) == "":
        set_work_dir(c, "/")  # string(filepath.Separator) on the original's (Linux) hosts


def os_name(c: model.CopyData) -> str:
    """``(c *CopyData) OS()``."""
    return c.OCIv1.OS


def set_os(c: model.CopyData, os_: str) -> None:
    """``(c *CopyData) SetOS(os)``."""
    c.OCIv1.OS = os_
    c.Docker.OS = os_


def architecture(c: model.CopyData) -> str:
    """``(c *CopyData) Architecture()``."""
    return c.OCIv1.Architecture


def set_architecture(c: model.CopyData, arch: str) -> None:
    """``(c *CopyData) SetArchitecture(arch)``."""
    c.OCIv1.Architecture = arch
    c.Docker.Architecture = arch


def work_dir(c: model.CopyData) -> str:
    """``(c *CopyData) WorkDir()``."""
    return c.OCIv1.Config.WorkingDir


def set_work_dir(c: model.CopyData, there: str) -> None:
    """``(c *CopyData) SetWorkDir(there)``; ``c.Docker.Config`` is set (fixupConfig sets it)."""
    c.OCIv1.Config.WorkingDir = there
    if c.Docker.Config is None:
        raise GoPanic()
    c.Docker.Config.WorkingDir = there


def annotations(c: model.CopyData) -> dict[str, str]:
    """``(c *CopyData) Annotations()``: ``common.CopyStringStringMap``, a fresh map, never nil."""
    return dict(c.ImageAnnotations or {})


# -- imports, open, save ----------------------------------------------------------------


def import_copy_data_from_image(
    image_id: str,
    image_name: str,
    config: bytes | None,
    manifest: bytes | None,
    container_name: str,
    container_id: str,
    host: Host,
) -> model.CopyData:
    """``ImportCopyDataFromImage(store, systemContext, imageID, containerName, containerID)``.

    ``config``, ``manifest`` and ``image_name`` are what the store would answer for
    ``image_id`` (its config blob, manifest blob and ``Names[0]``, ``""`` for no names). As in
    the original, the store is consulted only when ``image_id`` is not empty, so they are
    ignored otherwise (and ``initConfig`` then ends in a nil pointer panic).
    """
    manifest_blob: bytes | None = b""  # manifest := []byte{}
    config_blob: bytes | None = b""  # config := []byte{}
    name = ""
    if image_id != "":
        config_blob = config
        manifest_blob = manifest
        if image_name != "":
            name = image_name
    data = model.CopyData()
    data.Type = CONTAINER_TYPE
    data.FromImage = name
    data.FromImageID = image_id
    data.Config = config_blob
    data.Manifest = manifest_blob
    data.Container = container_name
    data.ContainerID = container_id
    data.ImageAnnotations = {}
    data.ImageCreatedBy = ""
    init_config(data, host)
    return data


def import_copy_data_for_container(
    image_id: str,
    image_name: str,
    config: bytes | None,
    manifest: bytes | None,
    container_name: str,
    container_id: str,
    host: Host,
) -> tuple[model.CopyData, bytes]:
    """``importCopyData(store, container, signaturePolicyPath)`` after ``store.Container``.

    ``container_name`` is the name the caller gave, ``image_id``/``container_id`` the
    container record's ``ImageID``/``ID``. Returns the data and the bytes ``Save()`` writes.
    """
    if container_name == "":
        raise GoError("container name must be specified")
    data = import_copy_data_from_image(
        image_id, image_name, config, manifest, container_name, container_id, host
    )
    if data.FromImageID != "":
        try:
            data.Docker.Parent = digest.parse(data.FromImageID)
        except GoError:
            # digest.NewDigestFromHex(digest.Canonical.String(), data.FromImageID)
            data.Docker.Parent = "sha256:" + data.FromImageID
    if data.FromImage != "":
        data.Docker.ContainerConfig.Image = data.FromImage
    return data, _save_bytes(data)


def _save_bytes(c: model.CopyData) -> bytes:
    """The ``json.Marshal(c)`` half of ``Save()``, wrapped as importCopyData wraps it."""
    try:
        return gojson.marshal(model.CopyDataPtr_T, c)
    except GoError as exc:
        raise exc.wrap("error saving CopyData state") from None


def save(c: model.CopyData, directory: str | os.PathLike[str]) -> None:
    """``(c *CopyData) Save()`` into ``directory`` (the container directory the store gives).

    ``ioutils.AtomicWriteFile(<dir>/kpod.json, buildstate, 0600)``, done by the store layer's one
    atomic writer (temporary file in the same directory, fsync, rename, fsync of the directory).
    Raises :class:`GoError` when marshalling fails (unwrapped, as Save returns it) and a
    :class:`GoError` naming the path for file system errors.
    """
    from reference.store.fs import Dir  # the store layer imports this module: import late

    buildstate = gojson.marshal(model.CopyDataPtr_T, c)
    with Dir.open_root(os.fspath(directory)) as target:
        target.write_atomic(STATE_FILE, buildstate)


def open_copy_data(state: bytes, host: Host) -> model.CopyData:
    """``openCopyData(store, container)`` after ``ioutil.ReadFile`` returned ``state``.

    The state is decoded into a ``**CopyData``: a JSON ``null`` makes ``c`` nil and the
    ``c.Type`` read below then panics.
    """
    c: model.CopyData | None = model.CopyData()
    c, err = gojson.unmarshal(state, model.CopyDataPtr_T, c)
    if err is not None:
        raise GoError(err)
    if c is None:
        raise GoPanic()
    if c.Type != CONTAINER_TYPE:
        raise GoError(f"container is not a {PACKAGE} container")
    fixup_config(c, host)
    return c


# -- MakeImageRef ------------------------------------------------------------------------


@dataclass
class ImageRef(Generic[ConfigT]):
    """The fields of the original's ``CopyRef`` that ``MakeImageRef`` fills in."""

    oconfig: ConfigT
    dconfig: ConfigT
    created: GoTime
    created_by: str
    #: ``c.ImageAnnotations`` itself (the same dict), may be None (a nil map).
    annotations: dict[str, str] | None
    preferred_manifest_type: str
    #: ``reference.ParseNamed(names[0]).String()``, None when there is no name or it fails.
    name: str | None
    names: list[str] | None
    layer_id: str


@overload
def make_image_ref(
    c: model.CopyData,
    manifest_type: str,
    names: list[str] | None,
    layer_id: str,
    history_timestamp: GoTime | None,
    host: Host,
) -> ImageRef[bytes]: ...


@overload
def make_image_ref(
    c: model.CopyData,
    manifest_type: str,
    names: list[str] | None,
    layer_id: str,
    history_timestamp: GoTime | None,
    host: Host,
    marshal: Callable[[GoType, Any], ConfigT],
) -> ImageRef[ConfigT]: ...


def make_image_ref(
    c: model.CopyData,
    manifest_type: str,
    names: list[str] | None,
    layer_id: str,
    history_timestamp: GoTime | None,
    host: Host,
    marshal: Callable[[GoType, Any], Any] = gojson.marshal,
) -> ImageRef[Any]:
    """``(c *CopyData) MakeImageRef(manifestType, compress, names, layerID, historyTimestamp)``.

    ``compress`` only travels into the reference, so it is left out. `marshal` writes the two
    configs: ``json.Marshal`` (bytes) by default; the protocol passes an encoder that writes the
    same text already escaped as the content of a JSON string, which is how it prints them.
    """
    name: str | None = None
    if names:
        # The original ignores ParseNamed's error: no name then.
        name = refname.parse_named(names[0])
    if manifest_type == "":
        manifest_type = OCIV1_IMAGE_MANIFEST
    try:
        oconfig = marshal(model.OCIImage_T, c.OCIv1)
    except GoError as exc:
        raise exc.wrap("error encoding OCI-format image configuration") from None
    try:
        dconfig = marshal(model.V2Image_T, c.Docker)
    except GoError as exc:
        raise exc.wrap("error encoding docker-format image configuration") from None
    created = host.now.utc()
    if history_timestamp is not None:
        created = history_timestamp.utc()
    return ImageRef(
        oconfig=oconfig,
        dconfig=dconfig,
        created=created,
        created_by=c.ImageCreatedBy,
        annotations=c.ImageAnnotations,
        preferred_manifest_type=manifest_type,
        name=name,
        names=names,
        layer_id=layer_id,
    )
