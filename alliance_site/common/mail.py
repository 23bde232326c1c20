"""E-mail that what people type cannot break, and that is never lost without a trace.

Subjects are built from user text: thread and case titles, names, enterprises. Django refuses a header with a
line break in it (`BadHeaderError`, its guard against header injection) and with it the whole message, so every
sender makes its subject with `subject()` (and any other header from user text, such as a display name in
From or Reply-To, with `header_text()`), and sends with `send()`.

Mail goes out in a background task after the user's transaction has committed
(`transaction.on_commit(lambda: task.enqueue(...), robust=True)`): what the user did is already saved when the
mail is written. `send()` never raises: a message that cannot be sent is logged as an error on the
`alliance_site.common.mail` logger, saying which mail and to how many recipients, so it can be found and sent again.
"""

import logging
import unicodedata

from django.conf import settings
from django.core.mail import get_connection

logger = logging.getLogger(__name__)

HEADER_MAX_LENGTH = 150
ELLIPSIS = "…"

# Control characters, line and paragraph separators, lone surrogates; and the bidirectional overrides and
# isolates, which can make a subject read other than it is ("txt.exe" shown as "exe.txt").
_FOLDED_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def one_line(text):
    """`text` as one line: control characters, line breaks and bidi overrides become spaces, runs of whitespace
    one space. Also what forms make of titles and names (`alliance_site.common.forms.OneLineCharField`)."""
    folded = "".join(
        " " if unicodedata.category(char) in _FOLDED_CATEGORIES or char in _BIDI_CONTROLS else char
        for char in str(text if text is not None else "")
    )
    return " ".join(folded.split())


def header_text(text, max_length=HEADER_MAX_LENGTH):
    """`text` as one line fit for a mail header (`one_line`), cut to `max_length` characters with an ellipsis."""
    line = one_line(text)
    if len(line) > max_length:
        line = line[: max_length - len(ELLIPSIS)].rstrip() + ELLIPSIS
    return line


def subject(text):
    """The site's subject prefix and `text`, as one header-safe line."""
    return header_text(getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "") + str(text))


def send(messages, *, what):
    """Send `EmailMessage`s over one connection and return how many went out; never raise.

    Each message is sent on its own, so one refused address does not lose the others' mail. `what` names the
    mail in the log (e.g. "filing 12 submitted"); recipients are counted, not listed, to keep addresses out of
    the logs.
    """
    messages = list(messages)
    if not messages:
        return 0
    for message in messages:  # a subject a sender built by hand is folded all the same
        message.subject = header_text(message.subject)
    sent = 0
    try:
        with get_connection() as connection:
            for message in messages:
                try:
                    sent += connection.send_messages([message]) or 0
                except Exception:
                    logger.exception("Mail not sent: %s, to %d recipient(s)", what, len(message.recipients()))
    except Exception:  # the server could not be reached (or the connection not closed)
        recipients = sum(len(message.recipients()) for message in messages)
        logger.exception(
            "Mail not sent: %s, %d of %d message(s) to %d recipient(s) in all were sent",
            what,
            sent,
            len(messages),
            recipients,
        )
    return sent
