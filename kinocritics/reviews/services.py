"""Writes and checks for reviews."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kinocritics.core.models import CreditedImage
    from kinocritics.critics.models import Critic
    from kinocritics.films.models import Film


def review_publish_problems(
    *, film: Film | None, critic: Critic | None, still: CreditedImage | None
) -> dict[str, str]:
    """What stops a review from going live, by field, in words an editor understands."""
    problems: dict[str, str] = {}
    if film is None:
        problems["film"] = "Choose the film this review is about."
    if critic is None:
        problems["critic"] = "Choose the critic who wrote it."
    if still is None:
        problems["still"] = "Add a still from the film."
    elif not still.credit.strip():
        problems["still"] = (
            f"The still “{still.title}” has no credit line: edit the image and fill in "
            "“Credit” (e.g. the distributor) first."
        )
    return problems
