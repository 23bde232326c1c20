"""Who may do what with events: named permissions, asked through alliance_site.accounts.access.

| permission        | who                                                                                  |
|-------------------|--------------------------------------------------------------------------------------|
| events.run_events | the secretariat: check-in, evaluation reports and their export, any ticket or record |
| events.attend     | an event's audience: everyone signed in, or members only for a members' event        |
"""

import rules

from alliance_site.rules import is_member, is_staff


@rules.predicate
def is_open_to_everyone(user, event):
    from .models import EventPage

    return event is None or event.audience != EventPage.Audience.MEMBERS


rules.add_perm("events.run_events", is_staff)
rules.add_perm("events.attend", rules.is_authenticated & (is_open_to_everyone | is_member))
