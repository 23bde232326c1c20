"""The page header and the form field markup are written once.

Every page's header is `{% page_head %}` (alliance_site/templatetags/page_head.py), whose markup is
templates/includes/page_head.html; every form field is `{{ form.x.as_field_group }}`, Django's field group, whose
markup is templates/includes/field_group.html (alliance_site/common/form_renderer.py). A template that wrote either
again by hand would drift from the CSS and from the ids the accessibility tests rely on.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse

from alliance_site.models import HomePage
from cases.models import CaseIndexPage
from forums import posting
from forums.models import Board
from tests.alliance_site.helpers import ENGLISH
from tests.markup import maybe_one, one, text_of

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def templates_containing(words):
    return [str(path.relative_to(TEMPLATES)) for path in sorted(TEMPLATES.rglob("*.html")) if words in path.read_text()]


def test_only_the_include_writes_the_page_header_and_no_template_includes_the_old_field():
    assert templates_containing('class="page-head"') == ["includes/page_head.html"]
    assert templates_containing("includes/field.html") == []
    assert not (TEMPLATES / "includes" / "field.html").exists()


@pytest.fixture
def board(db):
    return Board.objects.create(name="<b>公开</b>交流", slug="open", kind=Board.Kind.DISCUSSION, public=True)


def test_the_header_shows_each_part_given_and_escapes_what_users_wrote(client_for, board, member):
    thread = posting.start_thread(board, member, "<i>Calibration</i> & gauges", "How often?")
    page = client_for(member).get(thread.get_absolute_url(), headers=ENGLISH)
    head = one(page, ".page-head > .wrap")
    assert [text_of(link) for link in head.select(".breadcrumb a")] == ["Forums", "<b>公开</b>交流"]
    assert text_of(one(head, "h1")) == "<i>Calibration</i> & gauges"
    assert head.select("b, i") == []  # the titles stayed text
    assert one(head, "form.inline-form")["action"] == reverse("forums:watch", args=["thread", thread.pk])
    # A discussion thread that is neither pinned, locked nor hidden has no meta line, not an empty one.
    assert maybe_one(head, ".meta") is None and maybe_one(head, ".lead") is None


def test_an_empty_lead_is_left_out_and_a_given_one_is_shown(client_for, board):
    client = client_for(None)
    head = one(client.get(reverse("forums:board", args=[board.slug]), headers=ENGLISH), ".page-head")
    assert maybe_one(head, ".lead") is None
    board.description = "Open to everyone."
    board.save()
    head = one(client.get(reverse("forums:board", args=[board.slug]), headers=ENGLISH), ".page-head")
    assert text_of(one(head, "p.lead")) == "Open to everyone."


def test_error_pages_have_the_same_header(db, client_for):
    page = client_for(None).get("/no-such-page/", headers=ENGLISH)
    assert page.status_code == 404
    assert text_of(one(page, ".page-head h1")) == "Page not found"


@pytest.mark.parametrize(
    "body",
    [
        "{% lead %}Only a lead",  # no title
        "{% title %}One{% title %}Two",  # a section twice
        "Loose text{% title %}One",  # text outside a section
        "{% title extra %}One",  # a section takes no argument
    ],
)
def test_a_malformed_header_is_a_template_error(body):
    with pytest.raises(TemplateSyntaxError):
        Template("{% load page_head %}{% page_head %}" + body + "{% endpage_head %}")


def test_a_section_is_rendered_in_the_page_context():
    rendered = Template(
        "{% load page_head %}{% page_head %}{% title %}{{ name }}{% status %}{% if ok %}OK{% endif %}{% endpage_head %}"
    ).render(Context({"name": "<script>x</script>", "ok": False}))
    assert "<h1>&lt;script&gt;x&lt;/script&gt;</h1>" in rendered
    assert "<p></p>" not in rendered  # the empty status left out with its paragraph


def test_a_field_group_keeps_the_label_help_text_and_errors_the_widget_points_at(client_for, board, member):
    thread = posting.start_thread(board, member, "Calibration", "How often?")
    page = client_for(member).post(reverse("forums:reply", args=[thread.pk]), {"text": ""}, headers=ENGLISH)
    assert page.status_code == 400
    group = one(page, "form .field")
    assert group["class"] == ["field", "field-error"]
    label = one(group, "label")
    assert label["for"] == "id_text" and one(label, 'span[aria-hidden="true"]').get_text() == "*"
    widget = one(group, "textarea#id_text")
    assert widget["aria-describedby"] == "id_text_helptext id_text_error"
    assert widget["aria-invalid"] == "true"
    assert one(group, "span.helptext")["id"] == "id_text_helptext"
    assert one(group, "ul.errorlist")["id"] == "id_text_error"


@pytest.fixture
def case_library(db):
    HomePage.objects.first().add_child(instance=CaseIndexPage(title="案例库", slug="cases"))


def test_checkboxes_and_radio_buttons_keep_their_own_layout(client_for, member, case_library):
    client = client_for(member)
    page = client.get(reverse("members:privacy"), headers=ENGLISH)
    checkbox = one(page, "div.field > input#id_talent_pool_opt_in")
    label = checkbox.find_next_sibling("label")
    assert label["for"] == "id_talent_pool_opt_in" and label["class"] == ["checkbox-label"]
    page = client.get(reverse("cases:create"), headers=ENGLISH)
    radios = one(page, 'div.field > fieldset:has(input[type="radio"][name$="-visibility"])')
    legend = one(radios, "legend")
    assert legend["class"] == ["label"] and text_of(legend) == "Who may see this section *"
