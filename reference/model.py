"""The 2017 types copy_data.go touches, declared once from spec/TYPES.md.

Field order is Go's declaration order (= output order); each `gofield` gives the Go type and the
json tag text exactly as in the Go source (None: no json tag, the key is the Go field name and
there is no omitempty). Embedding is declared by inheritance (see reference.gojson.types), so
``V2Image`` has V1Image's fields as attributes, and its own ``Parent`` hides V1Image's.

Sources: cri-o e18e962238 ``cmd/kpod/docker/types.go``, image-spec v1.0.0
``specs-go/{versioned.go,v1/config.go,v1/manifest.go,v1/descriptor.go}``, containers/image
``pkg/strslice``, and ``libpod/images/copy_data.go`` itself (CopyData; its unexported ``store``
field is never encoded or decoded, so it is not declared).
"""

from __future__ import annotations

from typing import Final

from reference.gojson.types import (
    BOOL,
    BYTES,
    EMPTY_STRUCT,
    INT,
    INT64,
    PTR_TIME,
    STRING,
    STRSLICE,
    TIME,
    GoStruct,
    GoType,
    MapType,
    PtrType,
    SliceType,
    gofield,
    named_int,
    named_string,
)
from reference.gotime import GoTime

__all__ = [
    "DIGEST",
    "DURATION",
    "ID",
    "PORT",
    "PORT_SET",
    "ROUNDTRIP_TYPES",
    "TYPE_LAYERS",
    "Config",
    "Config_T",
    "CopyData",
    "CopyDataPtr_T",
    "CopyData_T",
    "Descriptor",
    "Descriptor_T",
    "HealthConfig",
    "HealthConfig_T",
    "History",
    "History_T",
    "ImageConfig",
    "ImageConfig_T",
    "Manifest",
    "Manifest_T",
    "OCIImage",
    "OCIImage_T",
    "Platform",
    "Platform_T",
    "RootFS",
    "RootFS_T",
    "V1Compatibility",
    "V1CompatibilityContainerConfig",
    "V1CompatibilityContainerConfig_T",
    "V1Compatibility_T",
    "V1Image",
    "V1Image_T",
    "V2Image",
    "V2Image_T",
    "V2S1FSLayer",
    "V2S1FSLayer_T",
    "V2S1History",
    "V2S1History_T",
    "V2S1Manifest",
    "V2S1Manifest_T",
    "V2S2History",
    "V2S2History_T",
    "V2S2RootFS",
    "V2S2RootFS_T",
    "V2Versioned",
    "V2Versioned_T",
    "Versioned",
    "Versioned_T",
]

#: docker.TypeLayers, the only RootFS type the original knows.
TYPE_LAYERS: Final = "layers"

# Named non-struct types (their names appear in Go's error texts).
DIGEST: Final = named_string("digest.Digest")
ID: Final = named_string("docker.ID")  # type ID digest.Digest
PORT: Final = named_string("docker.Port")
DURATION: Final = named_int("time.Duration")
PORT_SET: Final = MapType(PORT, EMPTY_STRUCT, "docker.PortSet")

_STRINGS = SliceType(STRING)
_DIGESTS = SliceType(DIGEST)
_STRING_MAP = MapType(STRING, STRING)
_STRING_SET = MapType(STRING, EMPTY_STRUCT)


# --- github.com/opencontainers/image-spec v1.0.0 ---------------------------------------------


class Versioned(GoStruct, go_name="specs.Versioned"):
    SchemaVersion: int = gofield(INT, "schemaVersion")


class ImageConfig(GoStruct, go_name="v1.ImageConfig"):
    User: str = gofield(STRING, "User,omitempty")
    ExposedPorts: dict[str, None] | None = gofield(_STRING_SET, "ExposedPorts,omitempty")
    Env: list[str] | None = gofield(_STRINGS, "Env,omitempty")
    Entrypoint: list[str] | None = gofield(_STRINGS, "Entrypoint,omitempty")
    Cmd: list[str] | None = gofield(_STRINGS, "Cmd,omitempty")
    Volumes: dict[str, None] | None = gofield(_STRING_SET, "Volumes,omitempty")
    WorkingDir: str = gofield(STRING, "WorkingDir,omitempty")
    Labels: dict[str, str] | None = gofield(_STRING_MAP, "Labels,omitempty")
    StopSignal: str = gofield(STRING, "StopSignal,omitempty")


