from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def notice_text(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


@pytest.fixture
def notice_2027() -> str:
    return notice_text("notice_2027_invented.txt")
