"""Members write cases on the site, save drafts, preview them and send them into the "案例审核" workflow.

Everything goes through the HTTP client (the site's views and the Wagtail admin) and Wagtail's models,
and asserts what happened: pages, revisions, workflow states, documents, e-mails.
"""

import io
import logging
import re
import zipfile
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import PageLogEntry, Revision, TaskState, WorkflowState

from alliance_site.models import Enterprise, ProfileStatus
from cases.models import CasePage
from cases.workflow import TASK_NAME, CaseStatus
from tests import markup
from tests.alliance_site.helpers import ENGLISH, FAILING_EMAIL_BACKEND, login_url, one_line, png_bytes, text

from .conftest import metric, section

Document = get_document_model()
Image = get_image_model()

MY_CASES = "/my/cases/"
NEW_CASE = "/my/cases/new/"


# Helpers ---------------------------------------------------------------------------------------------------


def edit_url(case):
    return reverse("cases:edit", args=[case.pk])


def preview_url(case):
    return reverse("cases:preview", args=[case.pk])


def submit_url(case):
    return reverse("cases:submit", args=[case.pk])


def new_case_data(methods, *, title="运用六西格玛降低焊缝不良率", sections=None, coauthors=(), **fields):
    """What a member types into the form for a new case: basic data, sections and their metric rows.

    The enterprise is the one the form offers first: the test members' (see make_profile).
    """
    data = {
        "case-title": title,
        "case-enterprise": Enterprise.objects.order_by("pk").first().pk,
        "case-summary": "焊缝不良率从2.4%降至0.6%，年节约返修成本约120万元。",
        "case-industry": "C",
        "case-methods": [method.pk for method in methods],
        "case-tags": "降本增效，焊接",
        "case-period_start": "2024-01-01",
        "case-period_end": "2024-12-31",
        "case-economic_benefit": "120",
        "case-benefit_note": "按年减少返修工时计算",
        "case-coauthors": [profile.pk for profile in coauthors],
        "action": "save",
    }
    sections = (
        sections
        if sections is not None
        else [
            {
                "heading": "现状调查",
                "text": "2023年焊缝不良率为2.4%。\n\n主要缺陷为气孔和夹渣。",
                "metrics": [{"indicator": "焊缝不良率", "unit": "%", "baseline": "2.4", "result": "0.6"}],
            }
        ]
    )
    data["sections-TOTAL_FORMS"] = str(len(sections))
    data["sections-INITIAL_FORMS"] = "0"
    for index, value in enumerate(sections):
        prefix = f"sections-{index}"
        data[f"{prefix}-heading"] = value.get("heading", "")
        data[f"{prefix}-visibility"] = value.get("visibility", "public")
        data[f"{prefix}-text"] = value.get("text", "")
        if value.get("files"):
            data[f"{prefix}-attachments"] = value["files"]
        metrics = value.get("metrics", [])
        data[f"{prefix}-metrics-TOTAL_FORMS"] = str(len(metrics))
        data[f"{prefix}-metrics-INITIAL_FORMS"] = "0"
        for number, row in enumerate(metrics):
            for key, default in (
                ("indicator", ""),
                ("unit", ""),
                ("baseline", ""),
                ("result", ""),
                ("direction", "lower"),
            ):
                data[f"{prefix}-metrics-{number}-{key}"] = row.get(key, default)
    data.update(fields)
    return data


class FormReader(HTMLParser):
    """The values a browser would post from the case form (without pressing any button)."""

    def __init__(self):
        super().__init__()
        self.values, self._textarea, self._select, self._in_form = {}, None, None, False

    def add(self, name, value):
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "case-form" in (attrs.get("class") or ""):
            self._in_form = True
        if not self._in_form or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "file", "button"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.add(attrs["name"], attrs.get("value", "on"))
                return
            self.add(attrs["name"], attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.add(self._textarea, "")
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.add(self._select, attrs.get("value", ""))

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            if self._textarea:
                self.values[self._textarea][-1] = self.values[self._textarea][-1].removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._in_form = False


def form_values(response):
    reader = FormReader()
    reader.feed(text(response))
    values = {name: value[0] if len(value) == 1 else value for name, value in reader.values.items()}
    values.pop("csrfmiddlewaretoken", None)
    return values


def counts():
    """What a refused post must leave untouched."""
    return {
        "pages": CasePage.objects.count(),
        "revisions": Revision.objects.count(),
        "documents": Document.objects.count(),
        "images": Image.objects.count(),
        "workflows": WorkflowState.objects.count(),
    }


def upload(name, content=b"%PDF-1.7\n% test attachment\n", content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def sections_of(page):
    return [block.value for block in page.body]


def items_of(section_value, kind):
    return [item.value for item in section_value["content"] if item.block_type == kind]


def current_task_state(page):
    return WorkflowState.objects.active().get(object_id=str(page.pk)).current_task_state


def review_action(client, page, action, comment=""):
    """What a reviewer does in the Wagtail admin: the workflow action on the page's current task."""
    task_state = current_task_state(page)
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))
    return client.post(url, {"comment": comment})


