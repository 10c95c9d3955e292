"""Regenerate the oracle tables of tests/reference/test_{gotime,digest,refname}.py.

    python tests/reference/data/generate.py [--oracle COMMAND]

Builds a few hundred tricky inputs for Go 1.19's time parsing and formatting, go-digest rc0's
Parse and containers/image's reference.ParseNamed (hand-written edge cases, every layout-element
boundary of a base value, and seeded random mutations), asks the Go oracle about each one through
an ordinary op of the protocol, and writes one JSON Lines file per module next to this script:

* ``gotime_cases.jsonl``: tables ``token`` (op roundtrip: UnmarshalJSON, MarshalJSON with the
  parsed offset), ``import`` (op import_image: IsZero, UTC, MarshalJSON of time.Time and
  *time.Time), ``utc_docker`` (op make_docker_v2s2: UTC, MarshalJSON of time.Time) and
  ``timestamp`` (op make_image_ref: time.Parse(RFC3339Nano) of history_timestamp or now);
* ``digest_cases.jsonl``: tables ``digest`` (op make_docker_v2s2 with a rootfs of type layers)
  and ``parent`` (op import_container: Parent = digest.Parse(id) or NewDigestFromHex);
* ``refname_cases.jsonl``: table ``name`` (op make_image_ref: reference.ParseNamed(names[0])).

Each file starts with a header line (``{"header": ...}``); every other line is one case:
``{"id", "table", "input", ["input_b64"], ["go_type" | "field"], "answer"}`` (``input_b64``
only for time tokens that are not valid UTF-8). The request sent
for a case is `request_for(case)` (deterministic, so it is not stored); ``answer`` holds the
response fields the tests compare (ok, stage, error, panic and the relevant output value,
extracted by `answer_of`). The tests import this module for `load_cases`, `request_for`,
`answer_of` and `ask_oracle`, and re-ask the oracle live when it is present.

The inputs are deterministic (seeded), so a regeneration only changes the files when this
script or the oracle changed.
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
#: The oracle as the contract names it; the tests skip their live checks when it is missing.
RUN_SH = REPO.parent / "shared" / "oracle" / "run.sh"

FILES = {
    "gotime": HERE / "gotime_cases.jsonl",
    "digest": HERE / "digest_cases.jsonl",
    "refname": HERE / "refname_cases.jsonl",
}

#: The `now` every request carries (2017-09-01T12:00:00.5Z = Unix 1504267200.5).
NOW = "2017-09-01T12:00:00.5Z"
#: A Docker config that imports cleanly (docker branch of initConfig, no panic).
GOOD_CONFIG = '{"docker_version":"1","created":"2017-01-01T00:00:00Z"}'
GOOD_CREATED = "2017-01-01T00:00:00Z"

#: The roundtrip types used for time tokens, with the Go type their `created` field has.
TOKEN_TYPES = (("docker.V2S2History", "time.Time"), ("ociv1.History", "*time.Time"))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# ----------------------------------------------------------------------------- oracle access


def ask_oracle(requests: Sequence[dict[str, Any]], command: Sequence[str]) -> list[dict[str, Any]]:
    """Run the oracle once over all requests (JSON Lines) and return its responses in order."""
    lines = b"".join(json.dumps(r).encode() + b"\n" for r in requests)
    done = subprocess.run(list(command), input=lines, capture_output=True, check=True, timeout=900)
    responses = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    if len(responses) != len(requests):
        raise RuntimeError(f"oracle answered {len(responses)} lines for {len(requests)} requests")
    for req, resp in zip(requests, responses, strict=True):
        if resp.get("id") != req["id"]:
            raise RuntimeError(f"oracle answered id {resp.get('id')!r} for {req['id']!r}")
    return responses


def answer_of(table: str, resp: dict[str, Any]) -> dict[str, Any]:
    """The fields of an oracle response that the tests of `table` compare."""
    a: dict[str, Any] = {k: resp[k] for k in ("ok", "stage", "error", "panic") if k in resp}

    def created_of(text: str) -> Any:
        return json.loads(text).get("created")

    if table == "token":
        for k in ("output", "output_error"):
            if k in resp:
                a[k] = resp[k]
    elif table == "import":
        for side in ("oci", "docker"):
            if side in resp:
                a[side + "_created"] = created_of(resp[side])
            if side + "_error" in resp:
                a[side + "_error"] = resp[side + "_error"]
    elif table == "utc_docker":
        if "output" in resp:
            a["created"] = created_of(resp["output"])
        if "output_error" in resp:
            a["output_error"] = resp["output_error"]
    elif table == "timestamp":
        if "created" in resp:
            a["created"] = resp["created"]
    elif table == "digest":
        if "output" in resp:
            a["diff_ids"] = json.loads(resp["output"])["rootfs"].get("diff_ids")
    elif table == "parent":
        if "docker" in resp:
            a["parent"] = json.loads(resp["docker"]).get("parent")
    elif table == "name":
        if "name" in resp:
            a["name"] = resp["name"]
    else:
        raise ValueError(f"unknown table {table!r}")
    return a


def load_cases(module: str) -> list[dict[str, Any]]:
    """The stored cases of one module's file (header line skipped)."""
    cases = []
    with FILES[module].open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if "header" not in record:
                cases.append(record)
    return cases