class RootFS(GoStruct, go_name="v1.RootFS"):
    Type: str = gofield(STRING, "type")
    DiffIDs: list[str] | None = gofield(_DIGESTS, "diff_ids")


class History(GoStruct, go_name="v1.History"):
    Created: GoTime | None = gofield(PTR_TIME, "created,omitempty")
    CreatedBy: str = gofield(STRING, "created_by,omitempty")
    Author: str = gofield(STRING, "author,omitempty")
    Comment: str = gofield(STRING, "comment,omitempty")
    EmptyLayer: bool = gofield(BOOL, "empty_layer,omitempty")


class OCIImage(GoStruct, go_name="v1.Image"):
    Created: GoTime | None = gofield(PTR_TIME, "created,omitempty")
    Author: str = gofield(STRING, "author,omitempty")
    Architecture: str = gofield(STRING, "architecture")
    OS: str = gofield(STRING, "os")
    Config: ImageConfig = gofield(ImageConfig.go_type, "config,omitempty")
    RootFS: RootFS = gofield(RootFS.go_type, "rootfs")
    History: list[History] | None = gofield(SliceType(History.go_type), "history,omitempty")


class Platform(GoStruct, go_name="v1.Platform"):
    Architecture: str = gofield(STRING, "architecture")
    OS: str = gofield(STRING, "os")
    OSVersion: str = gofield(STRING, "os.version,omitempty")
    OSFeatures: list[str] | None = gofield(_STRINGS, "os.features,omitempty")
    Variant: str = gofield(STRING, "variant,omitempty")


class Descriptor(GoStruct, go_name="v1.Descriptor"):
    MediaType: str = gofield(STRING, "mediaType,omitempty")
    Digest: str = gofield(DIGEST, "digest")
    Size: int = gofield(INT64, "size")
    URLs: list[str] | None = gofield(_STRINGS, "urls,omitempty")
    Annotations: dict[str, str] | None = gofield(_STRING_MAP, "annotations,omitempty")
    Platform: Platform | None = gofield(PtrType(Platform.go_type), "platform,omitempty")


class Manifest(Versioned, go_name="v1.Manifest"):  # embeds specs.Versioned
    Config: Descriptor = gofield(Descriptor.go_type, "config")
    Layers: list[Descriptor] | None = gofield(SliceType(Descriptor.go_type), "layers")
    Annotations: dict[str, str] | None = gofield(_STRING_MAP, "annotations,omitempty")


# --- github.com/kubernetes-incubator/cri-o/cmd/kpod/docker (2017) ----------------------------


class V2S2RootFS(GoStruct, go_name="docker.V2S2RootFS"):
    Type: str = gofield(STRING, "type")
    DiffIDs: list[str] | None = gofield(_DIGESTS, "diff_ids,omitempty")


class V2S2History(GoStruct, go_name="docker.V2S2History"):
    Created: GoTime = gofield(TIME, "created")
    Author: str = gofield(STRING, "author,omitempty")
    CreatedBy: str = gofield(STRING, "created_by,omitempty")
    Comment: str = gofield(STRING, "comment,omitempty")
    EmptyLayer: bool = gofield(BOOL, "empty_layer,omitempty")


class HealthConfig(GoStruct, go_name="docker.HealthConfig"):
    Test: list[str] | None = gofield(_STRINGS, ",omitempty")
    Interval: int = gofield(DURATION, ",omitempty")
    Timeout: int = gofield(DURATION, ",omitempty")
    Retries: int = gofield(INT, ",omitempty")