@pytest.fixture
def methods(db):
    from cases.models import QualityMethod

    return list(QualityMethod.objects.filter(slug__in=["six-sigma", "qc-circle"]))


@pytest.fixture
def other_member(make_profile):
    return make_profile(status=ProfileStatus.ACTIVE, real_name="李四").user


@pytest.fixture
def coauthor(make_profile):
    return make_profile(status=ProfileStatus.ACTIVE, real_name="赵协作").user


def create_draft(client, methods, **kwargs):
    response = client.post(NEW_CASE, new_case_data(methods, **kwargs))
    assert response.status_code == 302, text(response)
    return CasePage.objects.get(title=kwargs.get("title", "运用六西格玛降低焊缝不良率"))


# Who may use the pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [MY_CASES, NEW_CASE])
def test_visitors_are_sent_to_sign_in(client, case_index, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == login_url(url)


def test_visitors_are_sent_to_sign_in_for_a_case(client, make_case, member):
    case = make_case(member, live=False)
    for url in (edit_url(case), preview_url(case)):
        response = client.get(url)
        assert response.status_code == 302 and response.url == login_url(url)
    response = client.post(submit_url(case))
    assert response.status_code == 302
    assert not WorkflowState.objects.exists()


@pytest.mark.parametrize("url", [MY_CASES, NEW_CASE])
def test_applicants_may_not_submit_cases(client_for, applicant, case_index, url):
    assert client_for(applicant).get(url).status_code == 403
    assert client_for(applicant).post(NEW_CASE, {"case-title": "x"}).status_code == 403
    assert not CasePage.objects.exists()


def test_staff_without_a_cqo_profile_review_in_the_admin_not_here(client_for, staff, case_index):
    assert client_for(staff).get(NEW_CASE).status_code == 403
    assert client_for(staff).get(MY_CASES).status_code == 403


def test_an_exited_cqo_can_no_longer_edit_their_cases(client_for, make_case, member, staff):
    case = make_case(member, live=False)
    member.cqo_profile.change_status(ProfileStatus.EXITED, by=staff, reason="测试退出")
    member.refresh_from_db()
    assert client_for(member).get(edit_url(case)).status_code == 403
    assert client_for(member).post(submit_url(case)).status_code == 403
    assert not WorkflowState.objects.exists()


def test_a_case_locked_by_a_reviewer_cannot_be_edited(client_for, make_case, member, staff, methods):
    case = make_case(member, live=False, methods=["pdca"])
    case.locked, case.locked_by = True, staff
    case.save()
    client = client_for(member)
    assert client.get(edit_url(case)).status_code == 409
    assert client.post(edit_url(case), new_case_data(methods)).status_code == 409
    assert client.post(submit_url(case)).status_code == 409
    assert case.revisions.count() == 1
    assert not WorkflowState.objects.exists()


def test_other_members_cannot_touch_someone_elses_case(client_for, make_case, member, other_member, methods):
    case = make_case(member, live=False)
    before = counts()
    client = client_for(other_member)
    assert client.get(edit_url(case)).status_code == 404
    assert client.get(preview_url(case)).status_code == 404
    data = new_case_data(methods, title="改掉别人的案例")
    assert client.post(edit_url(case), data).status_code == 404
    assert client.post(submit_url(case)).status_code == 404
    assert counts() == before
    case.refresh_from_db()
    assert case.draft_title != "改掉别人的案例"
    # And the case is not in their list.
    assert case.title not in text(client.get(MY_CASES))


def test_co_authors_may_edit_and_preview(client_for, make_case, member, coauthor):
    case = make_case(member, live=False, authors=[coauthor.cqo_profile])
    client = client_for(coauthor)
    assert client.get(edit_url(case)).status_code == 200
    assert client.get(preview_url(case)).status_code == 200
    assert case.title in text(client.get(MY_CASES))


def test_staff_who_are_also_cqos_see_only_their_own_cases_here(client_for, make_case, make_profile, member, staff):
    case = make_case(member, live=False)
    make_profile(user=staff, status=ProfileStatus.ACTIVE)
    staff.refresh_from_db()
    client = client_for(staff)
    assert client.get(NEW_CASE).status_code == 200
    assert client.get(edit_url(case)).status_code == 404
    assert client.get(preview_url(case)).status_code == 404


# Writing a draft ---------------------------------------------------------------------------------------------


def test_the_form_starts_from_the_members_enterprise(client_for, member, case_index):
    response = client_for(member).get(NEW_CASE)
    assert response.status_code == 200
    values = form_values(response)
    enterprise = member.cqo_profile.enterprise
    assert values["case-enterprise"] == str(enterprise.pk)
    assert values["case-industry"] == enterprise.industry
    assert values["sections-TOTAL_FORMS"] == "1"
    assert "sections-0-metrics-0-indicator" in values


def test_a_member_saves_a_draft(client_for, member, coauthor, case_index, methods):
    client = client_for(member)
    response = client.post(
        NEW_CASE,
        new_case_data(
            methods,
            coauthors=[coauthor.cqo_profile],
            sections=[
                {
                    "heading": "现状调查",
                    "text": "第一段<script>alert(1)</script>\n第一段第二行\n\n第二段 & 结论",
                    "metrics": [{"indicator": "焊缝不良率", "unit": "%", "baseline": "2.40", "result": "0.6"}],
                },
                {"heading": "核心工艺参数", "visibility": "judges", "text": "保密的焊接参数。"},
            ],
        ),
    )
    case = CasePage.objects.get()
    assert response.status_code == 302
    assert response.url == edit_url(case)
    assert case.get_parent().pk == case_index.pk
    assert not case.live and case.owner == member
    assert case.revisions.count() == 1
    assert [a.profile for a in case.authors.all()] == [member.cqo_profile, coauthor.cqo_profile]
    assert sorted(m.slug for m in case.methods.all()) == ["qc-circle", "six-sigma"]
    assert sorted(case.tags.names()) == ["焊接", "降本增效"]
    assert case.economic_benefit == Decimal("120")
    first, second = sections_of(case)
    assert (first["heading"], first["visibility"]) == ("现状调查", "public")
    assert second["visibility"] == "judges"
    [body] = items_of(first, "text")
    # The member's text is stored as escaped paragraphs: never as HTML of their own.
    assert body.source == (
        "<p>第一段&lt;script&gt;alert(1)&lt;/script&gt;<br/>第一段第二行</p><p>第二段 &amp; 结论</p>"
    )
    [value] = items_of(first, "metric")
    assert (value["indicator"], value["baseline"], value["result"]) == ("焊缝不良率", Decimal("2.4"), Decimal("0.6"))
    assert value.improvement.percent == Decimal("75.0")
    assert PageLogEntry.objects.filter(page=case, action="wagtail.edit", user=member).exists()
    # The form shows it again for editing, as saved.
    values = form_values(client.get(edit_url(case)))
    assert values["case-title"] == case.title
    assert values["case-tags"] in ("焊接, 降本增效", "降本增效, 焊接")
    assert values["case-coauthors"] == str(coauthor.cqo_profile.pk)
    assert sorted(values["case-methods"]) == sorted(str(m.pk) for m in methods)
    assert values["sections-0-text"] == "第一段<script>alert(1)</script>\n第一段第二行\n\n第二段 & 结论"
    assert values["sections-0-metrics-0-baseline"] == "2.4"
    assert values["sections-1-visibility"] == "judges"


def test_editing_a_draft_saves_a_new_revision(client_for, member, case_index, methods):
    client = client_for(member)
    case = create_draft(client, methods)
    values = form_values(client.get(edit_url(case)))
    values.update(
        {"case-title": "运用六西格玛降低焊缝不良率（修订）", "sections-0-text": "修订后的正文。", "action": "save"}
    )
    response = client.post(edit_url(case), values)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.revisions.count() == 2
    assert case.draft_title == "运用六西格玛降低焊缝不良率（修订）"
    latest = case.get_latest_revision_as_object()
    assert items_of(sections_of(latest)[0], "text")[0].source == "<p>修订后的正文。</p>"
    # The metric typed before is still there, unchanged.
    assert items_of(sections_of(latest)[0], "metric")[0]["indicator"] == "焊缝不良率"
    assert not case.live


def test_add_buttons_show_the_form_again_longer_and_save_nothing(client_for, member, case_index, methods):
    client = client_for(member)
    before = counts()
    data = new_case_data(methods, title="")  # errors are not shown while the form is being built
    response = client.post(NEW_CASE, {**data, "action": "add-section"})
    assert response.status_code == 200
    values = form_values(response)
    assert values["sections-TOTAL_FORMS"] == "2"
    assert values["sections-0-heading"] == "现状调查"
    assert values["sections-1-metrics-TOTAL_FORMS"] == "1"
    assert 'role="alert"' not in text(response)
    response = client.post(NEW_CASE, {**values, "action": "add-metric-0"})
    values = form_values(response)
    assert values["sections-0-metrics-TOTAL_FORMS"] == "2"
    assert values["sections-0-metrics-0-indicator"] == "焊缝不良率"
    assert counts() == before


def test_co_authors_are_found_by_name(client_for, member, coauthor, other_member, case_index, methods):
    client = client_for(member)
    data = new_case_data(methods, **{"case-coauthor_search": "协作", "action": "find-coauthors"})
    response = client.post(NEW_CASE, data)
    assert response.status_code == 200
    html = text(response)
    assert "赵协作" in html
    assert "李四" not in html
    values = form_values(response)
    values.update({"case-coauthors": str(coauthor.cqo_profile.pk), "action": "save"})
    assert client.post(NEW_CASE, values).status_code == 302
    case = CasePage.objects.get()
    assert [a.profile.user for a in case.authors.all()] == [member, coauthor]


def test_a_long_co_author_search_is_cut_to_50_characters_and_never_blocks_saving(
    client_for, member, coauthor, case_index, methods
):
    client = client_for(member)
    long_search = "协作" + "长" * 60
    # "Find" looks for the first 50 characters, as the field's maxlength has a browser cut them.
    data = new_case_data(methods, **{"case-coauthor_search": long_search, "action": "find-coauthors"})
    response = client.post(NEW_CASE, data, headers=ENGLISH)
    assert response.status_code == 200
    assert "No member found by that name." in text(response)
    # Text left in the search box is not part of the case: saving saves the draft.
    response = client.post(NEW_CASE, {**data, "action": "save"}, headers=ENGLISH)
    assert response.status_code == 302, text(response)
    assert CasePage.objects.get().title == "运用六西格玛降低焊缝不良率"


def test_posting_publish_to_the_site_form_only_saves_a_draft(client_for, member, case_index, methods):
    client = client_for(member)
    response = client.post(NEW_CASE, new_case_data(methods, action="publish"))
    assert response.status_code == 302
    case = CasePage.objects.get()
    assert not case.live
    assert not WorkflowState.objects.exists()


# Refused posts: 400, a message that says why, nothing saved -------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("setup.exe", b"MZ\x90\x00", "not allowed"),
        ("notes.txt", b"plain text", "not allowed"),
        ("chart.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not allowed"),
        ("page.html", b"<html><script>alert(1)</script></html>", "not allowed"),
        ("report.pdf", b"MZ\x90\x00 an executable renamed", "not a real PDF file"),
        ("photo.png", b"\x89PNG\r\n\x1a\n but not an image", "image cannot be read"),
        ("noextension", b"%PDF-1.7", "not allowed"),
    ],
)
def test_refused_attachments(client_for, member, case_index, methods, name, content, reason):
    client = client_for(member)
    before = counts()
    good = upload("good.pdf")
    data = new_case_data(
        methods, sections=[{"heading": "附件", "text": "见附件。", "files": [good, upload(name, content)]}]
    )
    response = client.post(NEW_CASE, data, headers=ENGLISH)
    assert response.status_code == 400
    html = text(response)
    assert reason in html
    assert name in html
    assert "Nothing has been saved" in html
    assert "choose them again" in html
    assert counts() == before


