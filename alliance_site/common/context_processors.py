from django.utils.functional import SimpleLazyObject

from alliance_site import hooks


def build_main_menu(request):
    current = request.path
    menu = hooks.main_menu(request)
    # The longest matching prefix is the current section, so "/" does not light up everywhere.
    best = max((e for e in menu if e.url != "/" and current.startswith(e.url)), key=lambda e: len(e.url), default=None)
    return [{"entry": e, "current": e is best} for e in menu]


def build_account_links(request):
    """The signed-in user's own pages the apps offer (我的案例, 我的评审 …), through `alliance_account_links`."""
    if not request.user.is_authenticated:
        return []
    return hooks.account_links(request)


def site_navigation(request):
    return {
        "main_menu": SimpleLazyObject(lambda: build_main_menu(request)),
        "account_links": SimpleLazyObject(lambda: build_account_links(request)),
    }
