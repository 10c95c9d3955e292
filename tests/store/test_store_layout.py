"""Reading hand-built containers-storage stores and OCI layouts (no CopyData logic involved).

Expected texts are derived by hand from the Go sources quoted in the comments.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from reference.errors import GoError
from reference.store import (
    MAX_BLOB_SIZE,
    ContainersStorage,
    FsError,
    NotKnownError,
    OCILayout,
    find_image,
    make_big_data_base_name,
)

from .conftest import (
    HandImage,
    big_data_file_name,
    docker_manifest,
    oci_manifest,
    sha256,
    write_oci_layout,
    write_store,
)

CONFIG_A = b'{"architecture":"amd64","os":"linux","config":{"Env":["A=1"]}}'
CONFIG_B = b'{"architecture":"arm64","os":"linux","config":{"Env":["B=2"]}}'


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ContainersStorage]:
    images = [
        HandImage(
            CONFIG_A, oci_manifest(CONFIG_A), ["docker.io/library/alpha:latest", "localhost/a:1"]
        ),
        HandImage(CONFIG_B, docker_manifest(CONFIG_B), ["localhost/beta:latest"]),
    ]
    containers = [
        {"id": "c" * 64, "names": ["ctr"], "image": images[0].id, "layer": ""},
        {"id": "c" * 63 + "d", "names": ["other"], "image": images[1].id, "layer": ""},
    ]
    write_store(tmp_path / "root", images, containers)
    s = ContainersStorage(str(tmp_path / "root"))
    yield s
    s.close()


def test_big_data_file_names_follow_c_storage() -> None:
    # makeBigDataBaseName: only a-z, 0-9 and '.' are kept as they are.
    assert make_big_data_base_name("manifest") == "manifest"
    key = "sha256:" + "ab" * 32
    assert make_big_data_base_name(key) == "=" + base64.b64encode(key.encode()).decode()
    assert make_big_data_base_name("manifest-" + key) == big_data_file_name("manifest-" + key)
    assert make_big_data_base_name("Manifest").startswith("=")


def test_driver_is_detected_and_named(store: ContainersStorage) -> None:
    assert store.driver == "vfs"
    assert store.description.endswith("(driver vfs)")


def test_no_store_here(tmp_path: Path) -> None:
    with pytest.raises(FsError, match="not a containers-storage store"):
        ContainersStorage(str(tmp_path))


def test_several_drivers_need_a_choice(tmp_path: Path) -> None:
    (tmp_path / "vfs-images").mkdir()
    (tmp_path / "overlay-images").mkdir()
    with pytest.raises(FsError, match=r"several storage drivers \(overlay, vfs\)"):
        ContainersStorage(str(tmp_path))
    s = ContainersStorage(str(tmp_path), "overlay")
    assert s.driver == "overlay"
    with pytest.raises(NotKnownError):
        s.image("x")
    s.close()


def test_lookup_by_id_name_and_unique_prefix(store: ContainersStorage) -> None:
    a_id = sha256(CONFIG_A)[7:]
    assert store.image(a_id).names == ("docker.io/library/alpha:latest", "localhost/a:1")
    assert store.image("localhost/a:1").id == a_id
    assert store.image(a_id[:5]).id == a_id


def test_ambiguous_prefix_finds_nothing(store: ContainersStorage) -> None:
    assert store.container("c" * 64).id == "c" * 64
    assert store.container("c" * 63 + "d").names == ("other",)
    with pytest.raises(NotKnownError):
        store.container("c" * 63)  # a prefix of both IDs
    with pytest.raises(NotKnownError):
        store.container("")


def test_find_image_normalizes_names_like_parse_store_reference(store: ContainersStorage) -> None:
    # "alpha" -> docker.io/library/alpha:latest (ParseNormalizedNamed + TagNameOnly)
    assert find_image(store, "alpha").names[0] == "docker.io/library/alpha:latest"
    assert find_image(store, "localhost/beta").names == ("localhost/beta:latest",)
    assert find_image(store, "localhost/a:1").names[1] == "localhost/a:1"


def test_find_image_error_texts(store: ContainersStorage, tmp_path: Path) -> None:
    images_json = tmp_path / "root" / "vfs-images" / "images.json"
    with pytest.raises(GoError) as info:
        find_image(store, "missing")
    assert str(info.value) == (
        'unable to locate image "missing": image not known '
        f'("docker.io/library/missing:latest", looked up in {images_json})'
    )
    with pytest.raises(GoError) as info:
        find_image(store, "Alpha")
    assert str(info.value) == (
        'error parsing reference to image "Alpha": '
        "invalid reference format: repository name must be lowercase"
    )
    with pytest.raises(GoError) as info:
        find_image(store, "a" * 64)  # not an image ID here, and not a valid name
    assert str(info.value) == (
        f'error parsing reference to image "{"a" * 64}": invalid repository name '
        f"({'a' * 64}), cannot specify 64-byte hexadecimal strings"
    )


def test_manifest_and_config_are_the_stored_bytes(store: ContainersStorage) -> None:
    img = store.image("localhost/beta:latest")
    assert store.read_manifest(img).data == docker_manifest(CONFIG_B)
    blob = store.read_config(img, sha256(CONFIG_B))
    assert blob.data == CONFIG_B
    assert blob.path.endswith(f"/vfs-images/{img.id}/{big_data_file_name(sha256(CONFIG_B))}")


def test_oversized_manifest_refused_naming_image_and_file(tmp_path: Path) -> None:
    big = b"{" + b" " * (MAX_BLOB_SIZE - 1) + b"}"
    img = HandImage(CONFIG_A, big, ["localhost/big:latest"])
    write_store(tmp_path, [img])
    with ContainersStorage(str(tmp_path)) as s, pytest.raises(FsError) as info:
        s.read_manifest(s.image("localhost/big:latest"))
    path = tmp_path / "vfs-images" / img.id / "manifest"
    assert str(info.value) == (
        f"image {img.id}: manifest: read {path}: {MAX_BLOB_SIZE + 1} bytes exceeds the maximum "
        f"allowed size of {MAX_BLOB_SIZE} bytes"
    )


def test_exactly_4_mib_is_accepted(tmp_path: Path) -> None:
    config = b'{"os":"linux","pad":"' + b"x" * (MAX_BLOB_SIZE - 23) + b'"}'
    assert len(config) == MAX_BLOB_SIZE
    img = HandImage(config, docker_manifest(config), ["localhost/edge:latest"])
    write_store(tmp_path, [img])
    with ContainersStorage(str(tmp_path)) as s:
        assert s.read_config(s.image(img.id), sha256(config)).data == config


def test_deeply_nested_config_refused_before_parsing(tmp_path: Path) -> None:
    config = b'{"x":' + b"[" * 200 + b"]" * 200 + b"}"
    img = HandImage(config, docker_manifest(config), ["localhost/deep:latest"])
    write_store(tmp_path, [img])
    with ContainersStorage(str(tmp_path)) as s, pytest.raises(FsError) as info:
        s.read_config(s.image(img.id), sha256(config))
    path = tmp_path / "vfs-images" / img.id / big_data_file_name(sha256(config))
    assert str(info.value) == (
        f"image {img.id}: config {path}: JSON nested more than 128 levels deep "
        "(refusing to parse it)"
    )


def test_missing_images_json_is_an_empty_store(tmp_path: Path) -> None:
    (tmp_path / "vfs-images").mkdir()
    with ContainersStorage(str(tmp_path)) as s, pytest.raises(NotKnownError) as info:
        s.image("x")
    assert str(info.value) == (
        f'image not known ("x", looked up in {tmp_path}/vfs-images/images.json)'
    )


def test_broken_images_json_is_reported_with_its_path(tmp_path: Path) -> None:
    (tmp_path / "vfs-images").mkdir()
    (tmp_path / "vfs-images" / "images.json").write_text('[{"id": "x"')
    with pytest.raises(FsError) as info:
        ContainersStorage(str(tmp_path))  # reported when the store is opened, as GetStore does
    assert str(info.value).startswith(f"{tmp_path}/vfs-images/images.json: not valid JSON: ")


def test_a_name_claimed_twice_goes_to_the_later_image(tmp_path: Path) -> None:
    # c/storage's Load: names[name] = images[n] for each image in order, removing the name
    # from the image that had it before.
    a = HandImage(CONFIG_A, docker_manifest(CONFIG_A), ["localhost/x:1", "localhost/a:1"])
    b = HandImage(CONFIG_B, docker_manifest(CONFIG_B), ["localhost/x:1"])
    write_store(tmp_path, [a, b])
    with ContainersStorage(str(tmp_path)) as s:
        assert s.image("localhost/x:1").id == b.id
        assert s.image(a.id).names == ("localhost/a:1",)


@pytest.mark.parametrize("bad_id", ["../../../etc", "a/b", "..", "."])
def test_container_ids_that_would_escape_are_refused(tmp_path: Path, bad_id: str) -> None:
    write_store(tmp_path, [], [{"id": bad_id, "names": ["evil"], "image": ""}])
    with ContainersStorage(str(tmp_path)) as s, pytest.raises(FsError) as info:
        s.container_directory("evil", create=True)
    assert str(info.value) == (
        f"{tmp_path}/vfs-containers/containers.json: container ID {bad_id!r} is not a safe "
        "file name (refusing to use it)"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vfs-containers", "vfs-images"]


def test_symlinked_container_directory_is_refused(tmp_path: Path) -> None:
    ident = "e" * 64
    write_store(tmp_path / "s", [], [{"id": ident, "names": ["ctr"], "image": ""}])
    outside = tmp_path / "outside"
    outside.mkdir()
    userdata = tmp_path / "s" / "vfs-containers" / ident / "userdata"
    userdata.rmdir()
    userdata.symlink_to(outside)
    with ContainersStorage(str(tmp_path / "s")) as s, pytest.raises(FsError) as info:
        s.container_directory("ctr", create=True)
    assert str(info.value) == f"open {userdata}: is a symbolic link (refusing to follow it)"
    assert list(outside.iterdir()) == []


def test_container_directory_is_created_0700_only_when_asked(tmp_path: Path) -> None:
    ident = "f" * 64
    write_store(tmp_path, [], [{"id": ident, "names": ["ctr"], "image": ""}])
    userdata = tmp_path / "vfs-containers" / ident / "userdata"
    userdata.rmdir()
    with ContainersStorage(str(tmp_path)) as s:
        assert s.container_directory("ctr", create=False) is None
        assert not userdata.exists()
        d = s.container_directory("ctr", create=True)
        assert d is not None
        d.close()
    assert userdata.is_dir()
    assert (userdata.stat().st_mode & 0o777) == 0o700


def test_volatile_containers_are_found(tmp_path: Path) -> None:
    write_store(tmp_path, [], [])
    (tmp_path / "vfs-containers" / "volatile-containers.json").write_text(
        json.dumps([{"id": "9" * 64, "names": ["vol"], "image": "abc"}])
    )
    with ContainersStorage(str(tmp_path)) as s:
        assert s.container("vol").image_id == "abc"


def test_container_not_known_names_the_file(store: ContainersStorage, tmp_path: Path) -> None:
    with pytest.raises(NotKnownError) as info:
        store.container("nope")
    assert str(info.value) == (
        f'container not known ("nope", looked up in {tmp_path}/root/vfs-containers/containers.json)'
    )


# -- OCI layouts -------------------------------------------------------------------------------
def test_oci_layout_images_are_named_by_ref_and_identified_by_config(tmp_path: Path) -> None:
    ma, mb = oci_manifest(CONFIG_A), oci_manifest(CONFIG_B)
    write_oci_layout(
        tmp_path, [(ma, CONFIG_A, "latest"), (mb, CONFIG_B, "v2"), (ma, CONFIG_A, "a")]
    )
    with OCILayout(str(tmp_path)) as layout:
        a = layout.image("latest")
        assert a.id == sha256(CONFIG_A)[7:]
        assert a.names == ("latest", "a")
        assert a.digest == sha256(ma)
        assert layout.image(a.id[:8]) == a
        assert layout.read_manifest(a).data == ma
        assert layout.read_config(a, sha256(CONFIG_A)).data == CONFIG_A
        assert layout.image("v2").id == sha256(CONFIG_B)[7:]
        with pytest.raises(NotKnownError, match="has no containers"):
            layout.container("latest")


def test_oci_layout_blob_that_does_not_match_its_digest(tmp_path: Path) -> None:
    m = oci_manifest(CONFIG_A)
    write_oci_layout(tmp_path, [(m, CONFIG_A, "latest")])
    blob = tmp_path / "blobs" / "sha256" / sha256(m)[7:]
    blob.write_bytes(m.replace(b"layers", b"Layers"))
    with OCILayout(str(tmp_path)) as layout, pytest.raises(FsError) as info:
        layout.read_manifest(layout.image(sha256(m)[7:]))
    assert str(info.value) == (
        f"image {sha256(m)[7:]}: manifest blob {blob} does not match its digest {sha256(m)}"
    )


def test_not_an_oci_layout(tmp_path: Path) -> None:
    with pytest.raises(FsError) as info:
        OCILayout(str(tmp_path))
    assert str(info.value) == f"open {tmp_path}/oci-layout: no such file or directory"
