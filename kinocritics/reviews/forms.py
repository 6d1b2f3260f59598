from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminPageForm

from .services import review_publish_problems


class ReviewPageForm(WagtailAdminPageForm):
    """Refuses to publish (or schedule) a review that lacks what the printed page needs."""

    def clean(self):
        cleaned = super().clean()
        if "action-publish" in self.data:
            problems = review_publish_problems(
                film=cleaned.get("film"), critic=cleaned.get("critic"), still=cleaned.get("still")
            )
            for field, message in problems.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, message)
            if problems:
                raise ValidationError(
                    "This review cannot be published yet: " + " ".join(problems.values())
                )
        return cleaned
