"""The tags page: counts, rename and colour, merge, and the tag suggestions of the tag inputs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from contacts.forms import (
    TagMergeForm,
    TagRenameForm,
)
from contacts.selectors import (
    tag_can_manage,
    tag_counts,
    tag_names,
)
from contacts.services import (
    tag_merge,
    tag_rename,
)
from contacts.views.common import error_text


@login_required
def tag_list_view(request: HttpRequest) -> HttpResponse:
    tags = tag_counts(user=request.user)
    context = {"tags": tags, "can_manage": tag_can_manage(user=request.user)}
    context["merge_form"] = TagMergeForm(user=request.user)
    return render(request, "contacts/tag_list.html", context)


def managed_tag(request: HttpRequest, pk: int) -> Any:
    if not tag_can_manage(user=request.user):
        raise Http404("No such tag.")
    return get_object_or_404(tag_counts(user=request.user), pk=pk)


@login_required
@require_POST
def tag_update(request: HttpRequest, pk: int) -> HttpResponse:
    tag = managed_tag(request, pk)
    form = TagRenameForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([m for errors in form.errors.values() for m in errors])
        tag = tag_rename(
            tag=tag, name=form.cleaned_data["name"], color=form.cleaned_data["color"] or None, user=request.user
        )
        messages.success(request, f"Tag saved as {tag.name}.")
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("tags:tag-list")


@login_required
@require_POST
def tag_merge_view(request: HttpRequest) -> HttpResponse:
    if not tag_can_manage(user=request.user):
        raise Http404("No such page.")
    form = TagMergeForm(request.POST, user=request.user)
    if form.is_valid():
        source, target = form.cleaned_data["source"], form.cleaned_data["target"]
        tag_merge(source=source, target=target, user=request.user)
        messages.success(request, f"{source.name} was merged into {target.name}.")
    else:
        messages.error(request, "Choose two different tags to merge.")
    return redirect("tags:tag-list")


@login_required
def tag_suggest(request: HttpRequest) -> JsonResponse:
    return JsonResponse(tag_names(user=request.user, prefix=request.GET.get("q", "").strip()), safe=False)