@override_settings(CASE_ATTACHMENT_MAX_BYTES=1024)
def test_attachments_over_the_limit_are_refused(client_for, member, case_index, methods):
    client = client_for(member)
    before = counts()
    big = upload("big.pdf", b"%PDF-1.7\n" + b"0" * 2048)
    data = new_case_data(methods, sections=[{"heading": "附件", "files": [big]}])
    response = client.post(NEW_CASE, data, headers=ENGLISH)
    assert response.status_code == 400
    assert "too large (2.0\xa0KB); each file may be at most 1.0\xa0KB" in text(response)
    assert counts() == before


def test_the_real_limit_is_20_mb(client_for, member, case_index):
    html = text(client_for(member).get(NEW_CASE, headers=ENGLISH))
    assert "at most 20.0\xa0MB each" in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"case-period_end": "2023-12-31"}, "The project cannot end before it starts."),
        ({"case-title": ""}, "This field is required."),
        ({"sections-0-metrics-0-baseline": "两点四"}, "Enter a number."),
        ({"case-methods": []}, "Choose at least one quality method."),
        ({"sections-0-heading": ""}, "This field is required."),
        # A metric typed into a section without a heading is not dropped silently.
        (
            {
                "sections-TOTAL_FORMS": "2",
                "sections-1-visibility": "public",
                "sections-1-metrics-TOTAL_FORMS": "1",
                "sections-1-metrics-INITIAL_FORMS": "0",
                "sections-1-metrics-0-indicator": "一次合格率",
                "sections-1-metrics-0-baseline": "90",
                "sections-1-metrics-0-result": "97",
                "sections-1-metrics-0-direction": "higher",
            },
            "This field is required.",
        ),
        ({"sections-0-DELETE": "on"}, "Write at least one section."),
    ],
)
def test_invalid_case_data_is_refused(client_for, member, case_index, methods, change, message):
    client = client_for(member)
    before = counts()
    response = client.post(NEW_CASE, {**new_case_data(methods), **change}, headers=ENGLISH)
    assert response.status_code == 400
    assert message in text(response)
    assert counts() == before


