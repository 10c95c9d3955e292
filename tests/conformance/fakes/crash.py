"""Crashes on the --at-th request: a message on stderr, then exit --code (or a SIGKILL)."""

import os
import signal
import sys
import time

import _fakelib

p = _fakelib.parser(__doc__)
p.add_argument("--code", type=int, default=3)
p.add_argument("--signal", action="store_true", help="die by SIGKILL instead of exiting")
p.add_argument("--partial", action="store_true", help="write half an answer line first")
p.add_argument("--after-answer", action="store_true", help="answer the request, then die")
p.add_argument("--close-stdout", action="store_true", help="close stdout and live on instead")
args = p.parse_args()


def behave(n: int, request: _fakelib.Message, answer: _fakelib.Message) -> bool:
    if n != args.at:
        return False
    if args.after_answer:
        _fakelib.write_json(answer)
    if args.partial:
        _fakelib.write(b'{"id":"' + str(request.get("id")).encode() + b'","op":')
    _fakelib.log(f"fake crash: giving up on request {request.get('id')}")
    if args.close_stdout:
        sys.stdout.close()
        os.close(1)
        while True:
            time.sleep(60)
    if args.signal:
        os.kill(os.getpid(), signal.SIGKILL)
    os._exit(args.code)


_fakelib.serve(args, behave)
