"""What a person does in the browser: mark by mouse drag, by touch selection or by keyboard alone."""

from __future__ import annotations

from typing import Any

STAGE = ".stage .markable"


def focused_matches(page: Any, selector: str) -> bool:
    return page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)


def tab_to(page: Any, selector: str, limit: int = 120, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches ``selector``: keyboard only."""
    for _ in range(limit):
        if focused_matches(page, selector):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"Tab never reached {selector!r}")


def word_index(page: Any) -> tuple[list[int], list[int], int]:
    return page.evaluate(
        """() => {
            const ws = [...document.querySelector('.stage .markable').querySelectorAll('.w')];
            return [ws.map(w => +w.dataset.s), ws.map(w => +w.dataset.e), ws.findIndex(w => w.classList.contains('caret'))];
        }"""
    )


def key_mark(page: Any, start: int, end: int, menu_steps: int | None = None) -> None:
    """With the markable text focused: move the caret word by word, extend with Shift, press Enter."""
    assert focused_matches(page, STAGE), "the markable text must have focus"
    starts, ends, caret = word_index(page)
    i, j = starts.index(start), ends.index(end)
    page.keyboard.press("Escape")
    key = "ArrowRight" if i > caret else "ArrowLeft"
    for _ in range(abs(i - caret)):
        page.keyboard.press(key)
    for _ in range(j - i):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Enter")
    if menu_steps is not None:
        page.wait_for_selector("[role=menu]")
        for _ in range(menu_steps):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
    page.wait_for_function("s => document.activeElement && document.activeElement.matches(s)", arg=STAGE)


def mouse_mark(page: Any, start: int, end: int, menu_item: str | None = None) -> None:
    """Drag with the mouse from inside the first word to inside the last; pick a label if asked."""
    first = page.locator(f'{STAGE} .w[data-s="{start}"]')
    last = page.locator(f'{STAGE} .w[data-e="{end}"]')
    first.scroll_into_view_if_needed()
    a = first.bounding_box()
    b = last.bounding_box()
    page.mouse.move(a["x"] + 2, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] - 2, b["y"] + b["height"] / 2, steps=6)
    page.mouse.up()
    if menu_item is not None:
        page.get_by_role("menuitem", name=menu_item).click()
    # The mark is made once the button is up; the text's selection is then cleared.
    page.wait_for_function("() => getSelection().isCollapsed && !document.querySelector('[role=menu]')")


def touch_select_and_mark(page: Any, start: int, end: int) -> None:
    """What a phone does: a selection made with the handles, then a tap on "Mark selection"."""
    page.evaluate(
        """([s, e]) => {
            const a = document.querySelector(`.stage .markable .w[data-s="${s}"]`).firstChild;
            const b = document.querySelector(`.stage .markable .w[data-e="${e}"]`).firstChild;
            const r = document.createRange();
            r.setStart(a, 1); r.setEnd(b, b.length - 1);   // handles rarely land on word edges
            const sel = getSelection(); sel.removeAllRanges(); sel.addRange(r);
        }""",
        [start, end],
    )
    page.wait_for_timeout(50)  # let selectionchange fire, as it does between a phone's touches
    page.locator("[data-testid=mark-selection]").first.tap()


def marks(page: Any) -> list[str]:
    """The quotes in the "Your marks" list of the current exercise."""
    return page.locator(".stage .mark-list .quote").all_inner_texts()
