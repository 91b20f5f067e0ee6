from gongkai.accounts import permissions


def test_role_on_township_covers_its_stations(cast):
    assert permissions.has_perm(cast.drafter, "catalog.draft", cast.station)
    assert permissions.has_perm(cast.drafter, "unit.view", cast.office)


def test_drafter_of_another_township_sees_nothing_of_zhuwang(cast):
    visible = permissions.units_for(cast.other_drafter, "unit.view")
    assert cast.other_township in visible
    assert not visible.filter(path__startswith=cast.zhuwang.path).exists()
    assert not permissions.has_perm(cast.other_drafter, "unit.view", cast.zhuwang)
    assert not permissions.has_perm(cast.other_drafter, "unit.view", cast.station)


def test_station_drafter_cannot_reach_up_to_the_township(cast):
    assert permissions.has_perm(cast.station_drafter, "catalog.draft", cast.station)
    assert not permissions.has_perm(cast.station_drafter, "catalog.draft", cast.zhuwang)


def test_drafter_cannot_sign_off(cast):
    assert not permissions.has_perm(cast.drafter, "catalog.sign_off", cast.zhuwang)
    assert permissions.has_perm(cast.leader, "catalog.sign_off", cast.zhuwang)
