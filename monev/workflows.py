"""The workflow steps of monev's records (#16.2): for each step, the permission it needs, the service that takes it
and what it asks for; the one table that the record's page (`ObjectActionView.actions`) and its API
(`WorkflowMixin.workflow`) both read."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dakportal.generic import Action
from monev import services
from monev.api.serializers import IssueSerializer
from monev.forms import IssueForm

# A regional officer submits their report; the ministry returns it (saying why) or accepts it.
REPORT_STEPS = {
    "submit": Action("monev.change_monevreport", services.submit_report, scope="change",
                     done=_("The report was submitted to the ministry.")),
    "return": Action("monev.review_monevreport", services.return_report, needs_reason=True,
                     done=_("The report was returned to the region.")),
    "accept": Action("monev.review_monevreport", services.accept_report, done=_("The report was accepted.")),
}  # fmt: skip

# Itjen's field visit report: the team submits, a controller returns (saying why), approves and issues it (the
# services check who is on the surat tugas).
VISIT_STEPS = {
    "submit": Action("monev.change_visit", services.submit_visit, scope="change",
                     done=_("The report was submitted to the controllers.")),
    "return": Action("monev.change_visit", services.return_visit, scope="change", needs_reason=True,
                     done=_("The report was returned to the team.")),
    "approve": Action("monev.change_visit", services.approve_visit, scope="change",
                      done=_("The report was approved.")),
    "issue": Action("monev.change_visit", services.issue_visit, scope="change", form=IssueForm,
                    serializer=IssueSerializer, fields=("number", "issued_on"),
                    done=_("The report was issued as final and sent to the kab/kota and Ditjen IKMA.")),
}  # fmt: skip
