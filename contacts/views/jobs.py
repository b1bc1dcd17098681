"""The background-jobs pages: the user's jobs, one job's progress and result, its file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from contacts.models import Job
from contacts.selectors import job_get, job_list


def own_job(request: HttpRequest, pk: int) -> Job:
    job = job_get(user=request.user, pk=pk)
    if job is None:
        raise Http404("No such job.")
    return job


@login_required
def job_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "contacts/job_list.html", {"jobs": job_list(user=request.user)[:100]})


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "contacts/job_detail.html", {"job": own_job(request, pk)})


@login_required
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """What the job page polls: where the job is, and what it left."""
    job = own_job(request, pk)
    download = reverse("jobs:job-download", args=[job.pk]) if job.file else None
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "result": job.result,
            "error": job.error,
            "download_url": download,
            "finished": job.is_finished,
        }
    )


@login_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = own_job(request, pk)
    if not job.file:
        raise Http404("This job has no file.")
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file_name or None)
