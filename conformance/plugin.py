"""The pytest plugin of the kit (entry point ``copydata`` in the ``pytest11`` group).

It is registered in every pytest session of an environment where the kit is installed, so it
imports nothing heavy here (no hypothesis, jsonschema, syrupy or reference: check with
``python -X importtime -c "import conformance.plugin"``) and stays inert unless the kit's suite
(``conformance.suite``) is collected. What it adds:

- the options below, each also an ini key (``copydata_impl`` ...; the command line wins);
- one parametrized item per case (``test_case[<op>-<case id>]`` for the bundled fixtures,
  ``test_corpus_case[...]`` for external corpora), see :func:`pytest_generate_tests`;
- session fixtures: the implementation under test (``describe`` is sent first), the reference;
- per case, the highest conformance level reached, as the item's ``user_properties`` (hence in
  ``--junitxml``, and carried to the controller under pytest-xdist), a summary per op and level
  at the end of the run, and the ``--copydata-report`` files through :mod:`conformance.report`.
"""

from __future__ import annotations

import dataclasses
import json
import os
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from conformance.vocabulary import OPS

if TYPE_CHECKING:
    from conformance.cases import Case
    from conformance.implementations import Implementation

# Kept in sync with conformance.levels.LEVELS (checked in pytest_configure); spelled out here so
# that --help does not import anything.
LEVELS = ("outcome", "semantic", "bytes", "errors")
DEFAULT_LEVEL = "bytes"
DEFAULT_TIMEOUT = 10.0
REFERENCE = "reference"
# Hypothesis profiles that conformance.strategies.register_profiles() defines.
KIT_PROFILES = ("dev", "ci", "thorough")
RESULT_PROPERTY = "copydata_result"
LEVEL_PROPERTY = "copydata_level"
WORKER_DESCRIPTION = "copydata_implementation"

KNOWN_FAILURES_FORMAT = """\
a TOML file with one table per known failure:

    [[known-failure]]
    case = "<case id, as printed by `copydata-conformance list`>"
    reason = "why it fails"
    link = "https://example.org/issue/1"   # optional

A listed case that reaches the required level fails the run (remove it from the list);
an id that is not a case of this run is an error."""


@dataclasses.dataclass(frozen=True)
class KnownFailure:
    case: str
    reason: str
    link: str | None


@dataclasses.dataclass(frozen=True)
class Settings:
    impl: str | None
    cmd: str | None
    corpora: tuple[Path, ...]
    level: str
    known_failures_file: Path | None
    known_failures: dict[str, KnownFailure]
    report: Path | None
    timeout: float
    validate: bool
    update_snapshots: bool

    @property
    def is_reference(self) -> bool:
        return self.cmd is None and self.impl in (None, REFERENCE)


@dataclasses.dataclass
class Kit:
    """What the plugin keeps for one pytest session (in ``config.stash``)."""

    settings: Settings
    description: dict[str, Any] | None = None
    results: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    _bundled: list[Case] | None = None
    _corpus: list[Case] | None = None

    def bundled_cases(self) -> list[Case]:
        if self._bundled is None:
            from conformance import cases

            self._bundled = list(cases.bundled_cases())
        return self._bundled

    def corpus_cases(self) -> list[Case]:
        if self._corpus is None:
            from conformance import cases

            self._corpus = [
                case for folder in self.settings.corpora for case in cases.corpus_cases(folder)
            ]
        return self._corpus


KIT_KEY = pytest.StashKey[Kit]()


def reaches(level: str | None, required: str) -> bool:
    return level is not None and LEVELS.index(level) >= LEVELS.index(required)


def param_id(case: Case) -> str:
    """The pytest id of a case: its op, then its stable opaque id."""
    prefix = f"{case.op}-"
    return case.id if case.id.startswith(prefix) else prefix + case.id


