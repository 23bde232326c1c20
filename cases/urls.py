"""A member's own cases: write, preview and submit for review (mounted at /my/cases/)."""

from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.my_cases, name="my_cases"),
    path("new/", views.create_case, name="create"),
    path("<int:pk>/edit/", views.edit_case, name="edit"),
    path("<int:pk>/preview/", views.preview_case, name="preview"),
    path("<int:pk>/submit/", views.submit_case, name="submit"),
]
