"""Portal tests: the search tests' fixtures (items published through the real workflow or the
catalog import, with the after-commit indexing run)."""

from tests.search.conftest import (  # noqa: F401  (fixtures)
    _media_in_tmp,
    commit,
    import_item,
    publish,
    publish_with_file,
)
