"""Hypothesis strategies for CopyData's inputs: a public API, for this kit and for other projects.

::

    from conformance import strategies as cs

    cs.go_time_strings(invalid=False)  # str: RFC 3339 as Go 1.19's UnmarshalJSON takes it
                                       #   (lenient forms included); invalid=True: rejected ones
    cs.docker_configs()                # bytes: Docker image configs (with docker_version)
    cs.oci_configs()                   # bytes: OCI image configs (no docker_version)
    cs.schema1_manifests()             # bytes: Docker schema 1 manifests (v1Compatibility history)
    cs.kpod_states()                   # bytes: kpod.json state files (CopyData as saved)
    cs.adversarial_json(base)          # bytes: documents of `base`, then broken the ways Go's
                                       #   decoder cares about: case-folded and duplicate keys,
                                       #   nulls, wrong types, invalid UTF-8, truncation, ...
    cs.requests(op=None)               # dict: protocol requests (blobs in base64, now = NOW)
    cs.register_profiles()             # hypothesis profiles "dev", "ci", "thorough"
    cs.NOW                             # the fixed clock every generated request carries
    cs.OPS, cs.ROUNDTRIP_TYPES         # the ops requests() covers, roundtrip's type names

The documents are JSON texts as bytes, printed in varied styles (compact or spaced, escaped or
raw non-ASCII) since byte-exact implementations must not depend on the input's formatting. They
are *plausible*, not valid by construction: times, digests and types are mostly right and
sometimes not, so both branches of the original's decoding get exercised. Every request from
``requests()`` is one the protocol accepts (never a ``bad request``).

The kit's other library modules (runner, levels, report, schemas) never import hypothesis.
"""

from __future__ import annotations

import base64
import calendar
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, TypeAlias, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from conformance.vocabulary import OPS, ROUNDTRIP_TYPES

__all__ = [
    "NOW",
    "OPS",
    "ROUNDTRIP_TYPES",
    "adversarial_json",
    "docker_configs",
    "go_time_strings",
    "kpod_states",
    "oci_configs",
    "register_profiles",
    "requests",
    "schema1_manifests",
]

NOW: Final = "2017-09-01T12:00:00.5Z"

Json: TypeAlias = Any


# --- profiles -----------------------------------------------------------------------------------


def register_profiles() -> None:
    """Register the profiles "dev" (quick), "ci" (deterministic) and "thorough" (long).

    None has a deadline (documents vary a lot in size, and a subprocess implementation's speed is
    not the property under test). "ci" is derandomized with no example database, so a CI run is
    reproducible and leaves no files behind. Load one with ``settings.load_profile(name)`` or
    pytest's ``--hypothesis-profile``.
    """
    quiet = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
    settings.register_profile("dev", max_examples=30, deadline=None, suppress_health_check=quiet)
    settings.register_profile(
        "ci",
        max_examples=100,
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=True,
        suppress_health_check=quiet,
    )
    settings.register_profile(
        "thorough", max_examples=2000, deadline=None, suppress_health_check=quiet
    )


T = TypeVar("T")


def _weighted(*choices: tuple[int, st.SearchStrategy[T]]) -> st.SearchStrategy[T]:
    """Pick a strategy with the given weights. (``one_of`` with repeated branches does not
    weigh: hypothesis does not promise any distribution among its branches.) Shrinks towards
    the first choice."""
    pool = [strategy for weight, strategy in choices for _ in range(weight)]
    return st.sampled_from(range(len(pool))).flatmap(lambda index: pool[index])


# --- times --------------------------------------------------------------------------------------


