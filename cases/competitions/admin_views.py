"""Staff's competition screens in the Wagtail admin: assignment, results and calibration, export.

Each view asks the round's permission policy (the model permissions the secretariat holds, as the rounds' own
admin pages do) and goes through competitions.judging, so every action is logged.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.log_actions import log

from alliance_site.common import excel
from alliance_site.common.admin_views import StaffActionView

from . import exports, judging
from .models import Assignment, Entry, Round, RoundEntry


class RoundPermissionMixin(PermissionCheckedMixin):
    """For those the rounds' permission policy lets change rounds (the secretariat); anyone else gets 403."""

    model = Round
    permission_required = "change"


class RoundPageMixin(RoundPermissionMixin):
    """A staff screen about one round, with breadcrumbs back to the rounds."""

    @cached_property
    def round(self):  # read after the permission check: a refused user learns nothing of what exists
        return get_object_or_404(Round.objects.select_related("competition"), pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.round)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("competition_rounds:index"), "label": _("Judging rounds")},
            {"url": reverse("competition_rounds:edit", args=[self.round.pk]), "label": str(self.round)},
            {"url": "", "label": self.page_title},
        ]


class ByHandForm(forms.Form):
    round_entry = forms.ModelChoiceField(label=gettext_lazy("Entry"), queryset=RoundEntry.objects.none())
    judge = forms.ModelChoiceField(label=gettext_lazy("Judge"), queryset=get_user_model().objects.none())
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, round_, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round_entry"].queryset = round_.round_entries.select_related("entry__case")
        self.fields["round_entry"].label_from_instance = lambda re: re.entry.case.title
        self.fields["judge"].queryset = round_.judges.all()


class RoundAssignmentView(RoundPageMixin, WagtailAdminTemplateMixin, TemplateView):
    """Who judges what in a round: run the automatic assignment, see the report, assign by hand."""

    template_name = "competitions/admin/assignment.html"
    page_title = gettext_lazy("Judges' assignment")
    header_icon = "group"

    def get_context_data(self, **kwargs):
        assignments = list(
            Assignment.objects.active()
            .filter(round_entry__round=self.round)
            .select_related("judge__cqo_profile", "round_entry__entry__case")
            .order_by("round_entry_id", "judge_id")
        )
        by_entry = {}
        loads = {judge: 0 for judge in self.round.judges.all()}
        for assignment in assignments:
            by_entry.setdefault(assignment.round_entry, []).append(assignment)
            loads[assignment.judge] = loads.get(assignment.judge, 0) + 1
        entries = [(re, by_entry.get(re, [])) for re in self.round.round_entries.select_related("entry__case")]
        return super().get_context_data(
            round=self.round,
            entries=entries,
            loads=sorted(loads.items(), key=lambda item: (-item[1], item[0].pk)),
            short=[(re, items) for re, items in entries if len(items) < self.round.judges_per_entry],
            by_hand_form=kwargs.pop("by_hand_form", None) or ByHandForm(self.round),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        try:
            if action == "populate":
                count = judging.populate_round(self.round)
                messages.success(request, _("The round has %(count)d entries.") % {"count": count})
            elif action == "assign":
                report = judging.assign_judges(self.round, request.user)
                if report.shortfalls:
                    messages.warning(
                        request,
                        _("%(created)d assignments made; %(short)d entries are left short of judges (listed below).")
                        % {"created": report.created, "short": len(report.shortfalls)},
                    )
                else:
                    messages.success(
                        request,
                        _("%(created)d assignments made; every entry has its judges.") % {"created": report.created},
                    )
            elif action == "by_hand":
                form = ByHandForm(self.round, request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(by_hand_form=form), status=400)
                data = form.cleaned_data
                judging.assign_by_hand(data["round_entry"], data["judge"], data["reason"], request.user)
                messages.success(request, _("The judge is assigned; the reason is on record."))
            else:
                return self.render_to_response(self.get_context_data(), status=400)
        except judging.JudgingError as error:
            messages.error(request, str(error))
            return self.render_to_response(self.get_context_data(), status=400)
        # Post/Redirect/Get: a reload or a second click does not assign (and log) again; the page lists what is short.
        return redirect("competition_rounds:assignment", self.round.pk)


class RoundResultsView(RoundPageMixin, WagtailAdminTemplateMixin, TemplateView):
    """The three aggregates side by side, the ranking with its tie-breaks, calibration, advancement and awards."""

    template_name = "competitions/admin/results.html"
    page_title = gettext_lazy("Results and calibration")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        results = judging.round_results(self.round)
        round_entries = self.round.round_entries.select_related("entry__case__enterprise").in_bulk()
        judges = get_user_model().objects.select_related("cqo_profile").in_bulk({j.judge for j in results.judges})
        rows = [
            {
                "result": result,
                "round_entry": round_entries.get(result.entry),
                "decided": judging.DECIDED_LABELS.get(result.decided_by, ""),
                "flags": {judge for (entry, judge) in results.outliers if entry == result.entry},
            }
            for result in results.entries
        ]
        calibration = [{"calibration": c, "judge": judges.get(c.judge)} for c in results.judges]
        return super().get_context_data(
            round=self.round,
            rows=rows,
            calibration=calibration,
            outliers=len(results.outliers),
            next_round=self.round.following(),
            award_levels=list(self.round.competition.award_levels.all()),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        round_ = self.round
        if round_.status == Round.Status.OPEN and action in ("advance", "awards"):
            messages.error(request, _("Close the round first: results are decided on frozen scores."))
            return self.render_to_response(self.get_context_data(), status=409)
        try:
            if action == "advance":
                count = judging.advance(round_, request.user)
                message = _("%(count)d entries advance to %(next)s.")
                messages.success(request, message % {"count": count, "next": round_.following().name})
            elif action == "awards":
                judging.decide_awards(round_, request.user)
                messages.success(request, _("Ranks and awards are recorded. Publish the results when ready."))
            elif action == "publish":
                judging.publish_results(round_, request.user)
                messages.success(request, _("The results are published."))
            else:
                return self.render_to_response(self.get_context_data(), status=400)
        except judging.JudgingError as error:
            messages.error(request, str(error))
            return self.render_to_response(self.get_context_data(), status=409)
        return redirect("competition_rounds:results", round_.pk)


class RoundExportView(RoundPermissionMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        round_ = get_object_or_404(Round.objects.select_related("competition"), pk=kwargs["pk"])
        workbook = exports.round_workbook(round_)
        response = excel.workbook_response(workbook, f"round-{round_.pk}-scores.xlsx")
        log(instance=round_, action="competitions.round.export", user=request.user)
        return response


class EntryDecisionForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Decision"), choices=Entry.Status.choices[1:])
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required when the entry is not eligible; the entrant reads it."),
    )


class EntryDecisionView(StaffActionView):
    """Eligible, or not eligible with the reason the entrant reads; through judging.mark_entry, so it is logged."""

    model = Entry
    form_class = EntryDecisionForm
    page_title = gettext_lazy("Eligibility of an entry")
    header_icon = "tasks"
    index_url_name = "competition_entries:edit"  # the entry in the breadcrumbs; a decision goes back to the list

    def get_initial(self):
        return {"status": self.object.status, "reason": self.object.status_reason}

    def perform(self, form):
        try:
            judging.mark_entry(self.object, form.cleaned_data["status"], form.cleaned_data["reason"], self.request.user)
        except judging.JudgingError as error:
            raise ValidationError(str(error)) from error

    def success_message(self):
        return _("The decision is recorded.")

    def get_success_url(self):
        return reverse("competition_entries:index")
