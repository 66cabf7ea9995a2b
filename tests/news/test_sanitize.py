"""The sanitiser against an XSS corpus: nothing executable survives, the allowed formatting does."""

from __future__ import annotations

import re

import pytest

from dangjian.news.sanitize import clean_html, plain_text

CORPUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src="x" onerror="alert(1)">',
    '<img src="/media/a.png" onerror=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<img src="javascript:alert(1)">',
    '<img src="//evil.example/x.png">',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<p style="width: expression(alert(1))">x</p>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="https://evil.example"><input name="q"><button>go</button></form>',
    '<body onload="alert(1)">',
    '<p onclick="alert(1)" onmouseover="alert(1)">x</p>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    '<img """><script>alert(1)</script>">',
    "<!--<script>alert(1)</script>-->",
    '<a href="https://ok.example" target="_blank" onfocus="alert(1)" autofocus>x</a>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<video><source onerror="alert(1)"></video>',
    '<details open ontoggle="alert(1)">',
    "<input onfocus=alert(1) autofocus>",
    '<a href="java\tscript:alert(1)">x</a>',
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
]
EXECUTABLE = re.compile(
    r"<\s*(script|style|iframe|object|embed|svg|math|form|input|button|meta|base|link|video|source|details|body)"
    r"|\bon[a-z]+\s*=|javascript:|vbscript:|data:|expression\(|style\s*=",
    re.IGNORECASE,
)


@pytest.mark.parametrize("dirty", CORPUS)
def test_nothing_executable_survives(dirty: str) -> None:
    clean = clean_html(dirty)
    assert not EXECUTABLE.search(clean), clean


def test_cleaning_twice_changes_nothing() -> None:
    for dirty in CORPUS:
        once = clean_html(dirty)
        assert clean_html(once) == once


def test_the_allowed_formatting_stays() -> None:
    html = (
        "<h2>标题</h2><p><strong>加粗</strong><em>斜体</em><u>下划线</u><br></p><ul><li>一</li></ul>"
        "<ol><li>二</li></ol><blockquote>引用</blockquote><h3>小</h3><h4>更小</h4>"
        "<table><thead><tr><th>表头</th></tr></thead><tbody><tr><td>单元格</td></tr></tbody></table>"
    )
    assert clean_html(html) == html


def test_links_get_noopener_and_keep_safe_schemes() -> None:
    clean = clean_html('<a href="https://www.12371.cn/">共产党员网</a>')
    assert 'href="https://www.12371.cn/"' in clean
    assert 'rel="noopener noreferrer"' in clean


def test_images_only_from_this_site_or_https() -> None:
    assert 'src="/media/news/a.png"' in clean_html('<img src="/media/news/a.png" alt="图">')
    assert 'src="https://img.example/a.png"' in clean_html('<img src="https://img.example/a.png">')
    assert "src=" not in clean_html('<img src="http://img.example/a.png">')


def test_plain_text_has_no_tags_and_no_entities() -> None:
    assert plain_text("<p>党建 &amp; <b>学习</b></p><script>x()</script>") == "党建 & 学习"
