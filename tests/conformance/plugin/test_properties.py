"""The property tests shipped in the suite (conformance/suite/test_properties.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from . import support
from .conftest import Sandbox

pytest.importorskip("conformance.strategies")
if support.reference_handle() is support.standin_handle:
    pytest.skip("the properties need the real reference implementation", allow_module_level=True)


# Few examples, always the same ones: these tests check the plumbing, not the implementations.
FAST = "--hypothesis-profile=copydata-plugin-tests"


@pytest.fixture(autouse=True)
def _keep_the_hypothesis_profile() -> Iterator[None]:
    # The suite loads the kit's "ci" profile in this process: give the outer session its own back.
    from hypothesis import HealthCheck, Phase, settings

    settings.register_profile(
        "copydata-plugin-tests",
        max_examples=10,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: it takes long
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    previous = settings.get_current_profile_name()
    yield
    settings.load_profile(previous)


def test_the_reference_satisfies_every_property(kit: Sandbox) -> None:
    result = kit.run("-k", "properties", FAST, properties=True)
    result.assert_outcomes(passed=11, deselected=len(kit.cases) + 2)


def test_the_kit_uses_the_ci_profile_unless_told_otherwise(kit: Sandbox) -> None:
    from hypothesis import settings

    # the profile is chosen when the module is imported, i.e. at collection
    kit.run("--collect-only", properties=True)
    assert settings.get_current_profile_name() == "ci"
    kit.run("--collect-only", FAST, properties=True)
    assert settings.get_current_profile_name() == "copydata-plugin-tests"


def test_the_differential_property_finds_a_difference(kit: Sandbox) -> None:
    result = kit.run("-k", "differential and make_oci", FAST,
                     "--copydata-impl", "fakes:reformatted", properties=True)  # fmt: skip
    result.assert_outcomes(failed=1, deselected=len(kit.cases) + 2 + 10)
    result.stdout.fnmatch_lines(["*reached semantic (required: bytes); first difference: *"])
    # the same implementation is fine at the semantic level
    result = kit.run("-k", "differential and make_oci", FAST,
                     "--copydata-impl", "fakes:reformatted", "--copydata-level", "semantic",
                     properties=True)  # fmt: skip
    result.assert_outcomes(passed=1, deselected=len(kit.cases) + 2 + 10)


def test_a_law_catches_an_unstable_open(kit: Sandbox) -> None:
    result = kit.run("-k", "open_is_stable", FAST,
                     "--copydata-impl", "fakes:counting_open", properties=True)  # fmt: skip
    result.assert_outcomes(failed=1, deselected=len(kit.cases) + 2 + 10)
    result.stdout.fnmatch_lines(["*open(open(s).state).annotations != open(s).annotations*"])


def test_properties_skip_ops_the_implementation_does_not_list(kit: Sandbox) -> None:
    result = kit.run("-k", "properties and roundtrip", "--copydata-impl",
                     "fakes:without_roundtrip", "-rs", properties=True)  # fmt: skip
    result.assert_outcomes(skipped=2, deselected=len(kit.cases) + 2 + 9)
    result.stdout.fnmatch_lines(["*does not list roundtrip in describe*"])