# Ids typed into the form ("²" passes str.isdigit() but not int(); SQLite holds no integer of 2^63) are answered
# at the field, with nothing saved.
ODD_IDS = ["²", "１２", str(2**63), "9" * 5000]


@pytest.mark.parametrize("value", ODD_IDS)
@pytest.mark.parametrize("field", ["case-coauthors", "case-methods"])
def test_an_odd_id_in_a_choice_field_is_refused_at_the_field(client_for, member, case_index, methods, field, value):
    before = counts()

    response = client_for(member).post(NEW_CASE, {**new_case_data(methods), field: value}, headers=ENGLISH)

    assert response.status_code == 400
    assert "valid" in text(response)  # "Select a valid choice" or "is not a valid value", beside the field
    assert counts() == before


@pytest.mark.parametrize("value", ODD_IDS)
def test_finding_co_authors_with_an_odd_id_ticked_shows_the_form_again(client_for, member, case_index, methods, value):
    data = new_case_data(methods, **{"case-coauthor_search": "协作", "action": "find-coauthors"})

    response = client_for(member).post(NEW_CASE, {**data, "case-coauthors": value})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "change",
    [
        {"action": "add-metric-²"},
        {"action": "add-metric-0", "sections-0-metrics-TOTAL_FORMS": "²"},
        {"action": "add-section", "sections-TOTAL_FORMS": "²"},
        {"action": "save", "sections-TOTAL_FORMS": "²"},
        {"action": "save", "sections-TOTAL_FORMS": "9" * 5000},
    ],
)
def test_odd_form_counts_never_break_the_form(client_for, member, case_index, methods, change):
    before = counts()

    response = client_for(member).post(NEW_CASE, {**new_case_data(methods), **change})

    assert response.status_code in (200, 400)
    assert counts() == before