@st.composite
def _valid_time(draw: st.DrawFn) -> str:
    year = draw(
        st.one_of(
            st.integers(1970, 2030),
            st.sampled_from([0, 1, 1969, 2000, 2016, 9999]),
            st.integers(0, 9999),
        )
    )
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, calendar.monthrange(year or 2000, month)[1]))  # year 0 is leap
    hour = draw(st.integers(0, 23))
    # Go 1.19 reads the hour with 1 or 2 digits: "T1:00:00" parses.
    hour_text = draw(st.sampled_from([f"{hour:02d}", str(hour)])) if hour < 10 else str(hour)
    minute, second = draw(st.integers(0, 59)), draw(st.integers(0, 59))
    fraction = draw(
        st.one_of(
            st.just(""),
            st.tuples(st.sampled_from(".,"), st.text("0123456789", min_size=1, max_size=12)).map(
                "".join
            ),
        )
    )
    zone = draw(
        st.one_of(
            st.just("Z"),
            st.tuples(st.sampled_from("+-"), st.integers(0, 99), st.integers(0, 99)).map(
                lambda z: f"{z[0]}{z[1]:02d}:{z[2]:02d}"
            ),
            st.sampled_from(["+00:00", "-00:00", "+02:00", "-07:00", "+05:30", "+24:00"]),
        )
    )
    return f"{year:04d}-{month:02d}-{day:02d}T{hour_text}:{minute:02d}:{second:02d}{fraction}{zone}"


def _not_leap(year: int) -> bool:
    return not calendar.isleap(year)


# Each breaks a valid time in a way Go 1.19's RFC 3339 parser rejects (GO_JSON_SEMANTICS §12).
_BREAKS: Final[tuple[Callable[[str], str], ...]] = (
    lambda t: t.replace("T", "t", 1),
    lambda t: t[:-1] + "z" if t.endswith("Z") else t[:-6] + "z",
    lambda t: t.replace("T", " ", 1),
    lambda t: " " + t,
    lambda t: t + " ",
    lambda t: t + "x",
    lambda t: t.rstrip("Z") if t.endswith("Z") else t[:-6],  # no zone
    lambda t: t[:-6] + t[-6:].replace(":", "") if not t.endswith("Z") else t[:-1] + "+0200",
    lambda t: t[:-1] + "+2:00" if t.endswith("Z") else t + ":00",
    lambda t: t[:10] + "T" + t[11:].split(":", 2)[0] + ":" + t[11:].split(":", 2)[1] + "Z",
    lambda t: t[:19].rstrip(":") + ".Z" if t[16:17] == ":" else t + "!",
    lambda t: t[:5] + str(int(t[5:7])) + t[7:] if t[5] == "0" else t[:5] + "13" + t[7:],
    lambda t: t[:5] + "00" + t[7:],
    lambda t: t[:8] + "00" + t[10:],
    lambda t: t[:8] + "32" + t[10:],
    lambda t: "0" + t,  # a 5-digit year
    lambda t: t[1:],  # a 3-digit year
    lambda t: "",
    lambda t: t.replace("-", "/", 1),
    lambda t: t.replace(":", "", 1),
)


@st.composite
def _invalid_time(draw: st.DrawFn) -> str:
    valid = draw(_valid_time())
    special = draw(st.integers(0, 5))
    if special == 0:  # calendar ranges, checked after the layout matched
        year = draw(st.integers(1, 9999).filter(_not_leap))
        field = draw(st.sampled_from(["feb29", "hour", "minute", "second"]))
        if field == "feb29":
            return f"{year:04d}-02-29T00:00:00Z"
        hour, minute, second = {"hour": (24, 0, 0), "minute": (0, 60, 0), "second": (0, 0, 60)}[
            field
        ]
        return f"{year:04d}-01-01T{hour:02d}:{minute:02d}:{second:02d}Z"
    return draw(st.sampled_from(_BREAKS))(_two_digit_hour(valid))


def _two_digit_hour(t: str) -> str:
    # The breaks index into the text: give them the canonical shape (two-digit hour).
    if len(t) > 12 and t[12] == ":":
        return t[:11] + "0" + t[11:]
    return t


def go_time_strings(*, invalid: bool = False) -> st.SearchStrategy[str]:
    """RFC 3339 times exactly as lenient as Go 1.19's ``time.Time.UnmarshalJSON`` (what JSON
    documents go through): 1- or 2-digit hours, ``.`` or ``,`` fractions of any length, offsets up
    to ``±99:99`` unchecked, years 0000-9999. With ``invalid=True``: only strings it rejects
    (wrong case, missing parts, out-of-range fields, stray characters, ...).

    ``time.Parse(RFC3339Nano)`` (the protocol's ``now`` and ``history_timestamp``) is as lenient
    but for one thing: it takes at most 9 fraction digits.
    """
    return _invalid_time() if invalid else _valid_time()


