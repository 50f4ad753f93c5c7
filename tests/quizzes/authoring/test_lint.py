"""The validator (``medialit lint``): passes the fixture and shipped packs, fails broken ones clearly."""

from __future__ import annotations

import subprocess
import sys

import pytest

from lesson.errors import PackInvalid
from quizzes.authoring.cli import main
from quizzes.loading import load_bank


def _lint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quizzes.authoring.cli", "lint", *args], capture_output=True, text=True, timeout=120
    )


def test_tiny_bank_loads_every_exercise_type(tiny_pack_dir):
    bank = load_bank(tiny_pack_dir)
    assert {e.type for e in bank.exercises.values()} == {
        "highlight", "label_spans", "single_choice", "multi_choice", "match",
        "attribution_roles", "short_answer", "rewrite",
    }
    assert [e.id for e in bank.quiz_exercises("tiny-a")] == ["t-highlight", "t-single"]


def test_lint_passes_the_shipped_packs():
    result = _lint()
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout


def test_lint_exits_non_zero_and_names_file_and_location(pack_copy):
    def leak(data):
        data["exercises"][0]["prompt"] = "Mark words such as reckless gamble in the body."

    folder = pack_copy("exercises/all.json", leak)
    result = _lint(str(folder))
    assert result.returncode == 1
    assert "tiny/exercises/all.json:line 4 (t-highlight).prompt: quotes its own answer" in result.stderr
    assert "Traceback" not in result.stderr


def test_incomplete_highlight_key_is_an_error(pack_copy):
    def drop(data):
        data["exercises"][0]["key"] = ["frm-gamble"]

    with pytest.raises(PackInvalid, match="key is incomplete: 'frm-everyone'"):
        load_bank(pack_copy("exercises/all.json", drop))


def test_key_outside_scope_and_unknown_item_are_errors(pack_copy):
    def break_scope(data):
        data["exercises"][0]["scope"] = ["b2"]
        data["exercises"][2]["refs"] = ["fun-nowhere"]

    with pytest.raises(PackInvalid) as error:
        load_bank(pack_copy("exercises/all.json", break_scope))
    message = "\n".join(map(str, error.value.problems))
    assert "'frm-everyone' lies outside the exercise's scope" in message
    assert "unknown annotation item 'fun-nowhere'" in message


def test_single_choice_with_two_correct_options_is_rejected(pack_copy):
    def two(data):
        for option in data["exercises"][2]["options"]:
            option["correct"] = True

    with pytest.raises(PackInvalid, match="exactly one correct option"):
        load_bank(pack_copy("exercises/all.json", two))


def test_unused_item_must_say_why(pack_copy):
    def unreason(data):
        for item in data["items"]:
            item.pop("unused_reason", None)

    with pytest.raises(PackInvalid, match="frm-saves: not used by any exercise"):
        load_bank(pack_copy("annotations/items.json", unreason))


def test_texts_a_student_reads_must_not_show_internal_ids(pack_copy):
    def codes(data):
        data["exercises"][0]["prompt"] = "Read block b2 and mark every loaded word."
        data["exercises"][4]["left"][0]["text"] = "The bridge is safe. (b3)"
        data["exercises"][2]["options"][1]["feedback"] = "Right: see frm-gamble."

    with pytest.raises(PackInvalid) as error:
        load_bank(pack_copy("exercises/all.json", codes))
    message = "\n".join(map(str, error.value.problems))
    assert "(t-highlight).prompt: shows the internal id 'b2'" in message
    assert "(t-match).left[0].text: shows the internal id 'b3'" in message
    assert "(t-single).options[1].feedback: shows the internal id 'frm-gamble'" in message


def test_an_id_inside_a_longer_word_is_not_an_internal_id(pack_copy):
    def words(data):
        data["exercises"][0]["prompt"] = "Mark every loaded word in the body (see the b2b site, web3 and frm-gambles)."

    load_bank(pack_copy("exercises/all.json", words))


