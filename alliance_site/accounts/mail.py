"""allauth's mail (address confirmation, password reset, security notices) through the task queue, as all the
site's other mail goes.

The message is rendered in the request, where allauth's templates have their request and their links, and sent
by a `django_tasks` task: with TASKS_BACKEND=database a slow or unreachable mail server never holds up a sign-up,
and a `db_worker` sends it. The task carries the rendered message as plain strings (the queue stores its
arguments as JSON), so a confirmation or reset link stays in the queue's table until the finished tasks are
pruned (`manage.py prune_db_task_results`, README "Deployment"). No after-commit: allauth sends from inside its
own flow, and a queued row is written in the same transaction as what the mail is about.
"""

from django.core.mail import EmailMultiAlternatives
from django_tasks import task

from alliance_site.common import mail


def send_later(message, *, what):
    """Queue an `EmailMessage` as allauth renders it; `what` names it in the log (never the address)."""
    send_account_mail.enqueue(
        {
            "subject": message.subject,
            "body": message.body,
            "content_subtype": message.content_subtype,
            "from_email": message.from_email,
            "to": list(message.to),
            "cc": list(message.cc),
            "bcc": list(message.bcc),
            "reply_to": list(message.reply_to),
            "headers": dict(message.extra_headers),
            "alternatives": [[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        },
        what,
    )


@task()
def send_account_mail(message, what):
    email = EmailMultiAlternatives(
        message["subject"],
        message["body"],
        message["from_email"],
        message["to"],
        cc=message["cc"],
        bcc=message["bcc"],
        reply_to=message["reply_to"],
        headers=message["headers"],
        alternatives=[tuple(alternative) for alternative in message["alternatives"]],
    )
    email.content_subtype = message["content_subtype"]
    return mail.send([email], what=what)
