"""One backend per database engine, behind the same small interface (`base.Backend`)."""

from __future__ import annotations

from django.db import connection

from gongkai.search.backends.base import Backend


def get_backend() -> Backend:
    if connection.vendor == "postgresql":
        from gongkai.search.backends.postgres import PostgresBackend

        return PostgresBackend()
    if connection.vendor == "sqlite":
        from gongkai.search.backends.sqlite import SqliteBackend

        return SqliteBackend()
    raise RuntimeError(f"no search backend for the {connection.vendor} database")
