"""Fixtures for the store tests: hand-built stores and layouts, the Go oracle, real buildah stores.

Hand-built stores are written here byte by byte (the layout of c/storage's images.go and
containers.go, restated in the helpers below) so the expected values never come from the code
under test.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
ORACLE_RUN = REPO.parent / "shared" / "oracle" / "run.sh"
NOW = "2024-02-03T04:05:06.123456789Z"


# -- hand-built containers-storage stores -----------------------------------------------------
def big_data_file_name(key: str) -> str:
    """c/storage's rule, restated: a-z, 0-9 and '.' stay, anything else is '=' + base64."""
    if all(c in "abcdefghijklmnopqrstuvwxyz0123456789." for c in key):
        return key
    return "=" + base64.b64encode(key.encode()).decode()


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass
class HandImage:
    config: bytes | None
    manifest: bytes
    names: list[str] = field(default_factory=list)
    id: str = ""  # default: the config digest's hex, as c/image names pulled images

    def __post_init__(self) -> None:
        if not self.id:
            src = self.config if self.config is not None else self.manifest
            self.id = hashlib.sha256(src).hexdigest()


def docker_manifest(config: bytes) -> bytes:
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": len(config),
                "digest": sha256(config),
            },
            "layers": [],
        }
    ).encode()


def oci_manifest(config: bytes, annotations: dict[str, str] | None = None) -> bytes:
    doc: dict[str, Any] = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "size": len(config),
            "digest": sha256(config),
        },
        "layers": [
            {
                "mediaType": "application/vnd.oci.image.layer.v1.tar",
                "size": 1024,
                "digest": "sha256:" + "5f70bf18" * 8,
            }
        ],
    }
    if annotations is not None:
        doc["annotations"] = annotations
    return json.dumps(doc).encode()


def write_store(
    root: Path,
    images: list[HandImage],
    containers: list[dict[str, Any]] | None = None,
    driver: str = "vfs",
) -> Path:
    """Write a containers-storage graph root holding ``images`` and ``containers``."""
    idir = root / f"{driver}-images"
    idir.mkdir(parents=True, exist_ok=True)
    records = []
    for img in images:
        (idir / img.id).mkdir(exist_ok=True)
        keys = ["manifest"]
        (idir / img.id / "manifest").write_bytes(img.manifest)
        if img.config is not None:
            key = sha256(img.config)
            (idir / img.id / big_data_file_name(key)).write_bytes(img.config)
            keys.append(key)
        records.append({"id": img.id, "names": img.names, "layer": "", "big-data-names": keys})
    (idir / "images.json").write_text(json.dumps(records))
    if containers is not None:
        cdir = root / f"{driver}-containers"
        cdir.mkdir(parents=True, exist_ok=True)
        (cdir / "containers.json").write_text(json.dumps(containers))
        for c in containers:
            if isinstance(c.get("id"), str) and "/" not in c["id"] and c["id"] not in ("", ".."):
                (cdir / c["id"] / "userdata").mkdir(parents=True, exist_ok=True)
    return root


def write_oci_layout(root: Path, entries: list[tuple[bytes, bytes, str | None]]) -> Path:
    """An OCI layout; each entry is (manifest, config, ref name or None)."""
    blobs = root / "blobs" / "sha256"
    blobs.mkdir(parents=True, exist_ok=True)
    manifests = []
    for manifest, config, name in entries:
        for blob in (manifest, config):
            (blobs / hashlib.sha256(blob).hexdigest()).write_bytes(blob)
        desc: dict[str, Any] = {
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": sha256(manifest),
            "size": len(manifest),
        }
        if name is not None:
            desc["annotations"] = {"org.opencontainers.image.ref.name": name}
        manifests.append(desc)
    (root / "oci-layout").write_text('{"imageLayoutVersion": "1.0.0"}')
    (root / "index.json").write_text(json.dumps({"schemaVersion": 2, "manifests": manifests}))
    return root


