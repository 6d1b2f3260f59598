from django.urls import path

from . import views

app_name = "cinemas"
urlpatterns = [
    path("showtimes/", views.showtimes, name="showtimes"),
    path("showtimes.ics", views.showtimes_ics, name="showtimes-ics"),
    path("cinemas/", views.cinema_list, name="list"),
    path("cinemas/<slug:slug>/", views.cinema_detail, name="detail"),
    path("cinemas/<slug:slug>/calendar.ics", views.cinema_ics, name="calendar"),
]
