"""Editors' newsletter tools in the Wagtail admin: draft, preview, test, schedule, send,
progress and report; suppression CSV import; a subscriber's data export."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from wagtail.admin.admin_url_finder import AdminURLFinder

from . import drafting, mail, sending, services
from .models import Delivery, Issue, Subscriber
from .tasks import issue_send_task

REPORT_ROWS = 200


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


class DraftForm(forms.Form):
    month = forms.DateField(
        label="Month",
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": "Give the month as YYYY-MM, e.g. 2026-11."},
    )


class ScheduleForm(forms.Form):
    at = forms.DateTimeField(
        label="Send at",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at < timezone.now() - dt.timedelta(minutes=1):
            raise forms.ValidationError("That time has passed. Pick a time in the future.")
        return at


class SuppressionImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: email, optionally reason (hard_bounce, complaint, manual) and note.",
    )


def issue_list(request):
    _require(request, "newsletter.change_issue")
    issues = Issue.objects.all()
    finder = AdminURLFinder(request.user)
    rows = [(issue, finder.get_edit_url(issue)) for issue in issues[:100]]
    form = DraftForm(initial={"month": drafting.month_start(timezone.localdate())})
    if request.method == "POST":
        form = DraftForm(request.POST)
        if form.is_valid():
            issue = drafting.issue_draft(month=form.cleaned_data["month"])
            messages.success(
                request,
                f"Drafted “{issue}” with {issue.items.count()} items. Reorder them, write the "
                "intro, then preview and send.",
            )
            return redirect(finder.get_edit_url(issue))
    return TemplateResponse(
        request, "newsletter/admin/issue_list.html", {"rows": rows, "form": form}
    )


def issue_dashboard(request, issue_id: int):
    _require(request, "newsletter.change_issue")
    issue = get_object_or_404(Issue, pk=issue_id)
    schedule_form = ScheduleForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "test":
                if not request.user.email:
                    raise sending.IssueStateError("Your admin account has no email address.")
                sending.issue_send_test(
                    issue=issue, to=request.user.email, name=request.user.get_full_name()
                )
                messages.success(request, f"Test mail sent to {request.user.email}.")
            elif action == "send_now":
                sending.issue_schedule(issue=issue, at=timezone.now())
                messages.success(request, "Sending starts now on the task worker.")
            elif action == "schedule":
                schedule_form = ScheduleForm(request.POST)
                if schedule_form.is_valid():
                    at = schedule_form.cleaned_data["at"]
                    sending.issue_schedule(issue=issue, at=at)
                    messages.success(
                        request, f"Scheduled for {timezone.localtime(at):%d %b %Y, %H:%M}."
                    )
                else:
                    raise sending.IssueStateError(schedule_form.errors["at"][0])
            elif action == "unschedule":
                sending.issue_unschedule(issue=issue)
                messages.success(request, "Back to draft; nothing will be sent.")
            elif action == "resume":
                issue_send_task.enqueue(issue.pk)
                messages.success(request, "The task worker resumes the send.")
            elif action == "retry_failed":
                sending.issue_retry_failed(issue=issue)
                issue_send_task.enqueue(issue.pk)
                messages.success(request, "Failed addresses are queued once more.")
            else:
                raise sending.IssueStateError("Unknown action.")
        except sending.IssueStateError as error:
            messages.error(request, str(error))
        else:
            return redirect("newsletter_issue_dashboard", issue_id=issue.pk)
    issue.refresh_from_db()
    progress = sending.issue_progress(issue_id=issue.pk)
    problems = (
        Delivery.objects.filter(
            issue=issue,
            status__in=[Delivery.Status.FAILED_PERM, Delivery.Status.FAILED_TEMP],
        )
        .order_by("status", "email")
        .only("email", "status", "attempts", "last_error", "next_attempt_at")[:REPORT_ROWS]
    )
    active = issue.status in (Issue.Status.PREPARING, Issue.Status.SENDING)
    return TemplateResponse(
        request,
        "newsletter/admin/issue_dashboard.html",
        {
            "issue": issue,
            "progress": progress,
            "problems": problems,
            "active": active,
            "schedule_form": schedule_form,
            "edit_url": AdminURLFinder(request.user).get_edit_url(issue),
            "confirmed": Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED).count(),
        },
    )


def issue_preview(request, issue_id: int, kind: str):
    _require(request, "newsletter.change_issue")
    issue = get_object_or_404(Issue, pk=issue_id)
    rendered = mail.issue_render(issue=issue)
    if kind == "text":
        body = rendered.text.replace(mail.UNSUBSCRIBE_MARK, "[unsubscribe link]").replace(
            mail.PREFERENCES_MARK, "[preferences link]"
        )
        return HttpResponse(body, content_type="text/plain; charset=utf-8")
    html = rendered.html.replace(mail.UNSUBSCRIBE_MARK, "#unsubscribe").replace(
        mail.PREFERENCES_MARK, "#preferences"
    )
    return HttpResponse(html)


def suppression_import(request):
    _require(request, "newsletter.add_suppression")
    form = SuppressionImportForm()
    report = None
    if request.method == "POST":
        form = SuppressionImportForm(request.POST, request.FILES)
        if form.is_valid():
            report = services.suppression_import_csv(
                data=form.cleaned_data["file"].read(),
                source=f"csv import by {request.user.get_username()}"[:60],
            )
            if report.added or report.already:
                messages.success(
                    request,
                    f"{report.added} addresses added, {report.already} were on the list already.",
                )
    return TemplateResponse(
        request, "newsletter/admin/suppression_import.html", {"form": form, "report": report}
    )


@require_safe
def subscriber_export(request, subscriber_id: int):
    _require(request, "newsletter.view_subscriber")
    subscriber = get_object_or_404(Subscriber, pk=subscriber_id)
    response = HttpResponse(
        services.subscriber_export_json(subscriber=subscriber),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="subscriber-{subscriber.pk}.json"'
    return response


def dashboard_url(issue: Issue) -> str:
    return reverse("newsletter_issue_dashboard", kwargs={"issue_id": issue.pk})
