"""QTI 3.0 export: package structure element by element against the spec, and scoring read back.

No registry package ships the official 1EdTech QTI 3.0 XSD (checked: citolab-qti-convert,
incept-qti-sdk, qti-package-maker, @citolab/qti-convert), so these tests check the parts of the
schema our items use: element names and namespaces, the order of an item's children, required
attributes, identifier references, and the scores the mappings give (evaluated in ``qti_reading``).
docs/exports.md says how a teacher validates a package against the XSD.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from quizzes.bank import Bank
from quizzes.exports.qti import MANIFEST_NS, QTI_NS, qti_item, qti_package
from quizzes.responses import MatchResponse, MultiChoiceResponse, SingleChoiceResponse
from quizzes.scoring import score
from tests.quizzes.exports.qti_reading import NS, correct_values, evaluate, hottexts, local, q

NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")

# Children each element may have (QTI 3.0 ASI information model, the subset we emit), in order.
ITEM_CHILD_ORDER = [
    "qti-response-declaration",
    "qti-outcome-declaration",
    "qti-item-body",
    "qti-response-processing",
]
REQUIRED = {
    "qti-assessment-item": {"identifier", "title", "adaptive", "time-dependent"},
    "qti-response-declaration": {"identifier", "cardinality"},
    "qti-outcome-declaration": {"identifier", "cardinality"},
    "qti-hottext-interaction": {"response-identifier"},
    "qti-choice-interaction": {"response-identifier"},
    "qti-match-interaction": {"response-identifier"},
    "qti-extended-text-interaction": {"response-identifier"},
    "qti-hottext": {"identifier"},
    "qti-simple-choice": {"identifier"},
    "qti-simple-associable-choice": {"identifier", "match-max"},
    "qti-map-entry": {"map-key", "mapped-value"},
    "qti-rubric-block": {"view"},
    "qti-assessment-item-ref": {"identifier", "href"},
}
KNOWN = set(REQUIRED) | {
    "qti-correct-response", "qti-value", "qti-mapping", "qti-default-value", "qti-item-body", "qti-prompt",
    "qti-simple-match-set", "qti-content-body", "qti-response-processing", "qti-set-outcome-value", "qti-min",
    "qti-sum", "qti-map-response", "qti-base-value", "qti-response-condition", "qti-response-if",
    "qti-response-else", "qti-match", "qti-variable", "qti-correct", "p", "ul", "li", "blockquote",
    "qti-assessment-test", "qti-test-part", "qti-assessment-section", "qti-outcome-processing", "qti-test-variables",
}
CARDINALITIES = {"single", "multiple", "ordered", "record"}
SHUFFLING = {"qti-choice-interaction", "qti-match-interaction"}  # carry a boolean ``shuffle``
FIXABLE = {"qti-simple-choice", "qti-simple-associable-choice"}  # carry a boolean ``fixed``
BASE_TYPES = {"identifier", "boolean", "integer", "float", "string", "point", "pair", "directedPair", "duration", "file", "uri"}


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def check_item(root: etree._Element) -> None:
    """Every rule above, for one item; raises AssertionError naming the element."""
    assert root.tag == q("qti-assessment-item")
    order = [local(child) for child in root]
    assert order == sorted(order, key=ITEM_CHILD_ORDER.index), order
    assert order.count("qti-item-body") == 1
    for element in root.iter():
        assert etree.QName(element).namespace == QTI_NS, element.tag
        name = local(element)
        assert name in KNOWN, name
        missing = REQUIRED.get(name, set()) - set(element.attrib)
        assert not missing, f"{name} lacks {missing}"
    for declaration in root.findall("q:qti-response-declaration", NS) + root.findall("q:qti-outcome-declaration", NS):
        assert declaration.get("cardinality") in CARDINALITIES
        assert declaration.get("base-type") in BASE_TYPES
    declared = {d.get("identifier") for d in root.findall("q:qti-response-declaration", NS)}
    used = {i.get("response-identifier") for i in root.iter() if i.get("response-identifier")}
    assert used == declared
    for interaction in root.iter(q("qti-hottext-interaction"), q("qti-choice-interaction"), q("qti-match-interaction")):
        response = interaction.get("response-identifier")
        choosable = {e.get("identifier") for e in interaction.iter() if e.get("identifier")}
        assert all(NCNAME.match(i) for i in choosable)
        mapped = {e.get("map-key") for e in root.findall(f"q:qti-response-declaration[@identifier='{response}']//q:qti-map-entry", NS)}
        keys = {part for key in mapped | correct_values(root, response) for part in key.split(" ")}
        assert keys <= choosable, keys - choosable
        prompt_children = [local(c) for c in interaction]
        assert "qti-prompt" not in prompt_children[1:], "a prompt must come first"
    for element in root.iter():
        if element.get("shuffle") is not None:
            assert element.get("shuffle") in ("true", "false") and local(element) in SHUFFLING, local(element)
        if element.get("fixed") is not None:
            assert element.get("fixed") in ("true", "false") and local(element) in FIXABLE, local(element)
    identifiers = [h.get("identifier") for h in root.iter(q("qti-hottext"))]
    assert len(identifiers) == len(set(identifiers))
    for block in root.iter(q("qti-rubric-block")):
        assert [local(c) for c in block] == ["qti-content-body"]
        assert block.get("view") == "scorer"


def package_files(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    return {name: archive.read(name) for name in archive.namelist()}


def check_package(bank: Bank, quiz_id: str) -> dict[str, bytes]:
    files = package_files(qti_package(bank, bank.quiz(quiz_id)).data)
    manifest = parse(files["imsmanifest.xml"])
    assert manifest.tag == f"{{{MANIFEST_NS}}}manifest"
    m = {"m": MANIFEST_NS}
    assert manifest.findtext("m:metadata/m:schemaversion", namespaces=m) == "3.0.0"
    resources = manifest.findall("m:resources/m:resource", m)
    ids = {r.get("identifier") for r in resources}
    hrefs = {f.get("href") for f in manifest.findall(".//m:file", m)}
    assert hrefs | {"imsmanifest.xml"} == set(files)
    tests = [r for r in resources if r.get("type") == "imsqti_test_xmlv3p0"]
    items = [r for r in resources if r.get("type") == "imsqti_item_xmlv3p0"]
    assert len(tests) == 1 and len(items) == len(bank.quiz(quiz_id).exercises)
    assert {d.get("identifierref") for d in tests[0].findall("m:dependency", m)} == {r.get("identifier") for r in items}
    assert len(ids) == len(resources)
    test = parse(files[tests[0].get("href")])
    assert test.tag == q("qti-assessment-test")
    refs = test.findall(".//q:qti-assessment-item-ref", NS)
    assert [r.get("href") for r in refs] == [r.get("href") for r in items]
    for resource in items:
        item = parse(files[resource.get("href")])
        check_item(item)
        assert item.get("identifier") in {r.get("identifier") for r in refs}
    return files


def test_qti_package_tiny_quiz_has_manifest_test_and_one_item_per_exercise(tiny_bank: Bank) -> None:
    files = check_package(tiny_bank, "tiny-all")
    assert len([n for n in files if n.startswith("items/")]) == 8


def test_qti_package_is_deterministic(tiny_bank: Bank) -> None:
    quiz = tiny_bank.quiz("tiny-a")
    assert qti_package(tiny_bank, quiz).data == qti_package(tiny_bank, quiz).data


def test_qti_hottext_reproduces_the_scope_text_exactly(tiny_bank: Bank) -> None:
    exercise = tiny_bank.exercise("t-highlight")
    item = parse(qti_item(exercise, tiny_bank.pack)[0])
    paragraphs = item.findall(".//q:qti-hottext-interaction/q:p", NS)
    text = tiny_bank.pack.article.text
    expected = [text[tiny_bank.pack.article.block(b).start : tiny_bank.pack.article.block(b).end] for b in exercise.scope]
    assert ["".join(p.itertext()) for p in paragraphs] == expected


def _units_by_text(item: etree._Element, response: str = "RESPONSE") -> dict[str, str]:
    interaction = item.find(f".//q:qti-hottext-interaction[@response-identifier='{response}']", NS)
    return {text: ident for ident, text in hottexts(interaction).items()}


def test_qti_highlight_key_scores_full_points_and_flagging_everything_scores_nothing(tiny_bank: Bank) -> None:
    item = parse(qti_item(tiny_bank.exercise("t-highlight"), tiny_bank.pack)[0])
    units = _units_by_text(item)
    key = {units["reckless gamble"], units["Everyone knows"]}
    assert evaluate(item, {"RESPONSE": key}) == 1
    assert evaluate(item, {"RESPONSE": {units["reckless gamble"]}}) == Fraction(1, 2)
    assert evaluate(item, {"RESPONSE": set()}) == 0
    assert evaluate(item, {"RESPONSE": set(units.values())}) == 0
    with_foil = evaluate(item, {"RESPONSE": key | {units["said"]}})
    with_phrase = evaluate(item, {"RESPONSE": key | {units["according to reports"]}})
    assert 0 <= with_foil < with_phrase < 1


def test_qti_highlight_units_do_not_reveal_the_key(tiny_bank: Bank) -> None:
    item = parse(qti_item(tiny_bank.exercise("t-highlight"), tiny_bank.pack)[0])
    assert len(_units_by_text(item)) > 2 * len(tiny_bank.exercise("t-highlight").key)


def test_qti_label_spans_gives_one_list_per_label_and_related_credit(tiny_bank: Bank) -> None:
    exercise = tiny_bank.exercise("t-label")
    data, notes = qti_item(exercise, tiny_bank.pack)
    item = parse(data)
    interactions = item.findall(".//q:qti-hottext-interaction", NS)
    assert len(interactions) == len(exercise.label_options)
    assert notes == ["t-label: foil foil-said overlaps key att-mayor; not selectable"]
    lists = {label: f"RESPONSE_{n}" for n, label in enumerate(exercise.label_options, start=1)}
    quote = {i: tiny_bank.pack.annotation.get(i).quote for i in exercise.key}
    right = {lists[tiny_bank.pack.annotation.get(i).labels[0]]: {_units_by_text(item, lists[tiny_bank.pack.annotation.get(i).labels[0]])[quote[i]]} for i in exercise.key}
    assert evaluate(item, right) == 1
    assert evaluate(item, {}) == 0
    # the label lists are not related in the tiny glossary: a right place with a wrong label earns nothing
    wrong = {lists["unattributed"]: {_units_by_text(item, lists["unattributed"])[quote["att-mayor"]]}}
    assert evaluate(item, wrong) == 0


def test_qti_label_spans_related_label_earns_related_credit(tiny_bank: Bank, monkeypatch: pytest.MonkeyPatch) -> None:
    exercise = tiny_bank.exercise("t-label")
    glossary = tiny_bank.pack.glossary
    monkeypatch.setattr(type(glossary), "are_related", lambda self, a, b: {a, b} == {"direct_quote", "vague_source"})
    item = parse(qti_item(exercise, tiny_bank.pack)[0])
    mayor = tiny_bank.pack.annotation.get("att-mayor").quote
    chosen = {"RESPONSE_2": {_units_by_text(item, "RESPONSE_2")[mayor]}}  # vague_source list
    assert evaluate(item, chosen) == pytest.approx(exercise.related_credit * Fraction(1, 3), abs=1e-6)


def test_qti_choice_mapping_equals_our_scoring_for_every_answer(tiny_bank: Bank) -> None:
    multi = tiny_bank.exercise("t-multi")
    item = parse(qti_item(multi, tiny_bank.pack)[0])
    ids = [o.id for o in multi.options]
    for size in range(len(ids) + 1):
        for chosen in itertools.combinations(ids, size):
            ours = score(multi, MultiChoiceResponse(choices=chosen), tiny_bank.pack).earned
            assert evaluate(item, {"RESPONSE": {f"C_{c}" for c in chosen}}) == ours, chosen
    single = tiny_bank.exercise("t-single")
    item = parse(qti_item(single, tiny_bank.pack)[0])
    assert item.find(".//q:qti-choice-interaction", NS).get("max-choices") == "1"
    for option in single.options:
        ours = score(single, SingleChoiceResponse(choice=option.id), tiny_bank.pack).earned
        assert evaluate(item, {"RESPONSE": {f"C_{option.id}"}}) == ours


def test_qti_match_mapping_equals_our_scoring_for_every_assignment(tiny_bank: Bank) -> None:
    exercise = tiny_bank.exercise("t-match")
    rights = [r.id for r in exercise.right]
    for policy in ("proportional", "all_or_nothing"):
        variant = exercise.model_copy(update={"policy": policy})
        item = parse(qti_item(variant, tiny_bank.pack)[0])
        for assignment in itertools.product(rights, repeat=len(exercise.left)):
            pairs = {left.id: right for left, right in zip(exercise.left, assignment)}
            ours = score(variant, MatchResponse(pairs=pairs), tiny_bank.pack).earned
            chosen = {f"L_{left} R_{right}" for left, right in pairs.items()}
            assert evaluate(item, {"RESPONSE": chosen}) == ours, (policy, pairs)


def test_qti_attribution_roles_asks_each_role_once_with_its_weight(tiny_bank: Bank) -> None:
    exercise = tiny_bank.exercise("t-roles")
    item = parse(qti_item(exercise, tiny_bank.pack)[0])
    roles = tiny_bank.pack.annotation.get(exercise.claim).roles
    right = {}
    for name in ("source", "cue", "content"):
        response = f"RESPONSE_{name.upper()}"
        interaction = item.find(f".//q:qti-hottext-interaction[@response-identifier='{response}']", NS)
        assert interaction.get("max-choices") == "1"
        right[response] = {_units_by_text(item, response)[getattr(roles, name).quote]}
    assert evaluate(item, right) == exercise.points
    only_source = {"RESPONSE_SOURCE": right["RESPONSE_SOURCE"]}
    assert evaluate(item, only_source) == pytest.approx(exercise.weights.source * exercise.points, abs=1e-6)


@pytest.mark.parametrize("exercise_id", ["t-short", "t-rewrite"])
def test_qti_text_items_keep_the_rubric_for_scorers_only(tiny_bank: Bank, exercise_id: str) -> None:
    exercise = tiny_bank.exercise(exercise_id)
    item = parse(qti_item(exercise, tiny_bank.pack)[0])
    assert item.find(".//q:qti-extended-text-interaction", NS) is not None
    assert item.find("q:qti-response-processing", NS) is None  # scored by a person
    rubric = item.find(".//q:qti-rubric-block", NS)
    assert exercise.model_answer in "".join(rubric.itertext())
    rubric.getparent().remove(rubric)
    assert exercise.model_answer not in "".join(item.itertext())


def test_qti_short_answer_rubric_lists_every_criterion(tiny_bank: Bank) -> None:
    exercise = tiny_bank.exercise("t-short")
    item = parse(qti_item(exercise, tiny_bank.pack)[0])
    lines = [li.text for li in item.findall(".//q:qti-rubric-block//q:li", NS)]
    assert [line.split(" (")[0] for line in lines] == [c.description for c in exercise.rubric.criteria]


def test_qti_numbers_are_exact_or_rounded_up_to_six_places() -> None:
    from quizzes.exports.qti import _num

    assert [_num(Fraction(1, 2)), _num(3), _num(Fraction(1, 3)), _num(Fraction(-1, 3)), _num(Fraction(-5, 4)), _num(0)] == [
        "0.5", "3", "0.333334", "-0.333333", "-1.25", "0",
    ]


def test_qti_item_with_broken_structure_fails_the_checker(tiny_bank: Bank) -> None:
    item = parse(qti_item(tiny_bank.exercise("t-single"), tiny_bank.pack)[0])
    body = item.find("q:qti-item-body", NS)
    item.remove(body)
    item.insert(0, body)  # item body before the declarations: out of the schema's order
    with pytest.raises(AssertionError):
        check_item(item)


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_qti_highlight_score_is_bounded_and_extra_phrases_never_help(tiny_bank: Bank, data: st.DataObject) -> None:
    exercise = tiny_bank.exercise("t-highlight")
    item = parse(qti_item(exercise, tiny_bank.pack)[0])
    units = _units_by_text(item)
    chosen = set(data.draw(st.lists(st.sampled_from(sorted(units.values())), unique=True)))
    earned = evaluate(item, {"RESPONSE": chosen})
    assert 0 <= earned <= exercise.points
    key = correct_values(item, "RESPONSE")
    extra = data.draw(st.sampled_from(sorted(set(units.values()) - key)))
    assert evaluate(item, {"RESPONSE": chosen | {extra}}) <= earned


def test_qti_shipped_quizzes_export_and_pass_the_structure_checks(shipped_banks: dict[str, Bank]) -> None:
    for bank in shipped_banks.values():
        assert bank.quizzes, f"{bank.pack.id} has no quizzes"
        for quiz_id in bank.quizzes:
            files = check_package(bank, quiz_id)
            for exercise in bank.quiz_exercises(quiz_id):
                if exercise.type not in ("highlight", "label_spans"):
                    continue
                item = parse(files[f"items/{exercise.id}.xml"])
                first = item.find(".//q:qti-hottext-interaction", NS)
                text = bank.pack.article.text
                blocks = sorted((bank.pack.article.block(b) for b in exercise.scope), key=lambda b: b.start)
                assert ["".join(p.itertext()) for p in first.findall("q:p", NS)] == [text[b.start : b.end] for b in blocks]
                responses = [i.get("response-identifier") for i in item.findall(".//q:qti-hottext-interaction", NS)]
                assert any(correct_values(item, r) for r in responses), f"{exercise.id}: no key unit survived"


def test_qti_shipped_span_items_score_the_key_fully_and_everything_nothing(shipped_banks: dict[str, Bank]) -> None:
    """att-02 and att-06 are nearly all key: their few other phrases must cost the whole key's credit."""
    checked = 0
    for bank in shipped_banks.values():
        for exercise in bank.exercises.values():
            if exercise.type not in ("highlight", "label_spans"):
                continue
            item = parse(qti_item(exercise, bank.pack)[0])
            lists = {i.get("response-identifier"): set(hottexts(i)) for i in item.findall(".//q:qti-hottext-interaction", NS)}
            key = {rid: correct_values(item, rid) for rid in lists}
            assert evaluate(item, key) == exercise.points, exercise.id
            assert evaluate(item, lists) == 0, exercise.id
            assert evaluate(item, {rid: set() for rid in lists}) == 0, exercise.id
            checked += 1
    assert checked >= 22


def test_qti_contested_item_is_neither_rewarded_nor_punished() -> None:
    from quizzes.loading import load_shipped_banks

    bank = next(iter(load_shipped_banks().values()))
    exercise = bank.exercise("frm-01")  # "offensive" in the standfirst and the linked headline is contested
    item = parse(qti_item(exercise, bank.pack)[0])
    units = _units_by_text(item)
    key = {ident for text, ident in units.items() if text in {bank.pack.annotation.get(i).quote for i in exercise.key}}
    contested = {units["offensive"]}
    assert evaluate(item, {"RESPONSE": key}) == evaluate(item, {"RESPONSE": key | contested})
