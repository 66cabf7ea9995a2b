"""A URL configuration with one view that states no access rule (for test_walk.py)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def forgotten(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("forgotten/", forgotten, name="forgotten")]
