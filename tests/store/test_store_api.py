"""GetImageCopyData / GetContainerCopyData / importCopyData / openCopyData / Save on real files.

The CopyData documents are checked against the Go oracle's answers for the same config,
manifest, IDs and names (``import_image``, ``import_container``, ``open``); error texts are the
original's ``errors.Wrapf`` prefixes, derived by hand from ``copy_data.go``.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest

from reference import gojson, model
from reference.copydata import Host
from reference.errors import GoError, GoPanic
from reference.gotime import parse_rfc3339
from reference.store import (
    ContainersStorage,
    OCILayout,
    get_container_copy_data,
    get_image_copy_data,
)

from .conftest import (
    CONTAINER_IDS,
    DOCKER_CONFIG,
    IMAGES,
    NOW,
    OCI_CONFIG,
    HandImage,
    Oracle,
    big_data_file_name,
    docker_manifest,
    kpod_json,
    oci_manifest,
    sha256,
    write_oci_layout,
    write_store,
)

HOST = Host(now=parse_rfc3339(NOW))


def state(c: model.CopyData) -> str:
    return gojson.marshal(model.CopyDataPtr_T, c).decode()


def expect_ok(answer: dict[str, Any]) -> dict[str, Any]:
    assert answer["ok"], answer
    return answer


# -- images ----------------------------------------------------------------------------------
@pytest.mark.oracle
@pytest.mark.parametrize("kind", sorted(IMAGES))
def test_image_copy_data_equals_the_oracle(root: Path, oracle: Oracle, kind: str) -> None:
    img = IMAGES[kind]
    with ContainersStorage(str(root)) as store:
        c = get_image_copy_data(store, img.id[:12], HOST)
    want = expect_ok(
        oracle.ask(
            op="import_image",
            config=img.config,
            manifest=img.manifest,
            image_id=img.id,
            image_name=img.names[0] if img.names else "",
            now=NOW,
        )
    )
    assert state(c) == want["state"]
    assert gojson.marshal(model.OCIImage_T, c.OCIv1).decode() == want["oci"]
    assert gojson.marshal(model.V2Image_T, c.Docker).decode() == want["docker"]


@pytest.mark.oracle
def test_oci_layout_image_equals_the_oracle(tmp_path: Path, oracle: Oracle) -> None:
    manifest = oci_manifest(OCI_CONFIG, {"org.x": "y"})
    write_oci_layout(tmp_path, [(manifest, OCI_CONFIG, "v1")])
    with OCILayout(str(tmp_path)) as layout:
        c = get_image_copy_data(layout, "v1", HOST)
    want = expect_ok(
        oracle.ask(
            op="import_image",
            config=OCI_CONFIG,
            manifest=manifest,
            image_id=sha256(OCI_CONFIG)[7:],
            image_name="v1",
            now=NOW,
        )
    )
    assert state(c) == want["state"]


def test_image_name_must_be_specified(root: Path) -> None:
    with ContainersStorage(str(root)) as store, pytest.raises(GoError) as info:
        get_image_copy_data(store, "", HOST)
    assert str(info.value) == "image name must be specified"


def test_unknown_image(root: Path) -> None:
    with ContainersStorage(str(root)) as store, pytest.raises(GoError) as info:
        get_image_copy_data(store, "nothing", HOST)
    assert str(info.value) == (
        'error locating image "nothing" for importing settings: unable to locate image '
        '"nothing": image not known ("docker.io/library/nothing:latest", looked up in '
        f"{root}/vfs-images/images.json)"
    )


def test_config_that_does_not_match_its_digest(root: Path) -> None:
    img = IMAGES["docker"]
    path = root / "vfs-images" / img.id / big_data_file_name(sha256(DOCKER_CONFIG))
    path.write_bytes(DOCKER_CONFIG + b" ")
    with ContainersStorage(str(root)) as store, pytest.raises(GoError) as info:
        get_image_copy_data(store, "localhost/d:1", HOST)
    assert str(info.value) == (
        f"error reading image: error reading image configuration: image {img.id} ({path}): "
        f"Download config.json digest {sha256(DOCKER_CONFIG + b' ')} does not match expected "
        f"{sha256(DOCKER_CONFIG)}"
    )


def test_missing_config_file(root: Path) -> None:
    img = IMAGES["oci"]
    path = root / "vfs-images" / img.id / big_data_file_name(sha256(OCI_CONFIG))
    path.unlink()
    with ContainersStorage(str(root)) as store, pytest.raises(GoError) as info:
        get_image_copy_data(store, "localhost/o:2", HOST)
    assert str(info.value) == (
        f"error reading image: error reading image configuration: image {img.id}: config: "
        f"open {path}: no such file or directory"
    )


def test_config_over_4_mib_is_refused(tmp_path: Path) -> None:
    config = b'{"pad":"' + b"x" * (4 * 1024 * 1024) + b'"}'
    img = HandImage(config, docker_manifest(config), ["localhost/big:1"])
    write_store(tmp_path, [img])
    path = tmp_path / "vfs-images" / img.id / big_data_file_name(sha256(config))
    with ContainersStorage(str(tmp_path)) as store, pytest.raises(GoError) as info:
        get_image_copy_data(store, "localhost/big:1", HOST)
    assert str(info.value) == (
        f"error reading image: error reading image configuration: image {img.id}: config: "
        f"read {path}: {len(config)} bytes exceeds the maximum allowed size of 4194304 bytes"
    )


def test_manifest_list_is_refused(tmp_path: Path) -> None:
    listing = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
            "manifests": [],
        }
    ).encode()
    img = HandImage(None, listing, ["localhost/list:1"], id="3" * 64)
    write_store(tmp_path, [img])
    with ContainersStorage(str(tmp_path)) as store, pytest.raises(GoError) as info:
        get_image_copy_data(store, "localhost/list:1", HOST)
    assert str(info.value).startswith(
        f"error reading image: error instantiating image: image {img.id} "
        f"({tmp_path}/vfs-images/{img.id}/manifest): manifest lists are not supported"
    )


# -- containers ------------------------------------------------------------------------------
@pytest.mark.oracle
@pytest.mark.parametrize("kind", sorted(IMAGES))
def test_container_is_imported_then_saved_then_opened(
    root: Path, oracle: Oracle, kind: str
) -> None:
    img, cid = IMAGES[kind], CONTAINER_IDS[kind]
    with ContainersStorage(str(root)) as store:
        c = get_container_copy_data(store, f"ctr-{kind}", HOST)
    want = expect_ok(
        oracle.ask(
            op="import_container",
            config=img.config,
            manifest=img.manifest,
            image_id=img.id,
            image_name=img.names[0] if img.names else "",
            container_name=f"ctr-{kind}",
            container_id=cid,
            now=NOW,
        )
    )
    assert state(c) == want["state"]
    saved = kpod_json(root, cid)
    assert saved.read_bytes() == want["state"].encode()  # exactly what Save() writes
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert sorted(p.name for p in saved.parent.iterdir()) == ["kpod.json"]

    # Second time: openCopyData reads the saved state (and fixupConfig runs again).
    later = "2030-01-01T00:00:00Z"
    with ContainersStorage(str(root)) as store:
        c2 = get_container_copy_data(store, cid[:10], Host(now=parse_rfc3339(later)))
    again = expect_ok(oracle.ask(op="open", state=saved.read_bytes(), now=later))
    assert state(c2) == again["state"]


def test_saved_state_is_used_as_it_is(root: Path) -> None:
    # A kpod.json written by someone else wins over the image: nothing is re-imported.
    saved = kpod_json(root, CONTAINER_IDS["docker"])
    saved.write_text(
        '{"type":"kpod 0.0.1","image-id":"custom","ociv1":{"created":"2001-01-01T00:00:00Z"}}'
    )
    with ContainersStorage(str(root)) as store:
        c = get_container_copy_data(store, "ctr-docker", HOST)
    assert c.FromImageID == "custom"
    assert saved.read_bytes().startswith(b'{"type":"kpod 0.0.1","image-id":"custom"')


def test_read_only_mode_writes_nothing(root: Path) -> None:
    userdata = kpod_json(root, CONTAINER_IDS["oci"]).parent
    userdata.rmdir()
    with ContainersStorage(str(root)) as store:
        c = get_container_copy_data(store, "ctr-oci", HOST, save_state=False)
    assert c.ContainerID == CONTAINER_IDS["oci"]
    assert not userdata.exists()


def test_wrong_type_in_saved_state(root: Path) -> None:
    saved = kpod_json(root, CONTAINER_IDS["docker"])
    saved.write_text('{"type":"buildah 0.0.1"}')
    with ContainersStorage(str(root)) as store, pytest.raises(GoError) as info:
        get_container_copy_data(store, "ctr-docker", HOST)
    assert str(info.value) == (
        f"error reading build container: {saved}: container is not a kpod container"
    )


def test_symlinked_state_file_is_refused_and_not_followed(root: Path, tmp_path: Path) -> None:
    saved = kpod_json(root, CONTAINER_IDS["docker"])
    secret = tmp_path / "secret.json"
    secret.write_text('{"type":"kpod 0.0.1"}')
    saved.symlink_to(secret)
    with ContainersStorage(str(root)) as store, pytest.raises(GoError) as info:
        get_container_copy_data(store, "ctr-docker", HOST)
    assert str(info.value) == (
        f"error reading build container: open {saved}: is a symbolic link (refusing to follow it)"
    )
    assert secret.read_text() == '{"type":"kpod 0.0.1"}'


def test_deeply_nested_state_is_refused(root: Path) -> None:
    saved = kpod_json(root, CONTAINER_IDS["docker"])
    saved.write_bytes(b'{"type":"kpod 0.0.1","x":' + b"[" * 129 + b"]" * 129 + b"}")
    with ContainersStorage(str(root)) as store, pytest.raises(GoError) as info:
        get_container_copy_data(store, "ctr-docker", HOST)
    assert str(info.value) == (
        f"error reading build container: {saved}: JSON nested more than 128 levels deep "
        "(refusing to parse it)"
    )


def test_container_name_errors(root: Path) -> None:
    with ContainersStorage(str(root)) as store:
        with pytest.raises(GoError) as info:
            get_container_copy_data(store, "", HOST)
        assert str(info.value) == "error finding build container"
        with pytest.raises(GoError) as info:
            get_container_copy_data(store, "nope", HOST)
        assert str(info.value) == (
            'error reading build container: container not known ("nope", looked up in '
            f"{root}/vfs-containers/containers.json)"
        )
        with pytest.raises(GoError) as info:
            get_container_copy_data(store, "ctr-gone", HOST)
        assert str(info.value) == (
            "error reading build container: error instantiating image: error reading image "
            f'"{"4" * 64}": image not known ("{"4" * 64}", looked up in '
            f"{root}/vfs-images/images.json)"
        )
        with pytest.raises(GoError) as info:
            get_container_copy_data(store, "ctr-badid", HOST)
        # ParseStoreReference("@abc"): digest.Parse("sha256:abc") fails on the length.
        assert str(info.value) == (
            'error reading build container: no such image "@abc": invalid checksum digest length'
        )


@pytest.mark.oracle
def test_scratch_container_panics_like_the_original(root: Path, oracle: Oracle) -> None:
    answer = oracle.ask(
        op="import_container", container_name="ctr-scratch", container_id="8" * 64, now=NOW
    )
    assert answer["panic"] is not None
    with ContainersStorage(str(root)) as store, pytest.raises(GoPanic) as info:
        get_container_copy_data(store, "ctr-scratch", HOST)
    assert str(info.value) == answer["panic"]
    assert not kpod_json(root, "8" * 64).exists()
