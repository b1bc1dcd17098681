"""The HTML view that adds a web form to a project (the project page shows it through the
`webform_panel` tag); the forms' own intake is an API route (`/forms/<key>/`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from contacts.forms import WebFormForm
from contacts.services import webform_create
from contacts.views.common import error_text
from projects.selectors import project_can_manage
from projects.views import detail_context, visible_project


@login_required
@require_POST
def webform_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    """POST a new web form for project `pk` (its managers only; a 404 for anyone else)."""
    project = visible_project(request, pk)
    if not project_can_manage(user=request.user, project=project):
        raise Http404("No such page.")
    form = WebFormForm(request.POST)
    try:
        if form.is_valid():
            webform = webform_create(project=project, created_by=request.user, **form.cleaned_data)
            messages.success(request, f"Web form {webform.name} was created; copy its HTML below.")
            return redirect(project)
    except ValidationError as exc:
        form.add_error(None, error_text(exc))
    return render(request, "projects/project_detail.html", detail_context(request, project, webform_form=form))
