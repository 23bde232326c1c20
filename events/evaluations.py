"""The post-event evaluation: who may answer, and the per-event report staff read (and export)."""

from itertools import accumulate
from statistics import mean

from django.utils.translation import gettext as _

from .models import Evaluation, Registration


def why_user_may_not_evaluate(registration, now=None):
    if registration is None or not registration.attended:
        return _("Only attendees who were checked in can evaluate this event.")
    if not registration.event.has_ended(now):
        return _("The evaluation opens when the event has ended.")
    if Evaluation.objects.filter(registration=registration).exists():
        return _("You have already evaluated this event. Thank you.")
    return None


def rating_labels():
    return {name: Evaluation._meta.get_field(name).verbose_name for name in Evaluation.RATINGS}


def stacked_bar(shares):
    """Where each share (in %) starts and how wide it is along a bar 100 wide. The report draws the bar in SVG,
    whose geometry is attributes: a style="width: …" would be refused by the Content-Security-Policy."""
    return [{"x": start, "width": share} for start, share in zip(accumulate([0, *shares[:-1]]), shares, strict=True)]


def evaluation_report(event):
    """Response rate, the average and distribution of each rating, the learning gain, and the free text."""
    attended = Registration.objects.filter(event=event, attended_at__isnull=False).count()
    answers = list(Evaluation.objects.filter(registration__event=event).order_by("submitted_at", "pk"))
    labels = rating_labels()
    ratings = []
    for name in Evaluation.RATINGS:
        values = [getattr(answer, name) for answer in answers]
        distribution = [values.count(points) for points in range(1, 6)]
        shares = [round(100 * n / len(values)) if values else 0 for n in distribution]
        ratings.append(
            {
                "name": name,
                "label": labels[name],
                "average": round(mean(values), 2) if values else None,
                "distribution": distribution,
                "shares": shares,
                "segments": stacked_bar(shares),
            }
        )
    gains = [answer.knowledge_after - answer.knowledge_before for answer in answers]
    return {
        "attended": attended,
        "responses": len(answers),
        "response_rate": round(100 * len(answers) / attended, 1) if attended else None,
        "ratings": ratings,
        "learning_gain": round(mean(gains), 2) if gains else None,
        "improved": sum(1 for gain in gains if gain > 0),
        "will_apply": [answer.will_apply for answer in answers if answer.will_apply.strip()],
        "comments": [answer.comments for answer in answers if answer.comments.strip()],
        "answers": answers,
    }
