"""Answers the --at-th request (and every later one) with a wrong id (--mode says how)."""

import _fakelib

p = _fakelib.parser(__doc__)
p.add_argument("--mode", choices=["constant", "previous", "missing", "number"], default="constant")
args = p.parse_args()
previous = {"id": None}


def behave(n: int, request: _fakelib.Message, answer: _fakelib.Message) -> bool:
    last, previous["id"] = previous["id"], request.get("id")
    if n < args.at:
        return False
    if args.mode == "constant":
        answer["id"] = "fake"
    elif args.mode == "previous":  # answers look one request late: out of order
        answer["id"] = last
    elif args.mode == "number":  # "c-7" vs 7: equal-looking but not the same JSON value
        answer["id"] = int(str(request.get("id")).removeprefix("c-"))
    else:
        del answer["id"]
    _fakelib.write_json(answer)
    return True


_fakelib.serve(args, behave)