def test_a_rationale_naming_a_block_is_an_error(pack_copy):
    def rationale(data):
        data["items"][0]["rationale"] = "As b3 shows, this judges."

    with pytest.raises(PackInvalid, match=r"\.rationale: shows the internal id 'b3'"):
        load_bank(pack_copy("annotations/items.json", rationale))


def test_quiz_naming_unknown_exercise_is_rejected(pack_copy):
    def unknown(data):
        data["quizzes"][0]["exercises"] = ["t-single", "t-nothing"]

    with pytest.raises(PackInvalid, match="unknown exercise 't-nothing'"):
        load_bank(pack_copy("quizzes.json", unknown))


def test_anchor_command_prints_offsets(tiny_pack_dir, capsys):
    assert main(["anchor", str(tiny_pack_dir), "reckless gamble"]) == 0
    start, end = map(int, capsys.readouterr().out.split())
    assert (tiny_pack_dir / "article.txt").read_text(encoding="utf-8")[start:end] == "reckless gamble"


def test_anchor_command_fails_on_missing_quote(tiny_pack_dir):
    assert main(["anchor", str(tiny_pack_dir), "no such words"]) == 1


def test_lint_refuses_a_span_scope_that_is_mostly_key_text(pack_copy):
    def narrow(data):
        for exercise in data["exercises"][:2]:  # t-highlight and t-label, back to the key-heavy paragraphs
            exercise["scope"] = ["b2", "b3"]

    result = _lint(str(pack_copy("exercises/all.json", narrow)))
    assert result.returncode == 1
    assert "(t-highlight): the scope has too little technique-free text to measure discernment" in result.stderr
    assert "(t-label): the scope has too little technique-free text" in result.stderr
    assert "labelled vague_source" in result.stderr  # the label_spans check tries every label


def test_lint_refuses_the_old_key_only_scopes_of_the_shipped_pack(tmp_path):
    """att-06 and fun-02 once had scopes that were almost all key: marking everything scored 100%."""
    import json
    import shutil

    from lesson.loading import shipped_packs_dir

    target = tmp_path / "central-asia-2022"
    shutil.copytree(shipped_packs_dir() / "central-asia-2022", target)
    for name, exercise_id, scope in (("attribution", "att-06", ["b29", "b30", "b31", "b35"]), ("funding", "fun-02", ["b31", "b35"])):
        path = target / "exercises" / f"{name}.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        next(e for e in data["exercises"] if e["id"] == exercise_id)["scope"] = scope
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    result = _lint(str(target))
    assert result.returncode == 1
    assert "(att-06): the scope has too little technique-free text to measure discernment: marking all of it earns 100%" in result.stderr
    assert "(fun-02): the scope has too little technique-free text" in result.stderr


def test_contested_items_need_a_reason_and_cannot_also_be_key(pack_copy, tmp_path):
    def contest(data):
        data["exercises"][0]["contested"] = ["frm-saves", "frm-gamble"]
        data["exercises"][0]["scope"] = ["b1", "b2", "b3", "b4"]

    with pytest.raises(PackInvalid) as error:
        load_bank(pack_copy("exercises/all.json", contest))
    message = "\n".join(map(str, error.value.problems))
    assert "contested item 'frm-saves' needs a 'contested' reason" in message
    assert "item 'frm-gamble' is both contested and in the key or the foils" in message


def _text_exercise(data, exercise_id):  # type: ignore[no-untyped-def]
    return next(e for e in data["exercises"] if e["id"] == exercise_id)


def test_model_answer_must_pass_its_own_exercise(pack_copy):
    def copy_original(data):
        _text_exercise(data, "t-rewrite")["model_answer"] = "Critics called the plan a reckless gamble."

    with pytest.raises(PackInvalid) as error:
        load_bank(pack_copy("exercises/all.json", copy_original))
    message = str(error.value)
    assert "(t-rewrite).model_answer: the model answer earns 0 of 1 provisional points" in message
    assert "holds 'reckless gamble', which the key marks as loaded_language, name_calling (frm-gamble)" in message


