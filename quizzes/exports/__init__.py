"""Exports of grades and keys in the shapes other tools import."""

__all__: list[str] = []
