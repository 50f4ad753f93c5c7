"""Reading exported QTI items back in tests: a small evaluator of the response processing we emit.

It understands exactly the shapes ``quizzes.exports.qti`` writes (the ``map_response`` template,
``min(sum(map-response...), cap)`` and the all-or-nothing ``match``/``correct`` condition), and
fails loudly on anything else, so an export that drifts from those shapes breaks the tests.
"""

from __future__ import annotations

from fractions import Fraction

from lxml import etree

from quizzes.exports.qti import MAP_RESPONSE, QTI_NS

NS = {"q": QTI_NS}


def q(tag: str) -> str:
    return f"{{{QTI_NS}}}{tag}"


def local(element: etree._Element) -> str:
    return etree.QName(element).localname


def map_response(item: etree._Element, response_id: str, chosen: set[str]) -> Fraction:
    declaration = item.find(f"q:qti-response-declaration[@identifier='{response_id}']", NS)
    assert declaration is not None, response_id
    mapping = declaration.find("q:qti-mapping", NS)
    assert mapping is not None, f"{response_id} has no mapping"
    entries = {e.get("map-key"): Fraction(e.get("mapped-value")) for e in mapping.findall("q:qti-map-entry", NS)}
    default = Fraction(mapping.get("default-value", "0"))
    total = sum((entries.get(key, default) for key in chosen), Fraction(0))
    if mapping.get("lower-bound") is not None:
        total = max(total, Fraction(mapping.get("lower-bound")))
    if mapping.get("upper-bound") is not None:
        total = min(total, Fraction(mapping.get("upper-bound")))
    return total


def correct_values(item: etree._Element, response_id: str) -> set[str]:
    return {v.text for v in item.findall(f"q:qti-response-declaration[@identifier='{response_id}']/q:qti-correct-response/q:qti-value", NS)}


def evaluate(item: etree._Element, chosen: dict[str, set[str]]) -> Fraction:
    """SCORE of ``item`` for the given selections per response identifier."""
    processing = item.find("q:qti-response-processing", NS)
    assert processing is not None
    if processing.get("template") is not None:
        assert processing.get("template") == MAP_RESPONSE
        return map_response(item, "RESPONSE", chosen.get("RESPONSE", set()))
    setter = processing.find("q:qti-set-outcome-value", NS)
    if setter is not None:
        bounded = setter.find("q:qti-min", NS)
        assert bounded is not None
        responses = [m.get("identifier") for m in bounded.findall("q:qti-sum/q:qti-map-response", NS)]
        cap = Fraction(bounded.find("q:qti-base-value", NS).text)
        return min(cap, sum((map_response(item, r, chosen.get(r, set())) for r in responses), Fraction(0)))
    condition = processing.find("q:qti-response-condition", NS)
    assert condition is not None
    branch = condition.find("q:qti-response-if", NS)
    assert branch.find("q:qti-match/q:qti-variable", NS).get("identifier") == "RESPONSE"
    if chosen.get("RESPONSE", set()) == correct_values(item, "RESPONSE"):
        return Fraction(branch.find("q:qti-set-outcome-value/q:qti-base-value", NS).text)
    return Fraction(condition.find("q:qti-response-else/q:qti-set-outcome-value/q:qti-base-value", NS).text)


def hottexts(interaction: etree._Element) -> dict[str, str]:
    return {h.get("identifier"): h.text for h in interaction.iter(q("qti-hottext"))}
