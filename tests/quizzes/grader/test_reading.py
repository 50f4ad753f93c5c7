"""Reading answer files: the raw cache key of a JSON line determines its response exactly."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes.grader.reading import read_answer_lines
from quizzes.records import AnswerRecord

tricky_text = st.lists(st.sampled_from(["a", " ", '"', "\\", "response", '"response"', "}", "{", ":", ",", "é"]), max_size=6).map("".join)
json_value = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 300) | tricky_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(tricky_text, inner, max_size=3),
    max_leaves=8,
)


def _line(data: dict, escape_key: bool, spaced: bool) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(", ", ": ") if spaced else (",", ":"))
    if escape_key:
        text = text.replace('"response"', '"\\u0072esponse"')
    return (text + "\n").encode("utf-8")


record = st.fixed_dictionaries(
    {"student": tricky_text.filter(lambda s: s.strip()), "exercise": st.sampled_from(["x", "y"]), "response": json_value},
    optional={"class": tricky_text, "meta": json_value},
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(record, st.booleans(), st.booleans(), st.randoms()), min_size=1, max_size=12))
def test_equal_raw_keys_mean_equal_responses(entries):
    lines = []
    for data, escape_key, spaced, rnd in entries:
        items = list(data.items())
        rnd.shuffle(items)  # key order varies, so "response" is not always last
        lines.append(_line(dict(items), escape_key, spaced))
    records = [r for r in read_answer_lines(lines, "t.jsonl") if isinstance(r, AnswerRecord)]
    seen: dict[tuple[str, bytes], object] = {}
    for r in records:
        if r.key is None:
            continue
        previous = seen.setdefault((r.exercise, r.key), r.response)
        assert previous == r.response, (r.key, previous, r.response)


def test_raw_key_only_when_response_is_last_and_nothing_is_escaped_before_it():
    lines = [
        b'{"student": "ana", "exercise": "x", "response": {"choice": "b"}}\n',
        b'{"response": {"choice": "b"}, "student": "ana", "exercise": "x"}\n',
        b'{"student": "a\\"b", "exercise": "x", "response": {"choice": "b"}}\n',
        b'{"student": "ana", "exercise": "x", "\\u0072esponse": {"choice": "b"}}\n',
    ]
    keys = [r.key for r in read_answer_lines(lines, "t.jsonl")]
    assert keys == [b'"response": {"choice": "b"}}\n', None, None, None]


def _spelled(members: list[tuple[str, object]], escaped_key: bool) -> bytes:
    parts = []
    for name, value in members:
        key = '"\\u0072esponse"' if name == "response" and escaped_key else json.dumps(name)
        parts.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return ("{" + ", ".join(parts) + "}\n").encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(
    json_value, json_value, st.sampled_from(["response", "ana", 'a"response']) | tricky_text.filter(lambda s: s.strip()),
    st.sampled_from([None, "response", {"response": 1}]) | json_value, st.booleans(), st.permutations(range(4)),
)
def test_two_lines_differing_only_in_the_response_never_share_a_key(first, second, student, meta, escaped_key, order):
    """The lines share every other member, spelled the same, in the same order; only the response differs."""
    members = [("student", student), ("exercise", "x"), ("response", None), ("meta", meta)]
    members = [members[i] for i in order]
    lines = [
        _spelled([(n, first if n == "response" else v) for n, v in members], escaped_key),
        _spelled([(n, second if n == "response" else v) for n, v in members], escaped_key),
    ]
    a, b = list(read_answer_lines(lines, "t.jsonl"))
    assert isinstance(a, AnswerRecord) and isinstance(b, AnswerRecord)
    if a.key is not None and a.key == b.key:
        assert a.response == b.response
