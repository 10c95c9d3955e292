"""Well-behaved, but sleeps --delay seconds before it reads its first request."""

import time

import _fakelib

p = _fakelib.parser(__doc__)
p.add_argument("--delay", type=float, default=1.0)
args = p.parse_args()
_fakelib.log(f"fake slow start: warming up for {args.delay} s")
time.sleep(args.delay)
_fakelib.serve(args)
