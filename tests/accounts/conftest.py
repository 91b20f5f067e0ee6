"""Township administrators on top of the fixed cast: one for 诸往镇, one for its sibling 夏村镇."""

from __future__ import annotations

import pytest

from gongkai.accounts.models import Role
from tests.factories import make_user


@pytest.fixture
def zhuwang_admin(cast):
    return make_user("zw_admin", full_name="诸往管理员", roles=[(cast.zhuwang, Role.ADMIN)])


@pytest.fixture
def xiacun_admin(cast):
    return make_user("xc_admin", full_name="夏村管理员", roles=[(cast.other_township, Role.ADMIN)])