# -- options -----------------------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("copydata", "copydata-conformance (the CopyData conformance kit)")

    def option(name: str, ini_type: str | None, ini_help: str, **kwargs: Any) -> None:
        group.addoption(f"--copydata-{name}", dest=f"copydata_{name.replace('-', '_')}", **kwargs)
        parser.addini(f"copydata_{name.replace('-', '_')}", ini_help, type=ini_type)  # type: ignore[arg-type]

    option(
        "impl",
        "string",
        "implementation under test: reference or module:attr",
        metavar="IMPL",
        default=None,
        help="implementation under test: 'reference' (the default: the bundled Python "
        "reference, in-process) or 'module:attr', a Python callable handle(request) -> response",
    )
    option(
        "cmd",
        "string",
        "shell command of an implementation speaking JSON Lines",
        metavar="COMMAND",
        default=None,
        help="shell command that starts an implementation speaking the protocol as JSON Lines "
        "on stdin/stdout (one long-lived process per run, or per xdist worker)",
    )
    option(
        "corpus",
        "paths",
        "external corpus folders, compared with the reference",
        metavar="DIR",
        action="append",
        default=None,
        help="external corpus folder (laid out like <kind>/<name>.json), run in differential "
        "mode against the reference; repeatable",
    )
    option(
        "level",
        "string",
        f"required conformance level ({DEFAULT_LEVEL} by default)",
        choices=LEVELS,
        default=None,
        help=f"level every case must reach: {' < '.join(LEVELS)} (default: {DEFAULT_LEVEL})",
    )
    option(
        "known-failures",
        "string",
        "TOML file of known failing case ids",
        metavar="FILE",
        default=None,
        help="TOML file listing case ids expected to fail, with a reason and an optional link; "
        "a listed case that passes fails the run",
    )
    option(
        "report",
        "string",
        "write the conformance report here",
        metavar="PATH",
        default=None,
        help="write the per-case report: JSON Lines at PATH, plus Markdown and HTML beside it",
    )
    option(
        "timeout",
        "string",
        f"seconds per request ({DEFAULT_TIMEOUT:g} by default)",
        metavar="SECONDS",
        type=float,
        default=None,
        help=f"seconds an implementation may take per request (default: {DEFAULT_TIMEOUT:g})",
    )
    option(
        "validate-protocol",
        "bool",
        "validate requests and responses against the protocol's JSON Schemas",
        action="store_true",
        default=None,
        help="validate every request and response against the protocol's JSON Schemas",
    )


def _value(config: pytest.Config, name: str) -> Any:
    """The command line's value, else the ini file's (None when neither is set)."""
    value = config.getoption(f"copydata_{name}")
    if value is None:
        value = config.getini(f"copydata_{name}")
        if value in ("", []):
            value = None
    return value


def _path(config: pytest.Config, name: str) -> Path | None:
    """A path option: relative to the current directory on the command line, to the ini file's
    directory in the ini file."""
    value = config.getoption(f"copydata_{name}")
    if value is not None:
        return Path(value)
    value = config.getini(f"copydata_{name}")
    if not value:
        return None
    path = Path(value)
    if not path.is_absolute() and config.inipath is not None:
        path = config.inipath.parent / path
    return path


def _settings(config: pytest.Config) -> Settings:
    impl, cmd = _value(config, "impl"), _value(config, "cmd")
    if impl is not None and cmd is not None:
        raise pytest.UsageError("give --copydata-impl or --copydata-cmd, not both")
    level = _value(config, "level") or DEFAULT_LEVEL
    if level not in LEVELS:
        raise pytest.UsageError(f"copydata_level must be one of {', '.join(LEVELS)}: {level!r}")
    timeout_value = _value(config, "timeout")
    try:
        timeout = DEFAULT_TIMEOUT if timeout_value is None else float(timeout_value)
    except ValueError:
        raise pytest.UsageError(f"copydata_timeout is not a number: {timeout_value!r}") from None
    if not timeout > 0:
        raise pytest.UsageError(f"--copydata-timeout must be positive: {timeout_value!r}")
    corpora: list[Path] = []
    for folder in _value(config, "corpus") or ():
        path = Path(folder)
        if not path.is_dir():
            raise pytest.UsageError(f"--copydata-corpus: not a directory: {folder}")
        corpora.append(path)
    known_file = _path(config, "known_failures")
    report = _path(config, "report")
    validate = _value(config, "validate_protocol")
    update = bool(
        getattr(config.option, "update_snapshots", False)
        or getattr(config.option, "update_new_snapshots_only", False)
    )
    settings = Settings(
        impl=impl,
        cmd=cmd,
        corpora=tuple(corpora),
        level=level,
        known_failures_file=known_file,
        known_failures=_read_known_failures(known_file) if known_file else {},
        report=report,
        timeout=timeout,
        validate=validate in (True, "true", "True", "1", "yes"),
        update_snapshots=update,
    )
    if update and not settings.is_reference:
        given = f"--copydata-cmd {cmd!r}" if cmd is not None else f"--copydata-impl {impl!r}"
        raise pytest.UsageError(
            "--snapshot-update regenerates the bundled snapshots from the reference "
            f"implementation only; drop {given} (or run without --snapshot-update)"
        )
    return settings


