"""alliance_site.common.mail: subjects built from user text stay one line, and a mail that cannot be sent is logged.

The senders' own tests (forum notifications, case review, filings) post through HTTP and read the outbox; here
are the subject function itself, and a filing whose names carry line breaks or whose mail server fails.
"""

import logging
import smtplib

import pytest
from django.core.mail import EmailMessage
from django.core.mail.backends import locmem
from django.urls import reverse

from alliance_site.accounts import roles
from alliance_site.common import mail
from alliance_site.models import Filing, ProfileStatus, RegionalRegulator

from .helpers import FAILING_EMAIL_BACKEND, one_line, upload

# The subject -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("降低焊缝\n不良率", "降低焊缝 不良率"),
        ("降低焊缝\r\n不良率", "降低焊缝 不良率"),
        ("降低焊缝\r不良率", "降低焊缝 不良率"),
        ("降低焊缝\t\t不良率", "降低焊缝 不良率"),
        ("a\x00b\x07c\x08d\x0be\x0cf\x1bg\x7fh", "a b c d e f g h"),
        ("line\x85next\u2028sep\u2029para", "line next sep para"),
        ("spoof\u202etxt.exe", "spoof txt.exe"),
        ("  \n 前后空白 \n ", "前后空白"),
        ("运用六西格玛降低铸件气孔缺陷率", "运用六西格玛降低铸件气孔缺陷率"),
        ("", ""),
        (None, ""),
    ],
)
def test_header_text_is_one_line(text, expected):
    assert mail.header_text(text) == expected


def test_a_long_title_is_cut_with_an_ellipsis():
    title = "质" * 400
    line = mail.header_text(title)
    assert len(line) == mail.HEADER_MAX_LENGTH
    assert line.endswith("…") and line.startswith("质" * 100)
    assert mail.header_text("质" * mail.HEADER_MAX_LENGTH) == "质" * mail.HEADER_MAX_LENGTH


def test_the_subject_carries_the_prefix_and_stays_one_line(settings):
    settings.ACCOUNT_EMAIL_SUBJECT_PREFIX = "[CQO] "
    subject = mail.subject("新主题：“焊接\n质量”" + "长" * 300)
    assert subject.startswith("[CQO] 新主题：“焊接 质量”")
    assert len(subject) == mail.HEADER_MAX_LENGTH and one_line(subject)


def test_send_logs_a_failure_and_returns_nothing_sent(settings, caplog):
    settings.EMAIL_BACKEND = FAILING_EMAIL_BACKEND
    messages = [EmailMessage("主题", "正文", to=[f"u{n}@example.cn"]) for n in range(3)]
    with caplog.at_level(logging.ERROR, logger="alliance_site.common.mail"):
        assert mail.send(messages, what="test mail 7") == 0
    errors = [r for r in caplog.records if r.name == "alliance_site.common.mail" and r.levelno == logging.ERROR]
    assert errors and all("test mail 7" in r.getMessage() for r in errors)
    assert all(r.exc_info for r in errors)


class RefusingOneAddress(locmem.EmailBackend):
    def send_messages(self, messages):
        if any("refused@" in address for message in messages for address in message.to):
            raise smtplib.SMTPRecipientsRefused({"refused@example.cn": (550, b"no such user")})
        return super().send_messages(messages)


def test_one_refused_address_does_not_lose_the_others_mail(settings, caplog, mailoutbox):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingOneAddress"
    to = ["a@example.cn", "refused@example.cn", "b@example.cn"]
    with caplog.at_level(logging.ERROR, logger="alliance_site.common.mail"):
        assert mail.send([EmailMessage("主题", "正文", to=[address]) for address in to], what="test") == 2
    assert [m.to for m in mailoutbox] == [["a@example.cn"], ["b@example.cn"]]
    assert len([r for r in caplog.records if r.name == "alliance_site.common.mail"]) == 1


def test_send_folds_a_subject_that_a_sender_built_by_hand(mailoutbox):
    assert mail.send([EmailMessage("标题\n第二行", "正文", to=["u@example.cn"])], what="test") == 1
    assert mailoutbox[0].subject == "标题 第二行"


# A filing whose names carry line breaks ----------------------------------------------------------------------


@pytest.fixture
def cqo_to_file(make_profile, make_enterprise, make_user, regions):
    """cqo_to_file(real_name, enterprise_name): a CQO with a letter, of an enterprise in 泽州县, and the county's
    regulator, who is told of the filing."""

    def make(real_name="王质量", enterprise_name="晋城精密制造有限公司"):
        profile = make_profile(real_name=real_name, enterprise=make_enterprise(name=enterprise_name))
        profile.appointment_letter = upload("任命书.pdf")
        profile.save()
        regulator = make_user(groups=[roles.REGULATOR])
        RegionalRegulator.objects.create(user=regulator, region=regions["zezhou"], agency="泽州县市场监督管理局")
        return profile, regulator

    return make


def test_a_filing_with_line_breaks_in_its_names_reaches_the_regulator(
    client_for, cqo_to_file, django_capture_on_commit_callbacks, mailoutbox
):
    profile, regulator = cqo_to_file("王\n质量", "晋城\n精密制造\r\n有限公司")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(profile.user).post(reverse("members:submit_filing"))
    assert response.status_code == 302
    assert Filing.objects.filter(profile=profile, status=Filing.Status.SUBMITTED).exists()
    assert [m.to for m in mailoutbox] == [[regulator.email]]
    subject = mailoutbox[0].subject
    assert one_line(subject)
    assert "王 质量" in subject and "晋城 精密制造 有限公司" in subject
    mailoutbox[0].message()  # Django would refuse a header it cannot send


def test_a_failing_mail_server_neither_fails_nor_undoes_the_filing(
    client_for, cqo_to_file, settings, caplog, django_capture_on_commit_callbacks, mailoutbox
):
    profile, _regulator = cqo_to_file()
    settings.EMAIL_BACKEND = FAILING_EMAIL_BACKEND
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = client_for(profile.user).post(reverse("members:submit_filing"))
    assert response.status_code == 302
    filing = Filing.objects.get(profile=profile)
    assert filing.status == Filing.Status.SUBMITTED
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.FILING_SUBMITTED
    errors = [r for r in caplog.records if r.name == "alliance_site.common.mail" and r.levelno == logging.ERROR]
    assert len(errors) == 1
    logged = errors[0].getMessage()
    assert f"filing {filing.pk}" in logged and "1 recipient" in logged
    assert mailoutbox == []
