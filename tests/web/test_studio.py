"""The studio in the browser (issue 17's "done when"): a teacher imports a short constructed article,
accepts, rejects and edits suggested spans, writes two rationales, builds four exercises of
different types from templates, previews them with the scorer's results, saves the pack and
assigns it; a student then completes it and gets scored feedback."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.web.actions import STAGE, mouse_mark
from tests.web.conftest import ROOT, TEACHER_TOKEN, TINY_PACK, Server, Visit, check_screen
from tests.web.test_class_flow import join, next_exercise

pytestmark = pytest.mark.browser

ARTICLE = ROOT / "tests" / "fixtures" / "studio" / "harbour.html"


@pytest.fixture(scope="module")
def studio_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server of its own: the pack saved here must not appear in other browser tests' catalog."""
    srv = Server(tmp_path_factory.mktemp("studio-server"), [TINY_PACK])
    yield srv
    srv.stop()


def _drag(page: Any, within: str, first: str, last: str, label: str | None = None) -> None:
    """Drag with the mouse over the words ``first`` .. ``last`` of the markable text ``within``."""
    a = page.locator(f"{within} .markable .w", has_text=first).first
    b = page.locator(f"{within} .markable .w", has_text=last).first
    a.scroll_into_view_if_needed()
    box_a, box_b = a.bounding_box(), b.bounding_box()
    page.mouse.move(box_a["x"] + 2, box_a["y"] + box_a["height"] / 2)
    page.mouse.down()
    page.mouse.move(box_b["x"] + box_b["width"] - 2, box_b["y"] + box_b["height"] / 2, steps=6)
    page.mouse.up()
    if label is not None:
        page.get_by_role("menuitem", name=label).click()


def _suggestion(page: Any, skill: str, text: str) -> Any:
    return page.locator(f"details[data-skill={skill}] li.suggestion", has_text=text).first


def _scope(page: Any, words: str) -> None:
    page.locator(".template-form fieldset.scope .choice", has_text=words).locator("input").check()


