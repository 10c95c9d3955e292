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

import argparse
import os
import sys
from typing import BinaryIO

from reference import __version__
from reference import inspect as inspect_command
from reference.protocol import handle_line

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
    args = _build_parser().parse_args(argv)
    command = args.command or "serve"
    if command == "serve":
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
    if command == "inspect":
        return inspect_command.run(args)  # never raises: 0 ok, 1 error, 2 where Go panics
    raise AssertionError(f"unhandled command {command!r}")  # argparse only yields known ones


if __name__ == "__main__":
    sys.exit(main())
