"""Fixture documents -> protocol requests ("cases") with stable, opaque ids.

Two sources of cases:

* :func:`bundled_cases` — the documents shipped in ``fixtures/`` (inside the wheel as
  ``conformance/fixtures``), described by ``fixtures/PROVENANCE.tsv`` (kind, rules, the config a
  manifest belongs to), plus the hand-written full requests under ``fixtures/requests/``;
* :func:`corpus_cases` — an external folder laid out like ``../shared/corpus``
  (``<kind>/<name>.json``). Every file becomes cases, even unreadable or malformed ones: a corpus
  must never stop a run.

A case id is ``f"{op}-{sha256(canonical request)[:16]}"``: it depends on nothing but the request
content, so renaming a file or adding cases never changes an existing id.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import importlib.resources
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from conformance.vocabulary import OPS

__all__ = [
    "CONTAINER_ID",
    "CONTAINER_NAME",
    "IMAGE_NAME",
    "KINDS",
    "NOW",
    "OPS",
    "Case",
    "bundled_cases",
    "case_id",
    "classify",
    "corpus_cases",
    "fixtures_root",
    "requests_for_document",
]

#: The injected clock of every case: a fixed instant with a fraction, so "now" fallbacks show.
NOW = "2017-09-01T12:00:00.5Z"
#: The store's first name of every fixture image: canonical, so MakeImageRef keeps it.
IMAGE_NAME = "docker.io/library/fixture:latest"
CONTAINER_NAME = "fixture-ctr"
CONTAINER_ID = "c0ffee" + "0" * 58

#: Document kinds, in the order cases are listed.
KINDS: tuple[str, ...] = (
    "docker-config",
    "oci-config",
    "v2s1-manifest",
    "v2s2-manifest",
    "oci-manifest",
    "manifest-list",
    "oci-index",
    "state",
)
#: Ops in the order cases are grouped.
_MANIFEST_KINDS = frozenset({"v2s2-manifest", "oci-manifest", "manifest-list", "oci-index"})
#: The Go type each kind round-trips through (PROTOCOL.md names).
_ROUNDTRIP_TYPE = {
    "docker-config": "docker.V2Image",
    "oci-config": "ociv1.Image",
    "v2s1-manifest": "docker.V2S1Manifest",
    "v2s2-manifest": "ociv1.Manifest",
    "oci-manifest": "ociv1.Manifest",
    "manifest-list": "ociv1.Manifest",
    "oci-index": "ociv1.Manifest",
    "state": "CopyData",
}
#: Request fields that carry blobs; ``<field>_text`` is the protocol's plain-text alternative.
_BLOB_FIELDS = ("config", "manifest", "state", "docker", "oci", "input")


@dataclass(frozen=True)
class Case:
    """One protocol request to send to an implementation (``request`` has no ``id`` key)."""

    id: str
    op: str
    request: dict[str, Any]
    source: str
    kind: str
    rules: tuple[str, ...]


def fixtures_root() -> Traversable:
    """The fixtures folder, ``conformance/fixtures`` (a symlink to ``../fixtures`` in a checkout).

    Resolved through importlib.resources, so it works from a checkout and from the wheel alike.
    """
    return importlib.resources.files("conformance") / "fixtures"


def case_id(request: Mapping[str, Any]) -> str:
    """The stable id: the op plus a hash of the canonical request (sorted keys, no spaces)."""
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return f"{request['op']}-{hashlib.sha256(canonical.encode('ascii')).hexdigest()[:16]}"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# --------------------------------------------------------------------------------------------
# Classification by content
# --------------------------------------------------------------------------------------------

#: Top-level keys only Docker's image JSON has (compared after Go's key folding). A config with
#: none of them is an OCI config even when its ``config`` has Docker-only keys (Healthcheck, ...):
#: that is how the original sees it too (``docker_version`` gates its Docker branch).
_DOCKER_TOP_KEYS = frozenset(
    {"id", "parent", "comment", "container", "container_config", "docker_version", "size"}
)
_CONFIG_KEYS = frozenset(
    {
        "hostname",
        "domainname",
        "attachstdin",
        "attachstdout",
        "attachstderr",
        "tty",
        "openstdin",
        "stdinonce",
        "image",
        "healthcheck",
        "networkdisabled",
        "macaddress",
        "onbuild",
        "stoptimeout",
        "shell",
    }
)
_CONFIG_KEYS = (
    frozenset({"architecture", "os", "config", "rootfs", "history", "created", "author", "variant"})
    | _DOCKER_TOP_KEYS
)
_STATE_KEYS = frozenset(
    {"image-id", "ociv1", "docker", "container-name", "container-id", "mountpoint", "created-by"}
)
_MEDIA_KIND = {
    "application/vnd.docker.distribution.manifest.v1+json": "v2s1-manifest",
    "application/vnd.docker.distribution.manifest.v1+prettyjws": "v2s1-manifest",
    "application/vnd.docker.distribution.manifest.v2+json": "v2s2-manifest",
    "application/vnd.docker.distribution.manifest.list.v2+json": "manifest-list",
    "application/vnd.oci.image.manifest.v1+json": "oci-manifest",
    "application/vnd.oci.image.index.v1+json": "oci-index",
}


def _fold(key: str) -> str:
    """Go 1.19's key folding as far as it matters here: ASCII case plus long s and Kelvin."""
    return key.replace("\u017f", "s").replace("\u212a", "k").lower()


