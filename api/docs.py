"""/api/v1/docs/: the schema rendered by Swagger UI, every file served from static (no CDN)
and started by a static script (no inline script), so the strict CSP holds."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def docs(request: HttpRequest) -> HttpResponse:
    return render(request, "api/docs.html")