class Config(GoStruct, go_name="docker.Config"):
    Hostname: str = gofield(STRING)
    Domainname: str = gofield(STRING)
    User: str = gofield(STRING)
    AttachStdin: bool = gofield(BOOL)
    AttachStdout: bool = gofield(BOOL)
    AttachStderr: bool = gofield(BOOL)
    ExposedPorts: dict[str, None] | None = gofield(PORT_SET, ",omitempty")
    Tty: bool = gofield(BOOL)
    OpenStdin: bool = gofield(BOOL)
    StdinOnce: bool = gofield(BOOL)
    Env: list[str] | None = gofield(_STRINGS)
    Cmd: list[str] | None = gofield(STRSLICE)
    Healthcheck: HealthConfig | None = gofield(PtrType(HealthConfig.go_type), ",omitempty")
    ArgsEscaped: bool = gofield(BOOL, ",omitempty")
    Image: str = gofield(STRING)
    Volumes: dict[str, None] | None = gofield(_STRING_SET)
    WorkingDir: str = gofield(STRING)
    Entrypoint: list[str] | None = gofield(STRSLICE)
    NetworkDisabled: bool = gofield(BOOL, ",omitempty")
    MacAddress: str = gofield(STRING, ",omitempty")
    OnBuild: list[str] | None = gofield(_STRINGS)
    Labels: dict[str, str] | None = gofield(_STRING_MAP)
    StopSignal: str = gofield(STRING, ",omitempty")
    StopTimeout: int | None = gofield(PtrType(INT), ",omitempty")
    Shell: list[str] | None = gofield(STRSLICE, ",omitempty")


class V1CompatibilityContainerConfig(GoStruct, go_name=None):
    """The anonymous ``struct { Cmd []string }`` of V1Compatibility.ContainerConfig."""

    Cmd: list[str] | None = gofield(_STRINGS)


class V1Compatibility(GoStruct, go_name="docker.V1Compatibility"):
    ID: str = gofield(STRING, "id")
    Parent: str = gofield(STRING, "parent,omitempty")
    Comment: str = gofield(STRING, "comment,omitempty")
    Created: GoTime = gofield(TIME, "created")
    ContainerConfig: V1CompatibilityContainerConfig = gofield(
        V1CompatibilityContainerConfig.go_type, "container_config,omitempty"
    )
    Author: str = gofield(STRING, "author,omitempty")
    ThrowAway: bool = gofield(BOOL, "throwaway,omitempty")


class V1Image(GoStruct, go_name="docker.V1Image"):
    ID: str = gofield(STRING, "id,omitempty")
    Parent: str = gofield(STRING, "parent,omitempty")
    Comment: str = gofield(STRING, "comment,omitempty")
    Created: GoTime = gofield(TIME, "created")
    Container: str = gofield(STRING, "container,omitempty")
    ContainerConfig: Config = gofield(Config.go_type, "container_config,omitempty")
    DockerVersion: str = gofield(STRING, "docker_version,omitempty")
    Author: str = gofield(STRING, "author,omitempty")
    Config: Config | None = gofield(PtrType(Config.go_type), "config,omitempty")
    Architecture: str = gofield(STRING, "architecture,omitempty")
    OS: str = gofield(STRING, "os,omitempty")
    Size: int = gofield(INT64, ",omitempty")


class V2Image(V1Image, go_name="docker.V2Image"):  # embeds V1Image
    Parent: str = gofield(ID, "parent,omitempty")  # hides V1Image.Parent (shallower)
    RootFS: V2S2RootFS | None = gofield(PtrType(V2S2RootFS.go_type), "rootfs,omitempty")
    History: list[V2S2History] | None = gofield(SliceType(V2S2History.go_type), "history,omitempty")
    OSVersion: str = gofield(STRING, "os.version,omitempty")
    OSFeatures: list[str] | None = gofield(_STRINGS, "os.features,omitempty")


class V2Versioned(GoStruct, go_name="docker.V2Versioned"):
    SchemaVersion: int = gofield(INT, "schemaVersion")
    MediaType: str = gofield(STRING, "mediaType,omitempty")


class V2S1FSLayer(GoStruct, go_name="docker.V2S1FSLayer"):
    BlobSum: str = gofield(DIGEST, "blobSum")