def _folded(obj: Mapping[str, Any]) -> dict[str, Any]:
    # Last key wins, like Go for scalar fields; good enough to recognise a document's shape.
    return {_fold(k): v for k, v in obj.items()}


def _media(obj: Any) -> str:
    if isinstance(obj, Mapping):
        value = _folded(obj).get("mediatype")
        if isinstance(value, str):
            return value
    return ""


def _classify_object(obj: Mapping[str, Any]) -> str | None:
    keys = _folded(obj)
    kind_type = keys.get("type")
    if keys.keys() & _STATE_KEYS or (isinstance(kind_type, str) and kind_type.startswith("kpod")):
        return "state"
    media = _media(obj)
    # A manifest's own media type decides first (a real manifest always states it) ...
    if media in _MEDIA_KIND:
        return _MEDIA_KIND[media]
    # ... else its shape: schema 1 has fsLayers / v1Compatibility, an index has manifests.
    if "fslayers" in keys:
        return "v2s1-manifest"
    history = keys.get("history")
    if isinstance(history, list) and any(
        isinstance(h, Mapping) and "v1compatibility" in _folded(h) for h in history
    ):
        return "v2s1-manifest"
    if "manifests" in keys:
        return "oci-index"
    config = keys.get("config")
    is_descriptor = isinstance(config, Mapping) and bool(
        {"digest", "mediatype", "size"} & _folded(config).keys()
    )
    if "layers" in keys or is_descriptor or "schemaversion" in keys:
        if _media(config) == "application/vnd.docker.container.image.v1+json":
            return "v2s2-manifest"
        if keys.get("schemaversion") == 1 and "layers" not in keys and not is_descriptor:
            return "v2s1-manifest"
        return "oci-manifest"
    if keys.keys() & _CONFIG_KEYS or isinstance(config, Mapping):
        return "docker-config" if keys.keys() & _DOCKER_TOP_KEYS else "oci-config"
    return None


#: Hints for bytes that do not parse: key patterns (a key is a string followed by a colon, so
#: the value "layers" of rootfs.type does not count), most specific kinds first.
_HINTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("state", r'"(image-id|ociv1)"\s*:|"kpod 0\.0\.1"'),
        ("v2s1-manifest", r'"(fslayers|v1compatibility)"\s*:|distribution\.manifest\.v1\+'),
        ("manifest-list", r"manifest\.list\.v2\+json"),
        ("oci-index", r'"manifests"\s*:'),
        ("v2s2-manifest", r"distribution\.manifest\.v2\+json|container\.image\.v1\+json"),
        ("oci-manifest", r'"(layers|schemaversion)"\s*:'),
        ("docker-config", r'"(docker_version|container_config|container)"\s*:'),
        ("oci-config", r'"(architecture|os|config|rootfs|history|created)"\s*:'),
    )
)


def classify(data: bytes) -> str | None:
    """The kind of a document by its content (never by its name), or None when it has no shape.

    A JSON object is classified by its keys and media types (keys folded like Go's decoder does:
    ``DOCKER_VERSION`` makes a Docker config, since the original reads it so). A config is a
    Docker config when it has a Docker-only key, else an OCI config. Bytes that are not a JSON
    object (syntax errors, invalid UTF-8 in odd places, ``null``) fall back to key hints in the
    raw text; when even those say nothing the answer is None.
    """
    text = data.decode("utf-8", errors="replace")
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        value = None
    if isinstance(value, dict):
        return _classify_object(value)
    for kind, pattern in _HINTS:
        if pattern.search(text):
            return kind
    return None


def parses_as_object(data: bytes) -> bool:
    """Whether the bytes are one well-formed JSON object (the classification is then strict)."""
    try:
        return isinstance(json.loads(data.decode("utf-8", errors="strict")), dict)
    except (ValueError, RecursionError):
        return False


# --------------------------------------------------------------------------------------------
# Requests of one document
# --------------------------------------------------------------------------------------------


