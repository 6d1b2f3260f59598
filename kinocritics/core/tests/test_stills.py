"""Stills are made once: later pages read the renditions, they never resize the image again."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from kinocritics.core.models import CreditedImage
from kinocritics.core.tests.factories import review_publish


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/films/red-rocket-2021/", "/reviews/red-rocket/"])
def test_a_page_with_a_still_makes_no_rendition_the_second_time(client, red_rocket, url):
    film, review, critic = red_rocket
    # An older review with the same still: on the home page its card shares the image object
    # with the lead review's still (prefetching hands both the same instance).
    review_publish(
        film=film,
        critic=critic,
        slug="red-rocket-first-look",
        title="Red Rocket, first look",
        still=review.still,
        published=timezone.now() - dt.timedelta(days=30),
    )
    url = url if "reviews" not in url else review.url
    first = client.get(url)
    assert first.status_code == 200
    assert b'class="still"' in first.content
    make_renditions = CreditedImage.create_renditions

    def made_again(image, *filters):
        # Wagtail's get_renditions() calls it with nothing to make, too: that is free.
        assert not filters, f"{[f.spec for f in filters]} made again"
        return make_renditions(image)

    with (
        mock.patch.object(CreditedImage, "create_renditions", made_again),
        mock.patch.object(CreditedImage, "create_rendition", side_effect=AssertionError),
    ):
        again = client.get(url)
    assert again.status_code == 200
    assert b'class="still"' in again.content
