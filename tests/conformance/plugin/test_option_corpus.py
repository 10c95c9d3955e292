"""--copydata-corpus / copydata_corpus: external folders, compared live with the reference."""

from __future__ import annotations

import base64
from pathlib import Path

from .conftest import Sandbox


def _corpus(kit: Sandbox, name: str = "corpus") -> Path:
    """A folder laid out like ../shared/corpus: <kind>/<name>.json (and files to ignore)."""
    folder = kit.path / name
    for case in kit.cases:
        if case.op == "import_image" and "config" in case.request:
            document = base64.b64decode(case.request["config"])
            (folder / "docker-config").mkdir(parents=True, exist_ok=True)
            (folder / "docker-config" / f"{case.id}.json").write_bytes(document)
        if case.op == "make_docker_v2s2":
            (folder / "oci-config").mkdir(parents=True, exist_ok=True)
            document = base64.b64decode(case.request["oci"])
            (folder / "oci-config" / "oci.json").write_bytes(document)
    (folder / "README.md").write_text("not a document\n", encoding="utf-8")
    return folder


def _corpus_items(kit: Sandbox, *args: str) -> list[str]:
    result = kit.run(*args, "--collect-only", "-q", "-k", "corpus")
    return [line for line in result.outlines if "test_corpus_case[" in line]


def test_every_document_becomes_differential_cases(kit: Sandbox) -> None:
    folder = _corpus(kit)
    items = _corpus_items(kit, "--copydata-corpus", str(folder))
    assert len(items) >= 6  # several ops per document
    assert not any("no-corpus" in item for item in items)
    result = kit.run("--copydata-corpus", str(folder), "-k", "corpus")
    result.assert_outcomes(passed=len(items))


def test_a_broken_implementation_differs_from_the_reference(kit: Sandbox) -> None:
    folder = _corpus(kit)
    args = ("--copydata-corpus", str(folder), "-k", "corpus")
    imports = [i for i in _corpus_items(kit, *args) if "[import_image-" in i]
    assert imports
    result = kit.run(*args, "--copydata-impl", "fakes:hollow_import_image")
    assert result.parseoutcomes()["failed"] == len(imports)
    result.stdout.fnmatch_lines(["*(import_image, *): the answer differs from the reference's"])


def test_the_option_repeats_and_the_ini_key_takes_paths(kit: Sandbox) -> None:
    one, two = _corpus(kit, "one"), _corpus(kit, "two")
    single = _corpus_items(kit, "--copydata-corpus", str(one))
    both = _corpus_items(kit, "--copydata-corpus", str(one), "--copydata-corpus", str(two))
    assert len(both) == 2 * len(single)
    kit.pytester.makeini("[pytest]\ncopydata_corpus = one\n    two\n")
    assert len(_corpus_items(kit)) == len(both)


def test_without_a_corpus_the_item_is_skipped_with_a_reason(kit: Sandbox) -> None:
    result = kit.run("-k", "corpus", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*no external corpus: --copydata-corpus DIR runs one*"])


def test_a_missing_folder_is_a_usage_error(kit: Sandbox) -> None:
    result = kit.run("--copydata-corpus", str(kit.path / "nowhere"))
    result.stderr.fnmatch_lines(["ERROR: --copydata-corpus: not a directory: *nowhere"])
    assert result.ret == 4