def _image_request(
    op: str, image_id: str, *, config: bytes | None, manifest: bytes | None, container: bool
) -> dict[str, Any]:
    request: dict[str, Any] = {"op": op}
    if config is not None:
        request["config"] = _b64(config)
    if manifest is not None:
        request["manifest"] = _b64(manifest)
    request["image_name"] = IMAGE_NAME
    request["image_id"] = image_id
    if container:
        request["container_name"] = CONTAINER_NAME
        request["container_id"] = CONTAINER_ID
    request["now"] = NOW
    return request


def _image_ref_request(
    image_id: str, *, config: bytes | None, manifest: bytes | None
) -> dict[str, Any]:
    request = _image_request(
        "make_image_ref", image_id, config=config, manifest=manifest, container=False
    )
    request.update(
        {"manifest_type": "", "names": [IMAGE_NAME], "layer_id": "", "history_timestamp": None}
    )
    return request


def requests_for_document(
    kind: str, data: bytes, pair: bytes | None = None
) -> list[dict[str, Any]]:
    """The protocol requests that fit a document of ``kind`` (see the kind -> ops table).

    ``pair`` is, for a manifest, the config it belongs to: the store returns both, and the
    original recovers annotations from the manifest. The image ID is the sha256 of the config
    (of the manifest when there is none), as a real store would have it.
    """
    digest_of = hashlib.sha256(pair if pair is not None else data).hexdigest()
    roundtrip = {
        "op": "roundtrip",
        "type": _ROUNDTRIP_TYPE.get(kind, "docker.V2Image"),
        "input": _b64(data),
        "now": NOW,
    }
    requests: list[dict[str, Any]] = []
    if kind in ("docker-config", "oci-config"):
        requests.append(
            _image_request("import_image", digest_of, config=data, manifest=None, container=False)
        )
        requests.append(
            _image_request(
                "import_container", digest_of, config=data, manifest=None, container=True
            )
        )
        requests.append(_image_ref_request(digest_of, config=data, manifest=None))
        if kind == "docker-config":
            requests.append({"op": "make_oci", "docker": _b64(data), "now": NOW})
        else:
            requests.append({"op": "make_docker_v2s2", "oci": _b64(data), "now": NOW})
    elif kind == "v2s1-manifest":
        requests.append(
            _image_request("import_image", digest_of, config=None, manifest=data, container=False)
        )
        requests.append(
            _image_request(
                "import_container", digest_of, config=None, manifest=data, container=True
            )
        )
        requests.append({"op": "make_docker_v2s1", "manifest": _b64(data), "now": NOW})
        requests.append(_image_ref_request(digest_of, config=None, manifest=data))
    elif kind in _MANIFEST_KINDS:
        requests.append(
            _image_request("import_image", digest_of, config=pair, manifest=data, container=False)
        )
        requests.append(_image_ref_request(digest_of, config=pair, manifest=data))
    elif kind == "state":
        requests.append({"op": "open", "state": _b64(data), "now": NOW})
    else:
        # Unknown shape (an external corpus's odd file): what a store could hand the original.
        requests.append(
            _image_request("import_image", digest_of, config=data, manifest=None, container=False)
        )
    requests.append(roundtrip)
    return requests


# --------------------------------------------------------------------------------------------
# Bundled fixtures
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProvenanceRow:
    """One row of ``fixtures/PROVENANCE.tsv``."""

    path: str
    kind: str
    origin: str
    tool: str
    tool_version: str
    command: str
    rules: tuple[str, ...]
    pair: str
    masking: str


PROVENANCE_COLUMNS = (
    "path",
    "kind",
    "origin",
    "tool",
    "tool_version",
    "command",
    "rules",
    "pair",
    "masking",
)
RULES_COLUMNS = ("rule", "section", "ops", "description")


def _read_tsv(resource: Traversable, columns: tuple[str, ...]) -> list[list[str]]:
    text = resource.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or tuple(rows[0]) != columns:
        raise ValueError(f"{resource.name}: header must be {columns!r}")
    return [row for row in rows[1:] if row]


def read_provenance(root: Traversable | None = None) -> list[ProvenanceRow]:
    """Every row of ``PROVENANCE.tsv`` (documents and request files), in file order."""
    base = root if root is not None else fixtures_root()
    rows = []
    for cells in _read_tsv(base / "PROVENANCE.tsv", PROVENANCE_COLUMNS):
        path, kind, origin, tool, version, command, rules, pair, masking = cells
        rows.append(
            ProvenanceRow(
                path,
                kind,
                origin,
                tool,
                version,
                command,
                tuple(r for r in rules.split(",") if r),
                pair,
                masking,
            )
        )
    return rows


@dataclass(frozen=True)
class Rule:
    """One row of ``RULES.tsv``: ``ops`` is the set of ops that can exercise the rule."""

    rule: str
    section: str
    ops: frozenset[str]
    description: str


