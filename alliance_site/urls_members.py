from django.urls import path

from . import sanction_views, views

app_name = "members"
urlpatterns = [
    path("me/", views.my_profile, name="me"),
    path("me/edit/", views.edit_profile, name="edit"),
    path("me/filing/", views.submit_filing, name="submit_filing"),
    path("me/privacy/", views.privacy_settings, name="privacy"),
    path("<int:pk>/contact/", views.request_contact, name="request_contact"),
    path("<int:pk>/", views.profile_detail, name="detail"),
    path("talent/", views.talent_pool, name="talent_pool"),
    path("<int:pk>/warn/", sanction_views.warn, name="warn"),
    path("<int:pk>/exit/", sanction_views.exit_cqo, name="exit"),
    path("warnings/<int:pk>/respond/", sanction_views.respond, name="respond_to_warning"),
]
