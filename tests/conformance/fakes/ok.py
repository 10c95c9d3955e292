"""A well-behaved fake, with options that stress the runner without breaking the protocol."""

import json
import time

import _fakelib

p = _fakelib.parser(__doc__)
p.add_argument("--blank-lines", action="store_true", help="blank lines before every answer")
p.add_argument("--split", action="store_true", help="write each answer in 3 pieces, 50 ms apart")
args = p.parse_args()


def behave(n: int, request: _fakelib.Message, answer: _fakelib.Message) -> bool:
    if args.blank_lines:
        _fakelib.write(b"\n  \n\t\r\n")
    if not args.split:
        return False
    line = json.dumps(answer).encode() + b"\n"
    third = max(1, len(line) // 3)
    for piece in (line[:third], line[third : 2 * third], line[2 * third :]):
        _fakelib.write(piece)
        time.sleep(0.05)
    return True


_fakelib.serve(args, behave)
