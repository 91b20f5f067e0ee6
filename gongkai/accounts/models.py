"""Units (the unit tree), staff users, their roles scoped to units, and API tokens."""

from __future__ import annotations

import datetime
import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.lib.encrypted_field import EncryptedTextField

DEFAULT_INDEX_TEMPLATE = "{org_code}/{year}-{serial:05d}"


class UnitKind(models.TextChoices):
    CITY = "city", _("市")
    TOWNSHIP = "township", _("镇/街道")
    DEPARTMENT = "department", _("市直部门")
    OFFICE = "office", _("内设机构")
    STATION = "station", _("站所")
    INSTITUTION = "institution", _("事业单位")


class UnitQuerySet(models.QuerySet["Unit"]):
    def organs(self) -> UnitQuerySet:
        return self.filter(is_organ=True)

    def active(self) -> UnitQuerySet:
        return self.filter(is_active=True)

    def subtree_of(self, unit: Unit) -> UnitQuerySet:
        """The unit and every unit below it."""
        return self.filter(path__startswith=unit.path)


class Unit(models.Model):
    """One node of the unit tree. Organs (行政机关) publish under their own name (DOMAIN.md §1)."""

    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("上级单位"),
    )
    # Materialised path of primary keys, "/1/4/9/": a subtree is one indexed prefix query.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    code = models.SlugField(
        _("单位代码"), max_length=40, unique=True, help_text=_("系统内使用的简短代码，如 zhuwang")
    )
    name = models.CharField(_("单位全称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices)
    is_organ = models.BooleanField(
        _("信息公开主体（行政机关）"),
        default=False,
        help_text=_("行政机关以自己名义公开信息、受理申请并编写年度报告"),
    )
    org_code = models.CharField(
        _("组织机构代码"),
        max_length=18,
        blank=True,
        help_text=_("9 位组织机构代码或 18 位统一社会信用代码，作为索引号前段"),
    )
    index_template = models.CharField(
        _("索引号模板"), max_length=80, blank=True, default=DEFAULT_INDEX_TEMPLATE
    )
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    opening_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=60, blank=True)
    fax = models.CharField(_("传真"), max_length=60, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    website = models.URLField(_("网址"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                name="unit_organ_has_org_code",
                condition=Q(is_organ=False) | ~Q(org_code=""),
            ),
            models.CheckConstraint(
                name="unit_organ_has_index_template",
                condition=Q(is_organ=False) | ~Q(index_template=""),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2 if self.path else 0

    def ancestors(self) -> list[Unit]:
        ids = [int(p) for p in self.path.strip("/").split("/") if p][:-1]
        by_id = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
        return [by_id[i] for i in ids if i in by_id]

    def organ(self) -> Unit | None:
        """The disclosure organ this unit works for: itself, or its nearest organ ancestor."""
        if self.is_organ:
            return self
        for unit in reversed(self.ancestors()):
            if unit.is_organ:
                return unit
        return None

    def is_within(self, other: Unit) -> bool:
        return self.path.startswith(other.path)


class User(AbstractUser):
    """A member of staff. Citizens never have accounts."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机"), max_length=30, blank=True)
    # The unit whose administrators look after this account (its roles may lie elsewhere).
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("所属单位"),
    )

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class Role(models.TextChoices):
    DRAFTER = "drafter", _("信息员")
    SECRECY_REVIEWER = "secrecy_reviewer", _("保密审查员")
    OFFICE_REVIEWER = "office_reviewer", _("公开办审核")
    LEADER = "leader", _("签发领导")
    OFFICE_HEAD = "office_head", _("公开办负责人")
    ADMIN = "admin", _("管理员")


class RoleAssignment(models.Model):
    """A role held by a user over a unit and every unit below it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="role_assignments")
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="role_unique_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit.short_name}"


class TokenScope(models.TextChoices):
    """What a token may do. Every token may read what its user may read; a write area lets it
    also change things there (still only what its user may change)."""

    READ = "read", _("只读")
    CATALOG = "catalog", _("主动公开")
    APPLICATIONS = "applications", _("依申请公开")
    INTERACTION = "interaction", _("政民互动")
    REPORTS = "reports", _("年度报告")
    INSPECTION = "inspection", _("网站自查（可用性监测报告）")


WRITE_AREAS = tuple(s for s in TokenScope.values if s != TokenScope.READ)


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once. It ends
    at `expires_at`, when revoked, when its user is deactivated, and when the password changes."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    name = models.CharField(_("用途"), max_length=100, blank=True)
    # Space-separated TokenScope values: "read", or one or more write areas.
    scope = models.CharField(_("权限范围"), max_length=100, default="read")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user_id})"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def areas(self) -> set[str]:
        return {s for s in self.scope.split() if s in WRITE_AREAS}

    def may_write(self, area: str | None) -> bool:
        return area is not None and area in self.areas

    def scope_labels(self) -> list[str]:
        labels = dict(TokenScope.choices)
        return [str(labels[s]) for s in self.scope.split() if s in labels]

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired()


class LoginFailure(models.Model):
    """One failed sign-in; recent rows per account and per address decide the lockout."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} {self.ip or '-'} {self.at:%Y-%m-%d %H:%M:%S}"


class TwoFactorDevice(models.Model):
    """A TOTP authenticator (RFC 6238) enrolled for an account: the second step of sign-in."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="two_factor")
    # The shared secret (base32), encrypted like identity numbers (gongkai.lib.crypto).
    secret = EncryptedTextField(_("密钥"))
    confirmed_at = models.DateTimeField(_("启用时间"), default=timezone.now)
    # The last time step accepted: a code is good once, so a code seen over a shoulder is not.
    last_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("两步验证")
        verbose_name_plural = _("两步验证")

    def __str__(self) -> str:
        return f"{self.user} TOTP"


class RecoveryCode(models.Model):
    """A one-time code that stands in for the authenticator (lost phone). Stored hashed."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("恢复码")
        verbose_name_plural = _("恢复码")
        constraints = [
            models.UniqueConstraint(fields=["user", "digest"], name="recovery_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {'used' if self.used_at else 'unused'}"
