"""What a check reports: the kind of problem, where it is, and how serious it is."""

from __future__ import annotations

from dataclasses import dataclass

CLASSIFICATION_MARK = "classification_mark"
ID_CARD = "id_card"
MOBILE = "mobile"
BANK_CARD = "bank_card"
EMAIL = "email"
# Shaped like an identity number (known 行政区划 prefix, real birth date) but the check digit
# fails, or an old 15-digit number next to its label: hand-typed rosters are full of them.
ID_CARD_UNVERIFIED = "id_card_unverified"
# Next to a card label, failing Luhn or of no known card scheme.
BANK_CARD_UNVERIFIED = "bank_card_unverified"
DISABILITY_CERT = "disability_cert"  # 残疾证号
SUBSISTENCE_CERT = "subsistence_cert"  # 低保证号 (and 特困 / 救助证号)
HOME_ADDRESS = "home_address"  # a 门牌号 address where a person lives
ROSTER_NAME = "roster_name"  # a person's name in a table row with an ID or phone number

KINDS = (
    CLASSIFICATION_MARK,
    ID_CARD,
    MOBILE,
    BANK_CARD,
    EMAIL,
    ID_CARD_UNVERIFIED,
    BANK_CARD_UNVERIFIED,
    DISABILITY_CERT,
    SUBSISTENCE_CERT,
    HOME_ADDRESS,
    ROSTER_NAME,
)

# The usual severity of each kind (INTERFACES.md, `gongkai scan`). An unverified identity
# number is "high" next to its label or a person's name and "medium" alone.
SEVERITY = {
    CLASSIFICATION_MARK: "high",
    ID_CARD: "high",
    BANK_CARD: "high",
    MOBILE: "medium",
    EMAIL: "low",
    ID_CARD_UNVERIFIED: "high",
    BANK_CARD_UNVERIFIED: "high",
    DISABILITY_CERT: "high",
    SUBSISTENCE_CERT: "high",
    HOME_ADDRESS: "medium",
    ROSTER_NAME: "high",
}

# Chinese names a reviewer sees next to each finding.
KIND_LABELS = {
    CLASSIFICATION_MARK: "密级或内部标志",
    ID_CARD: "居民身份证号码",
    MOBILE: "手机号码",
    BANK_CARD: "银行卡号",
    EMAIL: "电子邮箱地址",
    ID_CARD_UNVERIFIED: "疑似身份证号码（校验位不符）",
    BANK_CARD_UNVERIFIED: "疑似银行卡号（未通过校验）",
    DISABILITY_CERT: "残疾证号",
    SUBSISTENCE_CERT: "低保证号",
    HOME_ADDRESS: "家庭住址",
    ROSTER_NAME: "与证件号或电话同行的姓名",
}


@dataclass(frozen=True, order=True)
class Finding:
    start: int  # character offsets into the scanned text, end exclusive
    end: int
    kind: str
    text: str
    severity: str
    message: str

    def as_dict(self, file: str) -> dict[str, object]:
        """The JSON shape of `gongkai scan` (key order as documented)."""
        return {
            "file": file,
            "kind": self.kind,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "severity": self.severity,
        }


def make(
    kind: str, text: str, start: int, end: int, message: str, *, severity: str = ""
) -> Finding:
    return Finding(
        start=start,
        end=end,
        kind=kind,
        text=text[start:end],
        severity=severity or SEVERITY[kind],
        message=message,
    )


def mask(value: str) -> str:
    """The text with its middle digits replaced by *, as rosters may publish it
    (370283199001011234 → 3702831990****1234, 13806311234 → 138****1234); a name keeps its
    surname (张三丰 → 张**); other text keeps its first and last characters."""
    digits = [i for i, ch in enumerate(value) if ch.isdigit() or ch in "Xx"]
    if len(digits) >= 7:
        n = len(digits)
        keep_head = n - 8 if n in (15, 18) else 3 if n <= 12 else 6
        hidden = set(digits[keep_head : n - 4])
        return "".join("*" if i in hidden else ch for i, ch in enumerate(value))
    if len(value) <= 4:
        return value[:1] + "*" * (len(value) - 1)
    return value[:2] + "*" * (len(value) - 3) + value[-1:]
