"""Writes for subscribers and the suppression list: sign-up, confirm, unsubscribe, privacy."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Delivery, Subscriber, Suppression

# The consent line shown next to every sign-up form, by version. A new wording gets a new key;
# old keys stay, so each subscriber's recorded version still says what they agreed to.
CONSENT_TEXTS = {
    "2026-11": (
        "Yes, send me the free monthly KinoCritics newsletter by email. I can unsubscribe at any "
        "time with the link in every mail. KinoCritics keeps my address, the time and the IP "
        "address of this sign-up only to send the newsletter and to prove my consent."
    ),
    "2026-11-short": (
        "Send me the free monthly newsletter. Unsubscribe any time; we keep the address, time and "
        "IP of this sign-up only to send it and prove consent."
    ),
}
CONSENT_VERSION = "2026-11"
CONSENT_SHORT = "2026-11-short"  # the compact forms in the sidebar and footer
SIGNUP_MAIL_INTERVAL = dt.timedelta(minutes=10)  # at most one sign-up mail per address per …


class NewsletterError(Exception):
    """A request we refuse, with a message for the person who made it."""


def email_normalize(email: str) -> str:
    """The stored form of an address: trimmed and lower-cased. Raises NewsletterError if invalid."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise NewsletterError(f"“{email}” is not a valid email address.") from None
    return email


def email_suppressed(email: str) -> bool:
    return Suppression.objects.filter(email=email.strip().lower()).exists()


@dataclass
class SignupResult:
    subscriber: Subscriber | None
    mail: str = ""  # "confirm", "already_subscribed" or "" (nothing sent)


def subscriber_signup(
    *, email: str, name: str = "", ip: str | None = None, consent_version: str = CONSENT_VERSION
) -> SignupResult:
    """Record a sign-up and queue the right mail. The caller answers the same way whatever happens,
    so the page never reveals whether an address is subscribed."""
    from .tasks import signup_mail_task

    email = email_normalize(email)
    if consent_version not in CONSENT_TEXTS:
        raise NewsletterError("The sign-up form was out of date. Please reload it and try again.")
    if email_suppressed(email):
        # Bounced or complained before: a confirmation mail would bounce or annoy again.
        return SignupResult(subscriber=None)
    now = timezone.now()
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(
            email=email, defaults={"name": name}
        )
        recent = (
            not created
            and subscriber.confirmation_sent_at
            and now - subscriber.confirmation_sent_at < SIGNUP_MAIL_INTERVAL
        )
        if subscriber.status == Subscriber.Status.CONFIRMED:
            mail = "" if recent else "already_subscribed"
        else:
            if subscriber.status == Subscriber.Status.PENDING and recent:
                return SignupResult(subscriber=subscriber)
            subscriber.status = Subscriber.Status.PENDING
            subscriber.consent_at = now
            subscriber.consent_ip = ip
            subscriber.consent_text_version = consent_version
            if name:
                subscriber.name = name
            mail = "confirm"
        if mail:
            subscriber.confirmation_sent_at = now
            subscriber.save()
            transaction.on_commit(lambda: signup_mail_task.enqueue(subscriber.pk, mail))
    return SignupResult(subscriber=subscriber, mail=mail)