def teacher_builds_and_assigns(v: Visit, class_name: str) -> None:
    page = v.page
    v.goto("#/teacher")
    page.get_by_label("Teacher token").fill(TEACHER_TOKEN)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_test_id("open-studio").click()
    page.get_by_role("heading", name="Studio: bring your own article").wait_for()
    check_screen(page, "studio-01-home")
    page.get_by_test_id("studio-file").set_input_files(str(ARTICLE))
    page.get_by_label("Pack name for the address").fill("harbour")
    page.get_by_test_id("studio-import").click()
    page.get_by_role("heading", name="Studio: Harbour Town “celebrates” the new port deal").wait_for()

    # 1. proposed roles are shown with their reasons and can be changed
    assert page.locator("select[data-block=b00]").input_value() == "site_chrome"
    assert page.get_by_text("proposed because: an <h1> heading").is_visible()
    page.get_by_label("Publisher").fill("The Coastal Courier (constructed example)")

    # 2. suggestions: accept a quotation (with its roles) and reject a vague source
    _suggestion(page, "attribution", "The mayor, Elena Ruiz").locator("button", has_text="Accept").click()
    _suggestion(page, "attribution", "Experts say").locator("button", has_text="Reject").click()
    assert _suggestion(page, "attribution", "Experts say").count() == 0
    page.locator("textarea[name=rationale-att-1]").fill("The mayor is named and quoted, so a reader can check what she said.")

    page.locator("details[data-skill=framing] > summary").click()
    _suggestion(page, "framing", "shameless").locator("button", has_text="Accept").click()
    # edit it: the key item should be the whole phrase, marked with the same Marker students use
    page.locator("li.item[data-item=frm-1]").get_by_role("button", name="Change the span").click()
    _drag(page, "details[data-skill=framing]", "shameless", "giveaway", "Loaded language")
    page.locator("li.item[data-item=frm-1]", has_text="shameless giveaway").wait_for()
    page.locator("textarea[name=rationale-frm-1]").fill("A judging phrase: it tells the reader what to think of the deal.")

    # a mark across two paragraphs is a broken anchor: lint names file and item, saving is refused
    _drag(page, "details[data-skill=framing]", "investors", "According", "Loaded language")
    problem = page.get_by_test_id("studio-problems").locator("li", has_text="the anchor must lie inside one block")
    problem.wait_for()
    assert "annotations/items.json" in problem.inner_text() and "(frm-2)" in problem.inner_text()
    assert page.locator("li.item[data-item=frm-2] .item-problems").inner_text().strip() != ""
    page.get_by_test_id("save-pack").click()
    refused = page.locator(".studio-editor [role=alert]", has_text="inside one block")
    refused.wait_for()
    assert "harbour/annotations/items.json" in refused.inner_text()
    page.get_by_role("button", name="Remove frm-2").click()
    assert page.locator("li.item[data-item=frm-2]").count() == 0

    page.locator("details[data-skill=funding] > summary").click()
    _suggestion(page, "funding", "Green Future Foundation").locator("button", has_text="Accept").click()
    page.locator("li.item[data-item=fun-1]").wait_for()
    check_screen(page, "studio-02-spans")

    # 3. four exercises from templates
    def template(kind: str, title: str, prompt: str) -> None:
        page.get_by_test_id("template").select_option(kind)
        page.locator(".template-form [name=ex_title]").fill(title)
        page.locator(".template-form [name=ex_prompt]").fill(prompt)

    template("highlight", "Loaded words", "Mark the words that judge the deal.")
    page.locator(".template-form [name=ex_skill]").select_option("framing")
    # a span exercise proposes every body paragraph, so marking everything earns little
    chosen = page.locator(".template-form fieldset.scope input[name=scope]:checked")
    assert [chosen.nth(k).input_value() for k in range(chosen.count())] == ["b04", "b05", "b09", "b10"]
    page.get_by_test_id("add-exercise").click()
    template("attribution_roles", "Who says so?", "Mark the speaker, the reporting verb and what is said.")
    page.get_by_test_id("add-exercise").click()
    template("single_choice", "Funding", "What does naming the funder do in this sentence?")
    page.locator(".template-form [name=ex_ref]").select_option("fun-1")
    page.locator(".template-form [name=ex_option_0]").fill("It answers the group's warning about the bay.")
    page.locator(".template-form [name=ex_option_1]").fill("It puts who pays in place of an answer.")
    page.locator("#tpl-correct-1").check()
    page.get_by_test_id("add-exercise").click()
    template("short_answer", "Explain", "Why is naming the funder not an answer to the group's warning?")
    page.locator(".template-form [name=ex_ref]").select_option("fun-1")
    page.locator(".template-form [name=ex_model]").fill("Who pays the group says nothing about whether the bay is at risk.")
    page.locator(".template-form [name=ex_criterion]").fill("Separates who pays from the claim")
    page.locator(".template-form [name=ex_concepts]").fill("pay*, fund*; claim*, risk, argument*")
    page.get_by_test_id("add-exercise").click()
    page.locator(".template-form [role=alert]", has_text="without “*”").wait_for()
    page.locator(".template-form [name=ex_concepts]").fill("pay, fund; claim, risk, argument")
    page.get_by_test_id("add-exercise").click()
    assert page.locator("ul.exercises > li").count() == 4

    # 4. live lint clears, then the preview as a student with the scorer's results
    page.get_by_test_id("lint-ok").wait_for()
    page.get_by_test_id("preview").click()
    page.locator("[data-testid=previews] article.preview").nth(3).wait_for()
    words = page.locator("article.preview", has_text="Loaded words")
    assert words.get_by_text("The model answer: 1 of 1 (correct)").is_visible()
    assert words.get_by_text("An empty answer: 0 of 1 (incorrect)").is_visible()
    assert words.locator(".preview-scores li").nth(2).inner_text().startswith("Marking everything: ")
    assert page.locator("article.preview", has_text="Explain").get_by_text("(needs review)").count() == 1
    check_screen(page, "studio-03-preview")

    # 5. save and assign
    page.get_by_test_id("save-pack").click()
    page.get_by_test_id("saved").wait_for()
    page.get_by_label("Class", exact=True).select_option(label=class_name)
    page.get_by_test_id("assign").click()
    page.get_by_test_id("assigned").wait_for()
    check_screen(page, "studio-04-saved")


