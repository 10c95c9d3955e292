"""``copydata-reference inspect``: the CopyData of an image or container in a real store.

Usage::

    copydata-reference inspect --root /var/lib/containers/storage IMAGE|CONTAINER
    copydata-reference inspect --oci-layout DIR IMAGE
    ... [--format state|oci|docker] [--type all|image|container] [--now RFC3339] [--save]

It prints what the original computes: for an image ``GetImageCopyData`` (``ImportCopyDataFromImage``
on the image found by ``FindImage``); for a container ``GetContainerCopyData`` (its saved
``kpod.json`` if there is one, else an import from the container's image). ``--format state``
(the default) is ``json.Marshal(c)``, the bytes ``Save()`` writes to ``kpod.json``; ``oci`` and
``docker`` are ``json.Marshal(&c.OCIv1)`` and ``json.Marshal(&c.Docker)``.

The store is only read: a container's directory is not created and no ``kpod.json`` is written
unless ``--save`` asks for exactly what the original does (create the directory, save the state).
With ``--type all`` (the default) a name that is a container is taken as the container, as kpod
did. The clock is the real one unless ``--now`` pins it (the original stamps ``time.Now()`` into
configs without a creation time).

Errors are one line on stderr: ``copydata-reference inspect: <message>``; exit status 1, or 2
where the original itself would panic.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from .errors import GoError, GoPanic

if TYPE_CHECKING:
    from .copydata import Host
    from .model import CopyData
    from .store import Store

__all__ = ["add_arguments", "run"]

PROG = "copydata-reference inspect"
FORMATS = ("state", "oci", "docker")
TYPES = ("all", "container", "image")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``inspect``'s options to ``parser`` (a subcommand parser of ``copydata-reference``)."""
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--root",
        metavar="STORE",
        help="graph root of a containers-storage store (as buildah/podman --root)",
    )
    where.add_argument("--oci-layout", metavar="DIR", help="an OCI image layout directory")
    parser.add_argument(
        "--storage-driver",
        metavar="DRIVER",
        help="the store's driver (vfs, overlay, ...); default: the only one present",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="state",
        help="state: the kpod.json document (default); oci / docker: one converted config",
    )
    parser.add_argument(
        "--type",
        choices=TYPES,
        default="all",
        help="what NAME is: a container, an image, or all (container first; default)",
    )
    parser.add_argument(
        "--now",
        metavar="RFC3339",
        help="pin the clock (RFC 3339 with optional nanoseconds) instead of the real time",
    )
    parser.add_argument("--goos", help="pin runtime.GOOS (default: this machine's)")
    parser.add_argument("--goarch", help="pin runtime.GOARCH (default: this machine's)")
    parser.add_argument(
        "--save",
        action="store_true",
        help="for a container without kpod.json, write it as the original does",
    )
    parser.add_argument("name", metavar="IMAGE|CONTAINER", help="a name, an ID or an ID prefix")


def _host(args: argparse.Namespace) -> Host:
    from dataclasses import replace

    from .copydata import Host
    from .gotime import parse_rfc3339

    host = Host.real()
    if args.now is not None:
        host = replace(host, now=parse_rfc3339(args.now))
    if args.goos is not None:
        host = replace(host, goos=args.goos)
    if args.goarch is not None:
        host = replace(host, goarch=args.goarch)
    return host


def _open_store(args: argparse.Namespace) -> Store:
    from .store import ContainersStorage, OCILayout

    if args.oci_layout is not None:
        if args.storage_driver is not None:
            raise GoError("--storage-driver applies to --root stores only")
        return OCILayout(args.oci_layout)
    return ContainersStorage(args.root, args.storage_driver)


def _copy_data(store: Store, args: argparse.Namespace, host: Host) -> CopyData:
    from .store import NotKnownError, get_container_copy_data, get_image_copy_data

    if args.type in ("all", "container") and args.name != "":
        try:
            store.container(args.name)
        except NotKnownError:
            if args.type == "container":
                raise
        else:
            return get_container_copy_data(store, args.name, host, save_state=args.save)
    return get_image_copy_data(store, args.name, host)


def _document(c: CopyData, fmt: str) -> bytes:
    from . import gojson, model

    if fmt == "oci":
        return gojson.marshal(model.OCIImage_T, c.OCIv1)
    if fmt == "docker":
        return gojson.marshal(model.V2Image_T, c.Docker)
    return gojson.marshal(model.CopyDataPtr_T, c)


def _fail(message: str, status: int) -> int:
    # One line, whatever the message holds (a name with a newline, say).
    line = " ".join(message.splitlines()) or "unknown error"
    print(f"{PROG}: {line}", file=sys.stderr)
    return status


def run(args: argparse.Namespace) -> int:
    """Run ``inspect``; returns the exit status. Never raises (a bug is reported in one line)."""
    try:
        host = _host(args)
        store = _open_store(args)
        try:
            data = _copy_data(store, args, host)
            out = _document(data, args.format)
        finally:
            store.close()
    except GoPanic as exc:
        return _fail(f"panic: {exc} (the original panics here)", 2)
    except GoError as exc:
        return _fail(str(exc), 1)
    except OSError as exc:
        return _fail(str(exc), 1)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except Exception as exc:  # a bug in the reference: still no traceback for the user
        return _fail(f"internal error: {type(exc).__name__}: {exc}", 1)
    stream = getattr(sys.stdout, "buffer", None)
    if stream is not None:
        sys.stdout.flush()
        stream.write(out + b"\n")
        stream.flush()
    else:
        sys.stdout.write(out.decode("utf-8") + "\n")
        sys.stdout.flush()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Standalone entry point (``python -m reference.inspect``), for use before cli.py wires it."""
    parser = argparse.ArgumentParser(prog=PROG, description=(__doc__ or "").split("\n\n")[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
