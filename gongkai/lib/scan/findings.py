"""What a check reports: the kind of problem, where it is, and how serious it is."""

from __future__ import annotations

from dataclasses import dataclass

CLASSIFICATION_MARK = "classification_mark"
ID_CARD = "id_card"
MOBILE = "mobile"
BANK_CARD = "bank_card"
EMAIL = "email"

KINDS = (CLASSIFICATION_MARK, ID_CARD, MOBILE, BANK_CARD, EMAIL)

# Fixed per kind (INTERFACES.md, `gongkai scan`).
SEVERITY = {
    CLASSIFICATION_MARK: "high",
    ID_CARD: "high",
    BANK_CARD: "high",
    MOBILE: "medium",
    EMAIL: "low",
}

# Chinese names a reviewer sees next to each finding.
KIND_LABELS = {
    CLASSIFICATION_MARK: "密级或内部标志",
    ID_CARD: "居民身份证号码",
    MOBILE: "手机号码",
    BANK_CARD: "银行卡号",
    EMAIL: "电子邮箱地址",
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


def make(kind: str, text: str, start: int, end: int, message: str) -> Finding:
    return Finding(
        start=start,
        end=end,
        kind=kind,
        text=text[start:end],
        severity=SEVERITY[kind],
        message=message,
    )