@pytest.mark.parametrize("prefix", ["sections", "sections-0-metrics"])
def test_a_huge_form_count_is_refused_without_building_the_forms(client_for, member, case_index, methods, prefix):
    """TOTAL_FORMS is typed by the sender: 2^63 sections built 30 + 1000 sections of 50 + 1000 metric rows each."""
    before = counts()

    response = client_for(member).post(
        NEW_CASE, {**new_case_data(methods), f"{prefix}-TOTAL_FORMS": str(2**63)}, headers=ENGLISH
    )

    assert response.status_code == 400
    assert "at most" in text(response)  # "A case may have at most 30 sections." / "Please submit at most 50 forms."
    names = [field["name"] for field in markup.select(response, "form [name]")]
    shown = {found.group(1) for name in names if (found := re.match(rf"{prefix}-(\d+)-", name))}
    assert len(shown) <= 50  # the forms the page built again
    assert counts() == before


def test_an_invalid_edit_keeps_the_draft_as_it_was(client_for, member, case_index, methods):
    client = client_for(member)
    case = create_draft(client, methods)
    values = form_values(client.get(edit_url(case)))
    before = counts()
    values.update({"case-period_end": "2020-01-01", "sections-0-attachments": upload("x.exe", b"MZ")})
    assert client.post(edit_url(case), values).status_code == 400
    assert counts() == before


# Attachments ---------------------------------------------------------------------------------------------


def test_attachments_become_documents_and_images_of_the_section(client_for, member, case_index, methods):
    client = client_for(member)
    files = [
        upload("改进报告.pdf"),
        upload("数据.docx", docx_bytes()),
        upload("现场.png", png_bytes(), "image/png"),
    ]
    create_draft(client, methods, sections=[{"heading": "附件", "text": "见附件。", "files": files}])
    case = CasePage.objects.get().get_latest_revision_as_object()
    [value] = sections_of(case)
    documents = items_of(value, "document")
    assert sorted(d.title for d in documents) == ["改进报告", "数据"]
    assert {d.collection.name for d in documents} == {"案例附件"}
    assert all(d.uploaded_by_user == member for d in documents)
    [image] = items_of(value, "image")
    assert image.title == "现场" and image.width == 8 and image.collection.name == "案例附件"
    # Media files are not guarded by a view: the stored name is random, so a confidential picture's address
    # cannot be guessed from its title and names no one.
    stored = image.file.name.rsplit("/", 1)[-1]
    assert "现场" not in stored and re.fullmatch(r"[0-9a-f]{32}\.png", stored)
    # Editing keeps them unless unticked.
    values = form_values(client.get(edit_url(case)))
    assert len(values["sections-0-keep"]) == 3
    values["sections-0-keep"] = [key for key in values["sections-0-keep"] if not key.startswith("image:")]
    values["action"] = "save"
    assert client.post(edit_url(case), values).status_code == 302
    [value] = sections_of(CasePage.objects.get().get_latest_revision_as_object())
    assert len(items_of(value, "document")) == 2
    assert items_of(value, "image") == []