# ----------------------------------------------------------------------------- time tokens

BASE_TOKEN = b'"2017-06-20T18:20:19.123456789+02:00"'
# Characters that matter to the parser: digits, every separator, signs, zone letters, space.
MUTATION_POOL = b"0123456789:-+.,TZtz /\\_x"

HAND_TOKENS: tuple[bytes, ...] = (
    # well-formed, with the documented leniencies
    b'"2017-06-20T18:20:19Z"',
    b'"2017-06-20T18:20:19.5Z"',
    b'"2017-06-20T18:20:19,5-07:30"',
    b'"2017-06-20T18:20:19.123456780+02:00"',
    b'"2017-06-20T18:20:19.000000000+00:00"',
    b'"2017-06-20T18:20:19.1234567895Z"',
    b'"2017-06-20T18:20:19.9999999999Z"',
    b'"2017-06-20T18:20:19.00000000000000000000001Z"',
    b'"2017-06-20T18:20:19.0Z"',
    b'"2017-06-20T18:20:19.000001-00:00"',
    b'"2017-01-01T1:00:00Z"',
    b'"2017-01-01T9:59:59.999999999+09:59"',
    b'"2017-01-01T0:00:00-00:01"',
    b'"1970-01-01T00:00:00Z"',
    b'"1969-12-31T23:59:59.999999999Z"',
    b'"1970-01-01T00:00:00+00:00"',
    b'"1970-01-01T01:00:00+01:00"',
    # zero instants and their neighbours (IsZero is about the instant)
    b'"0001-01-01T00:00:00Z"',
    b'"0001-01-01T01:00:00+01:00"',
    b'"0000-12-31T23:00:00-01:00"',
    b'"0001-01-01T00:00:00.000000001Z"',
    b'"0000-12-31T23:59:59.999999999Z"',
    b'"0001-01-01T00:00:00-00:01"',
    b'"0001-01-01T00:00:00+00:00"',
    b'"0001-01-01T00:00:00-00:00"',
    b'"0001-01-01T00:01:00+00:01"',
    # year range: fine as parsed, out of 0..9999 after UTC()
    b'"0000-01-01T00:00:00Z"',
    b'"0000-01-01T00:00:00+01:00"',
    b'"0000-01-01T00:59:59.999999999+01:00"',
    b'"0000-01-01T01:00:00+01:00"',
    b'"0000-01-01T00:00:00-01:00"',
    b'"0000-02-29T12:00:00Z"',
    b'"9999-12-31T23:59:59.999999999Z"',
    b'"9999-12-31T23:30:00-01:00"',
    b'"9999-12-31T23:00:00-01:00"',
    b'"9999-12-31T22:59:59-01:00"',
    b'"9999-12-31T00:00:00-99:99"',
    b'"0000-01-01T00:00:00+99:99"',
    b'"0000-01-05T00:00:00+99:99"',
    # offsets are not range-checked and go through Go's atoi (sign allowed in each field)
    b'"2016-02-29T00:00:00+24:00"',
    b'"2016-02-29T00:00:00+99:99"',
    b'"2016-02-29T00:00:00-99:99"',
    b'"2017-06-20T18:20:19+00:60"',
    b'"2017-06-20T18:20:19+00:99"',
    b'"2017-06-20T18:20:19-23:59"',
    b'"2017-06-20T18:20:19-00:30"',
    b'"2017-06-20T18:20:19+-1:-5"',
    b'"2017-06-20T18:20:19++1:+1"',
    b'"2017-06-20T18:20:19--1:00"',
    b'"2017-06-20T18:20:19-+1:00"',
    b'"2017-06-20T18:20:19+-0:-0"',
    b'"2017-06-20T18:20:19+-9:-9"',
    b'"2017-06-20T18:20:19+0-:00"',
    b'"2017-06-20T18:20:19+ 1:00"',
    b'"2017-06-20T18:20:19+1 :00"',
    b'"2017-06-20T18:20:19+01: 1"',
    b'"2017-06-20T18:20:19+0a:00"',
    b'"2017-06-20T18:20:19*01:00"',
    b'"2017-06-20T18:20:19 01:00"',
    b'"2017-06-20T18:20:19+01-00"',
    b'"2017-06-20T18:20:19+0100"',
    b'"2017-06-20T18:20:19+01"',
    b'"2017-06-20T18:20:19+1:00"',
    b'"2017-06-20T18:20:19+01:00:00"',
    b'"2017-06-20T18:20:19+01:0"',
    b'"2017-06-20T18:20:19+01:00Z"',
    b'"2017-06-20T18:20:19Z+01:00"',
    b'"2017-06-20T18:20:19ZZ"',
    b'"2017-06-20T18:20:19z"',
    b'"2017-06-20T18:20:19UTC"',
    b'"2017-06-20T18:20:19"',
    # fractions: '.' or ',', missing digits, doubled separators, the missing-seconds quirk
    b'"2017-06-20T18:20:19.Z"',
    b'"2017-06-20T18:20:19,Z"',
    b'"2017-06-20T18:20:19..5Z"',
    b'"2017-06-20T18:20:19.5.5Z"',
    b'"2017-06-20T18:20:19.5,5Z"',
    b'"2017-06-20T18:20:19.-5Z"',
    b'"2017-06-20T18:20:19.+5Z"',
    b'"2017-06-20T18:20:19.5"',
    b'"2017-06-20T18:20:.5Z"',
    b'"2017-06-20T18:20:,5+01:00"',
    b'"2017-06-20T18:20:.Z"',
    b'"2017-06-20T18:20:5.5Z"',
    b'"2017-06-20T18:20:.123456789123Z"',
    b'"2017-06-20T18:20Z"',
    b'"2017-06-20T18:20:19.123456789123456789123456789123456789Z"',
    # range checks, in the order Go applies them
    b'"2017-00-01T00:00:00Z"',
    b'"2017-13-01T00:00:00Z"',
    b'"2017-99-99T99:99:99Z"',
    b'"2017-01-00T00:00:00Z"',
    b'"2017-01-32T00:00:00Z"',
    b'"2017-01-31T00:00:00Z"',
    b'"2017-04-30T00:00:00Z"',
    b'"2017-04-31T00:00:00Z"',
    b'"2017-02-28T00:00:00Z"',
    b'"2017-02-29T00:00:00Z"',
    b'"2016-02-29T00:00:00Z"',
    b'"2016-02-30T00:00:00Z"',
    b'"2000-02-29T00:00:00Z"',
    b'"1900-02-29T00:00:00Z"',
    b'"2100-02-29T00:00:00Z"',
    b'"2400-02-29T00:00:00Z"',
    b'"0000-02-30T00:00:00Z"',
    b'"2017-01-01T23:00:00Z"',
    b'"2017-01-01T24:00:00Z"',
    b'"2017-01-01T99:00:00Z"',
    b'"2017-01-01T00:59:00Z"',
    b'"2017-01-01T00:60:00Z"',
    b'"2017-01-01T00:00:59Z"',
    b'"2017-01-01T00:00:60Z"',
    b'"2017-01-01T00:00:99Z"',
    b'"2017-01-01T00:00:60.5Z"',
    b'"2017-02-29T24:00:00Z"',
    b'"2017-02-29T00:00:00+0a:00"',
    b'"2017-02-30Tgarbage"',
    b'"2017-02-29T00:00:00Zjunk"',
    # digit counts and signs in fixed fields
    b'"17-06-20T18:20:19Z"',
    b'"20170-06-20T18:20:19Z"',
    b'"+2017-06-20T18:20:19Z"',
    b'"-2017-06-20T18:20:19Z"',
    b'"20x7-06-20T18:20:19Z"',
    b'"2-17-06-20T18:20:19Z"',
    b'"2017-6-20T18:20:19Z"',
    b'"2017-+6-20T18:20:19Z"',
    b'"2017-06-2T18:20:19Z"',
    b'"2017-06-200T18:20:19Z"',
    b'"2017-06-20T018:20:19Z"',
    b'"2017-06-20T-1:20:19Z"',
    b'"2017-06-20T18:2:19Z"',
    b'"2017-06-20T18:20:1Z"',
    b'"2017-06-20T18:20:190Z"',
    b'"2017-06-20t18:20:19Z"',
    b'"2017-06-20 18:20:19Z"',
    b'"2017-06-20TT18:20:19Z"',
    b'"2017/06/20T18:20:19Z"',
    b'"2017-06-20T18.20.19Z"',
    # whitespace and the quotes themselves
    b'" 2017-06-20T18:20:19Z"',
    b'"2017-06-20T18:20:19Z "',
    b'"2017-06-20T18:20:19Z""',
    b'""',
    b'" "',
    b'"2017"',
    b'"2017-06-20T18:20:19Z\\""',
    b'"\\"2017-06-20T18:20:19Z\\""',
    b'"2017-06-20T18:20:19\\u005a"',
    b'"\\u00322017-06-20T18:20:19Z"',
    b'"2017-06-20T18:20:19Z\\n"',
    b'"2017-06-20T18:20:19Z\\\\"',
    b'"2017-06-20T18:20:19\\/Z"',
    # non-ASCII and invalid UTF-8 (Go's quote escapes each such byte as \xNN)
    '"2017-06-20T18:20:19Z\u00e9"'.encode(),
    '"\u00e92017-06-20T18:20:19Z"'.encode(),
    '"2017-06-20T18:20:19\u2212\u0030\u0031:00"'.encode(),
    '"2017-06-20T18:20:19Z\ufffd"'.encode(),
    '"\ufffd"'.encode(),
    '"2017-06-20T18:20:19Z\U0001f600"'.encode(),
    '"\uff12\uff10\uff11\uff17-06-20T18:20:19Z"'.encode(),
    b'"2017-06-20T18:20:19Z\xff"',
    b'"2017-06-20T18:20:19\xc3Z"',
    b'"\xef\xbf"',
    b'"\xef\xbf\xbd\xef\xbf"',
    b'"\xed\xa0\x80"',
    b'"\xc0\xafx"',
    b'"2017-06-20T18:20:19\x7fZ"',
    b'"\x80\x81\xfe"',
    # not strings at all: UnmarshalJSON gets the raw value
    b"0",
    b"-1",
    b"20170620",
    b"1.5e3",
    b"true",
    b"false",
    b"{}",
    b'{"a": 1}',
    b"[]",
    b'[ "2017-06-20T18:20:19Z" ]',
    b'{"created":"2017-06-20T18:20:19Z"}',
)


