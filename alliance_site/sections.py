"""What the apps contribute to core pages through hooks, as plain values the core templates can render."""

from dataclasses import dataclass, field


@dataclass
class HomeSection:
    """A block of latest items on the home page: `items` are (title, url, meta) triples."""

    key: str
    title: str
    more_url: str
    empty_message: str
    items: list = field(default_factory=list)
    order: int = 100


@dataclass
class MenuEntry:
    """A main navigation entry."""

    key: str
    label: str
    url: str
    order: int = 100


@dataclass
class ProfileFact:
    """A line an app adds to a CQO's record on their profile page (owner, staff and regulators see it)."""

    label: str
    value: str
    url: str = ""


@dataclass
class DashboardFigure:
    """A figure an app adds to the dashboard (cases, competitions, training hours), for a region or all.

    `value` is a number; `unit` follows it ("小时"); `note` says what exactly is counted.
    """

    key: str
    label: str
    value: float
    unit: str = ""
    note: str = ""
    order: int = 100