def test_confidential_attachments_are_served_only_to_those_who_may_see_them(
    client_for, make_case, member, other_member, staff, django_capture_on_commit_callbacks
):
    from cases.forms import upload_collection

    collection = upload_collection()
    public_doc = Document.objects.create(title="公开附件", file=upload("public.pdf"), collection=collection)
    secret_doc = Document.objects.create(title="保密附件", file=upload("secret.pdf"), collection=collection)
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail updates its reference index on commit
        make_case(
            member,
            body=[
                section("公开部分", "public", ("document", public_doc.pk)),
                section("核心参数", "judges", ("document", secret_doc.pk)),
            ],
        )

    def fetch(user, document):
        return client_for(user).get(document.url).status_code

    assert fetch(None, public_doc) == 200
    assert fetch(None, secret_doc) == 404
    assert fetch(other_member, secret_doc) == 404
    assert fetch(member, secret_doc) == 200
    assert fetch(staff, secret_doc) == 200


# Preview -----------------------------------------------------------------------------------------------------


def test_the_preview_shows_the_latest_revision_to_its_author(client_for, make_case, member):
    case = make_case(member, methods=["pdca"], body=[section("已发布的章节")])
    client = client_for(member)
    values = form_values(client.get(edit_url(case)))
    values.update({"sections-0-heading": "修订中的章节", "sections-0-visibility": "judges", "action": "save"})
    assert client.post(edit_url(case), values).status_code == 302
    response = client.get(preview_url(case))
    assert response.status_code == 200
    assert "修订中的章节" in text(response)
    assert "no-store" in response["Cache-Control"]
    # The public page still shows what staff approved.
    public = client_for(None).get(case.url)
    assert "已发布的章节" in text(public) and "修订中的章节" not in text(public)


# The whole workflow ------------------------------------------------------------------------------------------


def test_submit_request_changes_revise_resubmit_approve(
    client_for, member, coauthor, staff, case_index, methods, django_capture_on_commit_callbacks
):
    # A member writes the case and submits it in one go.
    client = client_for(member)
    data = new_case_data(methods, coauthors=[coauthor.cqo_profile], action="submit")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW_CASE, data)
    assert response.status_code == 302 and response.url == MY_CASES
    case = CasePage.objects.get()
    assert not case.live
    state = WorkflowState.objects.get()
    assert state.workflow.name == "案例审核" and state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == member
    assert state.current_task_state.task.name == TASK_NAME

    # The secretariat is told by e-mail (Wagtail's notification to the task's group).
    assert [m.to for m in mail.outbox] == [[staff.email]]
    assert case.title in mail.outbox[0].subject
    mail.outbox.clear()

    # While in review the author cannot edit it or submit it again.
    assert client.get(edit_url(case)).status_code == 409
    assert client.post(submit_url(case)).status_code == 409
    assert case.revisions.count() == 1

    # Staff ask for changes in the Wagtail admin.
    reviewer = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = review_action(reviewer, case, "reject", comment="请补充改进前后的过程能力指数 Cpk。")
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES

    # The authors are e-mailed (the site's message, not Wagtail's admin one), with the comment.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, coauthor.email])
    assert all("过程能力指数 Cpk" in m.body and "/my/cases/" in m.body for m in mail.outbox)
    assert all("/cms/" not in m.body for m in mail.outbox)
    mail.outbox.clear()

    # The member sees the comment in 我的案例 and revises.
    client = client_for(member)
    html = text(client.get(MY_CASES, headers=ENGLISH))
    assert "Changes requested" in html
    assert "请补充改进前后的过程能力指数 Cpk。" in html
    values = form_values(client.get(edit_url(case)))
    values["sections-0-text"] = "改进前 Cpk 为0.8，改进后为1.45。"
    values["action"] = "save"
    assert client.post(edit_url(case), values).status_code == 302
    assert case.revisions.count() == 2

    # … and submits again: the same workflow resumes, the reviewers are told again.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(submit_url(case))
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert WorkflowState.objects.count() == 1
    case.refresh_from_db()
    assert current_task_state(case).revision == case.get_latest_revision()
    assert [m.to for m in mail.outbox] == [[staff.email]]
    mail.outbox.clear()

    # Staff approve: the case is live, published by the approving staff user, with the revised text.
    with django_capture_on_commit_callbacks(execute=True):
        response = review_action(client_for(staff), case, "approve")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    published = PageLogEntry.objects.get(page=case, action="wagtail.publish")
    assert published.user == staff
    assert "Cpk 为0.8" in text(client_for(None).get(case.url))
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, coauthor.email])
    assert all("approved and published" in m.subject or "已获批准并发布" in m.subject for m in mail.outbox)

    html = text(client_for(member).get(MY_CASES, headers=ENGLISH))
    assert "Published" in html and "请补充改进前后的过程能力指数 Cpk。" in html


