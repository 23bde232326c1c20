"""Post text: Markdown (python-markdown) → HTML → nh3 allow-list, with @mentions linked to profiles.

Rendered once when a post is saved and stored; pages print the stored HTML. Raw HTML typed into a post is
escaped by Markdown's own rule (it is not passed through) and whatever Markdown produces is then cleaned
by nh3, so a tag, attribute or URL scheme outside the allow-lists never reaches a page.
"""

import re

import markdown
import nh3
from django.utils.html import escape
from markdown.extensions.tables import TableExtension

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h3", "h4", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "class"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"
# A mention is @ followed by a username or a name, up to a space or punctuation (a final "." or "-" ends it).
MENTION = re.compile(r"(?<![\w@])@(\w[\w.\-]{0,28}\w)")


class EscapeHtml(markdown.Extension):
    """Typed HTML is shown as text, never interpreted (nh3 would remove it anyway; this keeps what was typed)."""

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def render(source, mentions=None):
    """Sanitised HTML of Markdown `source`; `mentions` maps a mentioned name to the profile URL to link."""
    extensions = [EscapeHtml(), "fenced_code", TableExtension(use_align_attribute=True), "sane_lists"]
    html = markdown.markdown(source, extensions=extensions)
    if mentions:
        html = link_mentions(html, mentions)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def mentioned_names(source):
    return list(dict.fromkeys(MENTION.findall(source)))


def link_mentions(html, mentions):
    """Turn @name into a link, outside tags and outside code (split on tags; text between them only)."""
    parts = re.split(r"(<[^>]+>)", html)
    in_code = 0
    for i, part in enumerate(parts):
        if part.startswith("<"):
            tag = part.lower()
            if tag.startswith(("<code", "<pre", "<a ")):
                in_code += 1
            elif tag.startswith(("</code", "</pre", "</a")):
                in_code = max(0, in_code - 1)
            continue
        if in_code:
            continue
        parts[i] = MENTION.sub(
            lambda m: (
                f'<a class="mention" href="{escape(mentions[m.group(1)])}">@{m.group(1)}</a>'
                if m.group(1) in mentions
                else m.group(0)
            ),
            part,
        )
    return "".join(parts)


def quote_markdown(post_source, author_name):
    """The Markdown a quote-reply starts with: the quoted post as a blockquote, credited."""
    lines = [line for line in post_source.strip().splitlines()][:20]
    return f"> **{author_name}**:\n" + "\n".join(f"> {line}" for line in lines) + "\n\n"