def _nano(time: str) -> str:
    """Cut a fraction to the 9 digits time.Parse(RFC3339Nano) takes."""
    match = re.search(r"[.,](\d+)", time)
    if match is None or len(match.group(1)) <= 9:
        return time
    return time[: match.start(1) + 9] + time[match.end(1) :]


# --- documents: a JSON tree that can hold duplicate keys and raw bytes --------------------------


class _Obj(list[tuple[str, Any]]):
    """A JSON object as a list of pairs: keys may repeat (as adversarial documents need)."""


@dataclass(frozen=True)
class _Raw:
    """Bytes written verbatim (invalid UTF-8 inside a string, a bad number literal, ...)."""

    data: bytes


@dataclass(frozen=True)
class _Style:
    spaced: bool
    ascii: bool


def _encode(node: Any, style: _Style) -> bytes:
    comma, colon = (b", ", b": ") if style.spaced else (b",", b":")
    if isinstance(node, _Raw):
        return node.data
    if isinstance(node, dict):
        node = _Obj(node.items())
    if isinstance(node, _Obj):
        items = (_encode(k, style) + colon + _encode(v, style) for k, v in node)
        return b"{" + comma.join(items) + b"}"
    if isinstance(node, list):
        return b"[" + comma.join(_encode(v, style) for v in node) + b"]"
    return json.dumps(node, ensure_ascii=style.ascii).encode("utf-8")


def _to_bytes(value: st.SearchStrategy[Any]) -> st.SearchStrategy[bytes]:
    styles = st.builds(_Style, st.booleans(), st.booleans())
    return st.tuples(value, styles).map(lambda pair: _encode(pair[0], pair[1]))


# --- documents: building blocks -----------------------------------------------------------------

_HEX: Final = "0123456789abcdef"
_text = st.text(
    st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.sampled_from("<>&\u2028\u2029\x00\x1f\x7féſK\U0001f600\n\t"),
    ),
    max_size=12,
)
_words = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_./", min_size=1, max_size=10)
_digests = st.one_of(
    st.text(_HEX, min_size=64, max_size=64).map(lambda h: "sha256:" + h),
    st.text(_HEX.upper(), min_size=64, max_size=64).map(lambda h: "sha256:" + h),  # valid in rc0
    st.text(_HEX, min_size=128, max_size=128).map(lambda h: "sha512:" + h),
    st.sampled_from(["sha256:abc", "md5:d41d8cd98f00b204e9800998ecf8427e", "not a digest", ""]),
)
# Mostly valid times (so decoding goes on), sometimes the edges Go trips on, sometimes invalid.
_times = _weighted(
    (16, go_time_strings()),
    (
        1,
        st.sampled_from(
            ["0001-01-01T00:00:00Z", "0000-01-01T00:00:00+01:00", "9999-12-31T23:30:00-01:00"]
        ),
    ),
    (1, go_time_strings(invalid=True)),
)
_strings = st.lists(_text, max_size=3)
_ports = st.tuples(st.integers(1, 65535), st.sampled_from(["tcp", "udp"])).map(
    lambda p: f"{p[0]}/{p[1]}"
)
_paths = _words.map(lambda w: "/" + w)
_labels = st.dictionaries(_text, _text, max_size=3)
_ints = st.one_of(st.integers(-5, 5), st.integers(-(2**63), 2**63 - 1))


def _opt(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=fields)


