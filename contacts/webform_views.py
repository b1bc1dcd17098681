"""The web forms' HTML: the view that adds one to a project (the project page shows them through
the `webform_panel` tag), and the pages, redirects and CORS headers of their intake route
(`/forms/<key>/`) for a visitor's browser and for the form's script."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from contacts.forms import WebFormForm
from contacts.intake import TooManySubmissions, webform_field_errors, webform_redirect_allowed, webform_submit
from contacts.models import WebForm
from contacts.services import webform_create
from contacts.views.common import error_text
from contacts.webforms import webform_snippet
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


# --- What a visitor's browser gets back from `/forms/<key>/` ---------------------------------
#
# The route is the Redmine dialect's web-form view, so scripts and API clients get its JSON (or
# XML) answers unchanged; a browser posting the form itself gets the pages below.


class HttpResponseSeeOther(HttpResponseRedirect):
    """303: the browser follows with a GET, so reloading the next page posts nothing again."""

    status_code = 303


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
CORS_MAX_AGE_SECONDS = 600
CORS_HEADERS = "Accept, Content-Type, X-Requested-With"


def webform_wants_html(request: HttpRequest) -> bool:
    """A browser's own form post: a form body, and an Accept that prefers HTML to JSON."""
    content_type = (request.content_type or "").split(";")[0].strip().lower()
    if content_type not in FORM_TYPES:
        return False
    return request.get_preferred_type(["application/json", "text/html"]) == "text/html"


def webform_origin_allowed(*, webform: WebForm | None, origin: str) -> bool:
    """Whether a page of `origin` may read the form's answers (its allowed origins; none by default)."""
    if webform is None or not origin:
        return False
    return origin.lower() in {str(o).lower().rstrip("/") for o in webform.allowed_origins or []}


def webform_page_allowed(*, webform: WebForm, url: str) -> bool:
    """Whether `url` is a page of the form's own sites: its redirect hosts or its allowed origins."""
    if webform_redirect_allowed(webform=webform, url=url):
        return True
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and webform_origin_allowed(
        webform=webform, origin=f"{parts.scheme}://{parts.netloc}"
    )


def webform_cors(request: HttpRequest, response: HttpResponseBase, *, webform: WebForm | None) -> HttpResponseBase:
    """Let an allowed origin's script read this answer; any other origin gets no CORS header."""
    patch_vary_headers(response, ["Origin", "Accept"])
    origin = request.headers.get("Origin", "")
    if webform_origin_allowed(webform=webform, origin=origin):
        response["Access-Control-Allow-Origin"] = origin
    return response


def webform_preflight(request: HttpRequest, *, webform: WebForm | None) -> HttpResponse:
    """The answer to a CORS preflight (OPTIONS): the script may POST from an allowed origin."""
    response = HttpResponse(status=204)
    if webform_origin_allowed(webform=webform, origin=request.headers.get("Origin", "")):
        response["Access-Control-Allow-Methods"] = "POST"
        response["Access-Control-Allow-Headers"] = CORS_HEADERS
        response["Access-Control-Max-Age"] = str(CORS_MAX_AGE_SECONDS)
    return webform_cors(request, response, webform=webform)


def webform_html_answer(request: HttpRequest, *, submission: Mapping[str, Any]) -> HttpResponse:
    """Submit a browser's post (the keyword arguments of `webform_submit`) and answer with a page.

    Success: the form's thank-you page (redirect_on_success, else the form's redirect URL) or its
    thank-you text; the same for a known email and for a post the honeypot discards. Refused: a
    page naming what to fix next to each field, with what was typed, or (when the form says so)
    the form's own page again with the errors in its address.
    """
    webform: WebForm = submission["webform"]
    try:
        result = webform_submit(**submission)
    except ValidationError as exc:
        errors = webform_field_errors(webform=webform, fields=submission.get("fields") or {}, error=exc)
        return webform_errors_answer(request, submission=submission, errors=errors)
    except TooManySubmissions:
        return webform_problem_page(request, status=429, message="Too many posts from your address: try again later.")
    except PermissionDenied:
        return webform_problem_page(request, status=403, message="This form is not open for posts.")
    target = result.redirect_url or webform.redirect_url
    if target:
        return HttpResponseSeeOther(target)
    back = request.headers.get("Referer", "")
    return render(
        request,
        "webforms/thanks.html",
        {"webform": webform, "back": back if webform_page_allowed(webform=webform, url=back) else ""},
    )


def webform_errors_answer(
    request: HttpRequest, *, submission: Mapping[str, Any], errors: Mapping[str, list[str]]
) -> HttpResponse:
    """A refused post: the page of the form again (when the form says so and the post came from
    one of its sites), else this CRM's page with the re-filled form; 422 either way for scripts."""
    webform: WebForm = submission["webform"]
    back = request.headers.get("Referer", "")
    if webform.errors_back and webform_page_allowed(webform=webform, url=back):
        parts = urlsplit(back)
        query = [(k, v) for k, v in parse_qsl(parts.query) if not k.startswith("webform_error[")]
        query += [(f"webform_error[{key}]", " ".join(texts)) for key, texts in errors.items()]
        return HttpResponseSeeOther(urlunsplit(parts._replace(query=urlencode(query))))
    values = {**(submission.get("fields") or {})}
    values |= {f"custom_fields[{pk}]": value for pk, value in (submission.get("custom_values") or {}).items()}
    form_html = webform_snippet(
        webform,
        base_url=request.build_absolute_uri("/"),
        values=values,
        errors=errors,
        redirect_url=submission.get("redirect_url") or "",
    )
    context = {"webform": webform, "form_html": form_html, "count": sum(len(texts) for texts in errors.values())}
    return render(request, "webforms/errors.html", context, status=422)


def webform_problem_page(request: HttpRequest, *, status: int, message: str) -> HttpResponse:
    """A small page for a post that cannot be taken at all (unknown or closed form, too many posts)."""
    return render(request, "webforms/problem.html", {"message": message}, status=status)


def webform_exception_page(request: HttpRequest, exc: Exception) -> HttpResponse | None:
    """The page for an error raised before the post reached the intake; None: not ours to answer."""
    status = 403 if isinstance(exc, PermissionDenied) else getattr(exc, "status_code", None)
    if status in (401, 403, 404):
        return webform_problem_page(request, status=404, message="This form does not exist, or is closed.")
    if status == 429:
        return webform_problem_page(request, status=429, message="Too many posts from your address: try again later.")
    if status in (400, 413, 415):
        return webform_problem_page(request, status=status, message="The form could not be read: please try again.")
    return None
