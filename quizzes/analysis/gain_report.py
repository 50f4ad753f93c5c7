"""Render a learning-gain result: a Markdown report and an SVG bar chart a teacher can project.

Pure: a ``ClassGain`` in, text out. Shares are shown as percentages, gains in percentage points, and
Hake's g to two decimals; rounding happens only here.
"""

from __future__ import annotations

import html
from fractions import Fraction

from quizzes.analysis.gain import TOTAL, ClassGain, SkillGain
from quizzes.outcome import Discernment

__all__ = ["render_gain_markdown", "render_gain_svg"]

_NAMES = {"attribution": "Attribution", "framing": "Loaded framing", "funding": "Funding arguments",
          "provenance": "Provenance", "lateral_reading": "Lateral reading", TOTAL: "All skills"}


def _name(skill: str) -> str:
    return _NAMES.get(skill, skill.replace("_", " ").capitalize())


def _pct(share: Fraction) -> str:
    return f"{float(share) * 100:.0f}%"


def _points(gain: Fraction) -> str:
    return f"{float(gain) * 100:+.0f}"


def _g(value: Fraction | None) -> str:
    return "—" if value is None else f"{float(value):.2f}"


def _discernment_row(label: str, d: Discernment | None) -> str:
    if d is None:
        return f"| {label} | — | — | — |"
    return f"| {label} | {d.hits} of {d.hits + d.misses} | {d.false_alarms} | {float(d.balanced_accuracy):.2f} |"


def render_gain_markdown(result: ClassGain, pre_name: str, post_name: str) -> str:
    lines = [
        f"# Learning gain: {pre_name} → {post_name}",
        "",
        f"{len(result.students)} student(s) with both attempts.",
        "",
        "## The class, per skill",
        "",
        "| skill | before | after | raw gain (points) | normalised gain g |",
        "|---|---|---|---|---|",
    ]
    for gain in result.by_skill.values():
        lines.append(f"| {_name(gain.skill)} | {_pct(gain.pre)} | {_pct(gain.post)} | {_points(gain.raw)} | {_g(gain.normalised)} |")
    lines += [
        "",
        "g is the share of the possible improvement that was made: (after − before) / (100% − before),",
        "on the class means (Hake's definition). As a rough guide, g below 0.3 is a low gain, 0.3–0.7 medium,",
        "above 0.7 high.",
        "",
        "## Discernment in the marking exercises",
        "",
        "| | key spans found | false alarms | balanced accuracy |",
        "|---|---|---|---|",
        _discernment_row("before", result.discernment_pre),
        _discernment_row("after", result.discernment_post),
        "",
        "Balanced accuracy is 0.50 for marking everything or nothing; more hits with fewer false alarms",
        "means students find techniques without flagging plain words.",
        "",
        "## Each student",
        "",
        "| student | before | after | raw gain (points) | g |",
        "|---|---|---|---|---|",
    ]
    for student in result.students:
        total = student.by_skill.get(TOTAL)
        if total is not None:
            lines.append(f"| {_cell(student.student)} | {_pct(total.pre)} | {_pct(total.post)} | {_points(total.raw)} | {_g(total.normalised)} |")
    if result.only_pre or result.only_post:
        lines += ["", "## Not paired", ""]
        if result.only_pre:
            lines.append(f"- Only a first attempt: {', '.join(_cell(s) for s in result.only_pre)}")
        if result.only_post:
            lines.append(f"- Only a second attempt: {', '.join(_cell(s) for s in result.only_post)}")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_gain_svg(result: ClassGain, pre_name: str, post_name: str) -> str:
    """Two bars per skill (before, after) on a 0–100% scale, with g above each pair."""
    rows: list[SkillGain] = list(result.by_skill.values())
    width, height, left, bottom, top = 140 + 130 * max(len(rows), 1), 380, 60, 70, 50
    plot_h = height - bottom - top
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="sans-serif" font-size="14" role="img">',
        f"<title>Learning gain per skill, {html.escape(pre_name)} to {html.escape(post_name)}</title>",
        f'<text x="{left}" y="24" font-size="18" font-weight="bold">Before and after, per skill '
        f"({len(result.students)} students)</text>",
    ]
    for tick in range(0, 101, 25):
        y = top + plot_h - plot_h * tick / 100
        out.append(f'<line x1="{left}" x2="{width - 20}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc"/>')
        out.append(f'<text x="{left - 8}" y="{y + 5:.1f}" text-anchor="end">{tick}%</text>')
    for index, gain in enumerate(rows):
        x = left + 20 + 130 * index
        for offset, share, fill, pattern in ((0, gain.pre, "#9ab", "before"), (48, gain.post, "#246", "after")):
            h = plot_h * float(share)
            out.append(f'<rect x="{x + offset}" y="{top + plot_h - h:.1f}" width="44" height="{h:.1f}" fill="{fill}">'
                       f"<title>{_name(gain.skill)}, {pattern}: {_pct(share)}</title></rect>")
        out.append(f'<text x="{x + 46}" y="{top + plot_h + 22}" text-anchor="middle">{html.escape(_name(gain.skill))}</text>')
        out.append(f'<text x="{x + 46}" y="{top + plot_h + 42}" text-anchor="middle">g = {_g(gain.normalised)}</text>')
    out.append(f'<rect x="{width - 230}" y="34" width="14" height="14" fill="#9ab"/><text x="{width - 210}" y="46">before</text>')
    out.append(f'<rect x="{width - 140}" y="34" width="14" height="14" fill="#246"/><text x="{width - 120}" y="46">after</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