_health = _opt(Test=_strings, Interval=_ints, Timeout=_ints, Retries=_ints)
_docker_container_config = _opt(
    Hostname=_text,
    Domainname=_text,
    User=_text,
    AttachStdin=st.booleans(),
    AttachStdout=st.booleans(),
    AttachStderr=st.booleans(),
    ExposedPorts=st.dictionaries(_ports, st.just({}), max_size=2),
    Tty=st.booleans(),
    OpenStdin=st.booleans(),
    StdinOnce=st.booleans(),
    Env=st.lists(_words.map(lambda w: w.upper() + "=" + w), max_size=3),
    Cmd=st.one_of(_strings, _text, st.none()),
    Healthcheck=_health,
    ArgsEscaped=st.booleans(),
    Image=st.one_of(_digests, _text),
    Volumes=st.one_of(st.dictionaries(_paths, st.just({}), max_size=2), st.none()),
    WorkingDir=st.one_of(_paths, st.just("")),
    Entrypoint=st.one_of(_strings, _text, st.none()),
    NetworkDisabled=st.booleans(),
    MacAddress=_text,
    OnBuild=st.one_of(_strings, st.none()),
    Labels=st.one_of(_labels, st.none()),
    StopSignal=st.sampled_from(["SIGTERM", "SIGKILL", ""]),
    StopTimeout=st.integers(0, 60),
    Shell=_strings,
)
_docker_history = st.fixed_dictionaries(
    {"created": _times},
    optional={
        "author": _text,
        "created_by": _text,
        "comment": _text,
        "empty_layer": st.booleans(),
    },
)
_rootfs_docker = _opt(
    type=st.sampled_from(["layers", "", "other"]), diff_ids=st.lists(_digests, max_size=3)
)


def _docker_image(docker_version: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"docker_version": docker_version},
        optional={
            "created": _times,
            "id": st.text(_HEX, min_size=64, max_size=64),
            "parent": _digests,
            "comment": _text,
            "container": st.text(_HEX, min_size=64, max_size=64),
            "container_config": _docker_container_config,
            "author": _text,
            "config": _docker_container_config,
            "architecture": st.sampled_from(["amd64", "arm64", "arm", "386", ""]),
            "os": st.sampled_from(["linux", "windows", ""]),
            "Size": st.integers(0, 10**9),
            "rootfs": _rootfs_docker,
            "history": st.lists(_docker_history, max_size=3),
            "os.version": _text,
            "os.features": _strings,
        },
    )


_docker_versions = st.sampled_from(["1.12.6", "17.03.1-ce", "18.09.7", "1"])


def docker_configs() -> st.SearchStrategy[bytes]:
    """Docker image configs (``docker.V2Image`` with a non-empty ``docker_version``), as bytes."""
    return _to_bytes(_docker_image(_docker_versions))


_oci_image_config = _opt(
    User=_text,
    ExposedPorts=st.dictionaries(_ports, st.just({}), max_size=2),
    Env=st.lists(_words.map(lambda w: w.upper() + "=" + w), max_size=3),
    Entrypoint=_strings,
    Cmd=_strings,
    Volumes=st.dictionaries(_paths, st.just({}), max_size=2),
    WorkingDir=st.one_of(_paths, st.just("")),
    Labels=_labels,
    StopSignal=st.sampled_from(["SIGTERM", ""]),
)


def _usually_created(
    document: st.SearchStrategy[dict[str, Any]],
) -> st.SearchStrategy[dict[str, Any]]:
    """Four times in five, ``created`` first: the original dereferences the OCI ``created``
    pointers (image and history entries) unchecked, so without it most cases would just panic."""
    with_created = st.builds(lambda d, t: {"created": t, **d}, document, _times)
    return _weighted((4, with_created), (1, document))


_oci_history = _usually_created(
    _opt(created_by=_text, author=_text, comment=_text, empty_layer=st.booleans())
)
_oci_image = _usually_created(
    _opt(
        author=_text,
        architecture=st.sampled_from(["amd64", "arm64", "ppc64le", ""]),
        os=st.sampled_from(["linux", "windows", ""]),
        config=_oci_image_config,
        rootfs=_opt(type=st.sampled_from(["layers", ""]), diff_ids=st.lists(_digests, max_size=3)),
        history=st.lists(_oci_history, max_size=3),
    )
)


def oci_configs() -> st.SearchStrategy[bytes]:
    """OCI image configs (``ociv1.Image``, no ``docker_version``), as bytes."""
    return _to_bytes(_oci_image)


_v1_compat = st.fixed_dictionaries(
    {"id": st.text(_HEX, min_size=64, max_size=64), "created": _times},
    optional={
        "parent": st.text(_HEX, min_size=64, max_size=64),
        "comment": _text,
        "container_config": _opt(Cmd=st.one_of(_strings, _text)),
        "author": _text,
        "throwaway": st.booleans(),
    },
)


