"""The dashboard."""

from django.urls import path

from contacts import views

urlpatterns = [path("", views.home, name="home")]