def _valid_json_token(token: bytes) -> bool:
    """A JSON value Go's scanner accepts (invalid UTF-8 inside strings included)."""

    def no_constant(name: str) -> Any:
        raise ValueError(name)  # Python accepts NaN/Infinity; Go does not

    try:
        json.loads(token.decode("utf-8", "surrogateescape"), parse_constant=no_constant)
    except ValueError:
        return False
    return True


def random_valid_time(rng: random.Random, quoted: bool = True) -> str:
    """A well-formed value Go accepts: any year, a valid day, 1- or 2-digit hour, a fraction of
    0..12 digits after `.` or `,`, and `Z` or any ±hh:mm up to ±99:99."""
    year = rng.choice([0, 1, 1969, 1970, 2017, 9999, rng.randrange(10000)])
    month = rng.randint(1, 12)
    days = 29 if month == 2 and year % 4 == 0 and (year % 100 or year % 400 == 0) else 28
    days = {2: days, 4: 30, 6: 30, 9: 30, 11: 30}.get(month, 31)
    hour = rng.randrange(24)
    text = (
        f"{year:04d}-{month:02d}-{rng.randint(1, days):02d}T"
        f"{hour if rng.random() < 0.2 else f'{hour:02d}'}:{rng.randrange(60):02d}:"
        f"{rng.randrange(60):02d}"
    )
    ndigits = rng.choice([0, 0, 1, 3, 6, 9, 9, 10, 12])
    if ndigits:
        text += rng.choice(".,") + "".join(rng.choice("0123456789") for _ in range(ndigits))
    if rng.random() < 0.3:
        text += "Z"
    else:
        text += f"{rng.choice('+-')}{rng.randrange(100):02d}:{rng.randrange(100):02d}"
    return f'"{text}"' if quoted else text


