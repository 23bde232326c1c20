"""forums.rendering: Markdown → sanitised HTML, checked against XSS vectors; @mentions linked to profiles.

The output is parsed (not only searched as a string): typed HTML is shown as escaped text, so the text
"onerror=alert(1)" may legitimately appear in a paragraph, but never as an attribute of a tag.
"""

import re
from html.parser import HTMLParser

import pytest

from alliance_site.models import ProfileStatus
from forums import posting
from forums.rendering import render
from tests import markup

FORBIDDEN_TAGS = {"script", "svg", "iframe", "img", "style", "object", "embed", "form", "input", "math", "link", "meta"}
SAFE_TAGS = {
    "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h3", "h4", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
# What a browser ignores in a URL before reading its scheme: ASCII tab/newline anywhere, controls and spaces around.
URL_IGNORED = re.compile(r"[\t\n\r]")


class Parsed(HTMLParser):
    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags = []  # (tag, {attr: value})
        self.text = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    @property
    def visible_text(self):
        return "".join(self.text)


def url_scheme_is_bad(value):
    url = URL_IGNORED.sub("", value or "").strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f ").lower()
    return url.startswith(BAD_SCHEMES)


def assert_safe(html):
    """Nothing in `html` can run script, load a resource or restyle the page."""
    lowered = html.lower()
    for tag in FORBIDDEN_TAGS:
        assert f"<{tag}" not in lowered, f"<{tag} in {html!r}"
    for raw_tag in re.findall(r"<[^>]*>", html):
        raw_tag = re.sub(r"\"[^\"]*\"|'[^']*'", '""', raw_tag)  # attribute values are not attributes
        assert not re.search(r"\son\w+\s*=", raw_tag, re.IGNORECASE), f"event handler in {raw_tag!r}"
        assert not re.search(r"\sstyle\s*=", raw_tag, re.IGNORECASE), f"style attribute in {raw_tag!r}"
    parsed = Parsed(html)
    for tag, attrs in parsed.tags:
        assert tag in SAFE_TAGS, f"<{tag}> in {html!r}"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{name} on <{tag}> in {html!r}"
            assert name != "style", f"style on <{tag}> in {html!r}"
            if name in {"href", "src", "action", "formaction", "xlink:href", "poster", "background"}:
                assert not url_scheme_is_bad(value), f"{name}={value!r} on <{tag}> in {html!r}"
    return parsed


# (Markdown typed, text that must stay visible or None when nothing sensible is left to show)
XSS_VECTORS = {
    "script": ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    "script mixed case": ("<ScRiPt>alert(1)</sCrIpT>", "<ScRiPt>alert(1)</sCrIpT>"),
    "script nested/broken": ("<scr<script>ipt>alert(1)</script>", "alert(1)"),
    "script unclosed": ("<script src=//evil.example/x.js>", "evil.example"),
    "img onerror": ("<img src=x onerror=alert(1)>", "onerror=alert(1)"),
    "a onclick": ('<a onclick="alert(1)" href="http://x">hi</a>', "hi"),
    "raw a javascript": ("<a href='javascript:alert(1)'>x</a>", "x"),
    "md javascript link": ("[x](javascript:alert(1))", "x"),
    "md javascript mixed case": ("[x](JaVaScRiPt:alert(1))", "x"),
    "md javascript upper": ("[x](JAVASCRIPT:alert(1))", "x"),
    "md javascript entity": ("[x](&#106;avascript:alert(1))", "x"),
    "md javascript hex entity": ("[x](&#x6A;avascript:alert(1))", "x"),
    "md javascript tab": ("[x](java\tscript:alert(1))", "x"),
    "md javascript tab entity": ("[x](java&#9;script:alert(1))", "x"),
    "md javascript newline entity": ("[x](java&#10;script:alert(1))", "x"),
    "md javascript leading space": ("[x]( javascript:alert(1))", "x"),
    "md javascript angle brackets": ("[x](<javascript:alert(1)>)", "x"),
    "md javascript colon entity": ("[x](javascript&colon;alert(1))", "x"),
    "md javascript control char": ("[x](\x01javascript:alert(1))", "x"),
    "md javascript with title": ('[x](javascript:alert(1) "t")', "x"),
    "md vbscript": ("[x](vbscript:msgbox(1))", "x"),
    "reference javascript": ("[x][r]\n\n[r]: javascript:alert(1)", "x"),
    "reference javascript shortcut": ("[a]: JavaScript:alert(1)\n\n[a]", "a"),
    "autolink javascript": ("<javascript:alert(1)>", "javascript:alert(1)"),
    "data link": ("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "x"),
    "data link plain": ("[x](data:text/html,<script>alert(1)</script>)", "x"),
    "data image svg": ("![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)", None),
    "image javascript": ("![alt](javascript:alert(1))", None),
    "svg onload": ("<svg onload=alert(1)>", "alert(1)"),
    "svg script": ("<svg><script>alert(1)</script></svg>", "alert(1)"),
    "image attribute breakout": ('![x](x" onerror="alert(1))', None),
    "image title breakout": ('![x](http://x/a.png "t\\" onerror=\\"alert(1)")', None),
    "link title breakout": ('[x](http://x "t" onclick="alert(1)")', "x"),
    "link title escaped quote": ('[x](http://x "a\\" onmouseover=\\"alert(1)")', "x"),
    "html in link text": ("[<img src=x onerror=alert(1)>](http://x)", "<img src=x onerror=alert(1)>"),
    "entities stay text": ("&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"),
    "hex entities stay text": ("&#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E;", "<script>alert(1)</script>"),
    "iframe": ("<iframe src=http://evil.example></iframe>", "iframe"),
    "style tag": ("<style>body{display:none}</style>", "body{display:none}"),
    "style attribute": ('<a href="http://x" style="position:fixed;top:0">x</a>', "x"),
    "object embed form input": ("<object data=x></object><embed src=x><form><input name=q></form>", None),
    "math": ("<math><mi xlink:href=javascript:alert(1)>x</mi></math>", None),
    "html comment": ("<!--><script>alert(1)</script>-->", "alert(1)"),
}


@pytest.mark.parametrize("source, visible", XSS_VECTORS.values(), ids=XSS_VECTORS.keys())
def test_xss_vectors_are_neutralised(source, visible):
    html = render(source)
    parsed = assert_safe(html)
    if visible is not None:
        assert visible in parsed.visible_text


def test_typed_html_is_shown_as_text_not_interpreted():
    html = render("<b>bold?</b> <script>alert(1)</script>")
    parsed = assert_safe(html)
    assert [tag for tag, _attrs in parsed.tags] == ["p"]
    assert parsed.visible_text == "<b>bold?</b> <script>alert(1)</script>"


def test_javascript_links_keep_their_text_but_lose_the_url():
    parsed = assert_safe(render("[click me](javascript:alert(1))"))
    links = [attrs for tag, attrs in parsed.tags if tag == "a"]
    assert links and all("href" not in attrs or not url_scheme_is_bad(attrs["href"]) for attrs in links)
    assert parsed.visible_text == "click me"


@pytest.mark.parametrize(
    "source",
    [
        "```\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```",
        "    <script>alert(1)</script>\n    <img src=x onerror=alert(1)>",
        "`<script>alert(1)</script>` and `<img src=x onerror=alert(1)>`",
    ],
    ids=["fenced", "indented", "inline"],
)
def test_html_inside_code_stays_escaped_text(source):
    html = render(source)
    assert_safe(html)
    assert "<code>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    code = " ".join(element.get_text() for element in markup.select(html, "code"))
    assert "<script>alert(1)</script>" in code and "<img src=x onerror=alert(1)>" in code
    assert not markup.select(html, "script, img")  # text inside code, not elements


def test_links_get_nofollow_ugc_noopener():
    parsed = assert_safe(render("[site](https://example.com/a?b=1) and <https://example.org>"))
    links = [attrs for tag, attrs in parsed.tags if tag == "a"]
    assert [a["href"] for a in links] == ["https://example.com/a?b=1", "https://example.org"]
    for attrs in links:
        assert set(attrs["rel"].split()) == {"nofollow", "ugc", "noopener"}


def test_a_rel_typed_by_the_author_is_replaced():
    html = render('[x](https://example.com "t")')
    parsed = assert_safe(html)
    (attrs,) = [attrs for tag, attrs in parsed.tags if tag == "a"]
    assert attrs["rel"] == "nofollow ugc noopener"
    assert attrs["title"] == "t"


def test_allowed_markdown_renders():
    source = (
        "**bold** and *it*\n\n"
        "- one\n- two\n\n"
        "1. first\n2. second\n\n"
        "> quoted\n\n"
        "```python\nprint('hi')\n```\n\n"
        "| a | b |\n|---|--:|\n| 1 | 2 |\n\n"
        "[docs](https://example.com/docs)\n\n"
        "### Heading\n\n---\n"
    )
    html = render(source)
    parsed = assert_safe(html)
    tags = {tag for tag, _attrs in parsed.tags}
    assert {"strong", "em", "ul", "ol", "li", "blockquote", "pre", "code", "table", "thead", "tbody", "tr"} <= tags
    assert {"th", "td", "a", "h3", "hr"} <= tags
    assert "<strong>bold</strong>" in html
    assert "<em>it</em>" in html
    assert "<li>one</li>" in html
    assert "print(&#39;hi&#39;)" in html or "print('hi')" in html
    assert '<a href="https://example.com/docs"' in html
    assert "<td>1</td>" in html or '<td align="left">1</td>' in html


def test_table_column_alignment_is_kept():
    """`align` is allowed on th/td (rendering.ALLOWED_ATTRIBUTES) so that `|--:|` keeps a column right-aligned."""
    html = render("| a | b |\n|---|--:|\n| 1 | 2 |")
    parsed = assert_safe(html)
    assert ("th", {"align": "right"}) in parsed.tags
    assert ("td", {"align": "right"}) in parsed.tags


# Mentions -----------------------------------------------------------------------------------------------------


@pytest.fixture
def alice(make_user, make_profile):
    return make_profile(make_user("alice"), status=ProfileStatus.ACTIVE, real_name="王小明")


def mention_links(html):
    return [attrs for tag, attrs in Parsed(html).tags if tag == "a" and "mention" in attrs.get("class", "").split()]


def test_username_mention_links_to_the_profile(alice):
    html, users = posting.render_with_mentions("Hello @alice, see this")
    assert_safe(html)
    (link,) = mention_links(html)
    assert link["href"] == f"/members/{alice.pk}/"
    assert f'<a class="mention" href="/members/{alice.pk}/"' in html
    assert ">@alice</a>" in html
    assert users == [alice.user]


def test_unique_real_name_mention_links_to_the_profile(alice):
    html, users = posting.render_with_mentions("请 @王小明 看一下")
    (link,) = mention_links(html)
    assert link["href"] == f"/members/{alice.pk}/"
    assert ">@王小明</a>" in html
    assert users == [alice.user]


def test_unknown_name_stays_text(alice):
    html, users = posting.render_with_mentions("Hello @nobody and @不存在的人")
    assert mention_links(html) == []
    assert "@nobody" in Parsed(html).visible_text
    assert "@不存在的人" in Parsed(html).visible_text
    assert users == []


def test_ambiguous_real_name_is_not_linked(alice, make_user, make_profile):
    make_profile(make_user("other"), status=ProfileStatus.ACTIVE, real_name="王小明")
    html, users = posting.render_with_mentions("请 @王小明 看一下, and @alice too")
    links = mention_links(html)
    assert [link["href"] for link in links] == [f"/members/{alice.pk}/"]  # only the username
    assert "@王小明" in Parsed(html).visible_text
    assert users == [alice.user]


def test_mentions_inside_code_are_not_linked(alice):
    html, _users = posting.render_with_mentions("`@alice`\n\n```\n@alice\n```\n\n    @alice")
    assert mention_links(html) == []
    assert html.count("@alice") == 3


def test_mention_inside_a_link_is_not_nested(alice):
    html, _users = posting.render_with_mentions("[ask @alice](https://example.com)")
    assert mention_links(html) == []
    assert html.count("<a ") == 1


def test_email_address_is_not_a_mention(alice):
    html, users = posting.render_with_mentions("write to bob@alice.example")
    assert mention_links(html) == []
    assert users == []


def test_mention_at_the_end_of_a_sentence(alice):
    """rendering.MENTION says a mention runs "up to a space or punctuation": a sentence's full stop ends it."""
    html, users = posting.render_with_mentions("Thanks @alice.")
    (link,) = mention_links(html)
    assert link["href"] == f"/members/{alice.pk}/"
    assert users == [alice.user]


def test_mention_links_carry_rel_and_are_safe(alice):
    html, _users = posting.render_with_mentions("**@alice** <script>alert(1)</script>")
    assert_safe(html)
    (link,) = mention_links(html)
    assert set(link["rel"].split()) == {"nofollow", "ugc", "noopener"}


@pytest.mark.parametrize(
    "unsafe",
    [
        "<script>alert(1)</script>",
        "<p><img src=x></p>",
        '<p onclick="alert(1)">x</p>',
        "<a href='java\tscript:alert(1)'>x</a>",
        '<a href=" JavaScript:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<a href="data:text/html,x">x</a>',
        '<a href="http://x" style="color:red">x</a>',
        "<svg></svg>",
        "<iframe></iframe>",
        "<form><input></form>",
        "<object></object>",
        "<embed>",
        "<style></style>",
        "<marquee>x</marquee>",
    ],
)
def test_the_checker_itself_catches_unsafe_html(unsafe):
    with pytest.raises(AssertionError):
        assert_safe(unsafe)


def test_dotted_username_mention_keeps_inner_dots(make_user, make_profile):
    profile = make_profile(make_user("li.na"), status=ProfileStatus.ACTIVE)
    html, users = posting.render_with_mentions("Asked @li.na. Also @li.na-")
    links = mention_links(html)
    assert [link["href"] for link in links] == [f"/members/{profile.pk}/"] * 2
    assert html.count(">@li.na</a>") == 2
    assert users == [profile.user]
