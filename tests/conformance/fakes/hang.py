"""Hangs on the --at-th request: never answers (optionally after half a line, or with a child
process that holds stdout open, or after it stops reading stdin altogether)."""

import os
import subprocess
import sys
import time

import _fakelib

p = _fakelib.parser(__doc__)
p.add_argument("--partial", action="store_true", help="write half an answer line first")
p.add_argument("--child-pidfile", help="start a child holding stdout open; write its pid here")
p.add_argument("--ignore-term", action="store_true", help="ignore SIGTERM")
args = p.parse_args()


def behave(n: int, request: _fakelib.Message, answer: _fakelib.Message) -> bool:
    if n != args.at:
        return False
    if args.partial:
        _fakelib.write(b'{"id":"' + str(request.get("id")).encode() + b'","op":')
    if args.child_pidfile:
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        with open(args.child_pidfile, "w") as f:
            f.write(str(child.pid))
    _fakelib.log(f"fake hang: sleeping on request {request.get('id')}")
    while True:
        time.sleep(60)


if args.ignore_term:
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_IGN)
if args.at == 0:  # --at 0: never read stdin at all
    _fakelib.log(f"fake hang: not reading stdin (pid {os.getpid()})")
    while True:
        time.sleep(60)
_fakelib.serve(args, behave)