# -- one hand-built store used by the API and inspect tests ----------------------------------
DOCKER_CONFIG = json.dumps(
    {
        "docker_version": "17.06.0-ce",
        "created": "2017-08-01T10:00:00.5Z",
        "architecture": "amd64",
        "os": "linux",
        "config": {"Env": ["PATH=/bin"], "Cmd": ["sh"], "WorkingDir": "/w"},
        "container_config": {"Cmd": ["/bin/sh", "-c", "#(nop) CMD sh"]},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "1" * 64]},
        "history": [{"created": "2017-08-01T10:00:00Z", "created_by": "ADD file"}],
    }
).encode()
OCI_CONFIG = json.dumps(
    {
        "created": "2020-02-02T02:02:02Z",
        "architecture": "arm64",
        "os": "linux",
        "config": {"User": "1000", "Labels": {"a": "b"}},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "2" * 64]},
    }
).encode()
SCHEMA1 = json.dumps(
    {
        "schemaVersion": 1,
        "name": "x/s1",
        "tag": "latest",
        "architecture": "amd64",
        "fsLayers": [{"blobSum": "sha256:" + "a" * 64}],
        "history": [
            {
                "v1Compatibility": json.dumps(
                    {
                        "id": "b" * 64,
                        "created": "2016-01-01T00:00:00Z",
                        "docker_version": "1.12",
                        "container_config": {"Cmd": ["/bin/sh"]},
                        "config": {"Env": ["S1=yes"]},
                    }
                )
            }
        ],
    }
).encode()

IMAGES = {
    "docker": HandImage(DOCKER_CONFIG, docker_manifest(DOCKER_CONFIG), ["localhost/d:1"]),
    "oci": HandImage(OCI_CONFIG, oci_manifest(OCI_CONFIG, {"org.x": "y"}), ["localhost/o:2"]),
    "schema1": HandImage(None, SCHEMA1, ["localhost/s1:latest"], id="5" * 64),
    "unnamed": HandImage(OCI_CONFIG, oci_manifest(OCI_CONFIG), [], id="6" * 64),
}
CONTAINER_IDS = {"docker": "d" * 64, "oci": "e" * 64, "schema1": "f" * 64, "unnamed": "7" * 64}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    containers = [
        {"id": CONTAINER_IDS[k], "names": [f"ctr-{k}"], "image": IMAGES[k].id, "layer": ""}
        for k in IMAGES
    ]
    containers.append({"id": "8" * 64, "names": ["ctr-scratch"], "image": "", "layer": ""})
    containers.append({"id": "9" * 64, "names": ["ctr-gone"], "image": "4" * 64, "layer": ""})
    containers.append({"id": "a" * 64, "names": ["ctr-badid"], "image": "abc", "layer": ""})
    return write_store(tmp_path / "root", list(IMAGES.values()), containers)


def kpod_json(root: Path, container_id: str) -> Path:
    return root / "vfs-containers" / container_id / "userdata" / "kpod.json"