def time_tokens() -> list[bytes]:
    """Hand cases, every truncation/deletion/substitution/insertion point of a base token,
    and seeded random mutations of several bases; only valid JSON values, no duplicates."""
    rng = random.Random(20170831)
    out: list[bytes] = list(HAND_TOKENS)
    base = BASE_TOKEN
    for k in range(1, len(base)):
        out.append(base[:k] + b'"')  # cut at every element boundary (and inside elements)
    for i in range(1, len(base) - 1):
        out.append(base[:i] + base[i + 1 :])  # delete one byte
        out.append(base[:i] + bytes([rng.choice(MUTATION_POOL)]) + base[i + 1 :])
        out.append(base[:i] + bytes([rng.choice(MUTATION_POOL)]) + base[i:])  # insert
    bases = [
        base,
        b'"0000-01-01T00:00:00+01:00"',
        b'"2016-02-29T1:02:03,4-99:99"',
        *HAND_TOKENS[:8],
    ]
    for _ in range(80):
        t = bytearray(rng.choice(bases))
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(1, len(t) - 1)
            op = rng.randrange(3)
            c = rng.choice(MUTATION_POOL + b"\x80\xe9")
            if op == 0:
                t[i] = c
            elif op == 1:
                t.insert(i, c)
            elif len(t) > 3:
                del t[i]
        out.append(bytes(t))
    out += [random_valid_time(rng).encode() for _ in range(100)]
    seen: set[bytes] = set()
    unique: list[bytes] = []
    for token in out:
        if token not in seen and _valid_json_token(token):
            seen.add(token)
            unique.append(token)
    return unique


