"""Provider events from django-anymail: bounces and complaints feed the suppression list;
mail to the unsubscribe mailbox (the List-Unsubscribe mailto) unsubscribes."""

import logging

from django.dispatch import receiver

from . import services
from .tokens import TokenInvalid, token_subscriber

logger = logging.getLogger(__name__)


def tracking_received(sender, event, esp_name, **kwargs):
    event_type = event.event_type
    if event_type == "rejected" and event.reject_reason in ("bounced", "invalid"):
        event_type = "bounced"
    if event_type not in ("bounced", "complained", "unsubscribed"):
        return
    detail = (event.description or event.mta_response or "")[:255]
    result = services.tracking_event_apply(
        event_type=event_type, email=event.recipient or "", esp_name=esp_name, detail=detail
    )
    logger.info("newsletter: %s event for a recipient: %s", event_type, result)


def inbound_received(sender, event, esp_name, **kwargs):
    message = event.message
    subject = (message.subject or "").strip() if message else ""
    token = subject.split()[-1] if subject else ""
    try:
        subscriber = token_subscriber(token=token, purpose="unsubscribe")
    except TokenInvalid:
        return
    services.subscriber_unsubscribe(subscriber=subscriber, source="mailto")


def connect():
    from anymail.signals import inbound, tracking

    receiver(tracking, dispatch_uid="newsletter-tracking")(tracking_received)
    receiver(inbound, dispatch_uid="newsletter-inbound")(inbound_received)
