"""The three converters of the original, statement for statement.

Each function below is a transcription of the Go function of the same name in
``spec/original/copy_data.go`` (cri-o e18e962238). The Go comments are kept where they explain
a statement; the Python comments say where Go semantics (value copies, nil pointers, the
injected clock) need care. Errors are :class:`GoError` (Go's ``error``), nil pointer
dereferences are :class:`GoPanic`.
"""

from __future__ import annotations

import copy

from reference import digest, gojson, model
from reference.errors import GoError, GoPanic
from reference.gotime import GoTime

__all__ = ["make_docker_v2s1_image", "make_docker_v2s2_image", "make_oci_v1_image"]


def make_oci_v1_image(dimage: model.V2Image) -> model.OCIImage:
    """``makeOCIv1Image(dimage *docker.V2Image) (ociv1.Image, error)``; its error is always nil.

    Every ``Created`` it reads is a ``time.Time`` value (not a pointer), so it cannot panic.
    """
    config = dimage.Config
    if config is None:
        config = dimage.ContainerConfig
    dimage_created_time = dimage.Created.utc()
    image = model.OCIImage()
    image.Created = dimage_created_time
    image.Author = dimage.Author
    image.Architecture = dimage.Architecture
    image.OS = dimage.OS
    image.Config = model.ImageConfig()
    image.Config.User = config.User
    # ExposedPorts: map[string]struct{}{} -- a non-nil empty map, filled below.
    image.Config.ExposedPorts = {}
    # Slices and maps are shared with the docker image, exactly as Go's assignments share them.
    image.Config.Env = config.Env
    image.Config.Entrypoint = config.Entrypoint
    image.Config.Cmd = config.Cmd
    image.Config.Volumes = config.Volumes
    image.Config.WorkingDir = config.WorkingDir
    image.Config.Labels = config.Labels
    image.RootFS = model.RootFS()
    image.RootFS.Type = ""
    image.RootFS.DiffIDs = []  # []digest.Digest{}: empty, not nil ("diff_ids":[])
    image.History = []  # []ociv1.History{}: empty, omitted by omitempty all the same
    for port, what in (config.ExposedPorts or {}).items():
        image.Config.ExposedPorts[port] = what
    root_fs = model.V2S2RootFS()
    if dimage.RootFS is not None:
        root_fs = copy.copy(dimage.RootFS)  # RootFS = *dimage.RootFS (a struct copy)
    if root_fs.Type == model.TYPE_LAYERS:
        image.RootFS.Type = model.TYPE_LAYERS
        for diff_id in root_fs.DiffIDs or []:
            # digest.Digest(id.String()): a conversion, not a validation.
            image.RootFS.DiffIDs.append(diff_id)
    for history in dimage.History or []:
        history_created_time = history.Created.utc()
        ohistory = model.History()
        ohistory.Created = history_created_time
        ohistory.CreatedBy = history.CreatedBy
        ohistory.Author = history.Author
        ohistory.Comment = history.Comment
        ohistory.EmptyLayer = history.EmptyLayer
        image.History.append(ohistory)
    return image


