"""Star ratings as the old site wrote them: `*` to `****` in half steps (`**1/2`)."""

import re

from django.core.exceptions import ValidationError

# Stored as half stars: 2 = *, 3 = *1/2 … 8 = ****.
HALF_STARS = range(2, 9)
RATING_CHOICES = [(n, f"{'*' * (n // 2)}{'1/2' if n % 2 else ''}") for n in HALF_STARS]

_STARS_RE = re.compile(r"^(\*{1,4})\s*(1/2|½)?$")


def parse_stars(text: str) -> int:
    """`**1/2` → 5 half stars; raises ValidationError naming the bad string."""
    match = _STARS_RE.match((text or "").strip())
    if not match:
        raise ValidationError(f"“{text}” is not a rating: use * to **** with optional 1/2.")
    half = len(match.group(1)) * 2 + (1 if match.group(2) else 0)
    if half not in HALF_STARS:
        raise ValidationError(f"“{text}” is more than four stars.")
    return half


def stars_text(half_stars: int | None) -> str:
    if not half_stars:
        return ""
    return f"{'*' * (half_stars // 2)}{'1/2' if half_stars % 2 else ''}"


def stars_display(half_stars: int | None) -> str:
    """★★★½ for display next to a review."""
    if not half_stars:
        return ""
    return "★" * (half_stars // 2) + ("½" if half_stars % 2 else "")


def stars_value(half_stars: int | None) -> float | None:
    return half_stars / 2 if half_stars else None
