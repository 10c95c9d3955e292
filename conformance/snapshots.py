"""The syrupy extension that stores one exact-bytes snapshot per bundled case.

Layout: ``<fixtures>/snapshots/<op>/<case id>.json``, next to the fixture documents, so the data
ships with the package and reads without the runner. Each file is a pretty, deterministic JSON
document (UTF-8, two-space indent, keys in the response's own order, a final newline)::

    {
      "response": { ...the reference implementation's response, field for field... },
      "texts": { "state": { ...the same text parsed, for reading and diffing only... } }
    }

Only ``response`` is compared. Its output texts (``state``, ``oci``, ``output``...) are JSON
strings, so every byte of them survives the pretty printing; ``texts`` repeats each JSON text
parsed and indented so that a changed field shows up as a one-line diff in review.

Comparison goes through syrupy's ``matches`` hook, which calls :func:`conformance.levels.compare`
and passes when the answer reaches the required level. ``--snapshot-update`` switches the hook to
exact equality, so regenerating rewrites precisely the files whose bytes would change and a second
regeneration changes nothing.

Unused snapshots are found by the kit itself (``conformance/suite/test_snapshots.py``), exactly:
a file is unused when no bundled case has its op and id. Syrupy's own detection relates snapshot
files to test files by name and directory, which this layout deliberately does not follow, so
:meth:`CopyDataSnapshotExtension.discover_snapshots` reports nothing to it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from syrupy.data import SnapshotCollections
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

if TYPE_CHECKING:
    from syrupy.location import PyTestLocation

    from conformance.levels import Comparison

# The name of the parameter that carries a bundled case (see conformance/suite/test_cases.py).
CASE_PARAM = "copydata_case"
SUFFIX = ".json"
# Response fields that hold JSON texts produced by the original (PROTOCOL.md, "Responses").
TEXT_FIELDS = ("state", "oci", "docker", "output", "oconfig", "dconfig")


def snapshots_root() -> Path:
    """The directory that holds ``<op>/<case id>.json`` (inside the package's fixtures)."""
    from conformance import cases

    return Path(str(cases.fixtures_root() / "snapshots"))


def snapshot_path(op: str, case_id: str) -> Path:
    return snapshots_root() / op / f"{case_id}{SUFFIX}"


def dump(response: dict[str, Any]) -> bytes:
    """The snapshot document for a response, byte for byte."""
    texts: dict[str, Any] = {}
    for field in TEXT_FIELDS:
        text = response.get(field)
        if isinstance(text, str):
            try:
                texts[field] = json.loads(text)
            except ValueError:
                continue  # not JSON: only the exact string in "response" is kept
    document: dict[str, Any] = {"response": response}
    if texts:
        document["texts"] = texts
    # ensure_ascii=False keeps non-ASCII text readable; json escapes control characters itself.
    # surrogatepass only matters for a broken implementation's answer (lone surrogates), which
    # is serialized for the diff but never written: the reference's texts are valid UTF-8.
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return text.encode("utf-8", "surrogatepass")


def load(data: bytes) -> dict[str, Any]:
    """The response stored in a snapshot document."""
    document = json.loads(data.decode("utf-8"))
    if not isinstance(document, dict) or not isinstance(document.get("response"), dict):
        raise ValueError('a snapshot is a JSON object with a "response" object')
    response: dict[str, Any] = document["response"]
    return response


def read(op: str, case_id: str) -> dict[str, Any] | None:
    """The stored expected response of a bundled case, or None when there is no snapshot."""
    try:
        return load(snapshot_path(op, case_id).read_bytes())
    except FileNotFoundError:
        return None


def _case_of(test_location: PyTestLocation) -> Any:
    callspec = getattr(test_location.item, "callspec", None)
    case = callspec.params.get(CASE_PARAM) if callspec is not None else None
    if case is None:
        raise LookupError(
            f"CopyDataSnapshotExtension stores one snapshot per kit case: the test "
            f"{test_location.nodeid} has no {CASE_PARAM!r} parameter"
        )
    return case


class CopyDataSnapshotExtension(SingleFileSnapshotExtension):
    """One ``<op>/<case id>.json`` file per case; compared at a conformance level."""

    file_extension = "json"
    _write_mode = WriteMode.BINARY

    def __init__(self) -> None:
        super().__init__()
        # Set by the kit before the assertion (syrupy creates extensions without arguments).
        self.required_level = "bytes"
        self.exact = False
        self.actual: dict[str, Any] | None = None
        self.comparison: Comparison | None = None

    def configure(self, *, level: str, exact: bool) -> None:
        self.required_level = level
        self.exact = exact

    # -- where -------------------------------------------------------------------------------

    @classmethod
    def dirname(cls, *, test_location: PyTestLocation) -> str:
        return str(snapshots_root() / str(_case_of(test_location).op))

    @classmethod
    def discovery_dirname(cls, *, test_location: PyTestLocation) -> str:
        return str(snapshots_root())

    @classmethod
    def get_location(cls, *, test_location: PyTestLocation, index: Any) -> str:
        case = _case_of(test_location)
        return str(snapshots_root() / str(case.op) / f"{case.id}{SUFFIX}")

    @classmethod
    def get_snapshot_name(cls, *, test_location: PyTestLocation, index: Any = 0) -> str:
        # The test's own name: syrupy relates names to tests by it (and warns otherwise).
        return str(test_location.snapshot_name)

    @classmethod
    def matches_test_location(
        cls, *, test_location: PyTestLocation, snapshot_location: str
    ) -> bool:
        return True

    def discover_snapshots(
        self, *, test_location: PyTestLocation, ignore_extensions: list[str] | None = None
    ) -> SnapshotCollections:
        return SnapshotCollections()

    # -- what --------------------------------------------------------------------------------

    def serialize(self, data: Any, **kwargs: Any) -> bytes:
        if not isinstance(data, dict):
            raise TypeError(f"a CopyData snapshot holds a response object, not {type(data)}")
        # Kept as given: comparing the parsed serialization again would lose nothing for valid
        # answers, but a broken implementation may answer things that do not survive it.
        self.actual = data
        return dump(data)

    def matches(self, *, serialized_data: Any, snapshot_data: Any) -> bool:
        from conformance import levels

        actual = self.actual if self.actual is not None else load(bytes(serialized_data))
        try:
            expected = load(bytes(snapshot_data))
        except ValueError as error:
            self.comparison = None
            raise ValueError(f"unreadable snapshot: {error}") from error
        self.comparison = levels.compare(expected, actual)
        if self.exact:
            return bytes(serialized_data) == bytes(snapshot_data)
        reached = self.comparison.level
        return reached is not None and levels.LEVELS.index(reached) >= levels.LEVELS.index(
            self.required_level
        )

    def diff_lines(self, serialized_data: Any, snapshot_data: Any) -> Any:
        # Show text, not the repr of bytes.
        def text(data: Any) -> str:
            return bytes(data).decode("utf-8", "replace") if data is not None else ""

        return super().diff_lines(text(serialized_data), text(snapshot_data))
