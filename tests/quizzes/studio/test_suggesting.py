"""Suggestion rules: each fires on what it describes, names itself, and anchors where lint accepts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lesson.article import TextSpan
from lesson.errors import PackInvalid
from lesson.loading import check_span, load_pack, shipped_packs_dir
from quizzes.loading import load_bank
from quizzes.studio.importing import import_upload
from quizzes.studio.lexicon import default_lexicon, merge_lexicons, parse_lexicon, phrase_pattern
from quizzes.studio.suggesting import Suggestion, quotations, rules_for, sentences, suggest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def _suggest(text: str, lexicon=None) -> list[Suggestion]:
    return suggest(text, [("b1", "body", 0, len(text))], lexicon)


def _by_rule(suggestions: list[Suggestion], rule: str) -> list[Suggestion]:
    return [s for s in suggestions if rule in s.rules]


def test_a_quotation_is_an_attribution_with_source_cue_and_content():
    text = "The mayor, Elena Ruiz, said on Tuesday: “The port will bring many jobs to town.” Nobody else spoke."
    [quote] = _by_rule(_suggest(text), "quotation")
    assert quote.skill == "attribution" and quote.label == "direct_quote"
    assert quote.quote == "The mayor, Elena Ruiz, said on Tuesday: “The port will bring many jobs to town.”"
    assert quote.roles is not None
    assert (quote.roles.source.quote, quote.roles.cue.quote, quote.roles.content.quote) == (
        "The mayor, Elena Ruiz", "said", "The port will bring many jobs to town.")
    assert quote.voice == "The mayor, Elena Ruiz" and "said" in quote.why


def test_a_speaker_after_the_quote_is_found_too():
    text = "“We will not accept this deal at all,” said Tom Berg."
    [quote] = _by_rule(_suggest(text), "quotation")
    assert quote.roles.source.quote == "Tom Berg" and quote.roles.cue.quote == "said"


def test_reported_speech_and_according_to():
    text = "The minister wrote that the budget was balanced. The bridge is unsafe, according to the city engineer."
    found = _by_rule(_suggest(text), "reported_speech")
    assert [s.quote for s in found] == ["The minister wrote that the budget was balanced.",
                                        "The bridge is unsafe, according to the city engineer."]
    assert found[0].roles.content.quote == "the budget was balanced"
    assert found[1].roles.source.quote == "the city engineer" and found[1].roles.content.quote == "The bridge is unsafe"


@pytest.mark.parametrize("sentence", ["According to media reports, the deal was signed.", "Experts say the road will be busier.",
                                      "It is believed that the plant will close."])
def test_vague_sources_are_attribution_suggestions(sentence):
    [s] = [s for s in _suggest(sentence) if s.skill == "attribution"]
    assert s.label == "vague_source" and s.rules[0] == "vague_source" and s.quote == sentence


def test_a_figure_without_a_source_is_an_unattributed_claim_but_a_year_alone_is_not():
    found = _suggest("Unemployment has risen by 12 percent. The plan dates from 2019.")
    assert [s.quote for s in _by_rule(found, "unattributed_figure")] == ["Unemployment has risen by 12 percent."]


def test_scare_quotes_only_without_a_speaker():
    assert [s.quote for s in _by_rule(_suggest("The council “saves” the bridge."), "scare_quotes")] == ["“saves”"]
    assert _by_rule(_suggest("She said the plan was “reckless”."), "scare_quotes") == []


@pytest.mark.parametrize("text, rule, label, quote", [
    ("Clearly, the plan works.", "lexicon:certainty_markers", "certainty_marker", "Clearly"),
    ("The group claims the bay is at risk.", "lexicon:diminishing_verbs", "diminishing_verb", "claims"),
    ("Some compared the mayor to Hitler.", "lexicon:nazi_terms", "nazi_comparison", "Hitler"),
    ("The regime answered quickly.", "lexicon:name_calling", "name_calling", "regime"),
    ("It was a shameless move.", "lexicon:loaded_words", "loaded_language", "shameless"),
    ("The anti-American crowd gathered.", "anti_label", "name_calling", "anti-American"),
    ("Why does nobody ask about the cost?", "rhetorical_question", "emotional_appeal", "Why does nobody ask about the cost?"),
])
def test_framing_rules_mark_the_words_themselves(text, rule, label, quote):
    [s] = _by_rule(_suggest(text), rule)
    assert (s.skill, s.label, s.quote) == ("framing", label, quote)
    assert s.why


def test_funding_rules_mark_the_clause():
    text = "But the group is funded by the Green Future Foundation, which received a $2 million grant from a rival."
    found = [s for s in _suggest(text) if s.skill == "funding"]
    assert [(s.quote, s.rules) for s in found] == [
        ("But the group is funded by the Green Future Foundation", ("funder_name", "lexicon:funding_phrases")),
        ("which received a $2 million grant from a rival", ("money_amount", "lexicon:funding_phrases")),
    ]
    [link] = [s for s in _suggest("He is closely linked to a foreign bank, they say.") if s.skill == "funding"]
    assert link.label == "guilt_by_association" and link.quote == "He is closely linked to a foreign bank"


def test_site_text_and_photo_credits_get_no_suggestions():
    text = "Share this, clearly the best.\n\nPhoto: Reuters, a shameless shot."
    assert suggest(text, [("b0", "site_chrome", 0, 29), ("b1", "photo_credit", 31, 65)]) == []


def test_sentences_respect_abbreviations_and_closing_quotes():
    text = "Mr. Berg said “No.” Then he left. Dr. Ruiz stayed."
    assert [text[s:e] for s, e in sentences(text, 0, len(text))] == ["Mr. Berg said “No.”", "Then he left.", "Dr. Ruiz stayed."]


def test_quotations_tell_apostrophes_from_closing_single_quotes():
    text = "Russia’s ‘help’ and the council’s “plan”"
    assert [text[q.start:q.end] for q in quotations(text, 0, len(text))] == ["‘help’", "“plan”"]


def test_phrase_patterns_are_whole_words_with_end_wildcards():
    assert phrase_pattern("claim*").search("He claimed it") and not phrase_pattern("claim*").search("a reclaim")
    assert phrase_pattern("it’s clear").search("It's clear now")
    assert not phrase_pattern("regime").search("regimental")


@pytest.mark.parametrize("pack_dir", [shipped_packs_dir() / "central-asia-2022", FIXTURES / "packs" / "tiny"])
def test_every_suggestion_is_an_anchor_lint_accepts(pack_dir):
    pack = load_pack(pack_dir)
    found = suggest(pack.article.text, [(b.id, b.role, b.start, b.end) for b in pack.article.blocks])
    assert found
    known = {r["id"] for r in rules_for(default_lexicon())}
    for s in found:
        spans = [TextSpan(start=s.start, end=s.end, quote=s.quote)]
        if s.roles:
            spans += [TextSpan(**r.model_dump()) for r in (s.roles.source, s.roles.cue, s.roles.content) if r]
        for span in spans:
            assert check_span(pack.article.text, span) is None, (s, span)
        block = pack.article.block(s.block)
        assert block.start <= s.start and s.end <= block.end
        assert set(s.rules) <= known


def test_the_imported_fixture_gets_suggestions_for_every_skill():
    imported = import_upload("harbour.html", (FIXTURES / "studio" / "harbour.html").read_bytes())
    found = suggest(imported.text, [(b.id, b.role, b.start, b.end) for b in imported.blocks])
    assert {s.skill for s in found} == {"attribution", "framing", "funding"}
    assert not any("Tweet" in s.quote or "All rights reserved" in s.quote for s in found)


def test_a_pack_lexicon_replaces_a_list_and_adds_one():
    pack = parse_lexicon({"lists": {
        "loaded_words": {"skill": "framing", "label": "loaded_language", "phrases": ["splendid"]},
        "local_labels": {"skill": "framing", "label": "name_calling", "note": "Labels used in our town.", "phrases": ["incomers"]},
    }})
    merged = merge_lexicons(default_lexicon(), pack)
    found = _suggest("The splendid and shameless incomers.", merged)
    assert [(s.quote, s.rules) for s in found] == [("splendid", ("lexicon:loaded_words",)), ("incomers", ("lexicon:local_labels",))]
    assert any(r["id"] == "lexicon:local_labels" for r in rules_for(merged))


def test_lint_rejects_a_broken_pack_lexicon(tmp_path):
    pack = tmp_path / "tiny"
    shutil.copytree(FIXTURES / "packs" / "tiny", pack)
    (pack / "lexicon.json").write_text(json.dumps({"lists": {
        "mine": {"skill": "framing", "label": "no_such_label", "phrases": ["x*y"]},
        "bad": {"skill": "weather", "label": "loaded_language", "phrases": ["rain"]}}}), encoding="utf-8")
    with pytest.raises(PackInvalid) as raised:
        load_bank(pack)
    text = str(raised.value)
    assert "tiny/lexicon.json:lists.mine: unknown label 'no_such_label'" in text
    assert "tiny/lexicon.json:lists.mine.phrases[0]" in text and "lists.bad.skill" in text


def test_a_valid_pack_lexicon_loads(tmp_path):
    pack = tmp_path / "tiny"
    shutil.copytree(FIXTURES / "packs" / "tiny", pack)
    (pack / "lexicon.json").write_text(json.dumps({"lists": {
        "mine": {"skill": "framing", "label": "loaded_language", "phrases": ["gamble*"]}}}), encoding="utf-8")
    assert load_bank(pack).pack.id == "tiny"
