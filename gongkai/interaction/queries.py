"""Reads used by several pages, the API and the annual report (section 一, 总体情况).

Statistics are per organ and calendar year. An organ's own rows are those of its units that do
not belong to another organ below it (a city's figures do not swallow its townships'), so sums
over organs count nothing twice (DOMAIN.md §1).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from gongkai.accounts import permissions
from gongkai.accounts.models import RoleAssignment, Unit
from gongkai.interaction.models import (
    HotlineCall,
    Letter,
    LetterStatus,
    ReadingVisit,
)
from gongkai.workdays.calendar import WorkCalendar

MONTHS = range(1, 13)


# --- scoping ------------------------------------------------------------------------------------


def staff_units(user) -> QuerySet[Unit]:
    return permissions.units_for(user, "unit.view")


def letters_for_staff(user) -> QuerySet[Letter]:
    """Every letter this member of staff may see; a sibling township's never."""
    return Letter.objects.visible_to(staff_units(user)).select_related("unit", "forwarded_to")


def calls_for_staff(user) -> QuerySet[HotlineCall]:
    return HotlineCall.objects.filter(unit__in=staff_units(user)).select_related(
        "unit", "letter", "application"
    )


def visits_for_staff(user) -> QuerySet[ReadingVisit]:
    return ReadingVisit.objects.filter(unit__in=staff_units(user)).select_related("unit", "staff")


def applications_for_staff(user):
    """Applications a hotline call may be linked to: those of the user's organs."""
    from gongkai.applications.models import Application

    return Application.objects.filter(organ__in=staff_units(user))


def units_with_role(user, role: str) -> QuerySet[Unit]:
    """Units where `user` holds exactly `role` (on the unit or above it)."""
    if user.is_authenticated and user.is_superuser:
        return Unit.objects.all()
    if not user.is_authenticated:
        return Unit.objects.none()
    paths = set(
        RoleAssignment.objects.filter(user=user, role=role, unit__is_active=True).values_list(
            "unit__path", flat=True
        )
    )
    if not paths:
        return Unit.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return Unit.objects.filter(condition)


def handling_units(user) -> QuerySet[Unit]:
    return permissions.units_for(user, "interaction.handle")


def forward_targets(organ: Unit) -> QuerySet[Unit]:
    """Departments a letter of `organ` may be forwarded to: its own units below it."""
    return Unit.objects.filter(pk__in=[u.pk for u in own_units(organ) if u.pk != organ.pk])


def own_units(organ: Unit) -> list[Unit]:
    """`organ` and the units below it that do not belong to another organ further down."""
    subtree = list(Unit.objects.subtree_of(organ).order_by("path"))
    other_organs = [u.path for u in subtree if u.is_organ and u.pk != organ.pk]
    return [u for u in subtree if not any(u.path.startswith(p) for p in other_organs)]


# --- the public side ----------------------------------------------------------------------------

# Computed once: checking a made-up number costs as much as checking a real one.
_DUMMY_HASH: list[str] = []


def find_letter(number: str, code: str) -> Letter | None:
    """The letter with this number whose query code matches; None otherwise, whichever was
    wrong (the caller shows one message for both, so numbers cannot be probed)."""
    from gongkai.interaction.actions import normalise_code

    number = (number or "").strip()
    code = normalise_code(code)
    letter = (
        Letter.objects.select_related("unit", "answered_unit").filter(number=number).first()
        if number.isdigit() and len(number) <= 20
        else None
    )
    if letter is None:
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(make_password("not-a-real-code"))
        check_password(code, _DUMMY_HASH[0])
        return None
    if not code or not check_password(code, letter.query_code_hash):
        return None
    return letter


def mailbox_organs() -> QuerySet[Unit]:
    """Organs whose mailbox takes letters (no settings row means open)."""
    return Unit.objects.organs().active().exclude(mailbox_settings__is_open=False).order_by("path")


def published_letters(
    *, unit: Unit | None = None, year: int | None = None, q: str = ""
) -> QuerySet[Letter]:
    letters = Letter.objects.published().select_related("unit", "answered_unit")
    if unit is not None:
        letters = letters.filter(unit=unit)
    if year:
        letters = letters.filter(published_at__year=year)
    q = (q or "").replace("\x00", "").strip()[:50]
    if q:
        letters = letters.filter(
            Q(public_subject__icontains=q)
            | Q(public_content__icontains=q)
            | Q(public_reply__icontains=q)
        )
    return letters.order_by("-published_at", "-id")


# --- statistics ---------------------------------------------------------------------------------


@dataclass
class LetterStats:
    received: int = 0
    answered: int = 0
    published: int = 0
    spam: int = 0
    open: int = 0
    overdue_forwarded: int = 0
    avg_workdays: float | None = None
    median_workdays: float | None = None
    # Letters answered in the year whose working days could not be counted (no calendar data).
    uncounted: int = 0  # letters whose count is provisional (a year without a notice)
    missing_years: list[int] = field(default_factory=list)
    by_month: list[dict[str, int]] = field(default_factory=list)


def _by_month(rows) -> dict[int, int]:
    return {row["month"]: row["n"] for row in rows}


