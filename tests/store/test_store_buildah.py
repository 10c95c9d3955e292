"""Against stores written by Debian's real buildah and skopeo (vfs driver, private root).

What buildah itself reports (``buildah inspect``, ``buildah containers --json``) gives the
config, manifest, IDs and names; the Go oracle gives the expected CopyData for them; the files
the reference writes are then checked by their hand-computed paths.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import stat
from typing import Any

import pytest

from reference import inspect as inspect_cmd

from .conftest import NOW, BuildahStore, Oracle

pytestmark = pytest.mark.tools

IMAGES = [
    "localhost/cdtest/oci:latest",
    "localhost/cdtest/docker:v1",
    "localhost/cdtest/schema1:latest",  # converted by skopeo: no docker_version, so it panics
    "localhost/cdtest/s1hand:latest",  # hand-written schema 1 with docker_version
]
CONTAINERS = {"ctr-oci": IMAGES[0], "ctr-docker": IMAGES[1], "ctr-s1": IMAGES[2]}


def inspect(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    inspect_cmd.add_arguments(parser)
    status = inspect_cmd.run(parser.parse_args(list(argv)))
    out, err = capsys.readouterr()
    return status, out, err


def image_request(info: dict[str, Any]) -> dict[str, Any]:
    """The oracle's inputs, from buildah's own view of the image."""
    config = info["Config"].encode() if info["Config"] else None  # schema 1: no config blob
    return {
        "config": config,
        "manifest": info["Manifest"].encode(),
        "image_id": info["FromImageID"],
        "image_name": info["FromImage"],
    }


def container_ids(s: BuildahStore) -> dict[str, str]:
    return {c["containername"]: c["id"] for c in json.loads(s.buildah("containers", "--json"))}


@pytest.mark.parametrize("name", IMAGES)
def test_store_files_are_where_c_storage_puts_them(buildah_store: BuildahStore, name: str) -> None:
    info = buildah_store.image_info(name)
    image_dir = buildah_store.root / "vfs-images" / info["FromImageID"]
    assert (image_dir / "manifest").read_bytes() == info["Manifest"].encode()
    if info["Config"]:
        digest = "sha256:" + hashlib.sha256(info["Config"].encode()).hexdigest()
        file = "=" + base64.b64encode(digest.encode()).decode()
        assert (image_dir / file).read_bytes() == info["Config"].encode()


@pytest.mark.oracle
@pytest.mark.parametrize("name", IMAGES)
@pytest.mark.parametrize("fmt", ["state", "oci", "docker"])
def test_image_equals_the_oracle(
    buildah_store: BuildahStore,
    oracle: Oracle,
    capsys: pytest.CaptureFixture[str],
    name: str,
    fmt: str,
) -> None:
    info = buildah_store.image_info(name)
    want = oracle.ask(op="import_image", now=NOW, **image_request(info))
    status, out, err = inspect(
        capsys, "--root", str(buildah_store.root), "--now", NOW, "--format", fmt, name
    )
    # Only the skopeo-converted schema 1 (no docker_version) makes the original panic.
    assert (want["panic"] is not None) == (name == IMAGES[2]), want
    if want["panic"] is not None:  # the original panics on this image: so does inspect
        assert (status, out) == (2, "")
        assert (
            err
            == f"copydata-reference inspect: panic: {want['panic']} (the original panics here)\n"
        )
        return
    assert want["ok"], want
    assert (status, err) == (0, "")
    assert out == want[fmt] + "\n"


@pytest.mark.oracle
@pytest.mark.parametrize("ctr", sorted(CONTAINERS))
def test_container_saved_next_to_buildah_state(
    buildah_store: BuildahStore, oracle: Oracle, capsys: pytest.CaptureFixture[str], ctr: str
) -> None:
    cid = container_ids(buildah_store)[ctr]
    info = buildah_store.image_info(CONTAINERS[ctr])
    want = oracle.ask(
        op="import_container",
        now=NOW,
        container_name=ctr,
        container_id=cid,
        **image_request(info),
    )
    userdata = buildah_store.root / "vfs-containers" / cid / "userdata"
    buildah_json = (userdata / "buildah.json").read_bytes()
    kpod = userdata / "kpod.json"
    kpod.unlink(missing_ok=True)
    if want["panic"] is not None:
        status, out, err = inspect(capsys, "--root", str(buildah_store.root), "--save", ctr)
        assert (status, out) == (2, "")
        assert want["panic"] in err
        assert not kpod.exists()
        return
    assert want["ok"], want
    status, out, err = inspect(capsys, "--root", str(buildah_store.root), "--now", NOW, ctr)
    assert (status, err, out) == (0, "", want["state"] + "\n")
    assert not kpod.exists()  # read-only unless --save
    status, out, err = inspect(
        capsys, "--root", str(buildah_store.root), "--now", NOW, "--save", ctr
    )
    assert (status, err, out) == (0, "", want["state"] + "\n")
    assert kpod.read_bytes() == want["state"].encode()
    assert stat.S_IMODE(kpod.stat().st_mode) == 0o600
    assert (userdata / "buildah.json").read_bytes() == buildah_json
    # Opened, not re-imported, the second time: the oracle's open on the saved bytes.
    later = "2031-05-06T07:08:09Z"
    again = oracle.ask(op="open", state=kpod.read_bytes(), now=later)
    status, out, err = inspect(capsys, "--root", str(buildah_store.root), "--now", later, cid[:12])
    assert (status, err, out) == (0, "", again["state"] + "\n")


def test_buildah_still_reads_the_store_afterwards(
    buildah_store: BuildahStore, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = inspect(capsys, "--root", str(buildah_store.root), "--save", "ctr-oci")
    assert (status, err) == (0, "")
    names = {c["containername"] for c in json.loads(buildah_store.buildah("containers", "--json"))}
    assert {"ctr-oci", "ctr-docker", "ctr-s1", "work"} <= names
    assert json.loads(buildah_store.buildah("inspect", "ctr-oci"))["Container"] == "ctr-oci"


def test_scratch_container_panics_like_the_original(
    buildah_store: BuildahStore, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = inspect(capsys, "--root", str(buildah_store.root), "--save", "work")
    assert (status, out) == (2, "")
    assert "panic: runtime error: invalid memory address or nil pointer dereference" in err


@pytest.mark.oracle
def test_oci_layout_written_by_skopeo(
    buildah_store: BuildahStore, oracle: Oracle, capsys: pytest.CaptureFixture[str]
) -> None:
    layout = buildah_store.work / "layout"
    index = json.loads((layout / "index.json").read_text())
    (desc,) = index["manifests"]
    assert desc["annotations"]["org.opencontainers.image.ref.name"] == "v1"
    manifest = (layout / "blobs" / "sha256" / desc["digest"][7:]).read_bytes()
    config_digest = json.loads(manifest)["config"]["digest"]
    config = (layout / "blobs" / "sha256" / config_digest[7:]).read_bytes()
    want = oracle.ask(
        op="import_image",
        config=config,
        manifest=manifest,
        image_id=config_digest[7:],
        image_name="v1",
        now=NOW,
    )
    status, out, err = inspect(capsys, "--oci-layout", str(layout), "--now", NOW, "v1")
    assert (status, err, out) == (0, "", want["state"] + "\n")
    # The same image in the store has the same ID (config digest), so the same OCI config.
    store_out = inspect(
        capsys, "--root", str(buildah_store.root), "--now", NOW, "--format", "oci", IMAGES[0]
    )[1]
    assert (
        inspect(capsys, "--oci-layout", str(layout), "--now", NOW, "--format", "oci", "v1")[1]
        == store_out
    )