def test_authors_cannot_publish_by_themselves(client_for, member, case_index, methods):
    client = client_for(member)
    case = create_draft(client, methods)
    assert not case.permissions_for_user(member).can_publish()
    # Not through the admin …
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[case.pk]), {"action-publish": "publish", "title": case.title}
    )
    assert response.status_code in (302, 403)
    assert not response.get("Location", "").startswith(reverse("wagtailadmin_pages:edit", args=[case.pk]))
    # … nor by approving their own submission.
    client.post(submit_url(case))
    task_state = current_task_state(case)
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(case.pk, "approve", task_state.pk)), {"comment": ""}
    )
    assert response.status_code in (302, 403)
    case.refresh_from_db()
    assert not case.live
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS


CASE_TITLE = "运用六西格玛\r\n降低焊缝\t不良率"


def test_a_case_title_with_line_breaks_still_reaches_its_authors(
    client_for, member, coauthor, staff, case_index, methods, django_capture_on_commit_callbacks
):
    data = new_case_data(methods, title=CASE_TITLE, coauthors=[coauthor.cqo_profile], action="submit")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(member).post(NEW_CASE, data)
    assert response.status_code == 302
    case = CasePage.objects.get()
    mail.outbox.clear()
    for action, outcome in (("reject", WorkflowState.STATUS_NEEDS_CHANGES), ("approve", WorkflowState.STATUS_APPROVED)):
        if action == "approve":  # submitted again after the changes asked for
            assert client_for(member).post(submit_url(case)).status_code == 302
            mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = review_action(client_for(staff), case, action, comment="请补充数据。")
        assert response.status_code == 302
        assert WorkflowState.objects.get().status == outcome
        assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, coauthor.email]), action
        for message in mail.outbox:
            assert one_line(message.subject) and "运用六西格玛 降低焊缝 不良率" in message.subject
            message.message()  # Django would refuse a header it cannot send
        mail.outbox.clear()


def test_a_title_is_kept_on_one_line_so_wagtails_own_notice_reaches_the_secretariat(
    client_for, member, staff, case_index, methods, django_capture_on_commit_callbacks
):
    """Wagtail's "submitted for review" mail puts the page title in its subject and drops the mail (logged on
    wagtail.admin) when the title has a line break: the form keeps a title on one line."""
    data = new_case_data(methods, title=CASE_TITLE, action="submit")
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(member).post(NEW_CASE, data).status_code == 302
    assert CasePage.objects.get().title == "运用六西格玛 降低焊缝 不良率"
    to_staff = [m for m in mail.outbox if staff.email in m.to]
    assert len(to_staff) == 1 and one_line(to_staff[0].subject)


