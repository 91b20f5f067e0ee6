"""What hand-made rosters leak besides the numbers themselves: a person's name in a table row
that also holds an identity or phone number, a home address with its 门牌号, and the numbers of
a 残疾证 or a 低保证 (and 特困/五保/救助证).

Everything here needs a context that says "a person": a label (住址, 残疾证号, 低保证号), a
column header, or a row that also holds an unmasked identity or mobile number. An office's
address ("地址：胜利街6号"), a company's 住所 and masked rows ("张* 3702831990****1234") stay quiet.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import findings as f
from .validators import id18_birth_date, id18_shape_date

# The commonest surnames (about 90% of the population) and the compound ones still in use.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左"
    "柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈"
    "饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵"
    "苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南"
    "班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿"
    "国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯"
    "隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
_COMPOUND = (
    "欧阳|司马|诸葛|上官|东方|皇甫|令狐|慕容|尉迟|公孙|夏侯|轩辕|长孙|宇文|司徒|西门|端木|独孤|申屠"
)
_TITLES = re.compile(
    r"(?:主任|科长|局长|书记|经理|老师|同志|先生|女士|镇长|村长|站长|所长|部长|处长|组长|会计|"
    r"委员|代表|校长|院长|医生|律师|工作人员|联系人|负责人|办公室|政府|公司|村委会?)$"
)
NAME = re.compile(rf"(?:{_COMPOUND}|[{_SURNAMES}])[\u4e00-\u9fff]{{1,2}}")
_NAME_HEADER = re.compile(r"^(?:姓\s*名|户主姓名|户主|救助对象|申请人|领取人|收款人|持卡人|姓名)$")


def is_name(cell: str) -> bool:
    cell = cell.strip()
    return bool(NAME.fullmatch(cell)) and not _TITLES.search(cell)


# ---------------------------------------------------------------- labelled certificates

_DISABILITY = re.compile(
    r"残疾(?:人)?证(?:号码|号|编号)[\s:：]*(?P<n>[0-9A-Za-z][0-9A-Za-z-]{6,24})(?![0-9A-Za-z])"
)
# A 第二代残疾人证 number is the holder's identity number and two digits (类别 1–7, 等级 1–4).
_DISABILITY_BARE = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx][1-7][1-4](?![0-9A-Za-z])")
_SUBSISTENCE = re.compile(
    r"(?:低保|最低生活保障|特困(?:供养)?|五保(?:供养)?|救助)证?(?:号码|号|编号)[\s:：]*"
    r"(?P<n>[0-9A-Za-z][0-9A-Za-z-]{3,24})(?![0-9A-Za-z])"
)


def _certificates(text: str, view: str) -> Iterator[f.Finding]:
    for m in _DISABILITY.finditer(view):
        yield f.make(f.DISABILITY_CERT, text, *m.span("n"), "残疾人证号码")
    for m in _DISABILITY_BARE.finditer(view):
        if id18_shape_date(m.group()[:18].upper()):
            message = "第二代残疾人证号码（身份证号加类别等级）"
            yield f.make(f.DISABILITY_CERT, text, *m.span(), message)
    for m in _SUBSISTENCE.finditer(view):
        yield f.make(f.SUBSISTENCE_CERT, text, *m.span("n"), "低保、特困或救助证号")


# ---------------------------------------------------------------- home addresses

_NUMERAL = r"(?:\d+|[一二三四五六七八九十百零〇]+)"
_ADDRESS = re.compile(
    r"(?P<label>家庭住址|家庭地址|现住址|居住地址|户籍地址|现居住地|住址|家住|现住|居住于|住在|住)"
    r"[:：]?[ \u3000]*"
    rf"(?P<addr>[\u4e00-\u9fff0-9A-Za-z（）()-]{{1,30}}?{_NUMERAL}(?:号楼|号院|号|室|户)"
    rf"(?:{_NUMERAL}(?:单元|室|号))*)"
)
# Where 住 starts another word, and who has an address that is not a home.
_NOT_HOME_AFTER = ("房", "建", "院", "宅", "所", "宿", "户", "址不详")
_NOT_HOME_BEFORE = re.compile(
    r"(?:单位|公司|企业|机关|办公|采购人|供应商|法人|机构|门店|经营|注册)\S{0,4}$"
)


def _addresses(text: str, view: str) -> Iterator[f.Finding]:
    for m in _ADDRESS.finditer(view):
        label, start = m.group("label"), m.start("addr")
        if label == "住":
            # A bare 住 only after a pause or a name: "张三，住诸往村5号", not "住房", "入住".
            before = view[max(0, m.start() - 1) : m.start()]
            if view.startswith(_NOT_HOME_AFTER, m.start() + 1) or before not in (
                "",
                "，",
                ",",
                " ",
                "\t",
                "、",
                "；",
                "\n",
            ):
                continue
        if _NOT_HOME_BEFORE.search(view[max(0, m.start() - 10) : m.start()]):
            continue
        yield f.make(f.HOME_ADDRESS, text, start, m.end("addr"), "家庭住址（含门牌号）")


# ---------------------------------------------------------------- table rows

# No leading \s* (quadratic under search): callers strip the line first.
_NUMBERED_ROW = re.compile(r"\d{1,4} \S+ \S")
# A notice's contact line ("联系人\t王五\t138…") names an official, not a roster's person.
_CONTACT = re.compile(r"联系人|联系电话|咨询电话|负责人|经办人|监督电话|举报电话")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CELL_SPLIT = re.compile(r"\t| {2,}|\u3000+|\|")
_ID_IN_ROW = re.compile(r"(?<![0-9A-Za-z*])\d{17}[0-9Xx](?![0-9A-Za-z*])")
_MOBILE_IN_ROW = re.compile(r"(?<![0-9A-Za-z*])1[3-9]\d{9}(?![0-9A-Za-z*])")


def _cells(line: str, offset: int) -> list[tuple[int, int, str]]:
    cells = []
    pos = 0
    for m in _CELL_SPLIT.finditer(line):
        cells.append((offset + pos, offset + m.start(), line[pos : m.start()]))
        pos = m.end()
    cells.append((offset + pos, offset + len(line), line[pos:]))
    if len(cells) == 1 and _NUMBERED_ROW.match(
        line.lstrip()
    ):  # OCR of a table: cells one space apart
        cells, pos = [], 0
        for part in line.split(" "):
            cells.append((offset + pos, offset + pos + len(part), part))
            pos += len(part) + 1
    return cells


def _personal_number_in(row: str) -> bool:
    for m in _ID_IN_ROW.finditer(row):
        number = m.group().upper()
        if id18_birth_date(number) or id18_shape_date(number):
            return True
    return bool(_MOBILE_IN_ROW.search(row))


def _rosters(text: str, view: str) -> Iterator[f.Finding]:
    pos = 0
    name_column: int | None = None
    for line in view.split("\n"):
        offset, pos = pos, pos + len(line) + 1
        cells = _cells(line, offset)
        if len(cells) < 2:
            name_column = None
            continue
        stripped = [c[2].strip() for c in cells]
        header = next((i for i, c in enumerate(stripped) if _NAME_HEADER.match(c)), None)
        if header is not None:
            name_column = header
            continue
        if not _personal_number_in(line) or _CONTACT.search(line):
            continue
        for i, (start, _end, cell) in enumerate(cells):
            value = cell.strip()
            if not value or "*" in value or "某" in value:
                continue
            in_name_column = i == name_column and 2 <= len(value) <= 5 and _HAN.match(value)
            if is_name(value) or in_name_column:
                s = start + len(cell) - len(cell.lstrip())
                message = "表格中与证件号或手机号同行的姓名"
                yield f.make(f.ROSTER_NAME, text, s, s + len(value), message)
                break


def find_people(text: str, view: str) -> Iterator[f.Finding]:
    yield from _certificates(text, view)
    yield from _addresses(text, view)
    yield from _rosters(text, view)
