"""Parsed HTML for tests that read a page.

A test finds the element it means by what it is (a CSS selector: tag, id, class, attribute), then asserts on its
text, its attributes or the order of its kind. Slicing the markup between two strings could pass on the same
words elsewhere on the page, or fail on a harmless change of attributes or whitespace; a parsed element does
neither. BeautifulSoup comes with Wagtail; the standard library's parser keeps what the server sent.
"""

from bs4 import BeautifulSoup, Tag


def parse(page) -> Tag:
    """A response, its bytes or str, or an element already parsed (then returned as it is)."""
    if isinstance(page, Tag):
        return page
    if hasattr(page, "content"):
        page = page.content
    if isinstance(page, bytes):
        page = page.decode()
    return BeautifulSoup(page, "html.parser")


def select(page, selector) -> list[Tag]:
    """Every element matching the CSS selector, in document order."""
    return parse(page).select(selector)


def one(page, selector) -> Tag:
    """The only element matching the selector: none, or several, fails the test."""
    found = select(page, selector)
    assert len(found) == 1, f"{len(found)} elements match {selector!r}"
    return found[0]


def maybe_one(page, selector) -> Tag | None:
    """The element matching the selector, or None when there is none; several fail the test."""
    found = select(page, selector)
    assert len(found) <= 1, f"{len(found)} elements match {selector!r}"
    return found[0] if found else None


def text_of(element) -> str:
    """The text a reader sees in the element, with runs of whitespace as one space."""
    return " ".join(element.get_text(" ").split()) if element is not None else ""


def texts(page, selector) -> list[str]:
    """The text of every element matching the selector, in document order."""
    return [text_of(element) for element in select(page, selector)]


def table(page, selector="table") -> list[list[str]]:
    """The text of every cell (th and td) of the one table matching the selector, row by row."""
    return [texts(row, "th, td") for row in one(page, selector).select("tr")]


def selected(page) -> dict[str, str]:
    """{name: value} of the option each named select on the page shows as chosen (selects with none left out)."""
    chosen = {}
    for choice in select(page, "select[name]"):
        option = choice.select_one("option[selected]")
        if option is not None:
            chosen[choice["name"]] = option.get("value", text_of(option))
    return chosen
