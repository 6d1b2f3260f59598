from django import template

from ..services import CONSENT_SHORT, CONSENT_TEXTS

register = template.Library()


@register.simple_tag
def consent_short() -> dict:
    """The compact forms' consent line and its version, so what is shown is what is recorded."""
    return {"version": CONSENT_SHORT, "text": CONSENT_TEXTS[CONSENT_SHORT]}
