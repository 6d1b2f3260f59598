from django.urls import path

from kinocritics.core import views as core_views

app_name = "newsletter"
urlpatterns = [
    path("newsletter/", core_views.placeholder, {"name": "newsletter"}, name="signup"),
]
