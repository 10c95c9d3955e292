"""``copydata-reference``: the reference implementation as a JSON Lines server.

``copydata-reference`` (or ``copydata-reference serve``) reads one request per line on stdin and
writes one response line per request on stdout, flushed at once, in one long-lived process: the
subprocess transport of ``spec/PROTOCOL.md``, answering exactly as the Go oracle's binary does.

Lines are split on ``\\n`` only (a ``\\r`` or U+2028 inside a line is just a byte of it); lines
that Go's ``strings.TrimSpace`` leaves empty are skipped without an answer, like the oracle
does; a line that is not a request gets a ``bad request`` answer. Nothing on stdin makes the
server exit before end of input.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import TYPE_CHECKING, BinaryIO

from reference import __version__
from reference.protocol import handle_line

if TYPE_CHECKING:
    import argparse

__all__ = ["main", "serve"]

PROG = "copydata-reference"


def serve(stdin: BinaryIO, stdout: BinaryIO) -> int:
    """Answer every request line of ``stdin`` on ``stdout`` until end of input."""
    while True:
        # readline() on a binary stream splits on b"\n" only and returns as soon as a whole line
        # is there, so an interactive client gets each answer before it sends the next request.
        line = stdin.readline()
        if not line:
            return 0
        answer = handle_line(line)
        if answer:
            stdout.write(answer)
            stdout.flush()


def _build_parser() -> argparse.ArgumentParser:
    # (imported here: the server, the default, starts without them)
    import argparse

    from reference import inspect as inspect_command

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="The Python reference implementation of cri-o's CopyData (2017), "
        "byte-identical to the Go original.",
        epilog="Without a command, 'serve' runs.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser(
        "serve",
        help="answer protocol requests: JSON Lines on stdin, responses on stdout (the default)",
        description="Answer conformance protocol requests (spec/PROTOCOL.md): one JSON request "
        "per stdin line, one response line per request on stdout, flushed per line. Blank lines "
        "are skipped; malformed lines are answered with a bad-request response.",
    )
    inspect_parser = commands.add_parser(
        "inspect",
        help="print the CopyData of an image or container in a real store",
        description=inspect_command.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    inspect_command.add_arguments(inspect_parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``copydata-reference`` script; returns the exit status."""
    arguments = sys.argv[1:] if argv is None else argv
    if arguments in ([], ["serve"]):
        return _serve_stdio()  # the server starts without building the argument parser
    args = _build_parser().parse_args(arguments)
    command = args.command or "serve"
    if command == "serve":
        return _serve_stdio()
    if command == "inspect":
        from reference import inspect as inspect_command

        return inspect_command.run(args)  # never raises: 0 ok, 1 error, 2 where Go panics
    raise AssertionError(f"unhandled command {command!r}")  # argparse only yields known ones


def _serve_stdio() -> int:
    """`serve` on the process's stdin and stdout."""
    # What is loaded by now lives as long as the process: out of the collector's way. Requests
    # allocate many objects and free them all (no reference cycles): collect less often.
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
    try:
        return serve(sys.stdin.buffer, sys.stdout.buffer)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away: nothing left to answer. Point stdout at /dev/null so that
        # the interpreter's final flush does not complain a second time.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
