"""Logging filters (settings.LOGGING)."""

from __future__ import annotations

import logging


class OneLineForbidden(logging.Filter):
    """A refused request (403) is an expected event, not an error in the code: log it in one line
    (path, who, why) instead of with the PermissionDenied traceback Django attaches."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 403:
            return True
        request = getattr(record, "request", None)
        user = getattr(request, "user", None)
        who = getattr(user, "username", "") or "anonymous"
        reason = ""
        if record.exc_info and record.exc_info[1] is not None:
            reason = str(record.exc_info[1]).replace("\n", " ")[:300]
        method = getattr(request, "method", "")
        record.msg = "%s %s %s user=%s%s"
        record.args = (
            "Forbidden",
            method,
            getattr(request, "path", "-"),
            who,
            f" reason={reason}" if reason else "",
        )
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True