def letter_stats(organ: Unit, year: int) -> LetterStats:
    letters = Letter.objects.filter(unit=organ)
    received = letters.filter(received_at__year=year).exclude(status=LetterStatus.SPAM)
    answered = letters.filter(answered_at__year=year)
    published = letters.filter(published_at__year=year, status=LetterStatus.PUBLISHED)
    stats = LetterStats(
        received=received.count(),
        answered=answered.count(),
        published=published.count(),
        spam=letters.filter(received_at__year=year, status=LetterStatus.SPAM).count(),
        open=received.filter(status__in=[LetterStatus.RECEIVED, LetterStatus.FORWARDED]).count(),
    )
    calendar = WorkCalendar()
    durations: list[int] = []
    missing: set[int] = set()
    for received_at, answered_at in answered.values_list("received_at", "answered_at"):
        start, end = timezone.localdate(received_at), timezone.localdate(answered_at)
        durations.append(calendar.workdays_between(start, end))
        # Counted through a year without a notice: provisional (by the statutory holidays).
        years = calendar.provisional_years(start, end)
        if years:
            missing.update(years)
            stats.uncounted += 1
    if durations:
        stats.avg_workdays = round(sum(durations) / len(durations), 1)
        stats.median_workdays = statistics.median(durations)
    stats.missing_years = sorted(missing)
    stats.overdue_forwarded = sum(
        1 for letter in letters.filter(status=LetterStatus.FORWARDED) if letter.is_overdue
    )
    got = {
        "received": _by_month(
            received.annotate(month=ExtractMonth("received_at"))
            .values("month")
            .annotate(n=Count("id"))
        ),
        "answered": _by_month(
            answered.annotate(month=ExtractMonth("answered_at"))
            .values("month")
            .annotate(n=Count("id"))
        ),
        "published": _by_month(
            published.annotate(month=ExtractMonth("published_at"))
            .values("month")
            .annotate(n=Count("id"))
        ),
    }
    stats.by_month = [{"month": m, **{k: got[k].get(m, 0) for k in got}} for m in MONTHS]
    return stats


@dataclass
class HotlineStats:
    calls: int = 0
    follow_up_needed: int = 0
    follow_up_done: int = 0
    by_caller_type: dict[str, int] = field(default_factory=dict)
    by_month: list[dict[str, int]] = field(default_factory=list)


def hotline_stats(organ: Unit, year: int) -> HotlineStats:
    calls = HotlineCall.objects.filter(
        unit__in=[u.pk for u in own_units(organ)], called_at__year=year
    )
    totals = calls.aggregate(
        n=Count("id"),
        need=Count("id", filter=Q(follow_up_needed=True)),
        done=Count("id", filter=Q(follow_up_done=True)),
    )
    months = _by_month(
        calls.annotate(month=ExtractMonth("called_at")).values("month").annotate(n=Count("id"))
    )
    types = {
        row["caller_type"]: row["n"] for row in calls.values("caller_type").annotate(n=Count("id"))
    }
    return HotlineStats(
        calls=totals["n"],
        follow_up_needed=totals["need"],
        follow_up_done=totals["done"],
        by_caller_type=types,
        by_month=[{"month": m, "calls": months.get(m, 0)} for m in MONTHS],
    )


@dataclass
class ReadingStats:
    visits: int = 0
    copies_pages: int = 0
    items_shown: int = 0
    by_month: list[dict[str, int]] = field(default_factory=list)


def reading_stats(organ: Unit, year: int) -> ReadingStats:
    visits = ReadingVisit.objects.filter(
        unit__in=[u.pk for u in own_units(organ)], visited_on__year=year
    )
    totals = visits.aggregate(n=Count("id"), pages=Sum("copies_pages"))
    items = ReadingVisit.items.through.objects.filter(readingvisit__in=visits).count()
    months = {
        row["month"]: row
        for row in visits.annotate(month=ExtractMonth("visited_on"))
        .values("month")
        .annotate(n=Count("id"), pages=Sum("copies_pages"))
    }
    return ReadingStats(
        visits=totals["n"],
        copies_pages=totals["pages"] or 0,
        items_shown=items,
        by_month=[
            {
                "month": m,
                "visits": months.get(m, {}).get("n", 0),
                "copies_pages": months.get(m, {}).get("pages") or 0,
            }
            for m in MONTHS
        ],
    )


@dataclass
class InteractionSummary:
    organ: Unit
    year: int
    letters: LetterStats
    hotline: HotlineStats
    reading: ReadingStats

    def as_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return {
            "unit": self.organ.name,
            "unit_code": self.organ.code,
            "year": self.year,
            "letters": asdict(self.letters),
            "hotline": asdict(self.hotline),
            "reading": asdict(self.reading),
        }

    def sentence(self) -> str:
        """A draft sentence for section 一 of the annual report, figures filled in."""
        from django.utils.translation import gettext as _

        letters, parts = self.letters, []
        text = _("全年通过网站信箱收到群众来信 %(received)s 封，答复 %(answered)s 封") % {
            "received": letters.received,
            "answered": letters.answered,
        }
        if letters.avg_workdays is not None:
            text += _("，平均 %(avg)s 个工作日答复") % {"avg": letters.avg_workdays}
        parts.append(text + _("，经审核公开 %(n)s 封") % {"n": letters.published})
        phone = f"（{self.organ.phone}）" if self.organ.phone else ""
        parts.append(
            _("热线电话%(phone)s接听并登记来电 %(n)s 个")
            % {"phone": phone, "n": self.hotline.calls}
        )
        parts.append(
            _("政府信息查阅点接待查阅 %(n)s 人次，提供复印件 %(pages)s 页")
            % {"n": self.reading.visits, "pages": self.reading.copies_pages}
        )
        return "；".join(parts) + "。"


def interaction_summary(organ: Unit, year: int) -> InteractionSummary:
    return InteractionSummary(
        organ=organ,
        year=year,
        letters=letter_stats(organ, year),
        hotline=hotline_stats(organ, year),
        reading=reading_stats(organ, year),
    )