def test_rewrite_model_answer_must_not_hold_another_span_of_the_removed_technique(pack_copy):
    def saves_is_loaded(data):
        next(i for i in data["items"] if i["id"] == "frm-saves")["labels"] = ["loaded_language"]

    def model_with_saves(data):
        _text_exercise(data, "t-rewrite")["model_answer"] = "Critics said the plan saves little and is too risky."

    pack_copy("annotations/items.json", saves_is_loaded)
    with pytest.raises(PackInvalid, match=r"holds '“saves”', which the key marks as loaded_language \(frm-saves\)"):
        load_bank(pack_copy("exercises/all.json", model_with_saves))


def test_rubric_phrase_that_echoes_the_prompt_is_an_error(pack_copy):
    def echo(data):
        _text_exercise(data, "t-short")["rubric"]["criteria"][1]["concepts"][1].append("weak")

    with pytest.raises(PackInvalid, match="concept 'weak' occurs in the prompt, so it can never earn credit"):
        load_bank(pack_copy("exercises/all.json", echo))


def test_sample_answer_scored_above_the_points_is_an_error(pack_copy):
    def samples(data):
        _text_exercise(data, "t-short")["samples"] = [{"kind": "strong", "score": "3", "text": "too many points"}]

    with pytest.raises(PackInvalid) as error:
        load_bank(pack_copy("exercises/all.json", samples))
    message = str(error.value)
    assert "sample answer score 3 is not between 0 and the exercise's 1 points" in message


def test_keyword_stuffed_sample_that_scores_is_reported(pack_copy):
    def samples(data):
        _text_exercise(data, "t-short")["samples"] = [
            {"kind": "keyword_stuffed", "score": "0", "text": "It gives no source and attacks the council's funding instead of its reasons, clearly."},
        ]

    with pytest.raises(PackInvalid, match=r"samples\[0\]: a keyword_stuffed sample earns 1 provisional points, more than a third of 1"):
        load_bank(pack_copy("exercises/all.json", samples))


def test_alias_of_nothing_in_the_rewrite_is_an_error(pack_copy):
    def alias(data):
        _text_exercise(data, "t-rewrite")["aliases"] = {"bridge": ["span"]}

    with pytest.raises(PackInvalid, match="'bridge' is neither a kept fact nor a word of the target sentence"):
        load_bank(pack_copy("exercises/all.json", alias))


def _add_form_b(exercises):
    def add(data):
        data["quizzes"].append({"id": "tiny-b", "title": "Form B", "kind": "pre_post", "form": "B", "exercises": exercises})

    return add


def test_parallel_pre_post_forms_pass(pack_copy):
    bank = load_bank(pack_copy("quizzes.json", _add_form_b(["t-highlight", "t-single"])))
    assert bank.quiz("tiny-b").form == "B"


def test_pre_post_forms_with_other_skills_and_types_are_rejected(pack_copy):
    folder = pack_copy("quizzes.json", _add_form_b(["t-label", "t-multi"]))
    with pytest.raises(PackInvalid, match=r"quiz tiny-b: not parallel to tiny-a: points per skill differ"):
        load_bank(folder)


def test_pre_post_forms_differing_only_in_difficulty_are_rejected(pack_copy):
    def harder_twin(data):
        twin = dict(next(e for e in data["exercises"] if e["id"] == "t-single"), id="t-single-hard", difficulty=3)
        data["exercises"].append(twin)

    pack_copy("exercises/all.json", harder_twin)
    folder = pack_copy("quizzes.json", _add_form_b(["t-highlight", "t-single-hard"]))
    with pytest.raises(PackInvalid, match=r"difficulty profile differ \(1: 1, 3: 1 against 1: 1, 2: 1\)"):
        load_bank(folder)