def timestamps() -> list[str]:
    """Values for time.Parse(RFC3339Nano, s) (the protocol's now and history_timestamp)."""
    base = "2017-06-20T18:20:19.123456789+02:00"
    out = [base[:k] for k in range(len(base) + 1)]
    out += [
        "2017-09-01T12:00:00.5Z",
        "2017-06-20T18:20:19Z",
        "2017-06-20T18:20:19,5Z",
        "2017-06-20T18:20:19.1Z",
        "2017-06-20T18:20:19.12345678Z",
        "2017-06-20T18:20:19.1234567891Z",
        "2017-06-20T18:20:19.000000000Z",
        "2017-06-20T18:20:19.Z",
        "2017-06-20T18:20:.5Z",
        "2017-06-20T18:20:19.5.5Z",
        "2017-01-01T1:00:00Z",
        "2017-01-01T00:00:00+99:99",
        "2017-01-01T00:00:00+-1:-5",
        "2017-01-01T00:00:00+00:60",
        "0000-01-01T00:00:00+01:00",
        "0000-01-01T00:00:00Z",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:30:00-01:00",
        "9999-12-31T23:59:59.999999999-99:99",
        "0000-01-01T00:00:00+99:99",
        "2017-02-29T00:00:00Z",
        "2017-13-01T00:00:00Z",
        "2017-01-01T24:00:00Z",
        "2017-01-01T00:60:00Z",
        "2017-01-01T00:00:60Z",
        "2017-01-01t00:00:00Z",
        "2017-01-01T00:00:00z",
        "2017-01-01T00:00:00",
        "2017-01-01T00:00:00Z ",
        " 2017-01-01T00:00:00Z",
        "2017-01-01T00:00:00+0100",
        "2017-01-01T00:00:00Z\u00e9",
        "\u00e92017",
        "2017-01-01T00:00:00Z\ufffd",
        "2017-01-01T00:00:00\ud800Z",
        "\x01\x1f",
        '2017-01-01T00:00:00Z"',
        "2017-01-01T00:00:00Z\\",
        "\U0001f600",
        "",
    ]
    rng = random.Random(11)
    out += [random_valid_time(rng, quoted=False) for _ in range(40)]
    return list(dict.fromkeys(out))


# ----------------------------------------------------------------------------- digests

HEX64 = "0123456789abcdef" * 4
HEX96 = HEX64 + HEX64[:32]
HEX128 = HEX64 * 2


