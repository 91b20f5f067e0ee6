"""The search relevance set (issue 14): what a citizen types, and the item they mean.

Three parts, all plain data:

- `SYNONYMS`: groups of words a citizen uses for the same thing as the official term in
  government disclosure (新农合 = 新型农村合作医疗). The test writes them as
  `gongkai.search.models.SynonymGroup` rows; the search app's data migration seeds the same list
  as the office's editable default. Only true equivalents: a group widens every query that holds
  one of its words, so a broad word (扶贫 ≠ 乡村振兴, 医保 ≠ 社保) would drown the meant item.
- `CORPUS`: a compact set of township and county items (titles, bodies, older editions, decoys
  that mention a word only in the body), imported on top of the project's demo data, and
  `noise()`: items shaped like bench/portalbench.py's corpus (`{单位}{年}年{主题}`), so a query
  also has to win against the repetitive bench titles.
- `CASES`: `Case(query, expect, why)`. `expect` is the meant item's exact title or a title
  substring that only that item's title holds among the data the test builds (the test checks
  this); the case passes when that item is among the first three hits. `synonym=True` marks
  the cases that need the synonym list: no query word is in the meant item's title as typed.
"""

from __future__ import annotations

import datetime
import random
from typing import NamedTuple

# ---------------------------------------------------------------------------------- synonyms

SYNONYMS: list[str] = [
    # 医疗
    "新农合 新型农村合作医疗 农村合作医疗 新农合医疗",
    "居民医保 城乡居民医保 城乡居民基本医疗保险 城乡居民医疗保险",
    "医保 医疗保险 医疗保障",
    "大病保险 大病医疗保险 城乡居民大病保险",
    # 社会救助
    "低保 最低生活保障 低保金 最低生活保障金",
    "五保 五保户 五保供养 五保对象 特困人员供养 特困供养 特困人员救助供养 特困人员",
    "临时救助 临时救济",
    "高龄补贴 高龄津贴 高龄老人补贴",
    "残疾人两项补贴 两项补贴 残疾人补贴 困难残疾人生活补贴和重度残疾人护理补贴",
    "残疾证 残疾人证",
    # 社会保险、住房
    "社保 社会保险",
    "新农保 居民养老保险 城乡居民养老保险 城乡居民基本养老保险",
    "公积金 住房公积金",
    # 退役军人、兵役
    "退役军人 退伍军人 复员退伍军人 退役士兵 复员军人",
    "优抚 优待抚恤",
    "征兵 兵役征集",
    # 农业农村
    "一事一议 筹资筹劳 一事一议筹资筹劳",
    "危房改造 危改 农村危房改造",
    "厕所革命 改厕 户厕改造 农村改厕",
    "村村通 农村公路",
    "粮补 种粮补贴 耕地地力保护补贴",
    "农机补贴 农机购置补贴 农业机械购置补贴",
    "土地流转 土地经营权流转 土地承包经营权流转",
    "宅基地审批 宅基地审核 宅基地使用审核",
    "征地 土地征收 征收土地",
    "拆迁 房屋征收",
    "一卡通 惠民惠农一卡通 惠民惠农财政补贴资金一卡通",
    "美丽乡村 美丽村居",
    # 机关、财政、公开
    "三公经费 三公消费",
    "年报 年度报告",
    "公益岗 公益性岗位",
    "依申请公开 政府信息公开申请",
    "计生 计划生育",
    "信访 来信来访",
    "扫黑除恶 扫黑除恶专项斗争",
    "河长制 河湖长制",
    "秸秆禁烧 秸秆焚烧",
]

# ---------------------------------------------------------------------------------- corpus


class Doc(NamedTuple):
    unit: str  # rushan 乳山市, zhuwang 诸往镇, xiacun 夏村镇 (the demo's and the test cast's codes)
    title: str
    published: str
    body: str
    number: str = ""  # 发文字号
    summary: str = ""
    index_number: str = ""  # 索引号; the import assigns one when blank


