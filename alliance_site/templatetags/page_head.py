"""{% page_head %}: every page's header, its markup kept once in templates/includes/page_head.html.

    {% page_head %}
      {% breadcrumb %}<a href="{% url 'forums:index' %}">{% translate "Forums" %}</a>
      {% title %}{{ board.name }}
      {% lead %}{{ board.description }}
      {% actions %}<form …>…</form>
    {% endpage_head %}

Each section is ordinary template text, rendered in the page's own context (so {% translate %}, {% url %},
{% csrf_token %} and autoescaping work as anywhere else) and passed to the include already rendered. A section
that renders empty is left out together with its wrapper, so `{% lead %}{{ page.intro }}` needs no {% if %}.
Only `title` is required; the sections may come in any order, each at most once.
"""

from django import template
from django.template.base import TextNode
from django.utils.safestring import mark_safe

register = template.Library()

# The include places them in this order: portrait (an avatar beside the text), breadcrumb, h1, status badge,
# lead paragraph, meta line, then actions (free markup: buttons, forms, further paragraphs).
SECTIONS = ("portrait", "breadcrumb", "title", "status", "lead", "meta", "actions")
END = "endpage_head"
TEMPLATE = "includes/page_head.html"


class PageHeadNode(template.Node):
    def __init__(self, sections):
        self.sections = sections
        for name, nodelist in sections.items():
            setattr(self, f"nodelist_{name}", nodelist)
        # So that get_nodes_by_type() (how {% extends %} finds blocks) sees inside the sections.
        self.child_nodelists = tuple(f"nodelist_{name}" for name in sections)

    def render(self, context):
        # A section's output is template output: its variables were escaped as they were rendered, so it is
        # marked safe again only because strip() returns a plain str. No raw value is marked safe here.
        values = {name: mark_safe(nodelist.render(context).strip()) for name, nodelist in self.sections.items()}
        head = context.template.engine.get_template(TEMPLATE)
        return head.render(context.new(values))


@register.tag
def page_head(parser, token):
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% page_head %} takes no arguments; give its parts as sections.")
    before = parser.parse((*SECTIONS, END))
    if any(not (isinstance(node, TextNode) and not node.s.strip()) for node in before):
        raise template.TemplateSyntaxError(
            "{% page_head %} holds only sections: " + ", ".join(f"{{% {name} %}}" for name in SECTIONS) + "."
        )
    sections = {}
    while True:
        bits = parser.next_token().split_contents()
        if bits[0] == END:
            break
        if len(bits) != 1:
            raise template.TemplateSyntaxError(f"{{% {bits[0]} %}} takes no arguments.")
        if bits[0] in sections:
            raise template.TemplateSyntaxError(f"{{% page_head %}} has {{% {bits[0]} %}} twice.")
        sections[bits[0]] = parser.parse((*SECTIONS, END))
    if "title" not in sections:
        raise template.TemplateSyntaxError("{% page_head %} needs a {% title %}.")
    return PageHeadNode(sections)