def _read_known_failures(path: Path) -> dict[str, KnownFailure]:
    import tomllib

    def bad(why: str) -> pytest.UsageError:
        return pytest.UsageError(
            f"--copydata-known-failures {path}: {why}\nThe file is {KNOWN_FAILURES_FORMAT}"
        )

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise bad(f"cannot read it ({error.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise bad(f"not TOML: {error}") from None
    extra = sorted(set(data) - {"known-failure"})
    if extra:
        raise bad(f"unexpected key(s) {', '.join(extra)}")
    entries = data.get("known-failure", [])
    if not isinstance(entries, list):
        raise bad("known-failure must be an array of tables ([[known-failure]])")
    known: dict[str, KnownFailure] = {}
    for number, entry in enumerate(entries, 1):
        where = f"entry {number}"
        if not isinstance(entry, dict):
            raise bad(f"{where} is not a table")
        unexpected = sorted(set(entry) - {"case", "reason", "link"})
        if unexpected:
            raise bad(f"{where}: unexpected key(s) {', '.join(unexpected)}")
        case, reason, link = entry.get("case"), entry.get("reason"), entry.get("link")
        if not isinstance(case, str) or not case:
            raise bad(f"{where}: 'case' (a case id) is required")
        if not isinstance(reason, str) or not reason.strip():
            raise bad(f"{where} ({case}): 'reason' is required")
        if link is not None and not isinstance(link, str):
            raise bad(f"{where} ({case}): 'link' must be a string")
        if case in known:
            raise bad(f"case {case} is listed twice")
        known[case] = KnownFailure(case, reason.strip(), link)
    return known


# -- session -----------------------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "copydata: a test of the CopyData conformance kit (conformance.suite)"
    )
    profile = config.getoption("hypothesis_profile", default=None)
    if profile in KIT_PROFILES:
        # Hypothesis loads --hypothesis-profile in its own pytest_configure (after this one):
        # the kit's profiles must exist by then.
        from conformance import strategies

        strategies.register_profiles()
    kit = Kit(_settings(config))
    config.stash[KIT_KEY] = kit
    config.pluginmanager.register(_Results(kit), "copydata-results")
    if kit.settings.known_failures:
        universe = {case.id for case in kit.bundled_cases()}
        universe.update(case.id for case in kit.corpus_cases())
        unknown = sorted(set(kit.settings.known_failures) - universe)
        if unknown:
            raise pytest.UsageError(
                f"--copydata-known-failures {kit.settings.known_failures_file}: "
                f"not a case id of this run: {', '.join(unknown)} "
                "(see `copydata-conformance list`)"
            )


def kit_of(config: pytest.Config) -> Kit:
    return config.stash[KIT_KEY]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "copydata_case" in metafunc.fixturenames:
        kit = kit_of(metafunc.config)
        bundled = kit.bundled_cases()
        metafunc.parametrize("copydata_case", bundled, ids=[param_id(case) for case in bundled])
    if "copydata_corpus_case" in metafunc.fixturenames:
        kit = kit_of(metafunc.config)
        found = kit.corpus_cases()
        if found:
            metafunc.parametrize(
                "copydata_corpus_case", found, ids=[param_id(case) for case in found]
            )
        else:
            reason = "no external corpus: --copydata-corpus DIR runs one against the reference"
            metafunc.parametrize(
                "copydata_corpus_case",
                [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="no-corpus")],
            )


