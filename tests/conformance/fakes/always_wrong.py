"""Speaks the protocol perfectly and describes itself, but every op answers the same error."""

import _fakelib

args = _fakelib.parser(__doc__).parse_args()


def behave(n: int, request: _fakelib.Message, answer: _fakelib.Message) -> bool:
    if request.get("op") == "describe":
        return False
    _fakelib.write_json(
        {
            "id": request.get("id"),
            "op": request.get("op"),
            "ok": False,
            "stage": "call",
            "error": "fake: always wrong",
            "panic": None,
        }
    )
    return True


_fakelib.serve(args, behave)
