"""Answers the --at-th request correctly, then writes one more line nobody asked for."""

import _fakelib

p = _fakelib.parser(__doc__)
p.add_argument("--before", action="store_true", help="write the extra line BEFORE the answer")
args = p.parse_args()


def behave(n: int, request: _fakelib.Message, answer: _fakelib.Message) -> bool:
    if n != args.at:
        return False
    extra = {"id": request.get("id"), "op": request.get("op"), "note": "stray"}
    if args.before:
        _fakelib.write_json(extra)
    _fakelib.write_json(answer)
    if not args.before:
        _fakelib.write_json(extra)
    return True


_fakelib.serve(args, behave)
