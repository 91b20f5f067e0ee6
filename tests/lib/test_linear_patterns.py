"""Every pattern run on user text takes linear time: the e-mail pattern of the audit log's
masking once took 9 s on 40,000 characters (quadratic), and 200,000 got the worker killed.

Two nets: every module-level pattern in gongkai, searched through hostile text; and each place
that runs patterns on what a citizen or a clerk typed, on 1 MB of hostile text, under a budget
that a quadratic pattern misses by minutes."""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
import re
import time

import pytest

import gongkai
from gongkai.interaction import redaction
from gongkai.lib import masking
from gongkai.lib.scan import scan_text
from gongkai.lib.textextract import html_to_text
from gongkai.search import tokens
from gongkai.workdays import notice

MB = 1_000_000
# Runs of one kind of character and the repeats that made patterns backtrack: an address
# without "@", "a@" pairs, digits, dots, spaces, a holiday-notice line of blanks…
SEEDS = ["a", "x-", "a@", "a.", "a@a.", "1", "1 ", "  ", " \n", "机密", "第", "号", "年", "《"]
SEEDS += ["<a"]


def hostile(size: int) -> list[str]:
    return [(seed * (size // len(seed) + 1))[:size] for seed in SEEDS]


def module_patterns() -> dict[str, re.Pattern[str]]:
    found: dict[str, re.Pattern[str]] = {}
    for info in pkgutil.walk_packages(gongkai.__path__, "gongkai."):
        if ".migrations" in info.name or ".management" in info.name:
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found.setdefault(f"{info.name}.{name}", value)
    return found


def timed(func, *args, **kwargs) -> float:
    start = time.perf_counter()
    func(*args, **kwargs)
    return time.perf_counter() - start


def test_every_module_pattern_searches_hostile_text_in_linear_time():
    patterns = module_patterns()
    assert "gongkai.lib.masking._EMAIL" in patterns and len(patterns) > 40
    slow = {}
    texts = hostile(100_000)
    for name, pattern in patterns.items():
        # search: a pattern that tries every start position of a text it does not match is
        # quadratic, and a search that fails (or matches late) shows it without the cost of
        # making a match object for each of 100,000 characters.
        spent = sum(timed(pattern.search, text) for text in texts)
        if spent > 2.0:  # a quadratic one takes minutes here
            slow[name] = round(spent, 2)
    assert not slow, slow


def test_the_email_mask_of_the_audit_log_is_linear_and_still_masks():
    assert timed(masking.mask_text, "x-" * (MB // 2)) < 2.0
    assert timed(masking.mask_text, "a@" * (MB // 2)) < 2.0
    masked = masking.mask_text("来信 wang.xiuying@example.com 已收到")
    assert masked == "来信 w***@example.com 已收到"
    assert masking.mask_text("-----ab@x.cn") == "-***@x.cn"


@pytest.mark.django_db  # the query parser reads the office's synonym groups
def test_user_text_of_a_megabyte_is_scanned_masked_and_tokenised_within_a_budget():
    # One megabyte made of runs of each hostile kind (each run 60 KB or more: a quadratic
    # pattern needs minutes on one of them).
    text = "".join(hostile(MB // len(SEEDS)))
    assert len(text) > MB * 0.99
    spent = {
        "mask": timed(masking.mask_personal, {"note": text}),
        "redact": timed(redaction.findings, text, names=["王秀英"], contacts=["13905451234"]),
        "scan": timed(scan_text, text),
        "html": timed(html_to_text, text),
        "notice": timed(_notice, text),
        "query": timed(_query, text[: tokens.MAX_QUERY_CHARS]),
    }
    assert all(seconds < 10.0 for seconds in spent.values()), spent


def _query(text: str) -> None:
    with contextlib.suppress(tokens.QueryTooLong):
        tokens.parse_query(text)


def _notice(text: str) -> None:
    with contextlib.suppress(notice.NoticeError):
        notice.parse_notice(text, 2026)