class Target:
    """The implementation under test, as one run sees it (after ``describe``)."""

    def __init__(
        self, implementation: Implementation, description: dict[str, Any], validate: bool
    ) -> None:
        self.implementation = implementation
        self.description = description
        ops = description.get("ops")
        self.ops: frozenset[str] = frozenset(
            op for op in (ops if isinstance(ops, list) else []) if isinstance(op, str)
        )
        self.validate = validate

    def supports(self, op: str) -> bool:
        return op in self.ops

    def ask(self, request: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
        """(response, failure): failure explains why the answer cannot count."""
        if self.validate:
            from conformance import schemas

            problems = schemas.validate_request(request)
            if problems:
                return None, "the kit's request breaks the protocol schema: " + "; ".join(problems)
        answer = self.implementation.request(request)
        response, failure = answer.response, answer.failure
        if response is not None and failure is None and self.validate:
            from conformance import schemas

            problems = schemas.validate_response(response)
            if problems:
                failure = "the response breaks the protocol schema: " + "; ".join(problems[:5])
        return response, failure


def _describe(implementation: Implementation) -> dict[str, Any]:
    answer: Any = implementation.describe()
    if isinstance(answer, dict) and isinstance(answer.get("implementation"), dict):
        answer = answer["implementation"]  # the whole describe response
    if not isinstance(answer, dict):
        raise TypeError(f"describe did not answer an object: {answer!r}")
    return answer


@pytest.fixture(scope="session")
def copydata_settings(pytestconfig: pytest.Config) -> Settings:
    return kit_of(pytestconfig).settings


@pytest.fixture(scope="session")
def copydata_target(pytestconfig: pytest.Config) -> Iterator[Target]:
    """The implementation under test, loaded once per session (per xdist worker)."""
    from conformance import implementations

    kit = kit_of(pytestconfig)
    settings = kit.settings
    # A problem here errors every case with one line (the fixture is session-scoped); pytest.fail
    # is called outside the except blocks so that no exception chain is printed with it.
    problem: str | None = None
    try:
        implementation = implementations.load(
            None if settings.cmd is not None else (settings.impl or REFERENCE),
            settings.cmd,
            settings.timeout,
        )
    except (ImportError, ValueError, TypeError) as error:
        problem = f"cannot load the implementation: {error}"
    if problem is not None:
        pytest.fail(problem, pytrace=False)
    try:
        description: dict[str, Any] = {}
        try:
            description = _describe(implementation)
        except Exception as error:
            problem = f"the implementation did not answer describe: {error}"
        if problem is not None:
            pytest.fail(problem, pytrace=False)
        kit.description = description
        workeroutput = getattr(pytestconfig, "workeroutput", None)
        if workeroutput is not None:
            workeroutput[WORKER_DESCRIPTION] = json.dumps(description)
        yield Target(implementation, description, settings.validate)
    finally:
        implementation.close()


@pytest.fixture(scope="session")
def copydata_reference() -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The reference implementation's ``handle`` (expected answers for external corpora)."""
    from reference.protocol import handle

    return handle


# -- checking one case -------------------------------------------------------------------------


def _record(node: pytest.Item, result: dict[str, Any]) -> None:
    node.user_properties.append((LEVEL_PROPERTY, result["level"] or "none"))
    node.user_properties.append((RESULT_PROPERTY, json.dumps(result, sort_keys=True)))


def _result(
    case: Case,
    *,
    level: str | None = None,
    outcome: str | None = None,
    expected_outcome: str | None = None,
    difference: str | None = None,
    failure: str | None = None,
    skipped_reason: str | None = None,
) -> dict[str, Any]:
    return {
        "id": case.id,
        "op": case.op,
        "level": level,
        "outcome": outcome,
        "expected_outcome": expected_outcome,
        "difference": difference,
        "failure": failure,
        "skipped_reason": skipped_reason,
    }


def _skip_unsupported(node: pytest.Item, case: Case, target: Target) -> None:
    if not target.supports(case.op):
        name = target.description.get("name", "the implementation")
        reason = f"{name} does not list op {case.op!r} in its describe answer"
        _record(node, _result(case, skipped_reason=reason))
        pytest.skip(reason)


def _verdict(
    node: pytest.Item,
    case: Case,
    settings: Settings,
    result: dict[str, Any],
    expectation: str,
) -> None:
    """Record the result, then pass, fail or xfail the item (known failures)."""
    _record(node, result)
    passed = result["failure"] is None and reaches(result["level"], settings.level)
    known = settings.known_failures.get(case.id)
    if known is not None:
        if passed:
            pytest.fail(
                f"case {case.id} is listed in {settings.known_failures_file} as a known failure "
                f"({known.reason}) but reaches level {result['level']!r} (required: "
                f"{settings.level!r}): remove it from the list",
                pytrace=False,
            )
        link = f" ({known.link})" if known.link else ""
        pytest.xfail(f"known failure: {known.reason}{link}")
    if passed:
        return
    lines = [f"case {case.id} ({case.op}, {case.source}): {expectation}"]
    if result["failure"] is not None:
        lines.append(f"no usable answer: {result['failure']}")
    if result["outcome"] is not None or result["level"] is not None:
        lines.append(
            f"reached level: {result['level'] or 'none (a different outcome)'}; "
            f"required: {settings.level}"
        )
        lines.append(f"outcome: {result['outcome']}; expected: {result['expected_outcome']}")
    if result["difference"]:
        lines.append(f"first difference: {result['difference']}")
    pytest.fail("\n".join(lines), pytrace=False)


def _comparison_result(
    case: Case,
    expected: dict[str, Any],
    response: dict[str, Any] | None,
    failure: str | None,
    comparison: Any = None,
) -> dict[str, Any]:
    from conformance import levels

    if response is None:
        return _result(
            case, expected_outcome=levels.outcome_of(expected), failure=failure or "no answer"
        )
    if comparison is None:
        comparison = levels.compare(expected, response)
    try:
        outcome: str | None = levels.outcome_of(response)
    except Exception:  # a malformed answer has no outcome; compare() said why
        outcome = None
    return _result(
        case,
        # An answer that breaks the protocol (--copydata-validate-protocol) reaches no level.
        level=comparison.level if failure is None else None,
        outcome=outcome,
        expected_outcome=levels.outcome_of(expected),
        difference=comparison.difference,
        failure=failure,
    )


def check_bundled_case(
    node: pytest.Item, case: Case, target: Target, settings: Settings, snapshot: Any
) -> None:
    """A bundled case: the expected answer is its snapshot (``fixtures/snapshots``)."""
    from conformance import levels, snapshots

    _skip_unsupported(node, case, target)
    response, failure = target.ask(case.request)
    if response is None:
        expected = snapshots.read(case.op, case.id) or {}
        _verdict(
            node,
            case,
            settings,
            _result(
                case,
                expected_outcome=levels.outcome_of(expected) if expected else None,
                failure=failure or "no answer",
            ),
            "the implementation gave no answer",
        )
        return
    assertion = snapshot.use_extension(snapshots.CopyDataSnapshotExtension)
    extension = assertion.extension
    extension.configure(level=settings.level, exact=settings.update_snapshots)
    with warnings.catch_warnings():
        # syrupy warns when it cannot relate a file to the test's name; this layout is by case.
        warnings.simplefilter("ignore", UserWarning)
        matched = assertion == response
    execution = assertion.executions[len(assertion.executions) - 1]
    if execution.exception is not None:
        pytest.fail(
            f"case {case.id}: snapshot {execution.snapshot_location}: {execution.exception}",
            pytrace=False,
        )
    if execution.recalled_data is None and not settings.update_snapshots:
        _record(node, _result(case, failure="no snapshot"))
        pytest.fail(
            f"case {case.id} has no snapshot ({execution.snapshot_location}): regenerate the "
            "snapshots from the reference with `copydata-conformance --snapshot-update`",
            pytrace=False,
        )
    comparison = extension.comparison
    expected = snapshots.load(execution.final_data) if execution.final_data else response
    result = _comparison_result(case, expected, response, failure, comparison)
    if settings.update_snapshots and matched and failure is None:
        _record(node, result)  # regenerated from the reference: nothing to compare with
        return
    _verdict(node, case, settings, result, "the answer differs from the snapshot")


def check_corpus_case(
    node: pytest.Item,
    case: Case,
    target: Target,
    settings: Settings,
    reference: Callable[[dict[str, Any]], dict[str, Any]],
) -> None:
    """An external corpus case: the expected answer is the reference's, computed now."""
    _skip_unsupported(node, case, target)
    expected = reference(case.request)
    response, failure = target.ask(case.request)
    result = _comparison_result(case, expected, response, failure)
    _verdict(node, case, settings, result, "the answer differs from the reference's")


# -- results, report, summary -------------------------------------------------------------------


def _is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


class _Results:
    """Collects every case's result from the test reports (on the xdist controller too, where
    they arrive from the workers with their ``user_properties``). One per pytest config."""

    def __init__(self, kit: Kit) -> None:
        self.kit = kit

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name == RESULT_PROPERTY and isinstance(value, str):
                result = json.loads(value)
                self.kit.results[result["id"]] = result


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """pytest-xdist, on the controller: a worker's ``describe`` answer."""
    output = getattr(node, "workeroutput", None) or {}
    description = output.get(WORKER_DESCRIPTION)
    kit = kit_of(node.config)
    if description and kit.description is None:
        kit.description = json.loads(description)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    kit = kit_of(session.config)
    if _is_xdist_worker(session.config) or not kit.results or kit.settings.report is None:
        return
    from conformance import __version__, report

    fields = {field.name for field in dataclasses.fields(report.CaseResult)}
    writer = report.Report(kit.settings.report)
    for result in sorted(kit.results.values(), key=lambda r: (r["op"], r["id"])):
        writer.add(report.CaseResult(**{k: v for k, v in result.items() if k in fields}))
    writer.finish(
        implementation=kit.description or {},
        kit_version=__version__,
        corpus=[os.fspath(folder) for folder in kit.settings.corpora],
    )


def summary_lines(
    results: Sequence[dict[str, Any]], required: str, description: dict[str, Any] | None
) -> list[str]:
    """Counts per op and level: how many cases reached at least each level."""
    by_op: dict[str, Counter[str]] = defaultdict(Counter)
    for result in results:
        counts = by_op[result["op"]]
        counts["cases"] += 1
        if result["skipped_reason"] is not None:
            counts["skipped"] += 1
            continue
        if result["failure"] is not None:
            counts["no answer"] += 1
        for level in LEVELS:
            if result["failure"] is None and reaches(result["level"], level):
                counts[level] += 1
    columns = ("cases", *LEVELS, "no answer", "skipped")
    width = max([len("op"), len("total"), *map(len, by_op)])
    header = "op".ljust(width) + "".join(f"{c:>11}" for c in columns)
    lines = []
    if description:
        lines.append(
            "implementation: "
            + " ".join(str(description.get(k, "?")) for k in ("name", "version"))
            + f" ({description.get('language', '?')})"
        )
    lines.append(f"required level: {required} (a case counts under each level it reaches)")
    lines.append(header)
    total: Counter[str] = Counter()
    order = {op: number for number, op in enumerate(OPS)}
    for op in sorted(by_op, key=lambda op: (order.get(op, len(order)), op)):
        total.update(by_op[op])
        lines.append(op.ljust(width) + "".join(f"{by_op[op][c]:>11}" for c in columns))
    lines.append("total".ljust(width) + "".join(f"{total[c]:>11}" for c in columns))
    ran = total["cases"] - total["skipped"]
    if ran:
        from conformance.report import percent

        lines.append(", ".join(f"{level}: {percent(total[level], ran)}" for level in LEVELS))
    return lines


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    kit = kit_of(config)
    if _is_xdist_worker(config) or not kit.results:
        return
    terminalreporter.write_sep("=", "copydata conformance")
    for line in summary_lines(list(kit.results.values()), kit.settings.level, kit.description):
        terminalreporter.write_line(line)
    if kit.settings.report is not None:
        terminalreporter.write_line(f"report: {kit.settings.report}")
