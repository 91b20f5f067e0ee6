"""The optional public register of answered requests (per organ, OrganSettings.public_register,
off by default): staff choose per case whether it goes in, in what words, and with which of the
released files. The register never names the applicant: the subject is checked against the
applicant's identity and contacts, and the words and files go through the personal-data and
classification checks (gongkai.lib.scan) before anything is shown."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.applications.actions import _base as base
from gongkai.applications.models import Application, CaseFile, OrganSettings, State
from gongkai.lib import scan

REGISTER_STATES = {State.REPLIED, State.ARCHIVED}


def register_enabled(organ: Any) -> bool:
    return OrganSettings.objects.filter(organ=organ, public_register=True).exists()


def _identity_in(app: Application, text: str) -> list[str]:
    marks = [app.applicant_name, app.id_doc_number, app.credit_code, app.phone, app.email]
    marks += [app.contact_name, app.legal_representative, app.address]
    return [m for m in marks if m and len(m.strip()) >= 2 and m.strip() in text]


BLOCKING = {"high", "medium"}  # classification marks, 身份证, bank cards, mobile numbers


def _allow(app: Application) -> dict[str, list[str]]:
    return {"phones": [app.organ.phone]} if app.organ.phone else {}


def _check_file(item: CaseFile, confirmed: bool) -> None:
    app = item.application
    try:
        with item.file.open("rb") as handle:
            result = scan.scan_file(handle.read(), item.name, allow=_allow(app))
    except (OSError, scan.ExtractError):
        result = None
    if result is None or not result.readable:
        if not confirmed:
            raise ValidationError(
                {
                    "files_checked": _(
                        "文件「%(name)s」无法自动检查（扫描件或图片），请逐页查看确认不含个人信息"
                        "和涉密内容后勾选确认。"
                    )
                    % {"name": item.name}
                }
            )
        return
    serious = [f for f in result.findings if f.severity in BLOCKING]
    if serious:
        raise ValidationError(
            _("文件「%(name)s」含有不应公开的内容，不能列入登记簿：%(list)s")
            % {
                "name": item.name,
                "list": "；".join(f"{scan.KIND_LABELS[f.kind]}「{f.text}」" for f in serious[:5]),
            }
        )


@transaction.atomic
def application_register_publish(
    *,
    actor: Any,
    application: Application,
    subject: str,
    files: list[CaseFile] | None = None,
    files_checked: bool = False,
) -> Application:
    """Put an answered request in the public register: `subject` (the request in the office's
    words), its dates and decision type, and the chosen `files` among those released."""
    app = base.lock(application)
    base.require(actor, "applications.handle", app, department_ok=True)
    if not register_enabled(app.organ):
        raise ValidationError(_("本机关未开启公开登记簿（在“依申请公开设置”中开启）。"))
    if app.state not in REGISTER_STATES or app.reply_date is None:
        raise ValidationError(_("只有已答复的申请才能列入登记簿。"))
    subject = " ".join(subject.split())
    if not subject:
        raise ValidationError({"subject": _("请填写列入登记簿的申请事项。")})
    found = _identity_in(app, subject)
    if found:
        raise ValidationError(
            {"subject": _("登记簿不得出现申请人的身份信息：%(list)s") % {"list": "、".join(found)}}
        )
    serious = [f for f in scan.scan_text(subject, allow=_allow(app)) if f.severity in BLOCKING]
    if serious:
        raise ValidationError(
            {
                "subject": _("申请事项中含有不应公开的内容：%(list)s")
                % {"list": "；".join(f"{scan.KIND_LABELS[f.kind]}「{f.text}」" for f in serious)}
            }
        )
    chosen = list(files or [])
    released = set(app.files.filter(purpose=CaseFile.Purpose.PROVIDED).values_list("pk", flat=True))
    if any(item.pk not in released for item in chosen):
        raise ValidationError({"files": _("只能选择随答复公开的文件。")})
    for item in chosen:
        _check_file(item, files_checked)
    before = base.before(app)
    app.register_subject = subject
    app.register_published_at = timezone.now()
    app.save(update_fields=["register_subject", "register_published_at", "updated_at"])
    app.files.update(in_register=False)
    CaseFile.objects.filter(pk__in=[item.pk for item in chosen]).update(in_register=True)
    base.event(app, "register_published", _("列入公开登记簿"), actor=actor)
    base.audit(actor, "register_publish", app, before, note=subject)
    return app


@transaction.atomic
def application_register_withdraw(*, actor: Any, application: Application) -> Application:
    app = base.lock(application)
    base.require(actor, "applications.handle", app, department_ok=True)
    if app.register_published_at is None:
        raise ValidationError(_("本申请不在登记簿中。"))
    before = base.before(app)
    app.register_published_at = None
    app.save(update_fields=["register_published_at", "updated_at"])
    app.files.update(in_register=False)
    base.event(app, "register_withdrawn", _("撤出公开登记簿"), actor=actor)
    base.audit(actor, "register_withdraw", app, before)
    return app
