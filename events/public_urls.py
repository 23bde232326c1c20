"""Public addresses of the events app: calendar files and certificate verification."""

from django.urls import path

from . import views

urlpatterns = [
    path("calendar/events.ics", views.public_calendar, name="events_calendar"),
    path("calendar/events/<int:event_id>.ics", views.event_calendar, name="event_calendar"),
    path("calendar/bodies/<slug:slug>.ics", views.body_calendar, name="body_calendar"),
    path("certificates/verify/", views.verify, name="certificate_verify"),
]