def digests() -> list[str]:
    out = [
        "sha256:" + HEX64,
        "sha256:" + HEX64.upper(),
        "sha256:" + "aBcDeF0123456789" * 4,
        "sha384:" + HEX96,
        "sha384:" + HEX96.upper(),
        "sha512:" + HEX128,
        "sha512:" + HEX128.upper(),
        "sha256:" + HEX64[:-1],
        "sha256:" + HEX64 + "0",
        "sha256:" + HEX96,
        "sha384:" + HEX64,
        "sha512:" + HEX64,
        "sha512:" + HEX128[:-2],
        "sha256:" + HEX64[:-1] + "g",
        "sha256:" + HEX64[:-1] + "G",
        "sha256:" + HEX64[:-1] + " ",
        "sha256:" + HEX64 + "\n",
        "sha256:" + HEX64 + ":",
        "sha256:" + HEX64[:32],
        "sha256:",
        "sha256",
        ":" + HEX64,
        ":",
        "",
        "sha256::" + HEX64,
        "sha256 :" + HEX64,
        " sha256:" + HEX64,
        "SHA256:" + HEX64,
        "Sha256:" + HEX64,
        "sha1:" + HEX64[:40],
        "md5:" + HEX64[:32],
        "sha224:" + HEX64[:56],
        "sha512/256:" + HEX64,
        "sha256+b64:" + HEX64,
        "sha256.x:" + HEX64,
        "sha256-x:" + HEX64,
        "sha256_x:" + HEX64,
        "a-_+.:" + HEX64,
        "sha256@x:" + HEX64,
        "sha256\u00e9:" + HEX64,
        "sha256:" + HEX64[:-1] + "\u00e9",
        "sha256:" + HEX64[:-1] + "\uff10",
        "sha256:x",
        "sha256:0",
        "x:0",
        "x:g",
        "sha256\n:" + HEX64,
        "sha256:" + "0" * 1000,
        "sha256:" + "A" * 64,
        "sha256:" + "f" * 64,
    ]
    rng = random.Random(7)
    for _ in range(40):
        alg = rng.choice(["sha256", "sha384", "sha512", "md5", "SHA256", "sha_256", "s"])
        n = rng.choice([0, 1, 32, 63, 64, 65, 95, 96, 97, 127, 128, 129])
        hexpart = "".join(rng.choice("0123456789abcdefABCDEFgz-") for _ in range(n))
        out.append(f"{alg}:{hexpart}")
    for _ in range(20):
        alg, n = rng.choice([("sha256", 64), ("sha384", 96), ("sha512", 128)])
        n += rng.choice([0, 0, 0, -1, 1, -2, 2])
        out.append(f"{alg}:" + "".join(rng.choice("0123456789abcdefABCDEF") for _ in range(n)))
    return list(dict.fromkeys(out))


def image_ids() -> list[str]:
    """Image IDs for importCopyData's Parent rule (digest if it parses, else sha256:+id)."""
    return [
        HEX64,
        "sha256:" + HEX64,
        "sha256:" + HEX64.upper(),
        "sha512:" + HEX128,
        "sha512:" + HEX64,
        "md5:" + HEX64[:32],
        "abc",
        "sha256:",
        ":",
        HEX64.upper(),
        "sha256:" + HEX64 + "\n",
        "x:y",
        "\u00e9",
    ]


# ----------------------------------------------------------------------------- references

D64 = "sha256:" + HEX64


