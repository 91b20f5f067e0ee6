"""索引号: assigned at first publication, unique, continuing after imported numbers, safe
under concurrency."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from gongkai.accounts import actions as unit_actions
from gongkai.catalog import actions, importer, indexnum
from gongkai.catalog.models import IndexCounter, Item
from tests.catalog.conftest import make_draft, publish_new
from tests.factories import make_cast


def test_numbers_follow_the_default_template_and_count_up(cast):
    year = timezone.localdate().year
    first, second = publish_new(cast), publish_new(cast, title="第二条")
    assert first.index_number == f"004362519/{year}-00001"
    assert second.index_number == f"004362519/{year}-00002"


def test_a_station_drafts_but_the_township_publishes_under_its_own_code(cast):
    item = publish_new(cast, unit=cast.station, actor=cast.station_drafter)
    assert item.organ == cast.zhuwang and item.unit == cast.station
    assert item.index_number.startswith("004362519/")


def test_the_number_never_changes_with_a_new_version(cast):
    item = publish_new(cast)
    number = item.index_number
    actions.item_new_version(actor=cast.drafter, item=item)
    actions.item_update(actor=cast.drafter, item=item, title="修订后的标题")
    from tests.catalog.conftest import walk

    walk(cast, item, "published")
    item.refresh_from_db()
    assert item.index_number == number
    assert item.published_version.number == 2


def test_generated_numbers_continue_after_the_highest_imported_one(cast):
    year = timezone.localdate().year
    table_rows = (
        "unit,title,index_number,formed_date,published_date\n"
        f"zhuwang,旧文件甲,004362519/{year}-00041,{year}-01-02,{year}-01-03\n"
        f"zhuwang,旧文件乙,,{year}-01-02,{year}-01-03\n"
    ).encode()
    result = importer.import_file(table_rows)
    assert sorted(i.index_number for i in result.imported) == [
        f"004362519/{year}-00041",
        f"004362519/{year}-00042",
    ]
    assert publish_new(cast).index_number == f"004362519/{year}-00043"


def test_an_import_with_a_higher_number_moves_an_existing_counter(cast):
    year = timezone.localdate().year
    publish_new(cast)
    importer.import_file(
        (
            "unit,title,index_number,formed_date,published_date\n"
            f"zhuwang,旧文件,004362519/{year}-00100,{year}-01-02,{year}-01-03\n"
        ).encode()
    )
    assert publish_new(cast, title="新文件").index_number == f"004362519/{year}-00101"


def test_a_custom_template_is_used_and_parsed(cast):
    unit_actions.unit_update(actor=None, unit=cast.zhuwang, index_template="ZW-{year}-{serial:04d}")
    year = timezone.localdate().year
    Item.objects.create(organ=cast.zhuwang, unit=cast.zhuwang, index_number=f"ZW-{year}-0007")
    assert publish_new(cast).index_number == f"ZW-{year}-0008"
    cast.zhuwang.refresh_from_db()
    assert indexnum.parse_number(cast.zhuwang, f"ZW-{year}-0008") == (year, 8)
    assert indexnum.parse_number(cast.zhuwang, "004362519/2017-00001") is None


def test_the_serial_restarts_each_year(cast):
    year = timezone.localdate().year
    with transaction.atomic():
        assert indexnum.next_number(cast.zhuwang, year - 1) == f"004362519/{year - 1}-00001"
        assert indexnum.next_number(cast.zhuwang, year) == f"004362519/{year}-00001"


@pytest.mark.parametrize(
    "template",
    [
        "{org_code}-{year}",
        "{org_code}/{serial}/{serial}",
        "{unknown}/{serial}",
        "{org_code/{serial}",
    ],
)
def test_a_bad_template_is_refused_with_a_message(template):
    with pytest.raises(ValidationError):
        indexnum.validate_template(template)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_publications_never_share_a_number():
    cast = make_cast()
    year = timezone.localdate().year
    threads_n, per_thread = 8, 5
    barrier = threading.Barrier(threads_n)
    taken: list[str] = []
    errors: list[BaseException] = []

    def work():
        try:
            barrier.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    taken.append(indexnum.next_number(cast.zhuwang, year))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(taken) == len(set(taken)) == threads_n * per_thread
    assert (
        IndexCounter.objects.get(organ=cast.zhuwang, year=year).last_serial
        == threads_n * per_thread
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_sign_offs_publish_with_distinct_numbers():
    cast = make_cast()
    items = []
    for n in range(6):
        item = make_draft(cast, title=f"并发发布 {n}")
        from tests.catalog.conftest import walk

        items.append(walk(cast, item, "sign_off"))
    barrier = threading.Barrier(len(items))
    errors: list[BaseException] = []

    def sign(item):
        try:
            barrier.wait()
            actions.item_sign_off(actor=cast.leader, item=item)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(i,)) for i in items]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    numbers = list(Item.objects.values_list("index_number", flat=True))
    assert len(numbers) == len(set(numbers)) == 6 and None not in numbers
