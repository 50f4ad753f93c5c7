"""The transfer pack: constructed texts, labelled as such, that test the same skills as the checks."""

from __future__ import annotations

import re

from lesson.article import BlockRole
from quizzes.checks.bank import form_blueprint
from quizzes.loading import load_shipped_banks

CORE_SKILLS = {"attribution", "framing", "funding"}


def _passages(pack):
    """Each passage: its label block, then its headline and body blocks, in text order."""
    passages: list[list] = []
    for block in pack.article.blocks:
        if block.role is BlockRole.SITE_CHROME:
            passages.append([block])
        else:
            passages[-1].append(block)
    return passages


def test_every_passage_says_it_is_constructed_and_is_80_to_200_words():
    pack = load_shipped_banks()["transfer-constructed"].pack
    passages = _passages(pack)
    assert len(passages) >= 6
    for label, *content in passages:
        line = pack.article.text[label.start:label.end]
        assert "CONSTRUCTED TEXT" in line and "not real news" in line
        words = sum(len(re.findall(r"\w+", pack.article.text[b.start:b.end])) for b in content)
        assert 80 <= words <= 200, (line, words)


def test_every_passage_tests_all_three_skills():
    """A skill is tested by a key item, or by a look-alike of it (the wire report's neutral verbs)."""
    pack = load_shipped_banks()["transfer-constructed"].pack
    for label, *content in _passages(pack):
        inside = [i for i in pack.annotation.items if any(b.start <= i.start and i.end <= b.end for b in content)]
        skills = {i.skill.value for i in inside if not i.is_foil}
        skills |= {pack.glossary.get(label_id).skill.value for i in inside if i.is_foil for label_id in i.labels}
        assert skills == CORE_SKILLS, pack.article.text[label.start:label.end]


def test_transfer_check_repeats_the_core_skill_half_of_the_pre_check_blueprint():
    banks = load_shipped_banks()
    main, transfer = banks["central-asia-2022"], banks["transfer-constructed"]
    pre = form_blueprint(e for e in main.quiz_exercises("check-a") if e.skill.value in CORE_SKILLS)
    post = form_blueprint(transfer.quiz_exercises("transfer-check"))
    assert post["points per skill"] == pre["points per skill"]
    assert post["item types per skill"] == pre["item types per skill"]