def read_rules(root: Traversable | None = None) -> list[Rule]:
    """The rule catalogue, in declaration order."""
    base = root if root is not None else fixtures_root()
    rules = []
    for rule, section, ops, description in _read_tsv(base / "RULES.tsv", RULES_COLUMNS):
        op_set = frozenset(OPS) if ops == "*" else frozenset(ops.split(","))
        rules.append(Rule(rule, section, op_set, description))
    return rules


def _resource(root: Traversable, relative: str) -> Traversable:
    node = root
    for part in relative.split("/"):
        node = node / part
    return node


def _rules_for(op: str, rules: Iterable[str], catalogue: Mapping[str, Rule]) -> tuple[str, ...]:
    # A document's rules are listed once; each case keeps those its op can exercise.
    return tuple(r for r in rules if r in catalogue and op in catalogue[r].ops)


def _normalise_request(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A hand-written request file -> the kit's form: base64 blobs, no id, a fixed now."""
    request: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "id" or (key.startswith("_") and not key.endswith("_text")):
            continue
        field = key[: -len("_text")] if key.endswith("_text") else None
        if field in _BLOB_FIELDS and isinstance(value, str):
            request[field] = _b64(value.encode("utf-8"))
        else:
            request[key] = value
    request.setdefault("now", NOW)
    return request


def _sorted(cases: Iterable[Case]) -> list[Case]:
    unique: dict[str, Case] = {}
    for case in cases:
        if case.id in unique:
            # Same request from two sources: one case, the union of their rules.
            first = unique[case.id]
            merged = first.rules + tuple(r for r in case.rules if r not in first.rules)
            unique[case.id] = Case(
                first.id, first.op, first.request, first.source, first.kind, merged
            )
        else:
            unique[case.id] = case
    order = {op: i for i, op in enumerate(OPS)}
    kind_order = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(
        unique.values(),
        key=lambda c: (
            order.get(c.op, len(order)),
            kind_order.get(c.kind, len(kind_order)),
            c.source,
            c.id,
        ),
    )


def _request_files(root: Traversable) -> Iterator[tuple[str, Traversable]]:
    requests = root / "requests"
    if not requests.is_dir():
        return
    for rule_dir in sorted(requests.iterdir(), key=lambda t: t.name):
        if not rule_dir.is_dir():
            continue
        for item in sorted(rule_dir.iterdir(), key=lambda t: t.name):
            if item.name.endswith(".json"):
                yield f"requests/{rule_dir.name}/{item.name}", item


def bundled_cases(root: Traversable | None = None) -> list[Case]:
    """Every case of the shipped fixtures, grouped by op, in a deterministic order.

    ``root`` defaults to :func:`fixtures_root`; the generators pass another folder.
    """
    root = root if root is not None else fixtures_root()
    catalogue = {rule.rule: rule for rule in read_rules(root)}
    rows = read_provenance(root)
    by_path = {row.path: row for row in rows}
    cases: list[Case] = []
    for row in rows:
        if not row.path.startswith("documents/"):
            continue
        data = _resource(root, row.path).read_bytes()
        pair = _resource(root, row.pair).read_bytes() if row.pair else None
        for request in requests_for_document(row.kind, data, pair):
            op = request["op"]
            cases.append(
                Case(
                    case_id(request),
                    op,
                    request,
                    row.path,
                    row.kind,
                    _rules_for(op, row.rules, catalogue),
                )
            )
    for relative, item in _request_files(root):
        raw = json.loads(item.read_bytes())
        request = _normalise_request(raw)
        known = by_path.get(relative)
        rules = known.rules if known is not None else (relative.split("/")[1],)
        kind = known.kind if known is not None else "request"
        cases.append(
            Case(
                case_id(request),
                request["op"],
                request,
                relative,
                kind,
                _rules_for(request["op"], rules, catalogue),
            )
        )
    return _sorted(cases)


# --------------------------------------------------------------------------------------------
# External corpus
# --------------------------------------------------------------------------------------------


def corpus_cases(directory: Path) -> list[Case]:
    """Cases for an external folder laid out like ``../shared/corpus`` (``<kind>/<file>``).

    The kind comes from the content when it has a recognisable shape, else from the folder name
    (when it is a known kind), else the document is treated as an opaque config blob. Files that
    cannot be read become a case too, with empty input: a broken corpus never stops a run.
    Sources are paths relative to ``directory``.
    """
    cases: list[Case] = []
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        relative = path.relative_to(directory).as_posix()
        if "/" not in relative or not path.name.endswith(".json"):
            continue  # README, PROVENANCE.tsv and other non-documents at the top
        folder = relative.split("/", 1)[0]
        try:
            data = path.read_bytes()
        except OSError:
            data = b""
        kind = classify(data) or (folder if folder in KINDS else "unknown")
        for request in requests_for_document(kind, data):
            cases.append(Case(case_id(request), request["op"], request, relative, kind, ()))
    return _sorted(cases)