def names() -> list[str]:
    long_path = "/".join(["abcdefghij"] * 23)  # 253 characters
    out = [
        "docker.io/library/busybox:latest",
        "docker.io/library/busybox",
        "docker.io/library/busybox@" + D64,
        "docker.io/library/busybox:latest@" + D64,
        "docker.io/library/busybox@sha256:" + HEX64.upper(),
        "docker.io/library/busybox@sha256:" + HEX64[:-1],
        "docker.io/library/busybox@sha512:" + HEX64,
        "docker.io/library/busybox@sha512:" + HEX128,
        "docker.io/library/busybox@md5:" + HEX64[:32],
        "docker.io/library/busybox@sha256:" + HEX64[:31],
        "docker.io/library/busybox@sha256+x:" + HEX64,
        "docker.io/library/busybox@Sha256:" + HEX64,
        "docker.io/library/busybox@256:" + HEX64,
        "docker.io/library/busybox@",
        "docker.io/library/busybox:",
        "docker.io/library/busybox:latest:latest",
        "docker.io/library/busybox:LATEST",
        "docker.io/library/busybox:_x",
        "docker.io/library/busybox:.x",
        "docker.io/library/busybox:-x",
        "docker.io/library/busybox:x.-_",
        "docker.io/library/busybox:" + "t" * 128,
        "docker.io/library/busybox:" + "t" * 129,
        "docker.io/library/BusyBox:latest",
        "docker.io/library/busybox:latest\n",
        "docker.io/busybox",
        "docker.io/user/app",
        "docker.io/user/app/sub:1.0",
        "index.docker.io/library/busybox:latest",
        "index.docker.io/user/app",
        "busybox",
        "busybox:latest",
        "library/busybox:latest",
        "user/app",
        "localhost/app",
        "localhost/app:Tag",
        "localhost:5000/app",
        "localhost:5000/App",
        "localhost:5000",
        "localhost",
        "LOCALHOST/app",
        "example.com/app",
        "Example.COM/app:v1",
        "example.com:443/a/b/c:v1@" + D64,
        "example.com:/app",
        "example.com:x/app",
        "example.com./app",
        ".example.com/app",
        "ex-ample.com/app",
        "-example.com/app",
        "example-.com/app",
        "ex_ample.com/app",
        "192.168.0.1:5000/app",
        "[::1]:5000/app",
        "example.com/app/",
        "example.com//app",
        "example.com/a__b",
        "example.com/a___b",
        "example.com/a_b",
        "example.com/a..b",
        "example.com/a.b",
        "example.com/a._b",
        "example.com/a--b",
        "example.com/a-----b",
        "example.com/-ab",
        "example.com/ab-",
        "example.com/a_",
        "example.com/_a",
        "example.com/a b",
        "example.com/a\u00e9",
        "example.com/" + HEX64,
        HEX64,
        HEX64 + ":latest",
        "docker.io/library/" + HEX64,
        "example.com/" + long_path[:242],
        "example.com/" + long_path[:243],
        "example.com/" + long_path[:244],
        "a/" + long_path,
        "",
        ":",
        "@",
        "/",
        "docker.io/",
        "docker.io/library/",
        "docker.io/library/busybox@sha256:" + HEX64 + ":x",
        "example.com/app:tag@" + D64,
        "example.com/app@" + D64 + "@" + D64,
        "example.com/" + "a" * 300 + "!",
        "example.com/" + "a-" * 200 + "!",
    ]
    rng = random.Random(20170901)
    bases = [
        "docker.io/library/busybox:latest",
        "localhost:5000/a_b/c-d:v1.0",
        "example.com/app@" + D64,
    ]
    pool = "abcAB09:/@._-+ "
    for _ in range(60):
        s = list(rng.choice(bases))
        for _ in range(rng.randint(1, 2)):
            i = rng.randrange(len(s))
            op = rng.randrange(3)
            if op == 0:
                s[i] = rng.choice(pool)
            elif op == 1:
                s.insert(i, rng.choice(pool))
            else:
                del s[i]
        out.append("".join(s))
    return list(dict.fromkeys(out))


# ----------------------------------------------------------------------------- requests


def case(table: str, n: int, value: str | bytes, **extra: str) -> dict[str, Any]:
    """One stored case. A byte input (time token) that is not valid UTF-8 is kept as base64 in
    `input_b64`, with a readable `input` beside it (the invalid bytes shown as \\xNN)."""
    record: dict[str, Any] = {"id": f"{table}-{n:04d}", "table": table}
    if isinstance(value, bytes):
        try:
            record["input"] = value.decode("utf-8")
        except UnicodeDecodeError:
            record["input"] = value.decode("utf-8", "backslashreplace")
            record["input_b64"] = b64(value)
    else:
        record["input"] = value
    record.update(extra)
    return record


def case_bytes(record: dict[str, Any]) -> bytes:
    """The exact input of a case (the time token's bytes, or the string's UTF-8)."""
    if "input_b64" in record:
        return base64.b64decode(record["input_b64"])
    return str(record["input"]).encode("utf-8")


