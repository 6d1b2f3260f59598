from django.urls import include, path

from . import views

app_name = "newsletter"
urlpatterns = [
    path("newsletter/", views.signup, name="signup"),
    path("newsletter/confirm/<str:token>/", views.confirm, name="confirm"),
    path("newsletter/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("newsletter/preferences/<str:token>/", views.preferences, name="preferences"),
    path("newsletter/preferences/<str:token>/export.json", views.export, name="export"),
    path("newsletter/archive/", views.archive, name="archive"),
    path("newsletter/archive/<slug:slug>/", views.issue_detail, name="issue"),
    path("newsletter/anymail/", include("anymail.urls")),
]
