"""Answers the --at-th request with a line that is not a JSON object (--kind says which)."""

import _fakelib

LINES = {
    "text": b"Traceback (most recent call last): oops",
    "array": b'["not", "an", "object"]',
    "number": b"42",
    "invalid-utf8": b'{"id":"\xff\xfe","op":"x"}',
    "nan": b'{"id":null,"ok":NaN}',
    "two-values": b'{"id":null} {"id":null}',
}

p = _fakelib.parser(__doc__)
p.add_argument("--kind", choices=sorted(LINES), default="text")
args = p.parse_args()


def behave(n: int, request: _fakelib.Message, answer: _fakelib.Message) -> bool:
    if n != args.at:
        return False
    _fakelib.write(LINES[args.kind] + b"\n")
    return True


_fakelib.serve(args, behave)
