"""Exports of grades and keys in the shapes other tools import."""