class V2S1History(GoStruct, go_name="docker.V2S1History"):
    V1Compatibility: str = gofield(STRING, "v1Compatibility")


class V2S1Manifest(V2Versioned, go_name="docker.V2S1Manifest"):  # embeds V2Versioned
    Name: str = gofield(STRING, "name")
    Tag: str = gofield(STRING, "tag")
    Architecture: str = gofield(STRING, "architecture")
    FSLayers: list[V2S1FSLayer] | None = gofield(SliceType(V2S1FSLayer.go_type), "fsLayers")
    History: list[V2S1History] | None = gofield(SliceType(V2S1History.go_type), "history")


# --- libpod/images/copy_data.go ----------------------------------------------------------------


class CopyData(GoStruct, go_name="images.CopyData"):
    Type: str = gofield(STRING, "type")
    FromImage: str = gofield(STRING, "image,omitempty")
    FromImageID: str = gofield(STRING, "image-id")
    Config: bytes | None = gofield(BYTES, "config,omitempty")
    Manifest: bytes | None = gofield(BYTES, "manifest,omitempty")
    Container: str = gofield(STRING, "container-name,omitempty")
    ContainerID: str = gofield(STRING, "container-id,omitempty")
    MountPoint: str = gofield(STRING, "mountpoint,omitempty")
    ImageAnnotations: dict[str, str] | None = gofield(_STRING_MAP, "annotations,omitempty")
    ImageCreatedBy: str = gofield(STRING, "created-by,omitempty")
    OCIv1: OCIImage = gofield(OCIImage.go_type, "ociv1,omitempty")
    Docker: V2Image = gofield(V2Image.go_type, "docker,omitempty")


# --- the GoType objects ------------------------------------------------------------------------

Versioned_T: Final = Versioned.go_type
ImageConfig_T: Final = ImageConfig.go_type
RootFS_T: Final = RootFS.go_type
History_T: Final = History.go_type
OCIImage_T: Final = OCIImage.go_type
Platform_T: Final = Platform.go_type
Descriptor_T: Final = Descriptor.go_type
Manifest_T: Final = Manifest.go_type
V2S2RootFS_T: Final = V2S2RootFS.go_type
V2S2History_T: Final = V2S2History.go_type
HealthConfig_T: Final = HealthConfig.go_type
Config_T: Final = Config.go_type
V1CompatibilityContainerConfig_T: Final = V1CompatibilityContainerConfig.go_type
V1Compatibility_T: Final = V1Compatibility.go_type
V1Image_T: Final = V1Image.go_type
V2Image_T: Final = V2Image.go_type
V2Versioned_T: Final = V2Versioned.go_type
V2S1FSLayer_T: Final = V2S1FSLayer.go_type
V2S1History_T: Final = V2S1History.go_type
V2S1Manifest_T: Final = V2S1Manifest.go_type
CopyData_T: Final = CopyData.go_type
CopyDataPtr_T: Final = PtrType(CopyData_T)

#: The types of PROTOCOL.md's ``roundtrip`` op, by the protocol's names. For ``*CopyData`` the
#: Go variable is a non-nil ``*CopyData`` (openCopyData's ``c := &CopyData{}``): start from a
#: ``CopyData()`` value, not from nil.
ROUNDTRIP_TYPES: Final[dict[str, GoType]] = {
    "CopyData": CopyData_T,
    "*CopyData": CopyDataPtr_T,
    "docker.V2Image": V2Image_T,
    "docker.V1Image": V1Image_T,
    "docker.Config": Config_T,
    "docker.HealthConfig": HealthConfig_T,
    "docker.V2S2RootFS": V2S2RootFS_T,
    "docker.V2S2History": V2S2History_T,
    "docker.V2S1Manifest": V2S1Manifest_T,
    "docker.V1Compatibility": V1Compatibility_T,
    "ociv1.Image": OCIImage_T,
    "ociv1.ImageConfig": ImageConfig_T,
    "ociv1.RootFS": RootFS_T,
    "ociv1.History": History_T,
    "ociv1.Manifest": Manifest_T,
}
