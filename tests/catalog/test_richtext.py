"""Item bodies are sanitised rich text; images need alt text."""

from gongkai.catalog.richtext import images_without_alt, plain_text, sanitize


def test_scripts_styles_handlers_and_javascript_links_are_removed():
    dirty = (
        '<p onclick="x()" style="color:red">正文<script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">链接</a><iframe src="//evil"></iframe>'
        '<img src="a.png" alt="图" onerror="x()">'
    )
    clean = sanitize(dirty)
    assert "script" not in clean and "onclick" not in clean and "style" not in clean
    assert "javascript" not in clean and "iframe" not in clean and "onerror" not in clean
    assert '<img src="a.png" alt="图">' in clean


def test_allowed_structure_is_kept():
    html = (
        '<h2>标题</h2><table><thead><tr><th colspan="2">表头</th></tr></thead>'
        "<tbody><tr><td>1</td><td>2</td></tr></tbody></table><blockquote>引文</blockquote>"
    )
    assert sanitize(html) == html


def test_plain_text_becomes_paragraphs_and_is_escaped():
    assert sanitize("第一段\n第二行\n\n第二段 a<b") == "<p>第一段<br>第二行</p><p>第二段 a&lt;b</p>"


def test_images_without_alt_are_listed():
    assert images_without_alt(
        '<img src="a.png"><img src="b.png" alt=" "><img src="c" alt="图">'
    ) == ["a.png", "b.png"]


def test_plain_text_keeps_one_line_per_block():
    assert plain_text("<p>甲</p><ul><li>乙</li><li>丙</li></ul>") == "甲\n乙\n丙"
