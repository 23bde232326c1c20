from django.urls import path

from . import filing_views

app_name = "filings"
urlpatterns = [
    path("", filing_views.filing_list, name="list"),
    path("<int:pk>/", filing_views.filing_detail, name="detail"),
    path("<int:pk>/decide/", filing_views.decide, name="decide"),
    path("<int:pk>/letter/", filing_views.letter, name="letter"),
]
