"""The differential tooling itself (no oracle needed): the JSON tree, the comparator, the
streaming runner, and the generator's determinism. Expected values are computed by hand."""

from __future__ import annotations

import itertools
import random
import sys
import textwrap

import pytest

from tests.oracle import compare, mutations, requestgen, runner
from tests.oracle.jsontree import Num, Obj, Raw, bytes_token, dump, edit, parse, put, values


def test_tree_keeps_duplicates_number_literals_and_order() -> None:
    raw = b'{"a":1.0,"b":[1e3,{"c":null}],"a":-0,"d":"\\u00e9"}'
    tree = parse(raw)
    assert dump(tree) == b'{"a":1.0,"b":[1e3,{"c":null}],"a":-0,"d":"\xc3\xa9"}'
    assert isinstance(tree, Obj)
    assert [k for k, _ in tree] == ["a", "b", "a", "d"]


def test_tree_edits_copy_the_path_only() -> None:
    tree = parse(b'{"x":{"y":[1,2]},"z":{"w":3}}')
    assert isinstance(tree, Obj)
    changed = edit(tree, (0, 0, 1), lambda _: Num("7"))
    assert dump(changed) == b'{"x":{"y":[1,7]},"z":{"w":3}}'
    assert dump(tree) == b'{"x":{"y":[1,2]},"z":{"w":3}}'
    assert isinstance(changed, Obj)
    assert changed.pairs[1][1] is tree.pairs[1][1]  # untouched members are shared
    assert dump(put(tree, ("x", "k"), None)) == b'{"x":{"y":[1,2],"k":null},"z":{"w":3}}'
    assert len(values(tree)) == 7


def test_bytes_token_keeps_invalid_utf8_raw() -> None:
    assert bytes_token(b'a"\\\n\xff') == Raw(b'"a\\"\\\\\\u000a\xff"')


ANSWER = (
    b'{"id":4,"op":"make_oci","ok":true,"error":null,"panic":null,'
    b'"output":"{\\"created\\":\\"2016-12-31T22:00:00Z\\"}"}'
)


def test_identical_answers_agree_at_every_level() -> None:
    verdict = compare.compare(ANSWER, ANSWER)
    assert verdict.required_same
    assert verdict.errors_same
    assert verdict.line_same


def test_a_changed_byte_in_output_is_located() -> None:
    other = ANSWER.replace(b"T22:", b"T23:")
    verdict = compare.compare(ANSWER, other)
    assert not verdict.fields_same
    assert not verdict.required_same
    # {"created":"2016-12-31T2 is 24 bytes long: the next byte differs.
    assert "output: first difference at byte 24 " in verdict.differences[0]


def test_error_text_differences_are_not_required_failures() -> None:
    oracle = b'{"id":1,"op":"open","ok":false,"stage":"call","error":"a","panic":null}'
    verdict = compare.compare(oracle, oracle.replace(b'"a"', b'"b"'))
    assert verdict.required_same
    assert not verdict.errors_same
    assert verdict.has_error
    # ... but an error where the oracle has none is.
    verdict = compare.compare(oracle, oracle.replace(b'"panic":null', b'"panic":"x"'))
    assert verdict.outcome == ("error", "panic")
    assert not verdict.required_same


def test_field_order_types_and_escapes_count() -> None:
    swapped = b'{"op":"make_oci","id":4' + ANSWER[len(b'{"id":4,"op":"make_oci"') :]
    assert not compare.compare(ANSWER, swapped).fields_same
    assert not compare.compare(b'{"id":1}', b'{"id":1.0}').fields_same
    assert not compare.compare(b'{"id":1}', b'{"id":true}').fields_same
    # Same value, different escaping: only the line differs, and that is required too.
    verdict = compare.compare(b'{"id":"<"}', b'{"id":"\\u003c"}')
    assert verdict.fields_same
    assert not verdict.line_same
    assert not verdict.required_same


def test_missing_answer_is_outcome_none() -> None:
    verdict = compare.compare(ANSWER, None)
    assert verdict.outcome == ("ok", "none")
    assert not verdict.required_same


FAKE = textwrap.dedent(
    """
    import json, sys, time
    for line in sys.stdin.buffer:
        n = json.loads(line)["id"]
        if n == 3:
            sys.exit(7)
        if n == 5:
            time.sleep(30)
        sys.stdout.write('{"id":%d}\\n' % n)
        sys.stdout.flush()
    """
)


def test_runner_survives_a_crash_and_a_hang() -> None:
    lines = [b'{"id":%d}' % i for i in range(8)]
    result = runner.stream([sys.executable, "-c", FAKE], lines, answer_timeout=2)
    assert result.answers == [b'{"id":%d}' % i if i not in (3, 5) else None for i in range(8)]
    assert sorted(result.failures) == [3, 5]
    assert "exit 7" in result.failures[3]
    assert "no answer within 2 s" in result.failures[5]
    assert result.starts == 3


def test_runner_streams_more_than_a_pipe_buffer() -> None:
    # 20,000 lines of 100 bytes: far more than a pipe holds in either direction.
    echo = "import sys\nfor line in sys.stdin.buffer:\n    sys.stdout.buffer.write(line)\n"
    lines = [b"x" * 99 + str(i % 10).encode() for i in range(20_000)]
    result = runner.stream([sys.executable, "-u", "-c", echo], lines, timeout=120)
    assert result.answers == lines
    assert result.peak_rss_kib > 0


@pytest.mark.skipif(not requestgen.CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_generator_is_deterministic_and_seeded() -> None:
    def first(seed: int) -> list[bytes]:
        stream = requestgen.cases(seed=seed)
        return [c.encode() for c in itertools.islice(stream, 4000)]

    assert first(1) == first(1)
    assert first(1) != first(2)


def test_mutations_are_pure_functions_of_the_seed() -> None:
    tree = parse(b'{"created":"2017-01-01T00:00:00Z","config":{"Labels":{"a":"b"},"Cmd":["sh"]}}')
    for name in ("keycase", "dupkeys", "nulls", "wrongtype", "time", "utf8", "text", "numbers"):
        one = mutations.mutate(name, random.Random(name), tree, values(tree))
        two = mutations.mutate(name, random.Random(name), tree, values(tree))
        assert one == two, name
