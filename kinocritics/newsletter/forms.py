import re

from django import forms

from .services import CONSENT_TEXTS, CONSENT_VERSION


def consent_text(version: str) -> str:
    return CONSENT_TEXTS.get(version, CONSENT_TEXTS[CONSENT_VERSION])


class SignupForm(forms.Form):
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter a complete email address, like name@example.org.",
        },
    )
    name = forms.CharField(label="Your first name (optional)", max_length=100, required=False)
    consent = forms.BooleanField(
        label=CONSENT_TEXTS[CONSENT_VERSION],
        error_messages={"required": "Tick the box to agree, so we may send you the newsletter."},
    )
    consent_version = forms.CharField(widget=forms.HiddenInput, initial=CONSENT_VERSION)
    # Honeypot: hidden from people by CSS, filled in by form-filling bots.
    website = forms.CharField(label="Leave this field empty", required=False)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if re.search(r"[\x00-\x1f\x7f<>\"@]", name):
            raise forms.ValidationError("Use letters, spaces and hyphens only in your name.")
        return name

    def clean_consent_version(self):
        version = self.cleaned_data["consent_version"]
        if version not in CONSENT_TEXTS:
            raise forms.ValidationError("This form is out of date. Reload the page and try again.")
        return version


class DeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label="Yes, erase my address and the record of my subscription.",
        error_messages={"required": "Tick the box to confirm the deletion."},
    )