# -- the Go oracle ----------------------------------------------------------------------------
class Oracle:
    """One long-lived oracle process speaking JSON Lines."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [str(ORACLE_RUN)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.n = 0

    def ask(self, **request: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.n += 1
        request = {"id": self.n, **request}
        for key in ("config", "manifest", "state"):
            if isinstance(request.get(key), bytes):
                request[key] = base64.b64encode(request[key]).decode()
        self.proc.stdin.write(json.dumps(request).encode() + b"\n")
        self.proc.stdin.flush()
        answer: dict[str, Any] = json.loads(self.proc.stdout.readline())
        assert answer["id"] == self.n
        return answer

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.fixture(scope="session")
def oracle() -> Iterator[Oracle]:
    if not ORACLE_RUN.exists():
        pytest.skip(f"the Go oracle is absent ({ORACLE_RUN} not found)")
    o = Oracle()
    yield o
    o.close()


def _write_schema1_dir(d: Path) -> None:
    """A ``dir:`` layout (c/image's directory transport) holding a schema-1 image."""
    import gzip
    import io
    import tarfile

    d.mkdir()
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        info = tarfile.TarInfo("hello.txt")
        data = b"hello\n"
        info.size, info.mtime = len(data), 1700000000
        tar.addfile(info, io.BytesIO(data))
    layer = gzip.compress(raw.getvalue(), mtime=0)
    layer_digest = sha256(layer)
    (d / layer_digest[7:]).write_bytes(layer)
    v1 = {
        "id": "b" * 64,
        "created": "2016-06-07T08:09:10.123Z",
        "docker_version": "1.12.0",
        "author": "hand",
        "architecture": "amd64",
        "os": "linux",
        "config": {"Env": ["S1=yes"], "Cmd": ["/bin/sh"], "Labels": {"k": "v"}},
        "container_config": {"Cmd": ["/bin/sh", "-c", "#(nop) ADD file:hello.txt in /"]},
    }
    manifest = {
        "schemaVersion": 1,
        "name": "cdtest/s1hand",
        "tag": "latest",
        "architecture": "amd64",
        "fsLayers": [{"blobSum": layer_digest}],
        "history": [{"v1Compatibility": json.dumps(v1)}],
    }
    (d / "manifest.json").write_text(json.dumps(manifest, indent=3))
    (d / "version").write_text("Directory Transport Version: 1.1\n")


# -- real stores made by buildah ----------------------------------------------------------------
@dataclass
class BuildahStore:
    work: Path
    root: Path
    runroot: Path
    env: dict[str, str]

    def buildah(self, *args: str) -> str:
        cmd = [
            "buildah",
            "--root",
            str(self.root),
            "--runroot",
            str(self.runroot),
            "--storage-driver",
            "vfs",
            *args,
        ]
        done = subprocess.run(cmd, env=self.env, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise AssertionError(f"{' '.join(cmd)} failed: {done.stderr}")
        return done.stdout

    def skopeo(self, *args: str) -> str:
        cmd = ["skopeo", "--policy", str(self.work / "policy.json"), *args]
        done = subprocess.run(cmd, env=self.env, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise AssertionError(f"{' '.join(cmd)} failed: {done.stderr}")
        return done.stdout

    @property
    def cs(self) -> str:
        return f"containers-storage:[vfs@{self.root}+{self.runroot}]"

    def image_info(self, name: str) -> dict[str, Any]:
        info: dict[str, Any] = json.loads(self.buildah("inspect", "--type", "image", name))
        return info


def need_tools(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        pytest.skip(
            f"needs Debian's {', '.join(missing)} (apt-get install buildah skopeo): not installed"
        )
    if os.geteuid() != 0:
        pytest.skip("the buildah store tests run as root (vfs driver without user namespaces)")


@pytest.fixture(scope="session")
def buildah_store(tmp_path_factory: pytest.TempPathFactory) -> BuildahStore:
    """A real vfs store: two images (OCI and Docker format), a schema-1 copy, containers."""
    need_tools("buildah", "skopeo")
    work = tmp_path_factory.mktemp("buildah")
    assert work.as_posix() == work.as_posix().lower(), "buildah needs lower-case paths"
    (work / "tmp").mkdir()
    (work / "policy.json").write_text('{"default":[{"type":"insecureAcceptAnything"}]}')
    env = dict(
        os.environ,
        TMPDIR=str(work / "tmp"),
        BUILDAH_ISOLATION="chroot",
        BUILDAH_HISTORY="false",
    )
    s = BuildahStore(work, work / "storage", work / "run", env)
    (work / "hello.txt").write_text("hello\n")
    s.buildah("from", "--name", "work", "scratch")
    s.buildah("add", "work", str(work / "hello.txt"), "/hello.txt")
    s.buildah(
        "config",
        "--env", "FOO=bar",
        "--cmd", '["/bin/sh","-c","echo hi"]',
        "--entrypoint", '["/entry.sh","arg"]',
        "--label", "org.example.a=1",
        "--annotation", "org.example.ann=yes",
        "--port", "8080/tcp",
        "--volume", "/data",
        "--workingdir", "/srv",
        "--user", "1000:1000",
        "--author", "Probe <probe@example.com>",
        "--arch", "arm64",
        "--os", "linux",
        "work",
    )  # fmt: skip
    for fmt, name in (
        ("oci", "localhost/cdtest/oci:latest"),
        ("docker", "localhost/cdtest/docker:v1"),
    ):
        s.buildah("commit", "-q", "--timestamp", "1700000000", "--format", fmt, "work", name)
    s.buildah("from", "--pull-never", "--name", "ctr-docker", "localhost/cdtest/docker:v1")
    s.buildah("from", "--pull-never", "--name", "ctr-oci", "localhost/cdtest/oci:latest")
    # A schema-1 image in the store: convert with skopeo, copy back in under a new name.
    s.skopeo("copy", "--format", "v2s1", s.cs + "localhost/cdtest/docker:v1", f"dir:{work}/s1")
    s.skopeo("copy", f"dir:{work}/s1", s.cs + "localhost/cdtest/schema1:latest")
    s.buildah("from", "--pull-never", "--name", "ctr-s1", "localhost/cdtest/schema1:latest")
    # A hand-written, unsigned schema-1 image whose v1Compatibility has docker_version.
    _write_schema1_dir(work / "s1hand")
    s.skopeo("copy", f"dir:{work}/s1hand", s.cs + "localhost/cdtest/s1hand:latest")
    # The same OCI image as a layout directory.
    s.skopeo("copy", s.cs + "localhost/cdtest/oci:latest", f"oci:{work}/layout:v1")
    return s
