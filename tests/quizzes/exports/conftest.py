"""Fixtures for the export tests: the tiny bank, and the shipped banks when they load."""

from __future__ import annotations

import pytest

from quizzes.bank import Bank
from quizzes.loading import load_bank, load_shipped_banks
from tests.conftest import TINY_PACK


@pytest.fixture(scope="session")
def tiny_bank() -> Bank:
    return load_bank(TINY_PACK)


@pytest.fixture(scope="session")
def shipped_banks() -> dict[str, Bank]:
    """Every shipped bank (a broken shipped pack fails the tests that use it)."""
    return load_shipped_banks()
