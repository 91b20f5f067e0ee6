"""Extracted text is capped per file (settings.EXTRACTED_TEXT_MAX_CHARS): a 460 KB zip bomb once
stored 193 MB of text. Past the cap the text is cut, the result says `truncated`, and the clerk
is told that only the first part was checked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.catalog import attachments
from gongkai.catalog.models import Attachment
from gongkai.lib.scan import scan_file
from gongkai.lib.textextract import extract
from tests.lib.files import make_docx, make_zip


@pytest.fixture(autouse=True)
def _small_cap(settings, tmp_path):
    settings.EXTRACTED_TEXT_MAX_CHARS = 1000
    settings.MEDIA_ROOT = tmp_path


def test_text_past_the_cap_is_cut_and_marked():
    result = extract(make_docx(["预算公开" * 100] * 10), "长文件.docx")
    assert result.truncated and result.readable
    assert len(result.text) == 1000
    assert result.reason == "文本超过上限，仅检查了前 1000 字。"
    short = extract(make_docx(["预算公开"]), "短文件.docx")
    assert not short.truncated and short.reason == ""


def test_a_compressed_flood_of_text_stops_at_the_cap():
    body = b"<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'>"
    body += (
        b"<w:body><w:p><w:r><w:t>" + b"A" * 5_000_000 + b"</w:t></w:r></w:p></w:body></w:document>"
    )
    bomb = make_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": body})
    assert len(bomb) < 50_000
    result = extract(bomb, "bomb.docx")
    assert result.truncated and len(result.text) == 1000


def test_the_scan_result_says_it_checked_only_a_part():
    assert scan_file(make_docx(["甲" * 2000]), "a.docx").truncated


def test_the_clerk_sees_that_only_the_first_part_was_checked(client, cast):
    from tests.catalog.conftest import make_draft

    item = make_draft(cast)
    prepared = attachments.prepare(make_docx(["乙" * 3000]), "长附件.docx")
    # Cut at the cap, the file was only partly checked: a reviewer must confirm it (issue 12).
    assert not prepared.readable and "仅检查了前 1000 字" in prepared.unreadable_reason
    attachments.store(prepared, version=item.versions.get(), sort_order=1)
    stored = Attachment.objects.get()
    assert len(stored.text) == 1000
    client.force_login(cast.drafter)
    page = client.get(reverse("catalog:item_detail", args=[item.pk])).content.decode()
    assert "长附件" in page
    assert "文本超过上限，仅检查了前 1000 字" in page
