"""The run's report: one line per case (JSON Lines), a Markdown summary and a standalone HTML page.

Public API::

    CaseResult(id, op, level, outcome, expected_outcome, difference, failure, skipped_reason)
    report = Report(path)          # the JSON Lines file; <path>.md and <path>.html go beside it
    report.add(result)             # a later result for the same case id replaces the earlier one
    report.finish(implementation, kit_version, corpus)      # writes the three files

    # pytest-xdist: each worker writes a part, the controller merges the parts
    report.write_part(worker_id, implementation, kit_version, corpus) -> Path   # <path>.part-<id>
    merge(parts, path) -> Report   # parts_of(path) lists them; the caller removes them afterwards

Everything written is deterministic: cases sorted by id, no timestamps, keys in a fixed order, so
two runs of the same implementation on the same corpus give byte-identical reports. Files are
written atomically (a temporary file, then a rename).

Percentages are of the cases that ran (not skipped), rounded *down* to one decimal: "100%" is
only ever printed when every case reached the level.
"""

from __future__ import annotations

import html
import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Final

from conformance.levels import LEVELS

__all__ = ["CaseResult", "Report", "merge", "parts_of"]

_PART_FORMAT: Final = "copydata-conformance report part 1"
_CELL_LIMIT: Final = 400  # characters of a difference shown in the Markdown and HTML tables


@dataclass(frozen=True)
class CaseResult:
    """What one case gave.

    ``level``: the highest level reached (``None``: outcome differs, runner failure, or skipped).
    ``outcome``/``expected_outcome``: ``ok``, ``error`` or ``panic`` (``outcome`` is None when
    there was no response). ``difference``: the first difference (``levels.compare``).
    ``failure``: the runner's failure text when there was no response. ``skipped_reason``: why the
    case did not run (then every other result field is None).
    """

    id: str
    op: str
    level: str | None = None
    outcome: str | None = None
    expected_outcome: str | None = None
    difference: str | None = None
    failure: str | None = None
    skipped_reason: str | None = None

    def __post_init__(self) -> None:
        if self.level is not None and self.level not in LEVELS:
            raise ValueError(f"unknown level {self.level!r}")

    @property
    def skipped(self) -> bool:
        return self.skipped_reason is not None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CaseResult:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True)
class _Meta:
    implementation: dict[str, Any]
    kit_version: str
    corpus: list[str]


class Report:
    """Collects :class:`CaseResult` objects and writes the report files."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._results: dict[str, CaseResult] = {}

    def add(self, result: CaseResult) -> None:
        self._results[result.id] = result

    @property
    def results(self) -> list[CaseResult]:
        """The results sorted by case id."""
        return [self._results[key] for key in sorted(self._results)]

    def finish(
        self, implementation: Mapping[str, Any], kit_version: str, corpus: Sequence[str]
    ) -> None:
        """Write ``<path>`` (JSON Lines), ``<path>.md`` and ``<path>.html``."""
        meta = _Meta(dict(implementation), kit_version, list(corpus))
        results = self.results
        _write(self.path, "".join(_jsonl(r) for r in results))
        _write(_beside(self.path, ".md"), render_markdown(results, meta))
        _write(_beside(self.path, ".html"), render_html(results, meta))

    def write_part(
        self,
        worker_id: str,
        implementation: Mapping[str, Any],
        kit_version: str,
        corpus: Sequence[str],
    ) -> Path:
        """Write this worker's results to ``<path>.part-<worker_id>`` for :func:`merge`."""
        part = _beside(self.path, f".part-{worker_id}")
        header = {
            "format": _PART_FORMAT,
            "implementation": dict(implementation),
            "kit_version": kit_version,
            "corpus": list(corpus),
        }
        body = "".join(_jsonl(r) for r in self.results)
        _write(part, json.dumps(header, sort_keys=True) + "\n" + body)
        return part


def parts_of(path: str | os.PathLike[str]) -> list[Path]:
    """The part files written for ``path`` by :meth:`Report.write_part`, sorted."""
    target = Path(path)
    return sorted(target.parent.glob(f"{target.name}.part-*"))


def merge(parts: Iterable[str | os.PathLike[str]], path: str | os.PathLike[str]) -> Report:
    """Merge the workers' part files into one report written at ``path`` (like ``finish``).

    The implementation, kit version and corpus come from the first part (in sorted order); a
    case present in several parts keeps the result of the last part. Raises ``ValueError`` when
    there is no part or a file is not a part.
    """
    report = Report(path)
    meta: _Meta | None = None
    for part in sorted(Path(p) for p in parts):
        lines = [line for line in part.read_text(encoding="utf-8").split("\n") if line]
        header = json.loads(lines[0]) if lines else {}
        if header.get("format") != _PART_FORMAT:
            raise ValueError(f"{part} is not a report part")
        if meta is None:
            meta = _Meta(header["implementation"], header["kit_version"], header["corpus"])
        for line in lines[1:]:
            report.add(CaseResult.from_json(json.loads(line)))
    if meta is None:
        raise ValueError("no report parts to merge")
    report.finish(meta.implementation, meta.kit_version, meta.corpus)
    return report