def subscriber_confirm(*, subscriber: Subscriber, ip: str | None = None) -> bool:
    """Confirm a pending sign-up; False when it was confirmed already."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status == Subscriber.Status.CONFIRMED:
            return False
        if subscriber.status != Subscriber.Status.PENDING:
            raise NewsletterError("This address was unsubscribed since. Please sign up again.")
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = timezone.now()
        subscriber.confirmed_ip = ip
        subscriber.unsubscribed_at = None
        subscriber.unsubscribe_source = ""
        subscriber.save()
    return True


def subscriber_unsubscribe(*, subscriber: Subscriber, source: str) -> bool:
    """Unsubscribe at once; False when the address was not subscribed. Queued mails are skipped."""
    updated = (
        Subscriber.objects.filter(pk=subscriber.pk)
        .exclude(status=Subscriber.Status.UNSUBSCRIBED)
        .update(
            status=Subscriber.Status.UNSUBSCRIBED,
            unsubscribed_at=timezone.now(),
            unsubscribe_source=source[:20],
        )
    )
    return bool(updated)


def subscriber_resubscribe(*, subscriber: Subscriber, ip: str | None = None) -> None:
    """Subscribe again from the preferences page. The signed link proves the address is theirs,
    so no second confirmation mail is needed; the new consent is recorded."""
    if email_suppressed(subscriber.email):
        raise NewsletterError(
            "Mail to this address bounced or was reported as spam, so we cannot send to it. "
            "Write to us if that has changed."
        )
    now = timezone.now()
    Subscriber.objects.filter(pk=subscriber.pk).update(
        status=Subscriber.Status.CONFIRMED,
        consent_at=now,
        consent_ip=ip,
        consent_text_version=CONSENT_VERSION,
        confirmed_at=now,
        confirmed_ip=ip,
        unsubscribed_at=None,
        unsubscribe_source="",
    )


def subscriber_export(*, subscriber: Subscriber) -> dict:
    """Everything we hold about one subscriber, as plain JSON-ready data."""

    def when(value):
        return value.isoformat() if value else None

    deliveries = (
        Delivery.objects.filter(subscriber=subscriber)
        .select_related("issue")
        .order_by("issue__month")
    )
    suppression = Suppression.objects.filter(email=subscriber.email).first()
    return {
        "email": subscriber.email,
        "name": subscriber.name,
        "status": subscriber.status,
        "signed_up_at": when(subscriber.created_at),
        "consent": {
            "at": when(subscriber.consent_at),
            "ip": subscriber.consent_ip,
            "form_text_version": subscriber.consent_text_version,
            "form_text": CONSENT_TEXTS.get(subscriber.consent_text_version, ""),
        },
        "confirmed_at": when(subscriber.confirmed_at),
        "confirmed_ip": subscriber.confirmed_ip,
        "unsubscribed_at": when(subscriber.unsubscribed_at),
        "mails": [
            {
                "issue": d.issue.subject,
                "status": d.status,
                "sent_at": when(d.sent_at),
                "message_id": d.message_id,
            }
            for d in deliveries
        ],
        "suppression": (
            {"reason": suppression.reason, "since": when(suppression.created_at)}
            if suppression
            else None
        ),
    }


def subscriber_export_json(*, subscriber: Subscriber) -> str:
    return json.dumps(subscriber_export(subscriber=subscriber), indent=2, ensure_ascii=False)


def subscriber_delete(*, subscriber: Subscriber) -> None:
    """Erase the subscriber and their delivery records. Suppression entries stay: they exist
    so that no mail goes to an address that bounced or complained."""
    subscriber.delete()


def suppression_add(*, email: str, reason: str, source: str, note: str = "") -> Suppression:
    """Add (or keep) an address on the suppression list."""
    email = email.strip().lower()
    suppression, created = Suppression.objects.get_or_create(
        email=email, defaults={"reason": reason, "source": source[:60], "note": note[:255]}
    )
    if not created and reason != Suppression.Reason.MANUAL and suppression.reason != reason:
        # A complaint outranks a bounce outranks a manual entry: keep the strongest reason.
        rank = {"manual": 0, "hard_bounce": 1, "complaint": 2}
        if rank[reason] > rank[suppression.reason]:
            suppression.reason = reason
            suppression.source = source[:60]
            suppression.save(update_fields=["reason", "source"])
    return suppression


@dataclass
class ImportReport:
    added: int = 0
    already: int = 0
    errors: list[str] = field(default_factory=list)


def suppression_import_csv(*, data: bytes | str, source: str = "csv import") -> ImportReport:
    """Import suppressions from CSV: a column `email` (or the first column), optional `reason`
    (hard_bounce, complaint, manual) and `note`. Bad rows are reported by line; good rows load."""
    text = data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    report = ImportReport()
    if not rows:
        report.errors.append("The file is empty.")
        return report
    header = [cell.strip().lower() for cell in rows[0]]
    has_header = "email" in header
    col = {name: header.index(name) for name in ("email", "reason", "note") if name in header}
    if not has_header:
        col = {"email": 0, "reason": 1, "note": 2}
    reasons = set(Suppression.Reason.values)
    start = 2 if has_header else 1
    for line, row in enumerate(rows[1:] if has_header else rows, start=start):
        if not any(cell.strip() for cell in row):
            continue

        def cell(name, row=row):
            index = col.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        raw = cell("email")
        try:
            email = email_normalize(raw)
        except NewsletterError:
            report.errors.append(f"Line {line}: “{raw}” is not a valid email address.")
            continue
        reason = (cell("reason") or "manual").lower().replace(" ", "_")
        if reason not in reasons:
            report.errors.append(
                f"Line {line}: unknown reason “{cell('reason')}” (use hard_bounce, complaint "
                "or manual)."
            )
            continue
        try:
            _, created = Suppression.objects.get_or_create(
                email=email, defaults={"reason": reason, "source": source, "note": cell("note")}
            )
        except IntegrityError:
            created = False
        if created:
            report.added += 1
        else:
            report.already += 1
    return report


def tracking_event_apply(*, event_type: str, email: str, esp_name: str, detail: str = "") -> str:
    """Apply one anymail tracking event (bounce, complaint, unsubscribe) to our lists.
    Returns what was done, for the log."""
    email = (email or "").strip().lower()
    if not email:
        return "ignored: no recipient"
    source = f"{esp_name} webhook"[:60]
    if event_type == "bounced":
        suppression_add(email=email, reason="hard_bounce", source=source, note=detail)
        return "suppressed: hard bounce"
    if event_type == "complained":
        suppression_add(email=email, reason="complaint", source=source, note=detail)
        Subscriber.objects.filter(email=email).exclude(
            status=Subscriber.Status.UNSUBSCRIBED
        ).update(
            status=Subscriber.Status.UNSUBSCRIBED,
            unsubscribed_at=timezone.now(),
            unsubscribe_source="complaint",
        )
        return "suppressed: complaint"
    if event_type == "unsubscribed":
        subscriber = Subscriber.objects.filter(email=email).first()
        if subscriber:
            subscriber_unsubscribe(subscriber=subscriber, source="provider")
            return "unsubscribed"
    return "ignored"
