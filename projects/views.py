"""HTML views of projects."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from contacts.selectors import contact_list
from projects.selectors import project_get, project_list


@login_required
def project_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "projects/project_list.html", {"projects": project_list(user=request.user)})


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_get(user=request.user, key=pk)
    if project is None:
        raise Http404("No such project.")
    contacts = contact_list(user=request.user, filters={"project": str(project.pk)})[:100]
    return render(request, "projects/project_detail.html", {"project": project, "contacts": contacts})