# --- files --------------------------------------------------------------------------------------


def _beside(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _jsonl(result: CaseResult) -> str:
    return _dumps(result.to_json()) + "\n"


def _dumps(value: Any) -> str:
    # Readable UTF-8, but U+2028/U+2029 escaped: tools that split lines on them (Python's
    # str.splitlines, JavaScript) must still see one case per line.
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


# --- numbers ------------------------------------------------------------------------------------


@dataclass
class _Row:
    """Counts for one op (or the total)."""

    cases: int = 0
    skipped: int = 0
    no_response: int = 0
    # level -> cases reaching at least that level
    reached: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))

    @property
    def ran(self) -> int:
        return self.cases - self.skipped

    def add(self, result: CaseResult) -> None:
        self.cases += 1
        if result.skipped:
            self.skipped += 1
            return
        if result.failure is not None:
            self.no_response += 1
        if result.level is not None:
            for level in LEVELS[: LEVELS.index(result.level) + 1]:
                self.reached[level] += 1


def _rows(results: Sequence[CaseResult]) -> tuple[dict[str, _Row], _Row]:
    per_op: dict[str, _Row] = {}
    total = _Row()
    for result in results:
        per_op.setdefault(result.op, _Row()).add(result)
        total.add(result)
    return dict(sorted(per_op.items())), total


def percent(count: int, of: int) -> str:
    """``count/of`` as a percentage rounded down to one decimal ("97.3%", "100%", "n/a")."""
    if of == 0:
        return "n/a"
    tenths = count * 1000 // of
    return f"{tenths // 10}%" if tenths % 10 == 0 else f"{tenths // 10}.{tenths % 10}%"


def summary_line(results: Sequence[CaseResult]) -> str:
    """E.g. ``outcome: 100%, semantic: 100%, bytes: 97.2%, errors: 95%``."""
    _, total = _rows(results)
    return ", ".join(f"{level}: {percent(total.reached[level], total.ran)}" for level in LEVELS)


def _failing(results: Sequence[CaseResult]) -> list[CaseResult]:
    return [r for r in results if not r.skipped and r.level != LEVELS[-1]]


