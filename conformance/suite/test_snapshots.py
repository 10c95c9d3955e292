"""The snapshot store itself: every snapshot file belongs to a bundled case.

Syrupy relates snapshot files to tests by file and test names; the kit stores them by op and case
id instead (see conformance/snapshots.py), so it finds unused ones itself, exactly, whatever
subset of cases a run selects. As with syrupy: unused snapshots fail the run,
``--snapshot-update`` deletes them (unless ``--snapshot-no-cleanup``), ``--snapshot-warn-unused``
only warns and ``--snapshot-disable-unused`` turns the check off.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from conformance import snapshots
from conformance.plugin import kit_of

pytestmark = pytest.mark.copydata


def unused_snapshots(config: pytest.Config) -> list[Path]:
    wanted = {(case.op, case.id) for case in kit_of(config).bundled_cases()}
    root = snapshots.snapshots_root()
    if not root.is_dir():
        return []
    return sorted(
        path
        for path in root.glob(f"*/*{snapshots.SUFFIX}")
        if (path.parent.name, path.name[: -len(snapshots.SUFFIX)]) not in wanted
    )


def test_no_unused_snapshots(pytestconfig: pytest.Config) -> None:
    option = pytestconfig.option
    if getattr(option, "disable_unused_snapshots", False):
        pytest.skip("unused snapshot detection is disabled (--snapshot-disable-unused)")
    unused = unused_snapshots(pytestconfig)
    if not unused:
        return
    root = snapshots.snapshots_root()
    names = "\n".join(f"  {path.relative_to(root)}" for path in unused)
    if getattr(option, "update_snapshots", False) and not getattr(option, "no_cleanup", False):
        for path in unused:
            path.unlink()
            if not any(path.parent.iterdir()):
                path.parent.rmdir()
        warnings.warn(f"deleted {len(unused)} unused snapshot(s) in {root}:\n{names}", stacklevel=1)
        return
    message = f"{len(unused)} snapshot(s) in {root} belong to no bundled case:\n{names}"
    if getattr(option, "warn_unused_snapshots", False) or getattr(
        option, "update_snapshots", False
    ):
        warnings.warn(message, stacklevel=1)
        return
    pytest.fail(
        message + "\nRe-run with --snapshot-update (reference only) to delete them.", pytrace=False
    )
