"""Synonym groups at query time: what a citizen types (新农合, 五保, 低保) and the official terms
the items are written in (新型农村合作医疗, 特困人员供养, 最低生活保障). The office edits the
groups at /staff/search/synonyms/; every process rereads them within `TTL_SECONDS`."""

from __future__ import annotations

import re
import threading
import time

TTL_SECONDS = 30
MAX_WORD_CHARS = 30
MAX_GROUP_WORDS = 12

# The list a new site starts with (migration 0003 seeds it; the office edits it from there).
# Only words a citizen uses for the same thing, never a broader or a related subject.
DEFAULT_GROUPS = [
    "新农合 新型农村合作医疗 农村合作医疗",
    "五保 五保户 五保供养 特困人员供养 特困供养 农村特困人员",
    "一事一议 筹资筹劳",
    "低保 最低生活保障 低保金",
    "医保 医疗保险 医疗保障",
    "城乡居民医保 城乡居民基本医疗保险",
    "社保 社会保险",
    "养老保险 养老保障",
    "城乡居民养老保险 城乡居民基本养老保险 新农保",
    "公积金 住房公积金",
    "危房改造 农村危房改造 危旧房改造",
    "改厕 厕所革命 户厕改造",
    "残疾人补贴 残疾人两项补贴 困难残疾人生活补贴 重度残疾人护理补贴",
    "退伍军人 复员退伍军人 退役军人",
    "三公经费 三公 因公出国（境）费 公务接待费 公务用车购置及运行费",
    "村村通 农村公路 四好农村路",
    "宅基地 农村宅基地",
    "土地流转 土地承包经营权流转 土地经营权流转",
    "粮补 种粮补贴 耕地地力保护补贴",
    "临时救助 急难救助",
    "孤儿 事实无人抚养儿童",
    "征地 土地征收 征收土地",
    "拆迁 房屋征收 征收补偿",
    "依申请公开 申请公开",
    "招聘 招录 招考",
    "防汛 防汛抗旱",
    "护林 森林防火 护林防火",
    "计生 计划生育",
]

_SPLIT = re.compile(r"[\s,，、;；/|]+")


def split_terms(text: str) -> list[str]:
    """The words of a group as the office typed them (spaces, 顿号, commas)."""
    from gongkai.search.tokens import clean

    words = []
    for word in _SPLIT.split(clean(text)):
        word = word.strip().lower()
        if word and word not in words:
            words.append(word[:MAX_WORD_CHARS])
    return words[:MAX_GROUP_WORDS]


_lock = threading.Lock()
_cache: tuple[float, list[list[str]]] | None = None


def groups() -> list[list[str]]:
    """The active groups (each two or more words), reread at most every TTL_SECONDS."""
    global _cache
    now = time.monotonic()
    cached = _cache
    if cached is not None and now - cached[0] < TTL_SECONDS:
        return cached[1]
    from gongkai.search.models import SynonymGroup

    found = []
    for terms in SynonymGroup.objects.filter(is_active=True).values_list("terms", flat=True):
        words = split_terms(terms)
        if len(words) >= 2:
            found.append(words)
    with _lock:
        _cache = (now, found)
    return found


def forget() -> None:
    """Reread the groups at the next query (after an edit in this process)."""
    global _cache
    with _lock:
        _cache = None


def alternatives(text: str) -> list[tuple[int, int, list[str]]]:
    """For each group word found in `text` (longest first, not overlapping), where it is and the
    other words of its groups: [(start, end, [other, ...]), ...] in the order they appear."""
    lowered = text.lower()
    by_word: dict[str, list[str]] = {}
    for words in groups():
        for word in words:
            others = by_word.setdefault(word, [])
            others.extend(w for w in words if w != word and w not in others)
    taken: list[tuple[int, int, str]] = []
    for word in sorted(by_word, key=len, reverse=True):
        start = lowered.find(word)
        while start >= 0:
            end = start + len(word)
            if all(end <= s or start >= e for s, e, _w in taken):
                taken.append((start, end, word))
            start = lowered.find(word, end)
    return [(s, e, by_word[word]) for s, e, word in sorted(taken)]