# Bodies are short, plain and realistic; the decoys (工作动态, 工作总结, 敬老院制度) mention many
# of the words only in their bodies and are newer than most of the meant items.
CORPUS: list[Doc] = [
    # 新型农村合作医疗 (新农合): two editions of the yearly notice, a 补偿 notice, a decoy
    Doc(
        "zhuwang",
        "诸往镇关于做好2019年度新型农村合作医疗参合缴费工作的通知",
        "2018-10-16",
        "<p>各村：2019年度新型农村合作医疗个人缴费标准为每人220元，"
        "缴费时间为2018年10月20日至12月31日，由村委会统一代收。</p>",
        number="诸政字〔2018〕41号",
    ),
    Doc(
        "zhuwang",
        "诸往镇关于做好2018年度新型农村合作医疗参合缴费工作的通知",
        "2017-10-18",
        "<p>各村：2018年度新型农村合作医疗个人缴费标准为每人180元，缴费截止时间为12月31日。</p>",
        number="诸政字〔2017〕36号",
    ),
    Doc(
        "xiacun",
        "夏村镇新型农村合作医疗大病补偿情况公示（2016年）",
        "2016-12-20",
        "<p>2016年全镇新型农村合作医疗大病补偿87人次，补偿金额126.5万元，名单如下。</p>",
    ),
    Doc(
        "zhuwang",
        "诸往镇2019年第三季度工作动态",
        "2019-10-08",
        "<p>三季度，全镇新型农村合作医疗参合率达到99.2%，发放特困人员供养金16.1万元，"
        "完成农村危房改造12户，筹资筹劳项目开工5个。</p>",
    ),
    # 城乡居民基本医疗保险 (居民医保, 医保)
    Doc(
        "rushan",
        "乳山市关于做好2025年度城乡居民基本医疗保险参保缴费工作的通知",
        "2024-09-10",
        "<p>2025年度城乡居民基本医疗保险个人缴费标准为每人每年400元，集中缴费期为9月至12月。</p>",
        number="乳医保发〔2024〕12号",
    ),
    Doc(
        "rushan",
        "乳山市关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知",
        "2023-09-12",
        "<p>2024年度城乡居民基本医疗保险个人缴费标准为每人每年380元。</p>",
        number="乳医保发〔2023〕10号",
    ),
    # 特困人员供养 (五保)
    Doc(
        "rushan",
        "乳山市关于调整2024年特困人员供养标准的通知",
        "2024-06-20",
        "<p>自2024年7月1日起，全市特困人员基本生活标准提高到每人每年14400元，"
        "照料护理标准按全自理、半护理、全护理三档发放。</p>",
        number="乳民发〔2024〕15号",
    ),
    Doc(
        "rushan",
        "乳山市关于调整2022年特困人员供养标准的通知",
        "2022-06-18",
        "<p>自2022年7月1日起，全市特困人员基本生活标准提高到每人每年12600元。</p>",
        number="乳民发〔2022〕11号",
    ),
    Doc(
        "xiacun",
        "夏村镇2022年特困人员供养对象名单公示",
        "2022-03-15",
        "<p>经村级评议、镇审核，2022年全镇特困人员供养对象共96人，现予公示。</p>",
    ),
    Doc(
        "zhuwang",
        "诸往镇敬老院管理制度",
        "2024-08-12",
        "<p>敬老院集中供养的老人（原五保户）实行分类照护，五保供养标准按市政府规定执行，"
        "老人享受低保、医保和高龄补贴的，由院方协助办理。</p>",
    ),
    # 最低生活保障 (低保)
    Doc(
        "zhuwang",
        "诸往镇2024年第四季度城乡最低生活保障对象公示",
        "2024-12-28",
        "<p>第四季度全镇城乡最低生活保障对象共312户487人，新增12户，退出9户。</p>",
    ),
    Doc(
        "zhuwang",
        "诸往镇2024年第三季度城乡最低生活保障对象公示",
        "2024-09-27",
        "<p>第三季度全镇城乡最低生活保障对象共309户482人。</p>",
    ),
    Doc(
        "rushan",
        "乳山市关于提高城乡最低生活保障标准的通知",
        "2023-07-01",
        "<p>自2023年7月起，城市最低生活保障标准提高到每人每月960元，农村提高到每人每年9480元。</p>",
        number="乳民发〔2023〕9号",
    ),
    # 一事一议 (筹资筹劳)
    Doc(
        "xiacun",
        "夏村镇2024年村级公益事业筹资筹劳项目公示",
        "2024-05-10",
        "<p>经村民会议议定，2024年全镇6个村实施村内道路硬化和路灯安装项目，筹资31.2万元。</p>",
    ),
    Doc(
        "zhuwang",
        "诸往镇2022年村级筹资筹劳项目完成情况公示",
        "2022-11-20",
        "<p>2022年全镇7个村的村内道路、小型水利项目全部完工，筹资38.4万元、筹劳1620个工日。</p>",
    ),
    Doc(
        "zhuwang",
        "诸往镇2022年第四季度工作动态",
        "2023-01-06",
        "<p>四季度，全镇完成一事一议项目7个，发放耕地地力保护补贴，开展冬季征兵和森林防火。</p>",
    ),
    # 困难残疾人生活补贴和重度残疾人护理补贴 (残疾人两项补贴)
    Doc(
        "rushan",
        "乳山市2024年困难残疾人生活补贴和重度残疾人护理补贴发放情况公示",
        "2025-01-15",
        "<p>2024年全市发放困难残疾人生活补贴1.26万人次、重度残疾人护理补贴2.03万人次。</p>",
    ),
    Doc(
        "rushan",
        "乳山市2023年困难残疾人生活补贴和重度残疾人护理补贴发放情况公示",
        "2024-01-16",
        "<p>2023年全市发放困难残疾人生活补贴1.19万人次、重度残疾人护理补贴1.96万人次。</p>",
    ),
    Doc(
        "zhuwang",
        "诸往镇残疾人两项补贴申请办事指南",
        "2023-04-10",
        "<p>申请人持残疾人证、户口簿到镇便民服务中心提出申请，村级初审后报镇审核。</p>",
    ),
    # 退役军人 (复员退伍军人), 优抚, 征兵
    Doc(
        "zhuwang",
        "诸往镇关于开展复员退伍军人信息采集工作的通告",
        "2019-05-20",
        "<p>请本镇户籍的复员退伍军人于6月30日前携带退伍证到村委会登记。</p>",
    ),
    Doc(
        "rushan",
        "乳山市退役军人事务局2024年部门预算",
        "2024-02-10",
        "<p>2024年部门收支预算总额2380万元，主要用于优抚对象抚恤补助和退役士兵安置。</p>",
    ),
    Doc(
        "zhuwang",
        "诸往镇2024年优抚对象抚恤补助资金发放情况公示",
        "2024-12-10",
        "<p>2024年全镇发放优抚对象定期抚恤补助资金96.8万元。</p>",
    ),
    Doc(
        "zhuwang",
        "诸往镇2025年征兵工作公告",
        "2025-05-20",
        "<p>年满18至22周岁的男性青年应当按时进行兵役登记，体检时间另行通知。</p>",
    ),
    # 农村危房改造 (危房改造, 危改)
    Doc(
        "zhuwang",
        "诸往镇2023年农村危房改造对象公示",
        "2023-06-12",
        "<p>经户申请、村评议、镇审核，2023年全镇农村危房改造对象共15户。</p>",
    ),
    Doc(
        "zhuwang",
        "诸往镇2021年农村危房改造对象公示",
        "2021-06-08",
        "<p>2021年全镇农村危房改造对象共22户。</p>",
    ),
    Doc(
        "xiacun",
        "夏村镇2024年农村危房改造竣工验收情况公示",
        "2024-11-05",
        "<p>2024年全镇18户农村危房改造全部竣工，经镇村联合验收合格。</p>",
    ),
    # 户厕改造 (厕所革命), 农村公路 (村村通), 三公经费, 公积金, 养老保险
    Doc(
        "zhuwang",
        "诸往镇2019年农村户厕改造工作实施方案",
        "2019-03-25",
        "<p>2019年全镇完成农村户厕无害化改造1500户，年底前全部验收。</p>",
        number="诸政发〔2019〕6号",
    ),
    Doc(
        "zhuwang",
        "诸往镇2020年农村公路建设养护情况",
        "2020-12-15",
        "<p>2020年全镇新建农村公路9.2公里，完成列养道路日常养护46公里。</p>",
    ),
    Doc(
        "zhuwang",
        "诸往镇2023年“三公”经费支出情况说明",
        "2023-09-05",
        "<p>2023年“三公”经费支出12.6万元，其中公务接待费2.1万元、公务用车运行维护费10.5万元。</p>",
    ),
    Doc(
        "rushan",
        "乳山市住房公积金提取业务办事指南",
        "2022-05-10",
        "<p>购买、建造、翻建、大修自住住房，或者离休、退休的，可以提取住房公积金。</p>",
        index_number="11371083004362009R/2022-00031",
    ),
    Doc(
        "rushan",
        "乳山市2025年城乡居民基本养老保险缴费档次公告",
        "2025-01-08",
        "<p>2025年城乡居民基本养老保险个人缴费标准设13个档次，最低每人每年300元。</p>",
    ),
    # 耕地地力保护补贴 (粮补), 农机购置补贴, 高龄津贴
    Doc(
        "zhuwang",
        "诸往镇2024年耕地地力保护补贴发放情况公示",
        "2024-07-15",
        "<p>2024年全镇耕地地力保护补贴面积3.86万亩，补贴标准每亩125元。</p>",
    ),
    Doc(
        "zhuwang",
        "诸往镇2023年耕地地力保护补贴发放情况公示",
        "2023-07-18",
        "<p>2023年全镇耕地地力保护补贴面积3.91万亩，补贴标准每亩123元。</p>",
    ),
    Doc(
        "rushan",
        "乳山市2024年农机购置补贴实施方案",
        "2024-03-20",
        "<p>补贴对象为从事农业生产的个人和农业生产经营组织，补贴机具实行敞开补贴。</p>",
        number="乳农发〔2024〕5号",
    ),
    Doc(
        "zhuwang",
        "诸往镇2024年80周岁以上老年人高龄津贴发放名单公示",
        "2024-10-10",
        "<p>2024年全镇享受高龄津贴的老年人共1168人。</p>",
    ),
    # 宅基地, 土地征收 (征地)
    Doc(
        "zhuwang",
        "诸往镇农村宅基地审批管理办法",
        "2021-04-12",
        "<p>第一条 为规范农村宅基地审批管理，保障农村村民合理的建房需求，制定本办法。</p>",
        number="诸政发〔2021〕7号",
    ),
    Doc(
        "xiacun",
        "夏村镇2023年土地征收成片开发方案（征求意见稿）",
        "2023-08-22",
        "<p>本方案拟征收土地面积56.3公顷，用于工业园区和安置房建设。</p>",
    ),
    # 政府信息公开工作年度报告: editions of 诸往镇's report
    Doc(
        "zhuwang",
        "诸往镇2024年政府信息公开工作年度报告",
        "2025-01-22",
        "<p>2024年，诸往镇主动公开政府信息318条，受理政府信息公开申请7件。</p>",
    ),
    Doc(
        "zhuwang",
        "诸往镇2023年政府信息公开工作年度报告",
        "2024-01-25",
        "<p>2023年，诸往镇主动公开政府信息296条，受理政府信息公开申请5件。</p>",
    ),
    Doc(
        "zhuwang",
        "诸往镇2022年政府信息公开工作年度报告",
        "2023-01-28",
        "<p>2022年，诸往镇主动公开政府信息281条，受理政府信息公开申请4件。</p>",
    ),
    # A newer decoy mentioning many of the meant items' words in its body only.
    Doc(
        "zhuwang",
        "诸往镇2024年上半年工作总结",
        "2024-07-30",
        "<p>上半年，发放耕地地力保护补贴482万元；城乡最低生活保障、特困人员供养、高龄津贴"
        "按时足额发放；完成农村危房改造9户、农村户厕改造300户；新建农村公路3.1公里；"
        "做好城乡居民基本医疗保险和城乡居民基本养老保险集中缴费；"
        "困难残疾人生活补贴和重度残疾人护理补贴发放到位；“三公”经费同比下降6%。</p>",
    ),
]