@st.composite
def _schema1(draw: st.DrawFn) -> dict[str, Any]:
    layers = draw(st.integers(1, 3))
    top = draw(_docker_image(_weighted((4, _docker_versions), (1, st.just("")))))
    history = [top] + [draw(_v1_compat) for _ in range(layers - 1)]
    manifest: dict[str, Any] = {
        "schemaVersion": draw(st.sampled_from([1, 1, 1, 2])),
        "name": draw(st.sampled_from(["library/busybox", "a/b", ""])),
        "tag": draw(st.sampled_from(["latest", "1.0", ""])),
        "architecture": draw(st.sampled_from(["amd64", "arm64", ""])),
        "fsLayers": [{"blobSum": draw(_digests)} for _ in range(layers)],
        "history": [{"v1Compatibility": json.dumps(entry)} for entry in history],
    }
    if draw(st.booleans()):
        manifest["signatures"] = [
            {"header": {"alg": "ES256"}, "signature": "c2ln", "protected": "e30"}
        ]
    return manifest


def schema1_manifests() -> st.SearchStrategy[bytes]:
    """Docker schema 1 manifests (``docker.V2S1Manifest``; signed or not), as bytes."""
    return _to_bytes(_schema1())


_oci_manifest = st.fixed_dictionaries(
    {"schemaVersion": st.just(2)},
    optional={
        "mediaType": st.sampled_from(
            [
                "application/vnd.oci.image.manifest.v1+json",
                "application/vnd.docker.distribution.manifest.v2+json",
            ]
        ),
        "config": _opt(mediaType=_text, digest=_digests, size=st.integers(0, 10**6)),
        "layers": st.lists(
            _opt(mediaType=_text, digest=_digests, size=st.integers(0, 10**6)), max_size=2
        ),
        "annotations": _labels,
    },
)


def _b64(document: st.SearchStrategy[bytes]) -> st.SearchStrategy[str]:
    return document.map(lambda data: base64.b64encode(data).decode("ascii"))


_kpod = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["kpod 0.0.1"] * 8 + ["kpod 0.0.2", ""]),
        "image-id": st.one_of(st.text(_HEX, min_size=64, max_size=64), st.just("")),
        "ociv1": _oci_image.map(
            lambda image: image if "created" in image else {**image, "created": NOW}
        ),
        "docker": _docker_image(_docker_versions),
    },
    optional={
        "image": st.sampled_from(["docker.io/library/busybox:latest", "busybox"]),
        "config": _b64(st.one_of(oci_configs(), docker_configs())),
        "manifest": _b64(_to_bytes(_oci_manifest)),
        "container-name": _words,
        "container-id": st.text(_HEX, min_size=64, max_size=64),
        "mountpoint": _paths,
        "annotations": _labels,
        "created-by": _text,
    },
)


def kpod_states() -> st.SearchStrategy[bytes]:
    """``kpod.json`` state files (``CopyData`` as the original saves it), as bytes."""
    return _to_bytes(_kpod)


# --- adversarial documents ----------------------------------------------------------------------


