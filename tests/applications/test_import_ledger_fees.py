"""The ledger's optional `fee_method` and `fee_quantity` columns (国办函〔2020〕109号): the
schedule decides the amount; a contradicting amount is refused; an amount no schedule yields is
imported with a warning. Files without the columns import as before."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import CommandError

from gongkai.applications.importer import reachable_fee
from gongkai.applications.models import Application, Fee
from tests.applications.test_import_ledger import run, write

HEADER = (
    "unit,received_date,channel,applicant_type,applicant_name,description,"
    "outcome,concluded_date,fee_yuan,fee_method,fee_quantity"
)
ROW = "zhuwang,2025-03-03,in_person,natural_person,{name},名单,3.1,2025-03-20,{fee},{method},{qty}"


def ledger(tmp_path, *rows):
    lines = [HEADER] + [ROW.format(**row) for row in rows]
    return write(tmp_path, "\n".join(lines))


def test_method_and_quantity_give_the_amount_from_the_schedule(cast, tmp_path):
    path = ledger(
        tmp_path,
        {"name": "张三", "fee": "", "method": "按量计收", "qty": "45"},
        {"name": "李四", "fee": "200", "method": "按件", "qty": "31"},
    )
    out, err = run(path)
    assert "已导入 2 条，拒绝 0 条" in out and err == ""
    per_page = Application.objects.get(applicant_name="张三").fee
    assert (per_page.method, per_page.quantity, per_page.amount) == (
        Fee.Method.PER_PAGE,
        45,
        Decimal("150.00"),
    )
    per_item = Application.objects.get(applicant_name="李四").fee
    assert (per_item.method, per_item.quantity, per_item.amount) == (
        Fee.Method.PER_ITEM,
        31,
        Decimal("200.00"),
    )


def test_an_amount_contradicting_method_and_quantity_is_refused(cast, tmp_path):
    path = ledger(tmp_path, {"name": "张三", "fee": "100", "method": "按量计收", "qty": "45"})
    with pytest.raises(CommandError):
        run(path)
    assert not Application.objects.exists()


def test_a_method_without_a_quantity_is_refused(cast, tmp_path):
    path = ledger(tmp_path, {"name": "张三", "fee": "100", "method": "按件计收", "qty": ""})
    with pytest.raises(CommandError):
        run(path)


def test_an_amount_no_schedule_yields_is_imported_with_a_warning(cast, tmp_path):
    path = ledger(
        tmp_path,
        {"name": "张三", "fee": "155", "method": "", "qty": ""},
        {"name": "李四", "fee": "150", "method": "", "qty": ""},
    )
    out, err = run(path)
    assert "已导入 2 条" in out
    assert "第 2 行" in err and "155.00" in err and "请核对" in err
    assert "第 3 行" not in err  # 150 元 = 45 pages 按量
    assert Application.objects.get(applicant_name="张三").fee.method == Fee.Method.LEDGER


def test_reachable_amounts_follow_both_schedules():
    assert reachable_fee(Decimal(100)) and reachable_fee(Decimal(300))  # 按件 11th, 41st
    assert reachable_fee(Decimal(720))  # 按量 101 pages
    assert not reachable_fee(Decimal(705)) and not reachable_fee(Decimal("0.5"))