def student_completes(v: Visit, code: str) -> None:
    page = v.page
    join(v, code, "Noor")
    page.get_by_role("link", name="Start", exact=True).click()
    page.locator(STAGE).wait_for()
    text = v.server.api("GET", "/lessons/harbour", token=None).json()["text"]

    def span(quote: str) -> tuple[int, int]:
        start = text.index(quote)
        return start, start + len(quote)

    mouse_mark(page, *span("shameless giveaway"))
    next_exercise(page, False)
    mouse_mark(page, *span("The mayor, Elena Ruiz"), "Source (who says it)")
    mouse_mark(page, *span("said"), "Cue (the saying word)")
    mouse_mark(page, *span("The port will bring four hundred jobs to Harbour Town"), "Content (what is claimed)")
    next_exercise(page, False)
    page.get_by_label("It puts who pays in place of an answer.").check()
    next_exercise(page, False)
    page.get_by_label("Your answer").fill("Who funds the group is not an argument about the risk to the bay.")
    page.get_by_label("Your answer").blur()
    page.wait_for_function("() => document.querySelector('[data-testid=save-state]').dataset.saved === 'true'")
    page.get_by_test_id("submit").click()
    page.get_by_test_id("confirm-submit").click()
    page.get_by_role("heading", name="Your result").wait_for()
    assert page.get_by_test_id("result-ex").count() == 4
    scores = page.locator("[data-testid=result-ex] .rx-score").all_inner_texts()
    assert scores[0] == "1 of 1 point, correct" and scores[2] == "1 of 1 point, correct", scores
    check_screen(page, "studio-05-student-result")


def teacher_exports_the_pack(v: Visit, pack_id: str) -> None:
    """The saved pack downloads from the studio's home as one file: the document the export route gives."""
    v.goto("#/teacher/studio")
    with v.page.expect_download() as info:
        v.page.get_by_role("button", name=re.compile(r"^Export “.+” as a file$")).click()
    assert info.value.suggested_filename == f"{pack_id}.medialit-pack.json"
    downloaded = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert downloaded == v.server.api("GET", f"/studio/packs/{pack_id}/export").json()


def test_teacher_brings_an_article_and_a_student_completes_it(browser: Any, studio_server: Server) -> None:
    klass = studio_server.api("POST", "/classes", json={"name": "Year 11 media"}).json()
    teacher = Visit(browser, studio_server)
    student = Visit(browser, studio_server)
    try:
        teacher_builds_and_assigns(teacher, "Year 11 media")
        saved = studio_server.api("GET", "/studio/packs").json()
        assert [p["id"] for p in saved] == ["harbour"]
        teacher_exports_the_pack(teacher, "harbour")
        student_completes(student, klass["join_code"])
        for v in (teacher, student):
            assert v.page_errors == [] and v.dialogs == [] and v.external_requests() == []
    finally:
        teacher.close()
        student.close()


