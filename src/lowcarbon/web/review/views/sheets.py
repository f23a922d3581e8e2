"""Downloads of the review's sheets: an expert's score sheet (the expert and the administrator
only) and the round's result sheet (the administrator only). Every refusal is logged and
answered 404, as for the other review pages, so ids cannot be probed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from lowcarbon.documents.pdf import PdfConversionError
from lowcarbon.web import permissions
from lowcarbon.web.numbers import posted_version
from lowcarbon.web.review.models import Assignment
from lowcarbon.web.review.sheets import (
    FORMATS,
    SheetFile,
    expert_sheet_of,
    render_sheet,
    result_sheet_of,
    sheet_name,
)
from lowcarbon.web.review.snapshots import unit_name
from lowcarbon.web.review.views.common import not_found
from lowcarbon.web.rounds.models import Kind, Round

__all__ = ["expert_sheet", "result_sheet"]


def _download(sheet_file: SheetFile) -> HttpResponse:
    response = HttpResponse(sheet_file.content, content_type=sheet_file.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(sheet_file.filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@login_required
def expert_sheet(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """专家评分表 of one submitted revision (the latest unless ``?revision=N``)."""
    assignment = (
        Assignment.objects.select_related(
            "panel", "panel__round", "application", "submission", "expert", "review"
        )
        .filter(pk=pk)
        .first()
    )
    if assignment is None or not permissions.can_download_score_sheet(request.user, assignment):
        raise not_found(request, f"score sheet of review assignment {pk}")
    if fmt not in FORMATS:
        raise Http404
    revisions = assignment.review.revisions.order_by("-number")
    wanted = request.GET.get("revision", "")
    number = posted_version(request.GET, "revision")
    revision = revisions.filter(number=number).first() if wanted else revisions.first()
    back = reverse("review:workspace", args=[pk])
    if revision is None:
        if wanted:
            raise Http404
        messages.error(
            request,
            _("The score sheet is made from submitted scores; submit the scores first."),
        )
        return redirect(back)
    sheet = expert_sheet_of(assignment, revision)
    stem = sheet_name(
        _("Expert score sheet"),
        unit_name(assignment.submission),
        assignment.expert.get_full_name() or assignment.expert.get_username(),
        _("revision {number}").format(number=revision.number),
    )
    try:
        return _download(render_sheet(sheet, fmt, stem))
    except PdfConversionError as error:
        messages.error(
            request,
            _("No PDF could be made: {reason}. The Word and Excel files are available.").format(
                reason=error.message.render(_)
            ),
        )
        return redirect(back + "#sheets")


@login_required
def result_sheet(request: HttpRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    """评审结果汇总表 of a round and kind; ``?anonymous=1`` gives 专家A/B/C instead of names."""
    if not permissions.can_download_result_sheet(request.user):
        raise not_found(request, f"result sheet of round {pk}")
    round_ = Round.objects.filter(pk=pk).first()
    if round_ is None or kind not in round_.kinds or fmt not in FORMATS:
        raise Http404
    named = request.GET.get("anonymous") != "1"
    sheet = result_sheet_of(round_, kind, named=named)
    stem = sheet_name(
        _("Review result sheet"),
        round_.year,
        str(Kind(kind).label),
        "" if named else _("anonymised"),
    )
    try:
        return _download(render_sheet(sheet, fmt, stem))
    except PdfConversionError as error:
        messages.error(
            request,
            _("No PDF could be made: {reason}. The Word and Excel files are available.").format(
                reason=error.message.render(_)
            ),
        )
        return redirect("review:ranking", pk=pk, kind=kind)