def request_for(record: dict[str, Any]) -> dict[str, Any]:
    """The oracle request that asks about one case (deterministic: stored cases keep only
    their inputs and the oracle's answer)."""
    table, cid = record["table"], record["id"]
    req: dict[str, Any] = {"id": cid}
    if table in ("token", "import", "utc_docker"):
        token = case_bytes(record)
        created = b'{"created":' + token + b"}"
        if table == "token":
            rt = {go_type: rt for rt, go_type in TOKEN_TYPES}[record["go_type"]]
            req.update(op="roundtrip", type=rt, input=b64(created))
        elif table == "import":
            config = b'{"docker_version":"1","created":' + token + b"}"
            req.update(op="import_image", config=b64(config), image_id="cc", now=NOW)
        else:
            req.update(op="make_docker_v2s2", oci=b64(created))
    elif table == "timestamp":
        # history_timestamp and now both go through time.Parse(time.RFC3339Nano, ...), and
        # MakeImageRef's created is that value's UTC().
        req.update(op="make_image_ref", config=b64(GOOD_CONFIG.encode()), image_id="cc", now=NOW)
        req[record["field"]] = record["input"]
    elif table == "digest":
        rootfs = {"type": "layers", "diff_ids": [record["input"]]}
        oci = json.dumps({"created": GOOD_CREATED, "rootfs": rootfs})
        req.update(op="make_docker_v2s2", oci=b64(oci.encode()))
    elif table == "parent":
        req.update(
            op="import_container",
            config=b64(GOOD_CONFIG.encode()),
            image_id=record["input"],
            container_name="ctr",
            now=NOW,
        )
    elif table == "name":
        req.update(
            op="make_image_ref",
            config=b64(GOOD_CONFIG.encode()),
            image_id="cc",
            now=NOW,
            names=[record["input"]],
        )
    else:
        raise ValueError(f"unknown table {table!r}")
    return req


def answered(cases: list[dict[str, Any]], command: Sequence[str]) -> list[dict[str, Any]]:
    responses = ask_oracle([request_for(c) for c in cases], command)
    for record, resp in zip(cases, responses, strict=True):
        record["answer"] = answer_of(record["table"], resp)
    return cases


def write(module: str, cases: Iterable[dict[str, Any]], version: str) -> int:
    cases = list(cases)
    tables: dict[str, int] = {}
    for c in cases:
        tables[c["table"]] = tables.get(c["table"], 0) + 1
    header = {
        "header": (
            "Oracle answers for tests/reference/test_" + module + ".py. Generated by "
            "tests/reference/data/generate.py (edit and re-run it; do not edit by hand): "
            "inputs built there, sent to the Go oracle ../shared/oracle (run.sh), answer = "
            "the response fields the tests compare."
        ),
        "oracle": version,
        "tables": tables,
    }
    with FILES[module].open("w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(header) + "\n")
        for c in cases:
            f.write(json.dumps(c) + "\n")
    return len(cases)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--oracle", default=str(RUN_SH), help="oracle command (default: run.sh)")
    args = parser.parse_args(argv)
    command = [args.oracle]
    version = ask_oracle([{"id": "describe", "op": "describe"}], command)[0]["implementation"]
    version = f"{version['name']} {version['version']}"

    tokens = time_tokens()
    types = [go_type for _, go_type in TOKEN_TYPES]
    token_cases = [case("token", n, t, go_type=types[n % 2]) for n, t in enumerate(tokens)]
    answered(token_cases, command)
    # UTC / IsZero / MarshalJSON tables: every token the oracle parsed.
    good = [t for t, c in zip(tokens, token_cases, strict=True) if c["answer"]["ok"]]
    time_cases = token_cases + answered([case("import", n, t) for n, t in enumerate(good)], command)
    time_cases += answered(
        [case("utc_docker", n, t, go_type="time.Time") for n, t in enumerate(good)], command
    )
    stamps = [
        case("timestamp", n, s, field="history_timestamp" if n % 2 == 0 else "now")
        for n, s in enumerate(timestamps())
    ]
    time_cases += answered(stamps, command)
    counts = {"gotime": write("gotime", time_cases, version)}

    digest_cases = [case("digest", n, d) for n, d in enumerate(digests())]
    digest_cases += [case("parent", n, i) for n, i in enumerate(image_ids())]
    counts["digest"] = write("digest", answered(digest_cases, command), version)

    name_cases = [case("name", n, s) for n, s in enumerate(names())]
    counts["refname"] = write("refname", answered(name_cases, command), version)
    print(f"{version}: {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