# Bench-shaped items (bench/portalbench.py THEMES): `{单位}{年}年{主题}` with a templated body.
NOISE_THEMES: list[tuple[str, str]] = [
    ("财政预算公开", "一般公共预算收入安排{n}万元，“三公”经费预算{m}万元。"),
    ("财政决算公开", "一般公共预算支出完成{n}万元，完成预算的{m}%。"),
    ("社会救助资金发放情况公示", "发放农村低保金{n}万元，惠及群众{m}人次。"),
    ("农村土地承包经营权流转情况", "新增土地流转面积{n}亩，签订合同{m}份。"),
    ("农田水利工程建设运营情况", "新建塘坝{m}座，维修灌溉渠道{n}公里。"),
    ("宅基地使用审核情况公示", "受理农村宅基地申请{m}件，审核通过{n}件。"),
    ("美丽乡村建设工作方案", "创建美丽乡村示范村{m}个，整治村庄{n}个。"),
    ("森林防火工作的通知", "进入森林防火期，严禁野外用火，落实巡查{n}人。"),
    ("工作动态", "召开经济工作会议，部署春季农业生产，樱桃采摘节接待游客{n}人次。"),
    ("公益性岗位招聘公告", "招聘乡村公益性岗位人员{m}名，报名时间{n}天。"),
    ("突发公共事件应急预案", "适用于自然灾害、事故灾难，分为{m}级响应。"),
    ("筹资筹劳情况公示", "一事一议项目筹资{n}万元、筹劳{m}个工日。"),
]
NOISE_UNITS = {"rushan": "乳山市", "zhuwang": "诸往镇", "xiacun": "夏村镇"}
# Up to 2023 only: the demo's and the corpus's newer items stay the newest of their kind, so
# "newest first among equals" names one meant item.
NOISE_YEARS = range(2018, 2024)


