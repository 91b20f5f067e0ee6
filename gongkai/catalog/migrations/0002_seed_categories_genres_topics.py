"""Reference data of the catalog (DOMAIN.md §2): the 法定主动公开内容 tree of 条例 第二十条 and
第二十一条, the seed report's website columns and the city platform's index, the genres (体裁)
and the topics (主题). Administrators edit them afterwards; re-running never duplicates."""

from django.db import migrations

STATUTORY = [
    (
        "art20",
        "条例第二十条 各级行政机关应当主动公开的政府信息",
        [
            ("art20-01", "行政法规、规章和规范性文件"),
            ("art20-02", "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名"),
            ("art20-03", "国民经济和社会发展规划、专项规划、区域规划及相关政策"),
            ("art20-04", "国民经济和社会发展统计信息"),
            ("art20-05", "行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果"),
            ("art20-06", "行政处罚、行政强制的依据、条件、程序以及具有一定社会影响的行政处罚决定"),
            ("art20-07", "财政预算、决算信息"),
            ("art20-08", "行政事业性收费项目及其依据、标准"),
            ("art20-09", "政府集中采购项目的目录、标准及实施情况"),
            ("art20-10", "重大建设项目的批准和实施情况"),
            ("art20-11", "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况"),
            ("art20-12", "突发公共事件的应急预案、预警信息及应对情况"),
            ("art20-13", "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况"),
            ("art20-14", "公务员招考的职位、名额、报考条件等事项以及录用结果"),
            ("art20-15", "其他依法应当主动公开的信息"),
        ],
    ),
    (
        "art21",
        "条例第二十一条 乡（镇）人民政府重点公开的政府信息",
        [
            ("art21-01", "贯彻落实农业农村政策的情况"),
            ("art21-02", "农田水利工程建设运营情况"),
            ("art21-03", "农村土地承包经营权流转情况"),
            ("art21-04", "宅基地使用情况审核"),
            ("art21-05", "土地征收情况"),
            ("art21-06", "房屋征收情况"),
            ("art21-07", "筹资筹劳情况"),
            ("art21-08", "社会救助情况"),
        ],
    ),
]

COLUMNS = [
    (
        "site",
        "网站栏目（政府信息公告公示）",
        [
            ("site-news", "工作动态"),
            ("site-countryside", "新农村建设"),
            ("site-social", "社会事业"),
            ("site-livelihood", "民生工程"),
        ],
    ),
    (
        "platform",
        "市政府信息公开平台目录",
        [
            ("platform-functions", "机构职能"),
            ("platform-policies", "政策法规"),
            ("platform-plans", "规划计划"),
            ("platform-business", "业务工作"),
            ("platform-statistics", "统计数据"),
            ("platform-meetings", "重要会议及人事任免"),
            ("platform-emergency", "应急管理"),
            ("platform-annual-report", "年度工作报告"),
        ],
    ),
]

GENRES = [
    ("regulation", "规章"),
    ("normative", "行政规范性文件"),
    ("decision", "决定"),
    ("order", "命令（令）"),
    ("notice", "通知"),
    ("announcement", "公告"),
    ("public-notice", "通告"),
    ("opinion", "意见"),
    ("circular", "通报"),
    ("reply", "批复"),
    ("report", "报告"),
    ("plan", "规划"),
    ("programme", "计划、方案"),
    ("statistics", "统计数据"),
    ("interpretation", "政策解读"),
    ("minutes", "会议纪要"),
    ("publicity", "公示"),
    ("annual-report", "年度报告"),
    ("news", "工作动态"),
    ("other", "其他"),
]

# The State Council's 主题分类 as used by government information disclosure platforms.
TOPICS = [
    ("general", "综合政务"),
    ("economy", "国民经济管理、国有资产监管"),
    ("finance", "财政、金融、审计"),
    ("land", "国土资源、能源"),
    ("agriculture", "农业、林业、水利"),
    ("industry", "工业、交通"),
    ("commerce", "商贸、海关、旅游"),
    ("market", "市场监管、安全生产监管"),
    ("construction", "城乡建设、环境保护"),
    ("science", "科技、教育"),
    ("culture", "文化、广电、新闻出版"),
    ("health", "卫生、体育"),
    ("population", "人口与计划生育、妇女儿童工作"),
    ("civil-affairs", "民政、扶贫、救灾"),
    ("labour", "劳动、人事、监察"),
    ("security", "公安、安全、司法"),
    ("ethnic", "民族、宗教"),
    ("affairs", "对外事务"),
    ("government", "机构职能"),
    ("other", "其他"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("catalog", "Category")
    Genre = apps.get_model("catalog", "Genre")
    Topic = apps.get_model("catalog", "Topic")
    order = 0
    for kind, groups in (("statutory", STATUTORY), ("column", COLUMNS)):
        for code, name, children in groups:
            order += 10
            parent, _ = Category.objects.get_or_create(
                code=code,
                defaults={"name": name, "kind": kind, "sort_order": order},
            )
            for n, (child_code, child_name) in enumerate(children, start=1):
                Category.objects.get_or_create(
                    code=child_code,
                    defaults={"name": child_name, "kind": kind, "parent": parent, "sort_order": n},
                )
    for n, (code, name) in enumerate(GENRES, start=1):
        Genre.objects.get_or_create(code=code, defaults={"name": name, "sort_order": n})
    for n, (code, name) in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(code=code, defaults={"name": name, "sort_order": n})


def unseed(apps, schema_editor):
    Category = apps.get_model("catalog", "Category")
    codes = [c for _, groups in (("s", STATUTORY), ("c", COLUMNS)) for c, _n, _k in groups]
    child_codes = [
        cc
        for _, groups in (("s", STATUTORY), ("c", COLUMNS))
        for _c, _n, kids in groups
        for cc, _cn in kids
    ]
    Category.objects.filter(code__in=child_codes, versions__isnull=True).delete()
    Category.objects.filter(code__in=codes, children__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_items_versions_categories")]
    operations = [migrations.RunPython(seed, unseed)]
