"""Judging and entering on the site (mounted at /competitions/)."""

from django.urls import path

from . import views

app_name = "competitions"

urlpatterns = [
    path("judging/", views.judging_list, name="judging"),
    path("judging/<int:pk>/", views.score, name="score"),
    path("judging/<int:pk>/statement/", views.sign_statement, name="sign_statement"),
    path("judging/<int:pk>/conflict/", views.declare_conflict, name="declare_conflict"),
    path("<int:page_id>/enter/", views.enter, name="enter"),
    path("<int:page_id>/my-results/", views.my_results, name="my_results"),
]
