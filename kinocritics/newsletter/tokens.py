"""Signed links in newsletter mails. One salt per purpose, so a token only opens its own door.

Every token carries the subscriber id *and* address: it cannot be replayed for another address,
and it dies when the subscriber's data is deleted. Confirmation tokens also carry the sign-up
time, so only the newest confirmation mail works, and they expire.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from .models import Subscriber

SALTS = {
    "confirm": "kinocritics.newsletter.confirm",
    "unsubscribe": "kinocritics.newsletter.unsubscribe",
    "manage": "kinocritics.newsletter.manage",
}


class TokenInvalid(Exception):
    """The link is damaged, expired or no longer belongs to a subscriber."""

    def __init__(self, message: str, *, expired: bool = False):
        super().__init__(message)
        self.expired = expired


def _payload(subscriber: Subscriber, purpose: str) -> dict:
    payload = {"s": subscriber.pk, "e": subscriber.email}
    if purpose == "confirm" and subscriber.consent_at:
        payload["c"] = int(subscriber.consent_at.timestamp() * 1_000_000)
    return payload


def token_make(*, subscriber: Subscriber, purpose: str) -> str:
    return signing.dumps(_payload(subscriber, purpose), salt=SALTS[purpose])


def token_subscriber(*, token: str, purpose: str) -> Subscriber:
    """The subscriber a token was made for; TokenInvalid when it is forged, stale or expired."""
    max_age = settings.NEWSLETTER_CONFIRM_MAX_AGE if purpose == "confirm" else None
    try:
        payload = signing.loads(token, salt=SALTS[purpose], max_age=max_age)
    except signing.SignatureExpired:
        raise TokenInvalid("This confirmation link has expired.", expired=True) from None
    except signing.BadSignature:
        raise TokenInvalid("This link is not valid. Was it copied completely?") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("s"), int):
        raise TokenInvalid("This link is not valid. Was it copied completely?")
    subscriber = Subscriber.objects.filter(pk=payload["s"]).first()
    if subscriber is None or subscriber.email != payload.get("e"):
        raise TokenInvalid("This link belongs to an address that is no longer on our list.")
    if purpose == "confirm" and _payload(subscriber, "confirm").get("c") != payload.get("c"):
        raise TokenInvalid(
            "This confirmation link was replaced by a newer one. Use the latest mail."
        )
    return subscriber
