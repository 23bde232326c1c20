"""A person's events, tickets and training file, and staff check-in (mounted at /my/events/)."""

from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.my_events, name="my_events"),
    path("<int:event_id>/register/", views.register, name="register"),
    path("<int:event_id>/cancel/", views.cancel, name="cancel"),
    path("<int:event_id>/evaluate/", views.evaluate, name="evaluate"),
    path("tickets/<int:pk>/", views.ticket, name="ticket"),
    path("training/", views.training, name="training"),
    path("training/<int:pk>/certificate/", views.certificate, name="certificate"),
    path("manage/<int:event_id>/check-in/", views.check_in, name="check_in"),
    path("manage/<int:event_id>/check-in/<int:pk>/", views.mark_attendance, name="mark_attendance"),
    path("manage/<int:event_id>/evaluations/", views.evaluation_report, name="evaluation_report"),
    path("manage/<int:event_id>/evaluations.xlsx", views.evaluation_export, name="evaluation_export"),
]
