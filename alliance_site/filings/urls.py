from django.urls import path

from alliance_site.filings import views as filing_views

app_name = "filings"
urlpatterns = [
    path("", filing_views.filing_list, name="list"),
    path("<int:pk>/", filing_views.filing_detail, name="detail"),
    path("<int:pk>/decide/", filing_views.decide, name="decide"),
    path("<int:pk>/letter/", filing_views.letter, name="letter"),
]
