"""Building newsletter mails: the issue (rendered once, personalised by string replacement),
the confirmation mail and the 'already subscribed' notice.

Every header value that comes from a person (a subscriber's name, an issue subject) goes
through `header_text`, which removes control characters, so no header can be injected; Django
would refuse a newline in a header anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import formataddr, formatdate, make_msgid
from urllib.parse import urljoin

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Issue, Subscriber
from .tokens import token_make

# Stand-ins for the per-recipient links; replaced after rendering and CSS inlining.
UNSUBSCRIBE_MARK = "KCNL0UNSUBSCRIBE0URL"
PREFERENCES_MARK = "KCNL0PREFERENCES0URL"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def header_text(value: str) -> str:
    """A person-supplied header value with every control character (CR, LF…) turned to a space."""
    return _CONTROL.sub(" ", value or "").strip()


def absolute(url: str) -> str:
    return urljoin(settings.SITE_URL.rstrip("/") + "/", url)


def list_id() -> str:
    return f"KinoCritics monthly <monthly.{settings.NEWSLETTER_DOMAIN}>"


def recipient(*, email: str, name: str = "") -> str:
    return formataddr((header_text(name), email)) if header_text(name) else email


@dataclass(frozen=True)
class RenderedIssue:
    subject: str
    html: str  # CSS inlined, with UNSUBSCRIBE_MARK / PREFERENCES_MARK where the links go
    text: str


def issue_sections(issue: Issue) -> list[tuple[str, list]]:
    """The issue's items grouped by section, in the editor's order of first appearance."""
    labels = dict(issue.items.model.Section.choices)
    sections: dict[str, list] = {}
    for item in issue.items.all():
        item.absolute_url = absolute(item.url) if item.url else ""
        sections.setdefault(item.section, []).append(item)
    return [(labels[key], items) for key, items in sections.items()]


def issue_web_context(*, issue: Issue) -> dict:
    return {
        "intro_paragraphs": [p.strip() for p in re.split(r"\n\s*\n", issue.intro) if p.strip()],
        "sections": issue_sections(issue),
    }


def issue_render(*, issue: Issue) -> RenderedIssue:
    context = {
        "issue": issue,
        "subject": header_text(issue.subject),
        **issue_web_context(issue=issue),
        "unsubscribe_url": UNSUBSCRIBE_MARK,
        "preferences_url": PREFERENCES_MARK,
        "archive_url": absolute(issue.get_absolute_url()),
        "site_url": settings.SITE_URL,
    }
    html = render_to_string("newsletter/email/issue.html", context)
    html = css_inline.inline(html)
    text = render_to_string("newsletter/email/issue.txt", context)
    return RenderedIssue(subject=context["subject"], html=html, text=text.strip() + "\n")


def subscriber_links(*, subscriber_id: int, email: str) -> tuple[str, str]:
    """(one-click unsubscribe URL, preferences URL) for one recipient, plus the bare token."""
    stub = Subscriber(pk=subscriber_id, email=email)
    unsubscribe = token_make(subscriber=stub, purpose="unsubscribe")
    manage = token_make(subscriber=stub, purpose="manage")
    return (
        absolute(reverse("newsletter:unsubscribe", kwargs={"token": unsubscribe})),
        absolute(reverse("newsletter:preferences", kwargs={"token": manage})),
    )


def issue_message(
    *,
    rendered: RenderedIssue,
    issue_id: int,
    delivery_id: int | str,
    subscriber_id: int,
    email: str,
    name: str = "",
    connection=None,
) -> EmailMultiAlternatives:
    """The mail for one recipient, with RFC 8058 one-click unsubscribe headers."""
    unsubscribe_url, preferences_url = subscriber_links(subscriber_id=subscriber_id, email=email)
    token = unsubscribe_url.rstrip("/").rsplit("/", 1)[-1]
    text = rendered.text.replace(UNSUBSCRIBE_MARK, unsubscribe_url).replace(
        PREFERENCES_MARK, preferences_url
    )
    html = rendered.html.replace(UNSUBSCRIBE_MARK, unsubscribe_url).replace(
        PREFERENCES_MARK, preferences_url
    )
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=text,
        from_email=settings.NEWSLETTER_FROM_EMAIL,
        to=[recipient(email=email, name=name)],
        connection=connection,
        headers={
            "Message-ID": make_msgid(
                idstring=f"nl{issue_id}.{delivery_id}", domain=settings.NEWSLETTER_DOMAIN
            ),
            "Date": formatdate(usegmt=True),
            "List-Id": list_id(),
            "List-Unsubscribe": (
                f"<{unsubscribe_url}>, "
                f"<mailto:{settings.NEWSLETTER_UNSUBSCRIBE_MAILTO}?subject={token}>"
            ),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Archive": f"<{absolute(reverse('newsletter:archive'))}>",
        },
    )
    message.attach_alternative(html, "text/html")
    # Read by django-anymail providers; SMTP never tracks. Off unless an operator turns it on.
    message.track_opens = message.track_clicks = settings.NEWSLETTER_TRACKING
    return message


def confirmation_message(*, subscriber: Subscriber) -> EmailMultiAlternatives:
    token = token_make(subscriber=subscriber, purpose="confirm")
    context = {
        "subscriber": subscriber,
        "confirm_url": absolute(reverse("newsletter:confirm", kwargs={"token": token})),
        "days": settings.NEWSLETTER_CONFIRM_MAX_AGE // 86400,
    }
    return _simple_message(
        subject="Please confirm your KinoCritics newsletter subscription",
        template="newsletter/email/confirm",
        context=context,
        subscriber=subscriber,
    )


def already_subscribed_message(*, subscriber: Subscriber) -> EmailMultiAlternatives:
    token = token_make(subscriber=subscriber, purpose="manage")
    context = {
        "subscriber": subscriber,
        "preferences_url": absolute(reverse("newsletter:preferences", kwargs={"token": token})),
    }
    return _simple_message(
        subject="You already get the KinoCritics newsletter",
        template="newsletter/email/already_subscribed",
        context=context,
        subscriber=subscriber,
    )


def _simple_message(*, subject, template, context, subscriber) -> EmailMultiAlternatives:
    context = {**context, "site_url": settings.SITE_URL}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.NEWSLETTER_FROM_EMAIL,
        to=[recipient(email=subscriber.email, name=subscriber.name)],
        headers={
            "Message-ID": make_msgid(idstring="nlsignup", domain=settings.NEWSLETTER_DOMAIN),
            "Date": formatdate(usegmt=True),
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        css_inline.inline(render_to_string(f"{template}.html", context)), "text/html"
    )
    return message
