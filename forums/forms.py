from django import forms
from django.utils.translation import gettext_lazy as _

from alliance_site.common.forms import OneLineCharField

from .models import Board, Report
from .rules import moderated_board_ids

TEXT_HELP = _("Markdown: **bold**, *italic*, lists, > quotes, `code`, [links](https://…); @name mentions a member.")


class ThreadForm(forms.Form):
    title = OneLineCharField(label=_("Title"), max_length=120)
    text = forms.CharField(
        label=_("First post"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 8}), help_text=TEXT_HELP
    )


class PostForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 6}), help_text=TEXT_HELP
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why"), choices=Report.Reason.choices)
    note = forms.CharField(label=_("Note for the moderators"), max_length=300, required=False)


class MoveForm(forms.Form):
    board = forms.ModelChoiceField(label=_("Move to"), queryset=Board.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = Board.objects.filter(pk__in=moderated_board_ids(user))
