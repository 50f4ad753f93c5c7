"""Exact fractions in pack files and wire models: written as strings such as ``"1/2"`` or ``"0.25"``."""

from __future__ import annotations

from fractions import Fraction
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

__all__ = ["FractionField", "parse_fraction"]


def parse_fraction(value: Any) -> Fraction:
    """Accept ``Fraction``, int, a decimal or ``"a/b"`` string; reject floats' binary noise by going via str."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise ValueError("a fraction cannot be a boolean")
    if isinstance(value, (int, str)):
        try:
            return Fraction(str(value).strip())
        except (ValueError, ZeroDivisionError) as error:
            raise ValueError(f"not a fraction: {value!r}") from error
    if isinstance(value, float):
        return Fraction(str(value))
    raise ValueError(f"not a fraction: {value!r}")


FractionField = Annotated[
    Fraction,
    BeforeValidator(parse_fraction),
    PlainSerializer(lambda f: f"{f.numerator}/{f.denominator}" if f.denominator != 1 else str(f.numerator), return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^-?\d+(/\d+|\.\d+)?$", "examples": ["1/2"]}),
]
