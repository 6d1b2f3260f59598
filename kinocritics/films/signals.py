"""A film saved in the admin (facts, titles, credits, countries, languages, genres) gets its
page's main fragment rebuilt once the save commits.

Credits and countries are the film's inline children and languages and genres its parental
many-to-many fields: the admin saves them all with the film, so the film's own post_save
covers them (the bump waits for the commit, after the children are written). The catalogue
import writes in bulk and sends no signals; its films are new or unchanged.
"""

from django.db.models.signals import post_delete, post_save

from . import film_page


def film_saved(sender, instance, **kwargs):
    film_page.main_changed_slugs([instance.slug])


def connect() -> None:
    from .models import Film

    post_save.connect(film_saved, sender=Film, dispatch_uid="film-fragments-saved")
    post_delete.connect(film_saved, sender=Film, dispatch_uid="film-fragments-deleted")
