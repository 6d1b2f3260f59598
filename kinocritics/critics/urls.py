from django.urls import path

from . import views

app_name = "critics"
urlpatterns = [
    path("critics/", views.critic_list, name="list"),
    path("critics/<slug:slug>/", views.critic_detail, name="detail"),
]
