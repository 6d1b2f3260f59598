from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("search/suggest", views.suggest, name="suggest"),
    path("openings/", views.opening_list, name="openings"),
    path("openings.ics", views.openings_ics, name="openings-ics"),
]