def test_a_failing_mail_server_does_not_fail_the_review(
    client_for, make_case, member, staff, settings, caplog, django_capture_on_commit_callbacks
):
    case = make_case(member, live=False, methods=["pdca"])
    assert client_for(member).post(submit_url(case)).status_code == 302
    settings.EMAIL_BACKEND = FAILING_EMAIL_BACKEND
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = review_action(client_for(staff), case, "approve")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.live
    errors = [r for r in caplog.records if r.name == "alliance_site.common.mail" and r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert f"case review of {case.pk}" in errors[0].getMessage() and "1 recipient" in errors[0].getMessage()


def test_a_published_case_is_edited_through_the_workflow_again(
    client_for, make_case, member, staff, django_capture_on_commit_callbacks
):
    case = make_case(member, title="已发布的案例", methods=["pdca"], body=[section("成果", "public", metric())])
    client = client_for(member)
    # Nothing new to submit yet.
    assert client.post(submit_url(case)).status_code == 409
    values = form_values(client.get(edit_url(case)))
    values.update({"case-title": "已发布的案例（第二版）", "action": "submit"})
    assert client.post(edit_url(case), values).status_code == 302
    case.refresh_from_db()
    # The approved version stays online while the new one is reviewed.
    assert case.live and case.title == "已发布的案例"
    assert "已发布的案例（第二版）" not in text(client_for(None).get(case.url))
    assert "In review" in text(client_for(member).get(MY_CASES, headers=ENGLISH))
    with django_capture_on_commit_callbacks(execute=True):
        review_action(client_for(staff), case, "approve")
    case.refresh_from_db()
    assert case.title == "已发布的案例（第二版）"


def test_my_cases_shows_each_status(client_for, make_case, member, case_index):
    draft = make_case(member, live=False, title="草稿案例")
    make_case(member, title="已发布案例")
    in_review = make_case(member, live=False, title="审核中案例")
    in_review.get_workflow().start(in_review, member)
    response = client_for(member).get(MY_CASES, headers=ENGLISH)
    html = text(response)
    assert response.status_code == 200
    for title in ("草稿案例", "已发布案例", "审核中案例"):
        assert title in html
    assert f'id="case-{draft.pk}" data-status="{CaseStatus.DRAFT}"' in html
    assert f'id="case-{in_review.pk}" data-status="{CaseStatus.IN_REVIEW}"' in html
    assert edit_url(draft) in html and edit_url(in_review) not in html


# Query budgets -------------------------------------------------------------------------------------------


def make_many(make_case, member, other_member, staff, count):
    for number in range(count):
        case = make_case(member, live=number % 3 == 0)
        if number % 3 == 1:
            case.get_workflow().start(case, member)
            if number % 2:
                task_state = current_task_state(case)
                task_state.task.specific.on_action(task_state, staff, "reject", comment=f"意见{number}")
        make_case(other_member, live=number % 2 == 0)


def own_case(member, kind):
    """One of the member's cases from make_many: a published one or a draft never submitted."""
    cases = CasePage.objects.filter(owner=member).order_by("pk")
    if kind == "live":
        return cases.filter(live=True).first()
    in_workflow = WorkflowState.objects.values("object_id")
    return cases.filter(live=False).exclude(pk__in=[int(s["object_id"]) for s in in_workflow]).first()


@pytest.mark.parametrize(
    ("url_name", "kind"), [("my_cases", None), ("create", None), ("edit", "live"), ("edit", "draft")]
)
def test_query_budget(
    client_for, make_case, member, other_member, staff, django_assert_max_num_queries, url_name, kind
):
    def measure():
        client = client_for(member)
        url = reverse(f"cases:{url_name}", args=[own_case(member, kind).pk] if kind else [])
        client.get(url)  # warm the caches a running site keeps (menu, roles, site root paths)
        with django_assert_max_num_queries(12) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    make_many(make_case, member, other_member, staff, 3)
    few = measure()
    make_many(make_case, member, other_member, staff, 27)
    assert measure() == few


def test_my_cases_lists_them_all(client_for, make_case, member, other_member, staff):
    make_many(make_case, member, other_member, staff, 12)
    response = client_for(member).get(MY_CASES)
    assert len(response.context["rows"]) == 12
    assert response.context["page_obj"].paginator.count == 12
    statuses = {row["status"] for row in response.context["rows"]}
    assert statuses == {CaseStatus.PUBLISHED, CaseStatus.DRAFT, CaseStatus.IN_REVIEW, CaseStatus.CHANGES_REQUESTED}
    assert sum(len(row["comments"]) for row in response.context["rows"]) == 2


def test_authors_hear_when_staff_publish_straight_from_the_admin(
    client_for, make_case, member, coauthor, staff, methods, django_capture_on_commit_callbacks
):
    """The admin lets staff publish past the workflow; the authors are told all the same, the staff member not."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

    case = make_case(member, live=False, authors=[coauthor.cqo_profile], title="待发布的案例")
    body = [
        (
            "section",
            {
                "heading": "背景",
                "visibility": "public",
                "content": streamfield([("text", rich_text("<p>背景的正文。</p>"))]),
            },
        )
    ]
    values = nested_form_data(
        {
            "title": case.title,
            "slug": case.slug,
            "summary": case.summary,
            "authors": inline_formset(
                [{"id": author.pk, "profile": author.profile_id} for author in case.authors.all()], initial=2
            ),
            "enterprise": case.enterprise_id,
            "industry": case.industry,
            "tags": "",
            "period_start": "2024-01-01",
            "period_end": "2024-12-31",
            "body": streamfield(body),
            "comments": inline_formset([]),
        }
    )
    values["methods"] = [methods[0].pk]  # a list would be flattened into methods-0
    admin = client_for(staff)
    edit = reverse("wagtailadmin_pages:edit", args=[case.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(edit, {**values, "action-publish": "action-publish"})
    assert response.status_code == 302, response.context["form"].errors
    case.refresh_from_db()
    assert case.live
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, coauthor.email])
    assert all("待发布的案例" in m.subject and case.url in m.body for m in mail.outbox)
    # Saving a draft in the admin tells no one.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(edit, values).status_code == 302
    assert mail.outbox == []
