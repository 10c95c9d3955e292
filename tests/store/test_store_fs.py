"""The file layer: limits before parsing, no symlink escapes, the atomic write's visible effects."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from reference.store.fs import (
    MAX_BLOB_SIZE,
    MAX_JSON_DEPTH,
    Dir,
    FsError,
    check_json_depth,
    check_name,
)


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def test_documented_limits() -> None:
    assert MAX_BLOB_SIZE == 4 * 1024 * 1024  # containers/image's manifest and config cap
    assert MAX_JSON_DEPTH == 128


def test_depth_at_the_limit_is_accepted() -> None:
    check_json_depth(nested(MAX_JSON_DEPTH), "x")
    check_json_depth(b'{"a":' * (MAX_JSON_DEPTH - 1) + b"[1]" + b"}" * (MAX_JSON_DEPTH - 1), "x")


def test_depth_over_the_limit_is_refused_with_the_file_named() -> None:
    with pytest.raises(FsError) as info:
        check_json_depth(nested(MAX_JSON_DEPTH + 1), "/s/vfs-images/abc/manifest")
    assert str(info.value) == (
        "/s/vfs-images/abc/manifest: JSON nested more than 128 levels deep (refusing to parse it)"
    )


def test_brackets_inside_strings_do_not_count() -> None:
    s = b'["' + b"[" * 1000 + b'\\"' + b"{" * 1000 + b'"]'
    check_json_depth(s, "x")
    # ... and a long flat array of many brackets is fine too.
    check_json_depth(b"[" + b",".join([b"[]"] * 100_000) + b"]", "x")


def test_unterminated_string_stops_the_scan() -> None:
    check_json_depth(b'["' + b"[" * 1000, "x")


@pytest.mark.parametrize("name", ["", ".", "..", "a/b", "../x", "a\x00b", "x" * 256])
def test_unsafe_names_are_refused(name: str) -> None:
    with pytest.raises(FsError, match="not a safe file name"):
        check_name(name, "container ID", "/s/containers.json")


def test_read_refuses_a_file_over_the_limit_before_reading(tmp_path: Path) -> None:
    (tmp_path / "big").write_bytes(b" " * 101)
    with Dir.open_root(str(tmp_path)) as d:
        assert d.read_file("big", 101) == b" " * 101
        with pytest.raises(FsError) as info:
            d.read_file("big", 100)
    assert str(info.value) == (
        f"read {tmp_path}/big: 101 bytes exceeds the maximum allowed size of 100 bytes"
    )


def test_read_refuses_symlinks(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text("outside")
    (tmp_path / "link").symlink_to(tmp_path / "secret")
    with Dir.open_root(str(tmp_path)) as d, pytest.raises(FsError) as info:
        d.read_file("link", 100)
    assert str(info.value) == f"open {tmp_path}/link: is a symbolic link (refusing to follow it)"
    assert not info.value.not_exist


def test_read_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    with Dir.open_root(str(tmp_path)) as d, pytest.raises(FsError, match="not a regular file"):
        d.read_file("fifo", 100)


def test_missing_file_is_go_not_exist(tmp_path: Path) -> None:
    with Dir.open_root(str(tmp_path)) as d, pytest.raises(FsError) as info:
        d.read_file("kpod.json", 100)
    assert info.value.not_exist
    assert str(info.value) == f"open {tmp_path}/kpod.json: no such file or directory"


def test_open_dir_refuses_a_symlinked_directory(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "userdata").symlink_to(tmp_path / "elsewhere")
    with Dir.open_root(str(tmp_path)) as d:
        with pytest.raises(FsError, match="is a symbolic link"):
            d.open_dir("userdata")
        with pytest.raises(FsError, match="is a symbolic link"):
            d.open_dir("userdata", create=True)


def test_open_dir_create_makes_0700(tmp_path: Path) -> None:
    with Dir.open_root(str(tmp_path)) as d, d.open_path(["a", "b"], create=True) as sub:
        assert sub.path == f"{tmp_path}/a/b"
    assert stat.S_IMODE((tmp_path / "a" / "b").stat().st_mode) == 0o700


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077])
def test_atomic_write_mode_is_0600_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        with Dir.open_root(str(tmp_path)) as d:
            d.write_atomic("kpod.json", b"{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "kpod.json").stat().st_mode) == 0o600
    assert (tmp_path / "kpod.json").read_bytes() == b"{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kpod.json"]  # no temporary left


def test_atomic_write_replaces_and_keeps_the_old_inode_for_old_readers(tmp_path: Path) -> None:
    (tmp_path / "kpod.json").write_bytes(b"old")
    with open(tmp_path / "kpod.json", "rb") as reader, Dir.open_root(str(tmp_path)) as d:
        d.write_atomic("kpod.json", b"new")
        assert reader.read() == b"old"  # a rename, not an in-place rewrite
    assert (tmp_path / "kpod.json").read_bytes() == b"new"


def test_atomic_write_replaces_a_planted_symlink_not_its_target(tmp_path: Path) -> None:
    (tmp_path / "target").write_text("precious")
    (tmp_path / "kpod.json").symlink_to(tmp_path / "target")
    with Dir.open_root(str(tmp_path)) as d:
        d.write_atomic("kpod.json", b"{}")
    assert (tmp_path / "target").read_text() == "precious"
    assert not (tmp_path / "kpod.json").is_symlink()


def test_atomic_write_failure_leaves_no_temporary(tmp_path: Path) -> None:
    (tmp_path / "kpod.json").mkdir()  # rename over a directory fails
    with Dir.open_root(str(tmp_path)) as d, pytest.raises(FsError, match=r"^rename "):
        d.write_atomic("kpod.json", b"{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kpod.json"]
