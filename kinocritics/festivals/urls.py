from django.urls import path

from . import views
from .feeds import LatestArticlesFeed

app_name = "festivals"
urlpatterns = [
    path("festivals/", views.festival_list, name="list"),
    path("festivals/<slug:festival>/<int:year>/", views.edition_detail, name="edition"),
    path("feeds/articles/", LatestArticlesFeed(), name="feed"),
    path("article.php", views.legacy_article, name="legacy"),
]
