"""`gongkai import-catalog` on legacy exports as real sites write them: the law's short names for
categories, other column titles, GB18030 and XLSX, --dry-run, --map, --map-file,
--create-columns, and the nearest names when nothing matches."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.audit.models import AuditEntry
from gongkai.catalog import actions, names
from gongkai.catalog.models import AliasKind, Category, Genre, Item, NameAlias
from tests.lib.files import make_xlsx

# A township's old CMS export: its own column titles, the law's words for the categories.
LEGACY_CSV = (
    "信息名称,发文机关,印发日期,公开日期,发文字号,栏目,文种,时效,内容\n"
    "诸往镇2016年低保对象名单公示,zhuwang,2016-03-01,2016-03-03,,社会救助,公示,有效,<p>名单</p>\n"
    "诸往镇土地征收补偿标准,zhuwang,2016-04-01,2016-04-05,诸政发[2016]4号,土地征收,通知,,\n"
    "诸往镇一事一议筹资筹劳方案,zhuwang,2016-05-01,2016-05-02,,筹资筹劳情况,计划、方案,,\n"
    "诸往镇村规民约管理办法,zhuwang,2016-06-01,2016-06-08,诸政发[2016]6号,规范性文件,"
    "规范性文件,有效,\n"
)


def _run(tmp_path, name, content, *args):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    out, err = StringIO(), StringIO()
    call_command("import-catalog", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _fails(tmp_path, name, content, *args):
    err = StringIO()
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(CommandError) as failed:
        call_command("import-catalog", str(path), *args, stdout=StringIO(), stderr=err)
    assert failed.value.returncode == 2
    return str(failed.value) + "\n" + err.getvalue()


def test_gb18030_csv_with_law_short_names_dry_run_shows_mapping_then_imports(cast, tmp_path):
    data = LEGACY_CSV.encode("gb18030")
    out, _ = _run(tmp_path, "legacy.csv", data, "--dry-run")
    assert "表头：“信息名称” → 名称（title）" in out
    assert "表头：“发文机关” → 发布机构（unit）" in out
    assert "表头：“印发日期” → 成文日期（formed_date）" in out
    assert "表头：“公开日期” → 发布日期（published_date）" in out
    assert "表头：“时效” → 有效性（validity）" in out
    assert "映射：目录分类“社会救助” → 社会救助情况（art21-08，按条例原文）" in out
    assert "映射：目录分类“土地征收” → 土地征收情况（art21-05，按条例原文）" in out
    assert "映射：目录分类“规范性文件” → 行政法规、规章和规范性文件（art20-01，按条例原文）" in out
    assert "映射：体裁分类“规范性文件” → 行政规范性文件（normative，按条例原文）" in out
    assert "映射：目录分类“筹资筹劳情况”" not in out  # the exact name needs no mapping
    assert (
        "第 2 行将导入：004362519/2016-00001 诸往镇2016年低保对象名单公示（发布日期 2016-03-03）"
    ) in out
    assert "试运行：将导入 4 条，拒绝 0 条；未写入任何数据" in out
    assert not Item.objects.exists()
    assert not AuditEntry.objects.filter(action="catalog.item_import").exists()

    out, _ = _run(tmp_path, "legacy.csv", data)
    assert "已导入 4 条，拒绝 0 条" in out
    by_title = {i.published_version.title: i for i in Item.objects.published()}
    relief = by_title["诸往镇2016年低保对象名单公示"]
    assert relief.published_version.category.code == "art21-08"
    assert relief.published_version.genre.name == "公示"
    rules = by_title["诸往镇村规民约管理办法"].published_version
    assert rules.category.code == "art20-01" and rules.genre.code == "normative"
    assert rules.document_number == "诸政发〔2016〕6号"
    assert by_title["诸往镇一事一议筹资筹劳方案"].published_version.genre.code == "programme"


def test_xlsx_with_other_column_titles_dry_run_then_real(cast, tmp_path):
    data = make_xlsx(
        {
            "导出": [
                ["标题", "来源", "成文日期", "发文日期", "文号", "分类", "主题分类x", "正文"],
                [
                    "诸往镇房屋征收决定",
                    "乳山市诸往镇人民政府",
                    datetime.datetime(2015, 9, 1),
                    datetime.datetime(2015, 9, 2),
                    "诸政发〔2015〕9号",
                    "城乡建设、环境保护",
                    "",
                    "决定全文",
                ],
            ]
        }
    )
    # The unknown header is reported through --map; 分类 is the 主题分类 of these exports.
    out, _ = _run(tmp_path, "old.xlsx", data, "--dry-run", "--map", "主题分类x=category")
    assert "表头：“标题” → 名称（title）" in out
    assert "表头：“来源” → 发布机构（unit）" in out
    assert "表头：“分类” → 主题分类（topic）" in out
    assert "表头：“主题分类x” → 目录分类（category）" in out
    assert "将导入 1 条" in out and not Item.objects.exists()
    out, _ = _run(tmp_path, "old.xlsx", data, "--map", "主题分类x=category")
    item = Item.objects.published().get()
    assert item.published_version.topic.code == "construction"
    # A header mapped on the command line wins over the built-in synonym (分类 → 主题分类).
    message = _fails(tmp_path, "old.xlsx", data, "--dry-run", "--map", "分类=目录分类")
    assert "目录分类“城乡建设、环境保护”不存在" in message
    assert "决定全文" in item.published_version.body
    assert item.is_imported and item.first_published_at.date() == datetime.date(2015, 9, 2)


def test_unknown_names_fail_with_the_nearest_candidates(cast, tmp_path):
    content = (
        "名称,发布机构,成文日期,发布日期,目录分类,体裁分类\n"
        "低保名单,zhuwang,2016-03-01,2016-03-03,社会救助工作,公示\n"
        "会议通知,zhuwang,2016-03-01,2016-03-03,工作动态,通知文件\n"
    )
    message = _fails(tmp_path, "bad.csv", content.encode("gb18030"))
    assert (
        "第 2 行：目录分类“社会救助工作”不存在或不属于该单位。是不是：社会救助情况（art21-08）"
    ) in message
    assert "可用 --map 社会救助工作=代码 指定，或加 --create-columns 新建为本单位的栏目" in message
    assert "第 3 行：体裁分类“通知文件”不存在。是不是：通知（notice）" in message
    assert "2 行有错误，未导入任何数据" in message
    assert not Item.objects.exists()


def test_map_and_map_file_name_the_target(cast, tmp_path):
    content = (
        "名称,发布机构,成文日期,发布日期,目录分类,体裁分类\n"
        "低保名单,zhuwang,2016-03-01,2016-03-03,社会救助工作,公示\n"
        "会议通知,zhuwang,2016-03-01,2016-03-03,工作动态,通知文件\n"
    )
    mapping = tmp_path / "map.txt"
    mapping.write_text("# 旧网站的体裁\n通知文件=notice\n", encoding="utf-8")
    out, _ = _run(
        tmp_path, "items.csv", content, "--map", "社会救助工作=art21-08", "--map-file", str(mapping)
    )
    assert "映射：目录分类“社会救助工作” → 社会救助情况（art21-08，按映射）" in out
    assert "映射：体裁分类“通知文件” → 通知（notice，按映射）" in out
    assert Item.objects.published().count() == 2
    message = _fails(tmp_path, "items.csv", content, "--map", "社会救助工作=art99")
    assert "映射“社会救助工作=art99”：目录分类“art99”不存在" in message
    assert "--map “坏” 应写作 旧名=代码" in _fails(tmp_path, "items.csv", content, "--map", "坏")


def test_create_columns_makes_the_organs_own_column(cast, tmp_path):
    content = (
        "名称,发布机构,成文日期,发布日期,栏目\n"
        "民生实事进展,zhuwang,2016-03-01,2016-03-03,民生实事\n"
    )
    out, _ = _run(tmp_path, "c.csv", content, "--create-columns", "--dry-run")
    assert "新建栏目：乳山市诸往镇人民政府 / 民生实事（将新建）" in out
    assert not Category.objects.filter(name="民生实事").exists()
    _run(tmp_path, "c.csv", content, "--create-columns")
    column = Category.objects.get(name="民生实事")
    assert column.unit == cast.zhuwang and column.kind == "column"
    assert Item.objects.get().published_version.category == column
    assert AuditEntry.objects.filter(action="catalog.category_create").count() == 1


def test_an_alias_the_administrator_adds_is_matched(cast, tmp_path):
    relief = Category.objects.get(code="art21-08")
    alias = actions.alias_create(
        actor=None, kind=AliasKind.CATEGORY, name="低保五保", target=relief
    )
    content = (
        "名称,发布机构,成文日期,发布日期,目录分类\n"
        "低保名单,zhuwang,2016-03-01,2016-03-03,低保五保\n"
    )
    out, _ = _run(tmp_path, "a.csv", content)
    assert "映射：目录分类“低保五保” → 社会救助情况（art21-08，按别名）" in out
    assert AuditEntry.objects.filter(action="catalog.alias_create").exists()
    actions.alias_delete(actor=None, alias=alias)
    assert not NameAlias.objects.exists()


def test_law_forms_match_every_seeded_statutory_item_with_and_without_qingkuang(cast):
    for code, forms in names.LAW_FORMS[AliasKind.CATEGORY].items():
        category = Category.objects.get(code=code)
        for form in forms:
            assert names.find(AliasKind.CATEGORY, form, unit=cast.zhuwang).target == category
        bare = category.name.removesuffix("情况")
        assert names.find(AliasKind.CATEGORY, bare, unit=cast.zhuwang).target == category
        assert names.find(AliasKind.CATEGORY, bare + "情况", unit=cast.zhuwang).target == category
    assert names.find(AliasKind.GENRE, "规范性文件").target == Genre.objects.get(code="normative")


def test_imported_items_show_they_were_imported_with_the_original_date(cast, tmp_path, client):
    _run(tmp_path, "legacy.csv", LEGACY_CSV.encode("gb18030"))
    item = Item.objects.published().order_by("pk").first()
    public = client.get(f"/xinxi/{item.index_number}").content.decode()
    assert "2016-03-03" in public and "从旧网站导入，为原网站的发布日期" in public
    client.force_login(cast.office_reviewer)
    staff = client.get(f"/staff/catalog/{item.pk}/").content.decode()
    assert "2016-03-03（从旧网站导入，为原网站的发布日期" in staff
    listing = client.get("/staff/catalog/?queue=all").content.decode()
    assert "旧网站导入" in listing


def test_city_admin_adds_and_deletes_an_alias_on_the_page(cast, client):
    client.force_login(cast.admin)
    page = client.get("/staff/catalog/categories/aliases/")
    assert page.status_code == 200 and "还没有别名" in page.content.decode()
    bad = client.post(
        "/staff/catalog/categories/aliases/",
        {"kind": "category", "name": "低保", "target": "art99"},
    )
    assert bad.status_code == 400 and "没有代码或名称为“art99”的目录分类" in bad.content.decode()
    client.post(
        "/staff/catalog/categories/aliases/",
        {"kind": "category", "name": "低保", "target": "社会救助情况"},
    )
    alias = NameAlias.objects.get()
    assert alias.category.code == "art21-08"
    assert "低保" in client.get("/staff/catalog/categories/aliases/").content.decode()
    client.post(f"/staff/catalog/categories/aliases/{alias.pk}/delete/")
    assert not NameAlias.objects.exists()
    assert AuditEntry.objects.filter(action="catalog.alias_delete").exists()


def test_a_township_cannot_edit_the_shared_alias_list(cast, client):
    client.force_login(cast.office_head)
    response = client.post(
        "/staff/catalog/categories/aliases/",
        {"kind": "category", "name": "低保", "target": "art21-08"},
    )
    assert response.status_code == 403 and not NameAlias.objects.exists()


def test_retention_is_set_per_category_and_inherited(cast, client):
    client.force_login(cast.admin)
    parent = Category.objects.get(code="art21")
    data = {"name": parent.name, "description": "", "sort_order": 0, "is_active": "on"}
    client.post(f"/staff/catalog/categories/{parent.pk}/", {**data, "retention": "permanent"})
    parent.refresh_from_db()
    assert parent.retention == "permanent"
    relief = Category.objects.get(code="art21-08")
    assert relief.retention == "" and relief.effective_retention() == "permanent"
    assert Category.objects.get(code="site-news").effective_retention() == "10y"


def test_aliases_and_retention_through_the_api(cast, client):
    from gongkai.accounts.actions import token_create

    _row, token = token_create(actor=None, user=cast.admin)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    made = client.post(
        "/api/v1/staff/catalog/aliases",
        {"kind": "genre", "name": "红头文件", "target": "通知"},
        content_type="application/json",
        **auth,
    )
    assert made.status_code == 201 and made.json()["target"] == "notice"
    again = client.post(
        "/api/v1/staff/catalog/aliases",
        {"kind": "genre", "name": "红头文件", "target": "notice"},
        content_type="application/json",
        **auth,
    )
    assert again.status_code == 400 and "已经存在" in again.json()["detail"]
    listed = client.get("/api/v1/staff/catalog/aliases", **auth).json()
    assert [a["name"] for a in listed] == ["红头文件"]
    gone = client.delete(f"/api/v1/staff/catalog/aliases/{listed[0]['id']}", **auth)
    assert gone.status_code == 204 and not NameAlias.objects.exists()
    relief = Category.objects.get(code="art21-08")
    patched = client.patch(
        f"/api/v1/staff/catalog/categories/{relief.pk}",
        {"retention": "30y"},
        content_type="application/json",
        **auth,
    )
    assert patched.status_code == 200 and patched.json()["retention_effective"] == "30y"
