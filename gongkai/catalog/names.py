"""Finding a category, genre or topic by the name someone else gave it (the legacy import, the
alias list): code, exact name, an administrator's alias, the law's own words.

A legacy site's columns are named as the 条例 names them (“社会救助”, “土地征收”, “规范性文件”),
not as this system's seeded tree does (“社会救助情况”, “行政规范性文件”). `LAW_FORMS` lists, per
seeded code, the items of 第二十条 and 第二十一条 as the law writes them; any name also matches with
or without a trailing 情况. A name that matches nothing gets the nearest candidates.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from gongkai.catalog.models import AliasKind, Category, Genre, NameAlias, Topic

# 条例（2019）第二十条 （一）至（十五）项 and 第二十一条 乡（镇）人民政府 items, as written in
# the law, plus the headings real sites shorten them to.
LAW_FORMS: dict[str, dict[str, tuple[str, ...]]] = {
    AliasKind.CATEGORY: {
        "art20-01": ("行政法规、规章和规范性文件", "规范性文件", "行政规范性文件", "规章"),
        "art20-02": (
            "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
            "机关职能",
            "机构设置",
        ),
        "art20-03": ("国民经济和社会发展规划、专项规划、区域规划及相关政策", "规划"),
        "art20-04": ("国民经济和社会发展统计信息", "统计信息"),
        "art20-05": (
            "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
            "行政许可和其他对外管理服务事项",
            "行政许可",
        ),
        "art20-06": (
            "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的"
            "行政处罚决定",
            "行政处罚、行政强制",
            "行政处罚",
            "行政强制",
        ),
        "art20-07": ("财政预算、决算信息", "财政预算、决算", "财政预决算"),
        "art20-08": ("行政事业性收费项目及其依据、标准", "行政事业性收费"),
        "art20-09": ("政府集中采购项目的目录、标准及实施情况", "政府集中采购"),
        "art20-10": ("重大建设项目的批准和实施情况", "重大建设项目"),
        "art20-11": (
            "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
            "扶贫、教育、医疗、社会保障、促进就业",
        ),
        "art20-12": ("突发公共事件的应急预案、预警信息及应对情况", "突发公共事件"),
        "art20-13": (
            "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
            "环境保护、公共卫生、安全生产、食品药品、产品质量",
        ),
        "art20-14": ("公务员招考的职位、名额、报考条件等事项以及录用结果", "公务员招考"),
        "art20-15": ("法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",),
        "art21-01": ("贯彻落实农业农村政策",),
        "art21-02": ("农田水利工程建设运营",),
        "art21-03": ("农村土地承包经营权流转",),
        "art21-04": ("宅基地使用情况审核", "宅基地使用"),
        "art21-05": ("土地征收",),
        "art21-06": ("房屋征收",),
        "art21-07": ("筹资筹劳",),
        "art21-08": ("社会救助",),
    },
    AliasKind.GENRE: {
        "normative": ("规范性文件",),
        "order": ("命令", "令"),
        "programme": ("计划", "方案"),
        "interpretation": ("解读",),
        "annual-report": ("年报", "政府信息公开年度报告", "信息公开年报"),
    },
    AliasKind.TOPIC: {},
}

MODELS: dict[str, type[Category] | type[Genre] | type[Topic]] = {
    AliasKind.CATEGORY: Category,
    AliasKind.GENRE: Genre,
    AliasKind.TOPIC: Topic,
}
LABELS = {
    AliasKind.CATEGORY: "目录分类",
    AliasKind.GENRE: "体裁分类",
    AliasKind.TOPIC: "主题分类",
}

_PUNCT = str.maketrans({"(": "（", ")": "）", ",": "、", "，": "、", ";": "", "；": "", "。": ""})


def normalise(name: Any) -> str:
    """Spacing, half-width brackets and a trailing 情况 do not tell two names apart."""
    text = re.sub(r"\s+", "", str(name or "")).translate(_PUNCT)
    text = re.sub(r"^[（(]?[一二三四五六七八九十]+[）)]、?|^\d+[.、]", "", text)
    return text.removesuffix("情况") or text


HOW = {
    "code": "代码",
    "name": "名称",
    "map": "映射",
    "alias": "别名",
    "law": "条例原文",
    "created": "新建栏目",
}


@dataclass(frozen=True)
class Match:
    target: Any  # Category, Genre or Topic; for "created" the new Category
    how: str  # a key of HOW

    def describe(self) -> str:
        code = getattr(self.target, "code", "")
        return f"{self.target.name}（{code}，按{HOW[self.how]}）"


def _usable(kind: str, unit: Any | None):
    model = MODELS[kind]
    objects = list(model.objects.filter(is_active=True).order_by("pk"))
    if kind == AliasKind.CATEGORY:
        # A unit's own columns come before the global nodes of the same name.
        objects = [
            c for c in objects if c.unit_id is None or (unit is not None and unit.is_within(c.unit))
        ]
        objects.sort(key=lambda c: c.unit_id is None)
    return objects


def find(kind: str, value: str, *, unit: Any | None = None) -> Match | None:
    """The active category (usable by `unit`), genre or topic that `value` names, or None."""
    value = " ".join(str(value or "").split())
    if not value:
        return None
    objects = _usable(kind, unit)
    for obj in objects:
        if obj.code == value:
            return Match(obj, "code")
    for obj in objects:
        if obj.name == value:
            return Match(obj, "name")
    usable = {obj.pk for obj in objects}
    key = normalise(value)
    for alias in NameAlias.objects.filter(kind=kind).select_related(kind):
        target = alias.target
        if target is not None and target.pk in usable and normalise(alias.name) == key:
            return Match(target, "alias")
    law = LAW_FORMS.get(kind, {})
    for obj in objects:
        forms = (obj.name, *law.get(obj.code, ()))
        if any(normalise(form) == key for form in forms):
            return Match(obj, "law")
    return None


def suggestions(kind: str, value: str, *, unit: Any | None = None, limit: int = 3) -> list[Any]:
    """The nearest names to `value`: names that contain it or it contains first, then by
    likeness of characters."""
    key = normalise(value)
    if not key:
        return []
    law = LAW_FORMS.get(kind, {})
    scored: list[tuple[float, int, Any]] = []
    for obj in _usable(kind, unit):
        forms = [obj.name, *law.get(obj.code, ())]
        forms += [a.name for a in obj.aliases.all()]
        best = 0.0
        for form in forms:
            other = normalise(form)
            ratio = difflib.SequenceMatcher(None, key, other).ratio()
            if key in other or other in key:
                ratio += 0.5
            best = max(best, ratio)
        if best >= 0.4:
            scored.append((best, -obj.pk, obj))
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    return [obj for _score, _pk, obj in scored[:limit]]


def not_found_message(kind: str, value: str, *, unit: Any | None = None) -> str:
    label = LABELS[kind]
    message = f"{label}“{value}”不存在"
    if kind == AliasKind.CATEGORY and unit is not None:
        message += "或不属于该单位"
    near = suggestions(kind, value, unit=unit)
    if near:
        names = "、".join(f"{obj.name}（{obj.code}）" for obj in near)
        message += f"。是不是：{names}？"
    else:
        message += "。"
    message += f"可用 --map {value}=代码 指定"
    if kind == AliasKind.CATEGORY:
        message += "，或加 --create-columns 新建为本单位的栏目"
    return message