def noise(skip_titles: set[str], seed: int = 14) -> list[Doc]:
    """About half of every unit × year × theme, deterministic; titles already taken are left
    out (a second item with the same title would make the expectation ambiguous)."""
    rng = random.Random(seed)
    docs = []
    for unit, name in NOISE_UNITS.items():
        for year in NOISE_YEARS:
            for theme, text in NOISE_THEMES:
                if rng.random() < 0.5:
                    continue
                title = f"{name}{year}年{theme}"
                day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(360))
                body = text.format(n=rng.randint(10, 9999), m=rng.randint(1, 99))
                if title not in skip_titles:
                    docs.append(Doc(unit, title, day.isoformat(), f"<p>{body}</p>"))
    return docs


# ---------------------------------------------------------------------------------- cases


class Case(NamedTuple):
    query: str
    expect: str
    why: str
    synonym: bool = False  # the meant item's title holds none of the typed words as typed


CASES: list[Case] = [
    # --- everyday words and abbreviations for official terms (the synonym list)
    Case(
        "新农合缴费",
        "2019年度新型农村合作医疗参合缴费",
        "新农合 = 新型农村合作医疗; the newer of two yearly notices",
        synonym=True,
    ),
    Case(
        "新农合 大病补偿",
        "夏村镇新型农村合作医疗大病补偿情况公示",
        "新农合 = 新型农村合作医疗; 大病补偿 in the title",
        synonym=True,
    ),
    Case(
        "五保供养标准",
        "乳山市关于调整2024年特困人员供养标准的通知",
        "五保 = 特困人员供养 (official since 2016); newest standard, not the 敬老院 rules "
        "that say 五保 in the body",
        synonym=True,
    ),
    Case(
        "夏村镇五保户名单",
        "夏村镇2022年特困人员供养对象名单公示",
        "五保户 = 特困人员供养对象; unit named",
        synonym=True,
    ),
    Case(
        "夏村镇 一事一议",
        "夏村镇2024年村级公益事业筹资筹劳项目公示",
        "一事一议 = 筹资筹劳; newest of 夏村镇's",
        synonym=True,
    ),
    Case(
        "诸往镇 2022年 一事一议",
        "诸往镇2022年村级筹资筹劳项目完成情况公示",
        "一事一议 = 筹资筹劳; the 2022 工作动态 says 一事一议 only in its body",
        synonym=True,
    ),
    Case(
        "低保标准",
        "乳山市关于提高城乡最低生活保障标准的通知",
        "低保 = 最低生活保障; 标准 in the title",
        synonym=True,
    ),
    Case(
        "诸往镇低保对象公示",
        "诸往镇2024年第四季度城乡最低生活保障对象公示",
        "低保 = 最低生活保障; newest quarter",
        synonym=True,
    ),
    Case(
        "居民医保缴费",
        "2025年度城乡居民基本医疗保险参保缴费",
        "居民医保 = 城乡居民基本医疗保险; newest year",
        synonym=True,
    ),
    Case(
        "医保 参保缴费 2024年度",
        "2024年度城乡居民基本医疗保险参保缴费",
        "医保 = 医疗保险; the year picks the older edition",
        synonym=True,
    ),
    Case(
        "残疾人两项补贴发放",
        "乳山市2024年困难残疾人生活补贴和重度残疾人护理补贴发放情况公示",
        "两项补贴 = 困难残疾人生活补贴和重度残疾人护理补贴; newest",
        synonym=True,
    ),
    Case(
        "退役军人信息采集",
        "复员退伍军人信息采集",
        "退役军人 = 复员退伍军人",
        synonym=True,
    ),
    Case(
        "危改 验收",
        "夏村镇2024年农村危房改造竣工验收情况公示",
        "危改 = 危房改造",
        synonym=True,
    ),
    Case(
        "厕所革命",
        "诸往镇2019年农村户厕改造工作实施方案",
        "厕所革命 = 户厕改造; the 美丽乡村 方案 mentions 厕所改造 in its body only",
        synonym=True,
    ),
    Case(
        "村村通",
        "诸往镇2020年农村公路建设养护情况",
        "村村通 = 农村公路",
        synonym=True,
    ),
    Case(
        "粮补",
        "诸往镇2024年耕地地力保护补贴发放情况公示",
        "粮补 = 耕地地力保护补贴 (the merged 种粮 subsidies); newest",
        synonym=True,
    ),
    Case(
        "农业机械购置补贴",
        "乳山市2024年农机购置补贴实施方案",
        "official long form typed, short form 农机购置补贴 in the title",
        synonym=True,
    ),
    Case(
        "高龄补贴",
        "高龄津贴发放名单公示",
        "高龄补贴 = 高龄津贴; the 敬老院 rules say 高龄补贴 in the body only",
        synonym=True,
    ),
    Case(
        "征地 夏村镇",
        "夏村镇2023年土地征收成片开发方案",
        "征地 = 土地征收",
        synonym=True,
    ),
    Case(
        "新农保 缴费档次",
        "乳山市2025年城乡居民基本养老保险缴费档次公告",
        "新农保 = 城乡居民基本养老保险 (merged 2014)",
        synonym=True,
    ),
    Case(
        "诸往镇 公益岗",
        "诸往镇2025年公益性岗位招聘公告",
        "公益岗 = 公益性岗位; the 2026 one is withdrawn, so the 2025 one is newest",
        synonym=True,
    ),
    Case(
        "2023年一事一议 诸往镇",
        "诸往镇2023年筹资筹劳情况公示",
        "demo item: title says 筹资筹劳, summary says 一事一议",
        synonym=True,
    ),
    Case(
        "诸往镇年报 2023",
        "诸往镇2023年政府信息公开工作年度报告",
        "年报 = 年度报告",
        synonym=True,
    ),
    # --- official words typed as written: title over body, newer edition first
    Case(
        "新型农村合作医疗参合缴费",
        "2019年度新型农村合作医疗参合缴费",
        "a phrase held by two editions; the newer wins, the 工作动态 mentions it in the body",
    ),
    Case(
        "特困人员供养标准",
        "乳山市关于调整2024年特困人员供养标准的通知",
        "two editions; newer wins",
    ),
    Case(
        "城乡最低生活保障对象公示",
        "诸往镇2024年第四季度城乡最低生活保障对象公示",
        "newest quarter among equal titles",
    ),
    Case(
        "困难残疾人生活补贴",
        "乳山市2024年困难残疾人生活补贴和重度残疾人护理补贴发放情况公示",
        "newest of two; the 工作总结 mentions it in the body",
    ),
    Case(
        "耕地地力保护补贴 2023",
        "诸往镇2023年耕地地力保护补贴发放情况公示",
        "the year picks the older edition",
    ),
    Case(
        "农村公路",
        "诸往镇2020年农村公路建设养护情况",
        "title over body: the 2019 政府工作报告 and 工作总结 mention 农村公路 in the body",
    ),
    Case(
        "三公经费 2023",
        "诸往镇2023年“三公”经费支出情况说明",
        "“三公”经费 in the title, quotes aside; budgets mention it in body and summary",
    ),
    Case(
        "住房公积金提取",
        "乳山市住房公积金提取业务办事指南",
        "title words",
    ),
    Case(
        "宅基地审批办法",
        "诸往镇农村宅基地审批管理办法",
        "title words; 宅基地使用审核情况公示 items are about individual applications",
    ),
    Case(
        "复员退伍军人",
        "复员退伍军人信息采集",
        "official term typed",
    ),
    Case(
        "2025年征兵",
        "诸往镇2025年征兵工作公告",
        "the 2022 工作动态 says 征兵 in the body; the 2026 征兵公告 was returned, not public",
    ),
    Case(
        "诸往镇政府信息公开工作年度报告",
        "诸往镇2024年政府信息公开工作年度报告",
        "yearly report: the newest edition wins over 2023, 2022 and the 2017 one",
    ),
    Case(
        "诸往镇2022年政府信息公开工作年度报告",
        "诸往镇2022年政府信息公开工作年度报告",
        "exact title of an older edition",
    ),
    Case(
        "防汛抗旱应急预案",
        "诸往镇防汛抗旱应急预案（2022年修订）",
        "demo item; phrase in the title",
    ),
    Case(
        "森林防火",
        "关于做好2025年秋冬季森林防火工作的通知",
        "demo item; newest of many 森林防火 notices",
    ),
    Case(
        "疫情防控工作方案",
        "诸往镇2020年新冠肺炎疫情防控工作方案",
        "demo item",
    ),
    Case(
        "政府信息公开申请办理",
        "乳山市关于进一步规范政府信息公开申请办理工作的通知",
        "demo item; phrase in the title",
    ),
    Case(
        "机构职能 联系方式",
        "诸往镇人民政府机构职能及联系方式",
        "demo item; two title words",
    ),
    Case(
        "农村土地承包经营权流转管理办法",
        "诸往镇农村土地承包经营权流转管理办法",
        "demo item: the current 办法 (the 2015 one is repealed, the 解读 is about it)",
    ),
    # --- a unit and a subject
    Case(
        "夏村镇 预算",
        "夏村镇2024年财政预算公开",
        "unit + subject: newest of 夏村镇's budgets",
    ),
    Case(
        "诸往镇 决算 2024",
        "诸往镇2024年财政决算公开",
        "unit + subject + year",
    ),
    Case(
        "乳山市 医疗保险 参保",
        "2025年度城乡居民基本医疗保险参保缴费",
        "unit + subject; newest",
    ),
    Case(
        "诸往镇 危房改造 2021",
        "诸往镇2021年农村危房改造对象公示",
        "the year picks the older of two",
    ),
    # --- spacing, full width, numbers mixed in
    Case(
        "诸往镇2021年预算",
        "诸往镇2021年财政预算公开",
        "no spaces, short form of 财政预算",
    ),
    Case(
        "诸往镇　２０２１年　财政预算",
        "诸往镇2021年财政预算公开",
        "full-width digits and ideographic spaces",
    ),
    Case(
        "2024年统计公报",
        "乳山市2024年国民经济和社会发展统计公报",
        "number + word",
    ),
    Case(
        "诸往镇 2018 美丽乡村",
        "诸往镇2018年美丽乡村建设工作方案",
        "year without 年",
    ),
    # --- 发文字号 and 索引号
    Case(
        "诸政发[2018]5号",
        "诸往镇2018年美丽乡村建设工作方案",
        "发文字号 typed with [] instead of 〔〕",
    ),
    Case(
        "乳民发[2024]15号",
        "乳山市关于调整2024年特困人员供养标准的通知",
        "发文字号 with []; the 2022 one is 乳民发〔2022〕11号",
    ),
    Case(
        "诸政字(2018)41号",
        "2019年度新型农村合作医疗参合缴费",
        "发文字号 with ASCII parentheses",
    ),
    Case(
        "诸政发 〔2021〕 3号",
        "诸往镇2021年财政预算公开",
        "发文字号 with spaces",
    ),
    Case(
        "乳医保发【2023】10号",
        "2024年度城乡居民基本医疗保险参保缴费",
        "发文字号 with 【】",
    ),
    Case(
        "11371083004362009R/2022-00031",
        "乳山市住房公积金提取业务办事指南",
        "索引号",
    ),
    Case(
        "11371083004362009r/2022-00031",
        "乳山市住房公积金提取业务办事指南",
        "索引号 in lower case",
    ),
]
