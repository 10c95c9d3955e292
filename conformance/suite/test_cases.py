"""The bundled cases: every fixture's request, compared with its stored snapshot."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from conformance.plugin import Settings, Target, check_bundled_case

if TYPE_CHECKING:
    from conformance.cases import Case

pytestmark = pytest.mark.copydata


def test_case(
    request: pytest.FixtureRequest,
    copydata_case: Case,
    copydata_target: Target,
    copydata_settings: Settings,
    snapshot: Any,
) -> None:
    assert isinstance(request.node, pytest.Item)
    check_bundled_case(request.node, copydata_case, copydata_target, copydata_settings, snapshot)