def test_more_templates_foils_alternatives_and_roles_by_hand(browser: Any, studio_server: Server) -> None:
    """The other templates (multiple choice, match, rewrite), a foil, an extra boundary and roles marked by hand, all by keyboard-free clicks."""
    v = Visit(browser, studio_server)
    page = v.page
    try:
        v.goto("#/teacher/studio")
        page.get_by_label("Teacher token").fill(TEACHER_TOKEN)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_test_id("studio-paste").fill((ROOT / "tests" / "fixtures" / "studio" / "harbour.txt").read_text(encoding="utf-8"))
        page.get_by_label("Pack name for the address").fill("harbour-two")
        page.get_by_test_id("studio-import").click()
        page.get_by_role("heading", name="Studio: Harbour Town “celebrates” the new port deal").wait_for()
        assert page.locator("select[data-block=b00]").input_value() == "headline"

        # attribution: a paraphrase accepted, then its roles marked by hand
        _suggestion(page, "attribution", "The protest group Clean Coast").locator("button", has_text="Accept").click()
        _suggestion(page, "attribution", "Its spokesman, Tom Berg").locator("button", has_text="Accept").click()
        row = page.locator("li.item[data-item=att-2]")
        row.get_by_role("button", name="Mark source, cue and content").click()
        editor_ = "li.item[data-item=att-2] .roles-editor"
        _drag(page, editor_, "Tom", "Berg", "Source (who says it)")
        _drag(page, editor_, "admitted", "admitted", "Cue (the saying word)")
        _drag(page, editor_, "accepted", "money", "Content (what is claimed)")
        row.get_by_text("cue: admitted").wait_for()

        # framing: two spans, one a foil, one with another acceptable boundary
        page.locator("details[data-skill=framing] > summary").click()
        _suggestion(page, "framing", "shameless").locator("button", has_text="Accept").click()
        _suggestion(page, "framing", "Clearly").locator("button", has_text="Accept").click()
        page.locator("li.item[data-item=frm-1]").get_by_role("button", name="Also accept another boundary").click()
        _drag(page, "details[data-skill=framing]", "shameless", "giveaway", "Loaded language")
        page.locator("li.item[data-item=frm-1]", has_text="Also accepted as boundaries").wait_for()
        page.locator("li.item[data-item=frm-2] input[type=checkbox]").click()  # the list redraws at once
        page.locator("li.item[data-item=foil-1]").wait_for()

        def template(kind: str, title: str, prompt: str) -> None:
            page.get_by_test_id("template").select_option(kind)
            page.locator(".template-form [name=ex_title]").fill(title)
            page.locator(".template-form [name=ex_prompt]").fill(prompt)

        template("highlight", "Loaded words", "Mark the words that judge the deal.")
        page.locator(".template-form [name=ex_skill]").select_option("framing")
        _scope(page, "The mayor, Elena Ruiz")  # chosen already: every body paragraph is
        _scope(page, "Its spokesman")
        page.get_by_test_id("add-exercise").click()
        template("multi_choice", "Checks", "Which of these would help you check the claim about the grant?")
        page.locator(".template-form [name=ex_ref]").select_option("att-1")
        page.locator(".template-form [name=ex_option_0]").fill("The foundation's annual report")
        page.locator(".template-form [name=ex_option_1]").fill("The rival company's accounts")
        page.locator(".template-form [name=ex_option_2]").fill("The headline")
        page.locator("#tpl-correct-1").check()
        page.get_by_test_id("add-exercise").click()
        template("match", "Sources", "Match each claim to how it is sourced.")
        page.locator(".template-form [name=ex_items][value=att-1]").check()
        page.locator(".template-form [name=ex_items][value=att-2]").check()
        page.get_by_test_id("add-exercise").click()
        template("rewrite", "Rewrite", "Rewrite the critics' sentence in neutral words.")
        page.locator(".template-form [name=ex_loaded]").select_option("frm-1")
        page.locator(".template-form [name=ex_keep]").fill("Critics, foreign investors")
        page.locator(".template-form [name=ex_model]").fill("Critics said the deal gave too much to foreign investors.")
        page.get_by_test_id("add-exercise").click()
        template("attribution_roles", "Who says so?", "Mark the speaker, the reporting verb and what is said.")
        page.locator(".template-form [name=ex_claim]").select_option("att-2")
        page.get_by_test_id("add-exercise").click()
        assert page.locator("ul.exercises > li").count() == 5

        page.get_by_test_id("lint-ok").wait_for()
        page.get_by_test_id("preview").click()
        page.locator("[data-testid=previews] article.preview").nth(4).wait_for()
        for title in ("Loaded words", "Checks", "Sources", "Who says so?"):
            assert page.locator("article.preview", has_text=title).locator(".preview-scores li").first.inner_text().endswith("(correct)"), title
        page.get_by_test_id("save-pack").click()
        page.get_by_test_id("saved").wait_for()
        draft = studio_server.api("GET", "/studio/packs/harbour-two").json()
        items = {i["id"]: i for i in draft["items"]}
        assert items["att-2"]["roles"]["cue"]["quote"] == "admitted"
        assert items["frm-1"]["alternatives"][0]["quote"] == "shameless giveaway"
        assert items["foil-1"]["skill"] == "foil" and items["foil-1"]["feedback"]
        words = next(e for e in draft["exercises"] if e["title"] == "Loaded words")
        assert words["key"] == ["frm-1"] and words["foils"] == ["foil-1"]
        assert v.page_errors == [] and v.external_requests() == []
    finally:
        v.close()
