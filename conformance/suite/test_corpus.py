"""External corpora (``--copydata-corpus DIR``): each case compared with the reference, live."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from conformance.plugin import Settings, Target, check_corpus_case

if TYPE_CHECKING:
    from conformance.cases import Case

pytestmark = pytest.mark.copydata


def test_corpus_case(
    request: pytest.FixtureRequest,
    copydata_corpus_case: Case,
    copydata_target: Target,
    copydata_settings: Settings,
    copydata_reference: Callable[[dict[str, Any]], dict[str, Any]],
) -> None:
    assert isinstance(request.node, pytest.Item)
    check_corpus_case(
        request.node, copydata_corpus_case, copydata_target, copydata_settings, copydata_reference
    )