def _tree(value: Any) -> Any:
    """A parsed JSON value with every object turned into an _Obj (pairs)."""
    if isinstance(value, dict):
        return _Obj((k, _tree(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_tree(v) for v in value]
    return value


def _objects(node: Any) -> list[_Obj]:
    found: list[_Obj] = []
    if isinstance(node, _Obj):
        found.append(node)
        for _, value in node:
            found += _objects(value)
    elif isinstance(node, list):
        for value in node:
            found += _objects(value)
    return found


_FOLDS: Final[tuple[Callable[[str], str], ...]] = (
    str.upper,
    str.lower,
    str.title,
    str.swapcase,
    lambda k: k.replace("s", "ſ").replace("S", "ſ"),  # Go folds U+017F to s
    lambda k: k.replace("k", "K").replace("K", "K"),  # and the Kelvin sign to k
    lambda k: k.replace("st", "ﬅ"),  # Python's casefold would, Go's does not
)
_WRONG: Final = st.one_of(
    st.just(None),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([_Raw(b"1.0"), _Raw(b"1e3"), _Raw(b"-0"), _Raw(b"9223372036854775808")]),
    _text,
    # builds, not just: the edits below mutate objects in place, so each draw needs a fresh one
    # (a shared instance could end up inside itself).
    st.builds(list),
    st.builds(_Obj),
    st.builds(lambda: [None, 1, "x"]),
    st.builds(lambda: _Obj([("a", None)])),
)
_BAD_UTF8: Final = (b"\xff", b"\xe2\x82", b"\xed\xa0\x80", b"\xc0\x80", b"\xf4\x90\x80\x80")


def _mutate_tree(draw: st.DrawFn, root: Any) -> None:
    objects = [o for o in _objects(root) if o] or _objects(root)
    if not objects:
        return
    target = draw(st.sampled_from(objects))
    kind = draw(st.sampled_from(["fold", "duplicate", "null", "wrong", "unknown", "bad-utf8"]))
    if kind == "unknown" or not target:
        target.append((draw(_text), draw(_WRONG)))
        return
    index = draw(st.integers(0, len(target) - 1))
    key, value = target[index]
    if kind == "fold":
        target[index] = (draw(st.sampled_from(_FOLDS))(key), value)
    elif kind == "duplicate":
        # Go decodes both, in order, into the same field: the second merges or wins.
        target.insert(
            draw(st.integers(index + 1, len(target))), (key, draw(_WRONG | st.just(value)))
        )
    elif kind == "null":
        target[index] = (key, None)
    elif kind == "wrong":
        target[index] = (key, draw(_WRONG))
    else:
        text = value if isinstance(value, str) else key
        raw = json.dumps(text).encode()[:-1] + draw(st.sampled_from(_BAD_UTF8)) + b'"'
        target[index] = (key, _Raw(raw))


@st.composite
def _adversarial(draw: st.DrawFn, base: st.SearchStrategy[bytes]) -> bytes:
    data = draw(base)
    try:
        root = _tree(json.loads(data))
    except ValueError:
        root = None
    if root is not None:
        for _ in range(draw(st.integers(1, 3))):
            _mutate_tree(draw, root)
        data = _encode(root, _Style(draw(st.booleans()), draw(st.booleans())))
    ending = draw(st.sampled_from(["keep", "keep", "keep", "truncate", "garbage", "bom", "null"]))
    if ending == "truncate" and data:
        data = data[: draw(st.integers(0, len(data) - 1))]
    elif ending == "garbage":
        data += draw(st.sampled_from([b" x", b"}", b",", b"\x00", b" {}"]))
    elif ending == "bom":
        data = b"\xef\xbb\xbf" + data
    elif ending == "null":
        data = b"null"
    return data


def adversarial_json(base: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
    """Documents drawn from ``base``, then broken where Go's decoder has opinions.

    One to three edits of the parsed tree (a key case-folded, incl. ``ſ`` and the Kelvin sign,
    or folded by a rule Go does NOT apply; a key duplicated; a value nulled or replaced by a wrong
    type or a number literal Go's integers reject; an unknown key; invalid UTF-8 inside a string),
    then sometimes a byte-level ending (truncation, trailing garbage, a BOM, plain ``null``).
    """
    return _adversarial(base)


# --- requests -----------------------------------------------------------------------------------

_image_ids = st.sampled_from(
    ["c" * 64] * 4 + ["sha256:" + "c" * 64, "sha256:" + "C" * 64, "abc", "sha512:" + "a" * 128, ""]
)
_image_names = st.sampled_from(
    [
        "",
        "docker.io/library/busybox:latest",
        "busybox",
        "localhost:5000/a/b:tag",
        "docker.io/library/busybox@sha256:" + "a" * 64,
        "Upper/Case:tag",
    ]
)
_manifest_types = st.sampled_from(
    [
        "",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.v1+prettyjws",
        "other",
    ]
)
_garbage = st.one_of(st.binary(max_size=20), st.sampled_from([b"", b"null", b"{}", b"[]", b'"x"']))


def _maybe_broken(documents: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
    return _weighted((4, documents), (1, adversarial_json(documents)), (1, _garbage))


def _config_blobs() -> st.SearchStrategy[bytes | None]:
    configs = _maybe_broken(st.one_of(docker_configs(), oci_configs()))
    return _weighted((5, configs), (1, st.none()))


def _manifest_blobs() -> st.SearchStrategy[bytes | None]:
    manifests = st.one_of(schema1_manifests(), _to_bytes(_oci_manifest))
    return st.one_of(st.none(), _maybe_broken(manifests))


def _roundtrip_inputs(type_name: str) -> st.SearchStrategy[bytes]:
    whole: dict[str, st.SearchStrategy[bytes]] = {
        "CopyData": kpod_states(),
        "*CopyData": kpod_states(),
        "docker.V2Image": docker_configs(),
        "docker.V1Image": docker_configs(),
        "docker.Config": _to_bytes(_docker_container_config),
        "docker.HealthConfig": _to_bytes(_health),
        "docker.V2S2RootFS": _to_bytes(_rootfs_docker),
        "docker.V2S2History": _to_bytes(_docker_history),
        "docker.V2S1Manifest": schema1_manifests(),
        "docker.V1Compatibility": _to_bytes(_v1_compat),
        "ociv1.Image": oci_configs(),
        "ociv1.ImageConfig": _to_bytes(_oci_image_config),
        "ociv1.RootFS": _to_bytes(_opt(type=_text, diff_ids=st.lists(_digests, max_size=2))),
        "ociv1.History": _to_bytes(_oci_history),
        "ociv1.Manifest": _to_bytes(_oci_manifest),
    }
    return _maybe_broken(whole[type_name])


@st.composite
def _request(draw: st.DrawFn, op: str | None) -> dict[str, Any]:
    if op is None:
        op = draw(st.sampled_from(OPS))
    request: dict[str, Any] = {"op": op}

    def blob(field: str, value: bytes | None) -> None:
        request[field] = None if value is None else base64.b64encode(value).decode("ascii")

    if op in ("import_image", "import_container", "make_image_ref"):
        blob("config", draw(_config_blobs()))
        blob("manifest", draw(_manifest_blobs()))
        request["image_name"] = draw(_image_names)
        request["image_id"] = draw(_image_ids)
        request["container_name"] = draw(st.sampled_from(["ctr"] * 4 + ["", "a-b_c.d"]))
        request["container_id"] = draw(st.sampled_from(["f" * 64, ""]))
    if op in ("import_image", "import_container", "open", "make_docker_v2s1", "make_image_ref"):
        request["now"] = NOW
    if op in ("import_image", "import_container", "open", "make_image_ref") and draw(st.booleans()):
        request["goos"] = draw(st.sampled_from(["linux", "windows", ""]))
        request["goarch"] = draw(st.sampled_from(["amd64", "arm64", "s390x", ""]))
    if op == "open":
        blob("state", draw(_maybe_broken(kpod_states())))
    elif op == "make_oci":
        blob("docker", draw(_maybe_broken(docker_configs())))
    elif op == "make_docker_v2s2":
        blob("oci", draw(_maybe_broken(oci_configs())))
    elif op == "make_docker_v2s1":
        blob("manifest", draw(_maybe_broken(schema1_manifests())))
    elif op == "make_image_ref":
        request["manifest_type"] = draw(_manifest_types)
        request["names"] = draw(st.one_of(st.none(), st.lists(_image_names, max_size=2)))
        request["layer_id"] = draw(st.sampled_from(["", "l" * 64]))
        request["history_timestamp"] = draw(st.one_of(st.none(), go_time_strings().map(_nano)))
    elif op == "roundtrip":
        type_name = draw(st.sampled_from(ROUNDTRIP_TYPES))
        request["type"] = type_name
        blob("input", draw(_roundtrip_inputs(type_name)))
    return request


def requests(op: str | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """Protocol requests for ``op`` (any op but describe when None), without ids (the runner
    sets them), blobs as standard base64, ``now`` fixed at :data:`NOW`."""
    if op is not None and op not in OPS:
        raise ValueError(f"unknown op {op!r} (known: {', '.join(OPS)})")
    return _request(op)
