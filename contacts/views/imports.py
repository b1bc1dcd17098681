"""The import page: upload a CSV or vCard file, map its columns, preview the first rows, run it as a job."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from contacts.importers import ImportFileError, default_targets, import_preview, source_open
from contacts.importers.forms import ImportMappingForm, ImportUploadForm
from contacts.importers.mapping import target_label
from contacts.importers.uploads import (
    ImportSizeLimitHandler,
    import_file_path,
    import_file_store,
    import_file_token,
)
from contacts.jobs import job_start
from contacts.models import Job
from contacts.tasks import contacts_import


@csrf_exempt  # the upload handlers must be in place before CSRF reads the body; csrf_protect below checks it
@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    limit = ImportSizeLimitHandler(request)
    request.upload_handlers.insert(0, limit)
    return _import_upload(request, limit)


@csrf_protect
def _import_upload(request: HttpRequest, limit: ImportSizeLimitHandler) -> HttpResponse:
    form = ImportUploadForm()
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES, too_large=limit.too_large)
        if form.is_valid():
            token = import_file_store(upload=form.cleaned_data["file"], user_id=request.user.pk)
            data = import_file_token(token, user_id=request.user.pk)
            try:
                with import_file_path(data["file"]) as path:
                    source_open(path)
            except ImportFileError as exc:
                default_storage.delete(data["file"])
                form.add_error("file", str(exc))
            else:
                return redirect("contacts:import-mapping", token=token)
    return render(request, "contacts/import_upload.html", {"form": form})


@login_required
def import_mapping(request: HttpRequest, token: str) -> HttpResponse:
    data = import_file_token(token, user_id=request.user.pk)
    if data is None:
        raise Http404("This upload has expired: send the file again.")
    with import_file_path(data["file"]) as path:
        source = source_open(path)
        guessed = default_targets(source)
        post = request.POST if request.method == "POST" else None
        form = ImportMappingForm(post, source=source, user=request.user, guessed=guessed)
        preview = None
        if post is not None and form.is_valid():
            if request.POST.get("action") == "run":
                params = form.job_params() | {"file": data["file"], "user": request.user.pk, "name": data["name"]}
                job = job_start(
                    user=request.user,
                    kind=Job.Kind.IMPORT,
                    title=f"Import of {data['name']}",
                    task=contacts_import,
                    params=params,
                )
                return redirect(job.get_absolute_url())
            preview = import_preview(source=source, targets=form.targets(), user=request.user)
    unmapped = [header for header, _, guessed_one in form.columns if not guessed_one]
    context = {
        "form": form,
        "source": source,
        "name": data["name"],
        "token": token,
        "preview": preview,
        "unmapped": unmapped,
        "preview_labels": [target_label(code) for code in form.targets()] if preview is not None else [],
    }
    return render(request, "contacts/import_mapping.html", context)