def _skip_reasons(results: Sequence[CaseResult]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for result in results:
        if result.skipped_reason is not None:
            counts[result.skipped_reason] = counts.get(result.skipped_reason, 0) + 1
    return sorted(counts.items())


def _implementation_line(implementation: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Describe's object as (key, text) pairs: the usual keys first, then the rest, sorted."""
    order = ["name", "version", "language", "ops"]
    keys = [k for k in order if k in implementation] + sorted(set(implementation) - set(order))
    pairs = []
    for key in keys:
        value = implementation[key]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            text = ", ".join(value)
        elif isinstance(value, str):
            text = value
        else:
            text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        pairs.append((key, text))
    return pairs


def _clip(text: str) -> str:
    return text if len(text) <= _CELL_LIMIT else text[: _CELL_LIMIT - 1] + "…"


def _what_happened(result: CaseResult) -> str:
    if result.failure is not None:
        return f"no response: {result.failure}"
    return result.difference or ""


# --- Markdown -----------------------------------------------------------------------------------


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell: no line breaks, pipes, HTML or emphasis."""
    text = " ".join(text.split())
    text = html.escape(text, quote=False)
    for char in "\\`*_[]|":
        text = text.replace(char, "\\" + char)
    return text


def render_markdown(results: Sequence[CaseResult], meta: _Meta) -> str:
    per_op, total = _rows(results)
    out = ["# CopyData conformance report", ""]
    out.append(f"**{_md(summary_line(results))}** ({total.ran} cases ran, {total.skipped} skipped)")
    out += ["", "## Implementation", ""]
    out += [f"- {_md(key)}: {_md(text)}" for key, text in _implementation_line(meta.implementation)]
    out += ["", "## Kit and corpus", "", f"- kit: copydata-conformance {_md(meta.kit_version)}"]
    out += [f"- corpus: {_md(item)}" for item in meta.corpus] or ["- corpus: (none)"]
    out += ["", "## Levels reached, per op", ""]
    out.append(
        "Each level column counts the cases that reached *at least* that level, with the "
        "percentage of the cases that ran."
    )
    out.append("")
    header = ["op", "cases", "skipped", "no response", *LEVELS]
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|")
    for name, row in [*per_op.items(), ("**total**", total)]:
        cells = [name if name.startswith("**") else _md(name), str(row.cases), str(row.skipped)]
        cells.append(str(row.no_response))
        cells += [f"{row.reached[lv]} ({percent(row.reached[lv], row.ran)})" for lv in LEVELS]
        out.append("| " + " | ".join(cells) + " |")
    failing = _failing(results)
    out += ["", f"## Cases below the `{LEVELS[-1]}` level ({len(failing)})", ""]
    if failing:
        out.append("| case | op | expected | got | level | first difference |")
        out.append("|---|---|---|---|---|---|")
        for r in failing:
            cells = [
                _md(r.id),
                _md(r.op),
                _md(r.expected_outcome or "?"),
                _md(r.outcome or "—"),
                _md(r.level or "—"),
                _md(_clip(_what_happened(r))),
            ]
            out.append("| " + " | ".join(cells) + " |")
    else:
        out.append("None.")
    skips = _skip_reasons(results)
    if skips:
        out += ["", "## Skipped", ""]
        out += [f"- {count} × {_md(reason)}" for reason, count in skips]
    return "\n".join(out) + "\n"


# --- HTML ---------------------------------------------------------------------------------------

_STYLE: Final = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; vertical-align: top; }
th { background: #f3f3f3; }
td.n { text-align: right; white-space: nowrap; }
td.full { background: #e6f4e6; }
td.part { background: #fff6da; }
td.none { background: #fbe3e3; }
tr.total td { font-weight: bold; }
code, .diff { font-family: ui-monospace, monospace; font-size: 0.9em; }
.diff { white-space: pre-wrap; word-break: break-all; }
.summary { font-size: 1.2em; }
""".strip()


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _cell_class(count: int, ran: int) -> str:
    if ran == 0:
        return "n"
    if count == ran:
        return "n full"
    return "n part" if count else "n none"


def render_html(results: Sequence[CaseResult], meta: _Meta) -> str:
    per_op, total = _rows(results)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        "<title>CopyData conformance report</title>",
        f"<style>\n{_STYLE}\n</style>",
        "</head>",
        "<body>",
        "<h1>CopyData conformance report</h1>",
        f'<p class="summary"><strong>{_e(summary_line(results))}</strong> '
        f"({total.ran} cases ran, {total.skipped} skipped)</p>",
        "<h2>Implementation</h2>",
        "<dl>",
    ]
    for key, text in _implementation_line(meta.implementation):
        out.append(f"<dt>{_e(key)}</dt><dd>{_e(text)}</dd>")
    out += ["</dl>", "<h2>Kit and corpus</h2>", "<ul>"]
    out.append(f"<li>kit: copydata-conformance {_e(meta.kit_version)}</li>")
    out += [f"<li>corpus: {_e(item)}</li>" for item in meta.corpus] or ["<li>corpus: (none)</li>"]
    out += ["</ul>", "<h2>Levels reached, per op</h2>"]
    out.append(
        "<p>Each level column counts the cases that reached <em>at least</em> that level.</p>"
    )
    out.append("<table>")
    header = ["op", "cases", "skipped", "no response", *LEVELS]
    out.append("<tr>" + "".join(f"<th>{_e(h)}</th>" for h in header) + "</tr>")
    for name, row in [*per_op.items(), ("total", total)]:
        css = ' class="total"' if row is total else ""
        cells = [f"<td><code>{_e(name)}</code></td>" if row is not total else "<td>total</td>"]
        cells += [f'<td class="n">{n}</td>' for n in (row.cases, row.skipped, row.no_response)]
        for level in LEVELS:
            count = row.reached[level]
            text = f"{count} ({percent(count, row.ran)})"
            cells.append(f'<td class="{_cell_class(count, row.ran)}">{_e(text)}</td>')
        out.append(f"<tr{css}>" + "".join(cells) + "</tr>")
    out.append("</table>")
    failing = _failing(results)
    out.append(f"<h2>Cases below the <code>{LEVELS[-1]}</code> level ({len(failing)})</h2>")
    if failing:
        out.append("<table>")
        out.append(
            "<tr><th>case</th><th>op</th><th>expected</th><th>got</th><th>level</th>"
            "<th>first difference</th></tr>"
        )
        for r in failing:
            out.append(
                "<tr>"
                f"<td><code>{_e(r.id)}</code></td><td>{_e(r.op)}</td>"
                f"<td>{_e(r.expected_outcome or '?')}</td><td>{_e(r.outcome or '—')}</td>"
                f"<td>{_e(r.level or '—')}</td>"
                f'<td class="diff">{_e(_clip(_what_happened(r)))}</td>'
                "</tr>"
            )
        out.append("</table>")
    else:
        out.append("<p>None.</p>")
    skips = _skip_reasons(results)
    if skips:
        out += ["<h2>Skipped</h2>", "<ul>"]
        out += [f"<li>{count} × {_e(reason)}</li>" for reason, count in skips]
        out.append("</ul>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
