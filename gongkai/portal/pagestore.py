"""The page cache's store on the embedded default: Django's file cache without compression.

Django's FileBasedCache compresses every value with zlib; for stored pages that is a
decompression of tens of kilobytes on every hit, the largest part of a hit's cost. Disk is
cheap here, so values are written as plain pickles. Writes stay atomic (a temporary file renamed
over the old one), so the gunicorn workers sharing the directory never read half a page.
"""

from __future__ import annotations

import pickle

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks


class PageFileCache(FileBasedCache):
    cache_suffix = ".page"  # never mistaken for (or read as) a compressed djcache file

    def get(self, key, default=None, version=None):
        try:
            with open(self._key_to_file(key, version), "rb") as f:
                if not self._is_expired(f):
                    return pickle.load(f)  # noqa: S301 - our own files in the data directory
        except (FileNotFoundError, EOFError, pickle.UnpicklingError):
            pass
        return default

    def _write_content(self, file, timeout, value):
        file.write(pickle.dumps(self.get_backend_timeout(timeout), self.pickle_protocol))
        file.write(pickle.dumps(value, self.pickle_protocol))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            with open(self._key_to_file(key, version), "r+b") as f:
                try:
                    locks.lock(f, locks.LOCK_EX)
                    if self._is_expired(f):
                        return False
                    previous = pickle.load(f)  # noqa: S301
                    f.seek(0)
                    self._write_content(f, timeout, previous)
                    f.truncate()
                    return True
                finally:
                    locks.unlock(f)
        except FileNotFoundError:
            return False
