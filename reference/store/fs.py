"""File access below a store root that cannot be redirected out of it, and the atomic write.

Everything a store reader or writer touches is opened one path component at a time, relative to
an already open directory, with ``O_NOFOLLOW``: a component that is a symbolic link (or ``..``,
or contains a slash) is refused, so neither a crafted ``containers.json`` nor a symlink planted in
the store can make us read or write outside it, and there is no check-then-use race. Only the
root the user names may itself be (or pass through) a symbolic link.

The size and nesting limits below are the documented limits of every store reader.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import stat
import time
from collections.abc import Iterator
from types import TracebackType

from ..errors import GoError

__all__ = [
    "LOCK_TIMEOUT",
    "MAX_BLOB_SIZE",
    "MAX_JSON_DEPTH",
    "MAX_METADATA_SIZE",
    "MAX_STATE_SIZE",
    "Dir",
    "FsError",
    "check_json_depth",
    "check_name",
]

#: containers/image's cap on a manifest and on a config blob (``iolimits.MaxManifestBodySize``
#: and ``MaxConfigBodySize``, both 4 MiB): larger ones are refused before they are read.
MAX_BLOB_SIZE = 4 * 1024 * 1024
#: A ``kpod.json`` holds the config and the manifest (base64, so 4/3 of 2 x 4 MiB) plus the two
#: converted documents; 64 MiB leaves ample room and still bounds memory.
MAX_STATE_SIZE = 64 * 1024 * 1024
#: ``images.json``, ``containers.json``, ``index.json``, ``oci-layout``.
MAX_METADATA_SIZE = 64 * 1024 * 1024
#: Deepest nesting of arrays and objects accepted in any JSON document read from a store. Real
#: manifests, configs and state files nest about 5 levels deep; Go's own decoder stops at 10000,
#: but a recursive decoder in Python would exhaust the interpreter's stack long before that.
MAX_JSON_DEPTH = 128
#: How long a reader waits for a store writer's lock before giving up.
LOCK_TIMEOUT = 10.0

_BRACKETS = re.compile(rb"[\[\]{}]")
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)


class FsError(GoError):
    """A file-system error with Go's ``*PathError`` shape: ``op path: reason``.

    ``not_exist`` is Go's ``os.IsNotExist(err)``: the original treats a missing ``kpod.json``
    (and nothing else) as "not saved yet".
    """

    def __init__(self, message: str, *, not_exist: bool = False) -> None:
        super().__init__(message)
        self.not_exist = not_exist


def _reason(exc: OSError) -> str:
    """Go's text for an errno: the C library's message with a lower-case first letter."""
    if exc.errno is None:
        return str(exc)
    text = os.strerror(exc.errno)
    return text[:1].lower() + text[1:]


def _path_error(op: str, path: str, exc: OSError) -> FsError:
    if exc.errno == errno.ELOOP:
        return FsError(f"{op} {path}: is a symbolic link (refusing to follow it)")
    return FsError(f"{op} {path}: {_reason(exc)}", not_exist=exc.errno == errno.ENOENT)


def check_name(name: str, what: str, where: str) -> None:
    """Refuse a path component that could address anything but a child of its directory."""
    if (
        name in ("", ".", "..")
        or "/" in name
        or "\x00" in name
        or len(name.encode("utf-8", "surrogateescape")) > 255
    ):
        raise FsError(f"{where}: {what} {name!r} is not a safe file name (refusing to use it)")


def check_json_depth(data: bytes, where: str, limit: int = MAX_JSON_DEPTH) -> None:
    """Reject JSON nested deeper than ``limit`` levels, before anything parses it.

    Strings are removed first so brackets inside them do not count; an unterminated string ends
    the scan (the document is invalid anyway and its parser will say so).
    """
    if data.count(b"[") + data.count(b"{") <= limit:
        return  # cannot be deeper than the number of openers
    stripped = _STRING.sub(b"", data)
    quote = stripped.find(b'"')
    if quote != -1:
        stripped = stripped[:quote]
    depth = 0
    for m in _BRACKETS.finditer(stripped):
        if m.group() in (b"[", b"{"):
            depth += 1
            if depth > limit:
                raise FsError(
                    f"{where}: JSON nested more than {limit} levels deep (refusing to parse it)"
                )
        else:
            depth -= 1


class Dir:
    """An open directory (file descriptor) plus the path used to name it in messages."""

    def __init__(self, fd: int, path: str) -> None:
        self.fd = fd
        self.path = path

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open_root(cls, path: str) -> Dir:
        """Open the directory the user named (symbolic links in it are the user's business)."""
        try:
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError as exc:
            raise _path_error("open", path, exc) from None
        return cls(fd, path)

    def child_path(self, name: str) -> str:
        return os.path.join(self.path, name)

    def open_dir(self, name: str, *, create: bool = False, what: str = "directory") -> Dir:
        """Open the child directory ``name`` without following a symbolic link.

        With ``create``, a missing directory is made with mode 0700, as c/storage's
        ``ContainerDirectory`` does (``os.MkdirAll(path, 0700)``).
        """
        check_name(name, what, self.path)
        path = self.child_path(name)
        flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
        for attempt in (0, 1):
            try:
                return Dir(os.open(name, flags, dir_fd=self.fd), path)
            except OSError as exc:
                if exc.errno == errno.ENOENT and create and attempt == 0:
                    try:
                        os.mkdir(name, 0o700, dir_fd=self.fd)
                    except FileExistsError:
                        pass  # made by someone else meanwhile: open it
                    except OSError as mexc:
                        raise _path_error("mkdir", path, mexc) from None
                    continue
                if exc.errno == errno.ENOTDIR:
                    # O_DIRECTORY|O_NOFOLLOW on a symbolic link also says ENOTDIR.
                    with contextlib.suppress(OSError):
                        st = os.stat(name, dir_fd=self.fd, follow_symlinks=False)
                        if stat.S_ISLNK(st.st_mode):
                            raise FsError(
                                f"open {path}: is a symbolic link (refusing to follow it)"
                            ) from None
                    raise FsError(f"open {path}: not a directory") from None
                raise _path_error("open", path, exc) from None
        raise AssertionError("unreachable")

    def open_path(self, names: list[str], *, create: bool = False) -> Dir:
        """Open a chain of child directories; the intermediate ones are closed again."""
        current: Dir = self
        for name in names:
            nxt = current.open_dir(name, create=create)
            if current is not self:
                current.close()
            current = nxt
        if current is self:
            return Dir(os.dup(self.fd), self.path)
        return current

    # -- reading ---------------------------------------------------------------------------
    def read_file(self, name: str, limit: int, *, what: str = "file") -> bytes:
        """Read the regular file ``name`` (never through a symbolic link) of at most ``limit``
        bytes; a larger one is refused before it is read."""
        check_name(name, what, self.path)
        path = self.child_path(name)
        try:
            # O_NONBLOCK: opening a FIFO planted in the store must not hang us.
            fd = os.open(
                name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=self.fd
            )
        except OSError as exc:
            raise _path_error("open", path, exc) from None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise FsError(f"read {path}: not a regular file")
            if st.st_size > limit:
                raise FsError(
                    f"read {path}: {st.st_size} bytes exceeds the maximum allowed size of "
                    f"{limit} bytes"
                )
            chunks: list[bytes] = []
            total = 0
            while total <= limit:
                chunk = os.read(fd, min(limit + 1 - total, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
            if total > limit:  # it grew while we read it
                raise FsError(f"read {path}: exceeds the maximum allowed size of {limit} bytes")
            return b"".join(chunks)
        except OSError as exc:
            raise _path_error("read", path, exc) from None
        finally:
            os.close(fd)

    def exists(self, name: str) -> bool:
        try:
            os.stat(name, dir_fd=self.fd, follow_symlinks=False)
        except FileNotFoundError:
            return False
        except OSError:
            return True  # something is there; opening it will report the problem
        return True

    def list(self) -> list[str]:
        try:
            return sorted(os.listdir(self.fd))
        except OSError as exc:
            raise _path_error("readdirent", self.path, exc) from None

    # -- writing ---------------------------------------------------------------------------
    def write_atomic(self, name: str, data: bytes, mode: int = 0o600) -> None:
        """Docker's ``ioutils.AtomicWriteFile(dir/name, data, mode)``, plus a directory fsync.

        The data goes to a new temporary file ``.tmp-<name><random>`` in the same directory,
        which is fsynced, given ``mode`` and renamed over ``name``; then the directory is
        fsynced so the rename itself survives a power loss. A reader (or a crash at any
        instant) therefore sees the old complete file or the new complete file, never a mix,
        and concurrent writers cannot interleave: each writes its own temporary file and the
        last rename wins. A crash can leave a temporary file behind (as Go's does).
        """
        check_name(name, "file name", self.path)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        fd = -1
        tmp = ""
        for _ in range(10000):  # as ioutil.TempFile: retry on a name collision
            tmp = f".tmp-{name}{int.from_bytes(os.urandom(4), 'little')}"
            try:
                fd = os.open(tmp, flags, 0o600, dir_fd=self.fd)
                break
            except FileExistsError:
                continue
            except OSError as exc:
                raise _path_error("open", self.child_path(tmp), exc) from None
        if fd < 0:
            raise FsError(f"open {self.child_path(tmp)}: file exists")
        done = False
        try:
            try:
                view = memoryview(data)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
                os.fsync(fd)
                os.fchmod(fd, mode)
            except OSError as exc:
                raise _path_error("write", self.child_path(tmp), exc) from None
            finally:
                os.close(fd)
            try:
                os.rename(tmp, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
            except OSError as exc:
                raise FsError(
                    f"rename {self.child_path(tmp)} {self.child_path(name)}: {_reason(exc)}"
                ) from None
            done = True
        finally:
            if not done:
                with contextlib.suppress(OSError):
                    os.unlink(tmp, dir_fd=self.fd)
        try:
            os.fsync(self.fd)
        except OSError as exc:
            raise _path_error("sync", self.path, exc) from None

    # -- locking ---------------------------------------------------------------------------
    @contextlib.contextmanager
    def shared_lock(self, name: str, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
        """Hold a read lock on c/storage's lock file ``name`` (``images.lock``, ...), if any.

        c/storage takes POSIX record locks (``fcntl(F_SETLKW)``, ``F_RDLCK`` for readers,
        ``F_WRLCK`` for writers) on the whole file, which is what ``fcntl.lockf`` takes too, so
        this waits while buildah or podman is writing. A store without the lock file (a
        hand-built one) is read without locking; the lock file is never created.
        """
        try:
            fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=self.fd)
        except FileNotFoundError:
            fd = -1
        except OSError as exc:
            raise _path_error("open", self.child_path(name), exc) from None
        if fd < 0:
            yield
            return
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EACCES, errno.EAGAIN):
                        raise _path_error("lock", self.child_path(name), exc) from None
                    if time.monotonic() >= deadline:
                        raise FsError(
                            f"lock {self.child_path(name)}: still locked by another process "
                            f"after {timeout:g} s"
                        ) from None
                    time.sleep(0.01)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the record lock

    # -- lifetime --------------------------------------------------------------------------
    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __enter__(self) -> Dir:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()
