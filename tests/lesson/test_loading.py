from __future__ import annotations

import pytest

from lesson.article import BlockRole
from lesson.errors import PackInvalid
from lesson.loading import load_pack, shipped_packs_dir


def test_tiny_pack_loads_with_items_in_text_order(tiny_pack_dir):
    pack = load_pack(tiny_pack_dir)
    assert pack.id == "tiny"
    starts = [item.start for item in pack.annotation.items]
    assert starts == sorted(starts)
    for item in pack.annotation.items:
        assert pack.article.text[item.start:item.end] == item.quote


def test_shipped_case_study_text_is_the_article_byte_for_byte():
    shipped = shipped_packs_dir() / "central-asia-2022" / "article.txt"
    original = shipped_packs_dir().parents[1].parent / "shared" / "case-study" / "central-asia-reactions-2022.txt"
    if not original.exists():
        pytest.skip("../shared is not beside this checkout")
    assert shipped.read_bytes() == original.read_bytes()


def test_shipped_blocks_cover_every_line_with_a_role():
    pack = load_pack(shipped_packs_dir() / "central-asia-2022")
    text = pack.article.text
    lines = [line for line in text.split("\n") if line.strip()]
    assert len(pack.article.blocks) == len(lines)
    roles = {b.role for b in pack.article.blocks}
    assert roles == set(BlockRole)
    assert pack.article.block("b01").role is BlockRole.HEADLINE


def _problems(error: PackInvalid) -> str:
    return "\n".join(str(p) for p in error.problems)


def test_moved_anchor_is_reported_with_file_line_and_both_texts(pack_copy):
    def shift(data):
        data["items"][0]["start"] += 1
        data["items"][0]["end"] += 1

    folder = pack_copy("annotations/items.json", shift)
    with pytest.raises(PackInvalid) as error:
        load_pack(folder)
    message = _problems(error.value)
    assert "tiny/annotations/items.json:line" in message
    assert "att-mayor" in message and "not the quote" in message


def test_unknown_label_and_duplicate_id_are_both_reported(pack_copy):
    def break_items(data):
        data["items"][1]["labels"] = ["no_such_label"]
        data["items"][2]["id"] = data["items"][0]["id"]

    folder = pack_copy("annotations/items.json", break_items)
    with pytest.raises(PackInvalid) as error:
        load_pack(folder)
    message = _problems(error.value)
    assert "unknown label 'no_such_label'" in message
    assert "duplicate annotation id 'att-mayor'" in message


def test_span_that_cuts_a_word_is_rejected(pack_copy):
    def cut(data):
        item = data["items"][3]  # frm-saves: “saves”
        item["end"] -= 2
        item["quote"] = item["quote"][:-2]

    with pytest.raises(PackInvalid, match="ends inside a word"):
        load_pack(pack_copy("annotations/items.json", cut))


def test_reversed_span_fails_at_construction(pack_copy):
    def reverse(data):
        data["items"][0]["end"] = data["items"][0]["start"]

    with pytest.raises(PackInvalid, match="end .* must be greater than start"):
        load_pack(pack_copy("annotations/items.json", reverse))


def test_malformed_json_names_line_and_column(pack_copy):
    folder = pack_copy()
    (folder / "techniques.json").write_text('[{"id": "x",\n  oops]', encoding="utf-8")
    with pytest.raises(PackInvalid, match=r"techniques.json:line 2, column 3: malformed JSON"):
        load_pack(folder)


def test_foil_without_feedback_is_rejected(pack_copy):
    def strip(data):
        for item in data["items"]:
            if item["skill"] == "foil":
                del item["feedback"]

    with pytest.raises(PackInvalid, match="a foil needs 'feedback'"):
        load_pack(pack_copy("annotations/items.json", strip))


def test_overlapping_blocks_are_rejected(pack_copy):
    def overlap(data):
        data["blocks"][2]["start"] = data["blocks"][1]["start"]

    with pytest.raises(PackInvalid, match="overlaps or precedes"):
        load_pack(pack_copy("pack.json", overlap))


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Standard historical reference works", "not a document a student can find"),
        ("FACTS.md, RT entry", "not a document a student can find"),
        ("Council budget", "gives no date"),
    ],
)
def test_fact_check_without_a_findable_dated_source_is_rejected(pack_copy, name, reason):
    def vague(data):
        for item in data["items"]:
            if item.get("check"):
                item["check"]["sources"][0]["name"] = name

    with pytest.raises(PackInvalid, match=rf"check.sources\[0\]: .*{reason}"):
        load_pack(pack_copy("annotations/items.json", vague))

