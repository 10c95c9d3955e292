"""--copydata-known-failures / copydata_known_failures: a TOML list of cases expected to fail.

Like toml-test's skip lists, the list cannot rot: a listed case that passes fails the run, and
an id that is no case of the run is an error.
"""

from __future__ import annotations

from pathlib import Path

from .conftest import Sandbox


def _write(kit: Sandbox, text: str) -> Path:
    path = kit.path / "known-failures.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_listed_failing_case_is_xfailed_and_the_run_passes(kit: Sandbox) -> None:
    case = kit.case("open", ok=True)
    path = _write(
        kit,
        f'[[known-failure]]\ncase = "{case.id}"\nreason = "open is not written yet"\n'
        'link = "https://example.org/issues/7"\n',
    )
    result = kit.run("--copydata-impl", "fakes:broken_open", "--copydata-known-failures",
                     str(path), "-rx")  # fmt: skip
    result.assert_outcomes(xfailed=1, passed=len(kit.cases), skipped=1)
    result.stdout.fnmatch_lines(
        ["XFAIL *test_case*open-* known failure: open is not written yet (https://example.org*"]
    )
    assert result.ret == 0


def test_a_listed_case_that_passes_fails_the_run(kit: Sandbox) -> None:
    case = kit.case("make_oci")
    path = _write(kit, f'[[known-failure]]\ncase = "{case.id}"\nreason = "was broken"\n')
    result = kit.run("--copydata-known-failures", str(path))
    result.assert_outcomes(failed=1, passed=len(kit.cases), skipped=1)
    result.stdout.fnmatch_lines(
        [f"*case {case.id} is listed in * as a known failure (was broken) but reaches level "
         "'errors' (required: 'bytes'): remove it from the list"]
    )  # fmt: skip
    assert result.ret == 1


def test_unknown_ids_are_an_error(kit: Sandbox) -> None:
    path = _write(kit, '[[known-failure]]\ncase = "open-0000000000000000"\nreason = "typo"\n')
    result = kit.run("--copydata-known-failures", str(path))
    result.stderr.fnmatch_lines(["ERROR: --copydata-known-failures *: not a case id of this run: "
                                 "open-0000000000000000 *"])  # fmt: skip
    assert result.ret == 4


def test_ids_of_an_external_corpus_are_known_with_it(kit: Sandbox) -> None:
    folder = kit.path / "corpus" / "oci-config"
    folder.mkdir(parents=True)
    (folder / "a.json").write_text('{"architecture":"amd64","created":"2017-01-01T00:00:00Z"}')
    listed = kit.pytester.runpytest(*kit.args("--copydata-corpus", str(folder.parent),
                                              "--collect-only", "-q", "-k", "corpus"))  # fmt: skip
    corpus_id = next(line for line in listed.outlines if "test_corpus_case[" in line)
    corpus_id = corpus_id.split("[", 1)[1].rstrip("]")
    path = _write(kit, f'[[known-failure]]\ncase = "{corpus_id}"\nreason = "corpus"\n')
    without = kit.run("--copydata-known-failures", str(path))
    assert without.ret == 4
    with_corpus = kit.run("--copydata-known-failures", str(path), "--copydata-corpus",
                          str(folder.parent), "-k", corpus_id)  # fmt: skip
    # the reference passes it, so being listed fails it
    assert with_corpus.parseoutcomes()["failed"] == 1
    with_corpus.stdout.fnmatch_lines(["*remove it from the list"])


def test_malformed_files_are_usage_errors_that_show_the_format(kit: Sandbox) -> None:
    for text, why in [
        ("[[known-failure]\n", "not TOML"),
        ('[[known-failure]]\ncase = "x"\n', "'reason' is required"),
        ('[[known-failure]]\nreason = "x"\n', "'case' (a case id) is required"),
        ('[[known-failure]]\ncase = "x"\nreason = "y"\nlevel = "bytes"\n', "unexpected key(s)"),
        ('[[failure]]\ncase = "x"\nreason = "y"\n', "unexpected key(s) failure"),
    ]:
        path = _write(kit, text)
        result = kit.run("--copydata-known-failures", str(path))
        assert result.ret == 4, text
        result.stderr.fnmatch_lines(
            [f"ERROR: --copydata-known-failures *{why}*", "*[[]known-failure[]]*"]
        )
    case = kit.case("make_oci")
    path = _write(kit, f'[[known-failure]]\ncase = "{case.id}"\nreason = "a"\n' * 2)
    result = kit.run("--copydata-known-failures", str(path))
    result.stderr.fnmatch_lines([f"ERROR: * case {case.id} is listed twice*"])


def test_the_ini_key_names_the_file(kit: Sandbox) -> None:
    case = kit.case("open", ok=True)
    _write(kit, f'[[known-failure]]\ncase = "{case.id}"\nreason = "not yet"\n')
    kit.pytester.makeini("[pytest]\ncopydata_known_failures = known-failures.toml\n")
    result = kit.run("--copydata-impl", "fakes:broken_open")
    result.assert_outcomes(xfailed=1, passed=len(kit.cases), skipped=1)