def make_docker_v2s2_image(oimage: model.OCIImage) -> model.V2Image:
    """``makeDockerV2S2Image(oimage *ociv1.Image) (docker.V2Image, error)``.

    Raises :class:`GoPanic` where Go dereferences a nil ``*time.Time`` (``oimage.Created``
    first, in the composite literal; then each history entry's, after the digests were
    checked) and :class:`GoError` with go-digest's text for an invalid diff_id.
    """
    # ORIGINAL QUIRK: oimage.Created is a pointer; nil -> panic (it is the first expression
    # the composite literal evaluates, so it comes before any digest error).
    if oimage.Created is None:
        raise GoPanic()
    image = model.V2Image()
    image.Created = oimage.Created.utc()
    image.Author = oimage.Author
    image.Architecture = oimage.Architecture
    image.OS = oimage.OS
    container_config = model.Config()
    container_config.User = oimage.Config.User
    exposed_ports: dict[str, None] = {}  # docker.PortSet{}
    container_config.ExposedPorts = exposed_ports
    container_config.Env = oimage.Config.Env
    container_config.Entrypoint = oimage.Config.Entrypoint
    container_config.Cmd = oimage.Config.Cmd
    container_config.Volumes = oimage.Config.Volumes
    container_config.WorkingDir = oimage.Config.WorkingDir
    container_config.Labels = oimage.Config.Labels
    image.ContainerConfig = container_config
    image.RootFS = model.V2S2RootFS()
    image.RootFS.Type = ""
    image.RootFS.DiffIDs = []
    image.History = []
    for port, what in (oimage.Config.ExposedPorts or {}).items():
        exposed_ports[port] = what  # image.ContainerConfig.ExposedPorts[docker.Port(port)]
    if oimage.RootFS.Type == model.TYPE_LAYERS:
        image.RootFS.Type = model.TYPE_LAYERS
        for diff_id in oimage.RootFS.DiffIDs or []:
            # digest.Parse raises GoError; Go returns docker.V2Image{}, err.
            image.RootFS.DiffIDs.append(digest.parse(diff_id))
    for history in oimage.History or []:
        # ORIGINAL QUIRK: history.Created is a pointer; nil -> panic.
        if history.Created is None:
            raise GoPanic()
        dhistory = model.V2S2History()
        dhistory.Created = history.Created.utc()
        dhistory.CreatedBy = history.CreatedBy
        dhistory.Author = history.Author
        dhistory.Comment = history.Comment
        dhistory.EmptyLayer = history.EmptyLayer
        image.History.append(dhistory)
    # image.Config = &image.ContainerConfig: the same object, as Go's pointer. (Go then returns
    # the struct by value, so the caller's Config points at this function's ContainerConfig, an
    # equal but distinct struct; nothing writes through it before fixupConfig re-aliases it.)
    image.Config = image.ContainerConfig
    return image


def _sprint_v(words: list[str]) -> str:
    """``fmt.Sprintf("%v", []string)``: brackets around the elements joined by single spaces."""
    return "[" + " ".join(words) + "]"


def make_docker_v2s1_image(manifest: model.V2S1Manifest, now: GoTime) -> model.V2Image:
    """``makeDockerV2S1Image(manifest docker.V2S1Manifest) (docker.V2Image, error)``.

    ``now`` stands for ``time.Now()`` (the caller's injected clock); it is ``.UTC()``-ed here
    exactly where Go calls ``time.Now().UTC()``.
    """
    # Treat the most recent (first) item in the history as a description of the image.
    if not manifest.History:
        raise GoError("error parsing image configuration from manifest")
    decoded, err = gojson.unmarshal(
        _go_string_bytes(manifest.History[0].V1Compatibility), model.V2Image_T, model.V2Image()
    )
    dimage: model.V2Image = decoded
    if err is not None:
        raise GoError(err)
    if dimage.DockerVersion == "":
        raise GoError("error parsing image configuration from history")
    # The DiffID list is left empty on purpose (the blobs are most likely compressed).
    root_fs = model.V2S2RootFS()
    root_fs.Type = model.TYPE_LAYERS
    root_fs.DiffIDs = []
    # Build a filesystem history.
    history: list[model.V2S2History] = []
    for entry in manifest.History:
        h = model.V2S2History()
        h.Created = now.utc()
        h.Author = ""
        h.CreatedBy = ""
        h.Comment = ""
        h.EmptyLayer = False
        dcompat = model.V1Compatibility()
        dcompat, err2 = gojson.unmarshal(
            _go_string_bytes(entry.V1Compatibility), model.V1Compatibility_T, dcompat
        )
        if err2 is None:
            h.Created = dcompat.Created.utc()
            h.Author = dcompat.Author
            h.Comment = dcompat.Comment
            if dcompat.ContainerConfig.Cmd:
                h.CreatedBy = _sprint_v(dcompat.ContainerConfig.Cmd)
            h.EmptyLayer = dcompat.ThrowAway
        # Prepend this layer to the list, because a v2s1 format manifest's list is in reverse
        # order compared to v2s2, which lists earlier layers before later ones.
        history = [h, *history]
    dimage.RootFS = root_fs
    dimage.History = history
    return dimage


def _go_string_bytes(s: str) -> bytes:
    """``[]byte(s)`` for a Go string that came out of the JSON decoder (always valid UTF-8)."""
    return s.encode("utf-8")
