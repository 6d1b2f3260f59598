from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from kinocritics.cinemas.api import api as cinemas_api
from kinocritics.core import views as core_views
from kinocritics.core.sitemaps import SITEMAPS
from kinocritics.reviews.feeds import LatestReviewsFeed

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("kinocritics.films.urls")),
    path("", include("kinocritics.critics.urls")),
    path("", include("kinocritics.cinemas.urls")),
    path("", include("kinocritics.festivals.urls")),
    path("", include("kinocritics.newsletter.urls")),
    path("", include("kinocritics.search.urls")),
    path("", include("kinocritics.ops.urls")),
    path("api/v1/", cinemas_api.urls),
    path("feeds/reviews/", LatestReviewsFeed(), name="feed-reviews"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", core_views.robots_txt, name="robots"),
    path("about/", core_views.about, name="about"),
    path("film_review.php", core_views.legacy_film_review),
    path("critic_sort.php", core_views.legacy_critic),
    path("newindex.php", core_views.legacy_home),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(path("", include(wagtail_urls)))

handler404 = "kinocritics.core.views.page_not_found"
handler500 = "kinocritics.core.views.server_error"
