"""`gongkai scan [FILE ...]`: the pre-publication confidentiality and personal-data checks.

Prints one JSON object per finding and line (INTERFACES.md):
{"file", "kind", "text", "start", "end", "severity"}; `file` is `-` for standard input (read as
UTF-8 text). Files whose text cannot be read (scans, images) are named on standard error as
unchecked. Exit status 0 whether or not anything is found; 2 when a file is missing or cannot
be opened (after the other files have been checked).
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from gongkai.lib.scan import ExtractError, scan_file, scan_text


class Command(BaseCommand):
    help = (
        "检查文件中的密级标志和个人信息（身份证号、手机号、银行卡号、电子邮箱），"
        "每条发现输出一行 JSON。"
    )
    requires_system_checks: list[str] = []
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "files",
            nargs="*",
            metavar="FILE",
            help=(
                "文本、网页、DOCX、XLSX、PPTX、PDF、OFD 或图片文件；"
                "不给或给 - 时读标准输入（UTF-8）"
            ),
        )
        parser.add_argument(
            "--allow-phone",
            action="append",
            default=[],
            metavar="NUMBER",
            help="本单位公开的电话号码，不报告（可重复）",
        )
        parser.add_argument(
            "--allow-email",
            action="append",
            default=[],
            metavar="ADDRESS",
            help="本单位公开的电子邮箱，不报告（可重复）",
        )

    def handle(self, *args, **options):
        allow = {"phones": options["allow_phone"], "emails": options["allow_email"]}
        stdin = options.get("stdin") or sys.stdin
        failed: list[str] = []
        for name in options["files"] or ["-"]:
            try:
                if name == "-":
                    findings = scan_text(self._read_stdin(stdin), allow=allow)
                else:
                    result = scan_file(name, allow=allow)
                    findings = result.findings
                    if not result.readable:
                        self.stderr.write(
                            f"{name}：未能全部检查——{result.reason}需要审核人员人工确认。"
                        )
            except ExtractError as exc:
                self.stderr.write(f"{name}：{exc}")
                failed.append(name)
                continue
            for finding in findings:
                self.stdout.write(json.dumps(finding.as_dict(name), ensure_ascii=False))
        if failed:
            raise CommandError(
                f"{len(failed)} 个文件无法打开或格式不支持：{'、'.join(failed)}", returncode=2
            )

    def _read_stdin(self, stdin) -> str:
        raw = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read()
        if isinstance(raw, str):
            return raw
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ExtractError("标准输入不是 UTF-8 文本。") from exc
