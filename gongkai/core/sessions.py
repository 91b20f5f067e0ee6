"""Sessions with several servers (REDIS_URL set): Django's cached_db store, which keeps every
session in the database and reads it through the shared cache, made to carry on with the
database alone while Redis is unreachable (Django's own store already does so for reading and
saving, not for re-caching a session read from the database, checking a new key or deleting one:
every page, signing in and signing out would fail)."""

from __future__ import annotations

import logging

from django.contrib.sessions.backends import cached_db, db

logger = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    def load(self) -> dict:
        try:
            return super().load()
        except Exception:
            logger.warning("session cache unreachable; reading the database only", exc_info=True)
            return db.SessionStore.load(self)

    def exists(self, session_key: str) -> bool:
        try:
            return super().exists(session_key)
        except Exception:
            logger.warning("session cache unreachable; checking the database only", exc_info=True)
            return db.SessionStore.exists(self, session_key)

    def delete(self, session_key: str | None = None) -> None:
        try:
            super().delete(session_key)  # the database row goes first, then the cached copy
        except Exception:
            # The row is gone, so once its cached copy expires (within SESSION_COOKIE_AGE at
            # most) or Redis restarts empty, the session is over everywhere.
            logger.error("session cache unreachable; a deleted session stays cached", exc_info=True)
