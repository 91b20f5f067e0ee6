"""State changes of applications (依申请公开). Import from here:

    from gongkai.applications import actions
    receipt = actions.application_register(actor=user, organ=organ, channel="in_person", ...)

Every function takes keyword arguments only, runs in one transaction, checks the actor's
permission first (actor None is the system: jobs and operator commands; views always pass the
user), allows only the transitions in `TRANSITIONS`, writes one audit row and a timeline event,
and queues e-mail in the same transaction. User errors raise django's ValidationError with a
Chinese message (by field where there is one) and change nothing; a missing permission raises
PermissionDenied.

Lifecycle (条例45 登记 → 审核 → 办理 → 答复 → 归档):

    submit_online ─→ pending_confirmation ─confirm_receipt→ registered ←─ register
                                          └─discard→ discarded
    registered ─assign→ processing ─draft_reply→ awaiting_sign_off ─sign_off→ signed
               ─mark_replied→ replied ─archive→ archived
    registered/processing ─request_correction→ correction ─receive_correction→ (back)
                                                          └─(job) expired → closed 3.6.1
    registered/processing ─excessive_notice→ (same; 条例35 asks for the reason, the clock runs)
                          ─excessive (answer weighed)→ 3.5.4 drafted, or a later deadline
    registered/processing ─fee_notice→ fee_pending ─fee_paid→ (back)
                                                   └─(job) expired → closed 3.6.2
    any open state ─withdraw→ closed 3.6.3 ─archive→ archived
"""

from gongkai.applications.actions._base import TRANSITIONS
from gongkai.applications.actions.applicant import (
    application_correct_online,
    application_rate,
    application_resend_code,
)
from gongkai.applications.actions.clock import (
    application_consult,
    application_consultation_delivered,
    application_consultation_reply,
    application_correction_expired,
    application_excessive,
    application_excessive_answer,
    application_excessive_notice,
    application_extend,
    application_extend_approve,
    application_fee_expired,
    application_fee_notice,
    application_fee_paid,
    application_receive_correction,
    application_request_correction,
    consultation_timeout,
)
from gongkai.applications.actions.handling import (
    application_add_file,
    application_archive,
    application_assign,
    application_draft_reply,
    application_mark_replied,
    application_promote_to_proactive,
    application_sign_off,
    application_withdraw,
    letter_record,
)
from gongkai.applications.actions.intake import (
    Receipt,
    application_confirm_receipt,
    application_discard,
    application_register,
    application_reveal_identity,
    application_submit_online,
    clean_applicant,
    identities_reencrypt,
)
from gongkai.applications.actions.register import (
    application_register_publish,
    application_register_withdraw,
)
from gongkai.applications.actions.remedies import remedy_record, remedy_set_result

__all__ = [
    "TRANSITIONS",
    "Receipt",
    "application_add_file",
    "application_archive",
    "application_assign",
    "application_confirm_receipt",
    "application_consult",
    "application_consultation_delivered",
    "application_consultation_reply",
    "application_correct_online",
    "application_correction_expired",
    "application_discard",
    "application_draft_reply",
    "application_excessive",
    "application_excessive_answer",
    "application_excessive_notice",
    "application_extend",
    "application_extend_approve",
    "application_fee_expired",
    "application_fee_notice",
    "application_fee_paid",
    "application_mark_replied",
    "application_promote_to_proactive",
    "application_rate",
    "application_receive_correction",
    "application_register",
    "application_register_publish",
    "application_register_withdraw",
    "application_request_correction",
    "application_resend_code",
    "application_reveal_identity",
    "application_sign_off",
    "application_submit_online",
    "application_withdraw",
    "clean_applicant",
    "consultation_timeout",
    "identities_reencrypt",
    "letter_record",
    "remedy_record",
    "remedy_set_result",
]
