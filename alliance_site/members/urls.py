from django.urls import path

from alliance_site.filings import views as filing_views
from alliance_site.members import views
from alliance_site.sanctions import views as sanction_views
from alliance_site.talent import views as talent_views

app_name = "members"
urlpatterns = [
    path("me/", views.my_profile, name="me"),
    path("me/edit/", views.edit_profile, name="edit"),
    path("me/filing/", filing_views.submit_filing, name="submit_filing"),
    path("me/privacy/", views.privacy_settings, name="privacy"),
    path("<int:pk>/contact/", talent_views.request_contact, name="request_contact"),
    path("<int:pk>/", views.profile_detail, name="detail"),
    path("talent/", talent_views.talent_pool, name="talent_pool"),
    path("<int:pk>/warn/", sanction_views.warn, name="warn"),
    path("<int:pk>/exit/", sanction_views.exit_cqo, name="exit"),
    path("warnings/<int:pk>/respond/", sanction_views.respond, name="respond_to_warning"),
]
