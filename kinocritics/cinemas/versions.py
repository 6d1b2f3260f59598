"""The language version of a screening: what the viewer hears and reads."""

from django.db import models

# ISO 639-1 code → English name, for the languages cinemas here actually list.
LANGUAGE_NAMES = {
    "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "bs": "Bosnian", "ca": "Catalan",
    "cs": "Czech", "da": "Danish", "de": "German", "el": "Greek", "en": "English", "es": "Spanish",
    "et": "Estonian", "eu": "Basque", "fa": "Persian", "fi": "Finnish", "fr": "French",
    "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian",
    "is": "Icelandic", "it": "Italian", "ja": "Japanese", "ka": "Georgian", "ko": "Korean",
    "ku": "Kurdish", "lt": "Lithuanian", "lv": "Latvian", "ml": "Malayalam", "nl": "Dutch",
    "no": "Norwegian", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian",
    "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian", "sv": "Swedish",
    "ta": "Tamil", "te": "Telugu", "th": "Thai", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu",
    "vi": "Vietnamese", "yi": "Yiddish", "zh": "Chinese",
}  # fmt: skip


class Version(models.TextChoices):
    OV = "OV", "Original version, no subtitles"
    OMU_DE = "OMU_DE", "Original version with German subtitles"
    OMU_EN = "OMU_EN", "Original version with English subtitles"
    OMU_MULTI = "OMU_MULTI", "Original version with German and English subtitles"
    DE_EN_SUBS = "DE_EN_SUBS", "German with English subtitles"
    DE = "DE", "German"
    UNKNOWN = "UNKNOWN", "Version not stated"


ORIGINAL_LANGUAGE_VERSIONS = (Version.OV, Version.OMU_DE, Version.OMU_EN, Version.OMU_MULTI)


def language_name(code: str | None) -> str:
    if not code:
        return "Original language"
    return LANGUAGE_NAMES.get(code, code.upper())


def version_words(
    version: str, audio_language: str | None, subtitle_languages: list[str] | tuple[str, ...]
) -> str:
    """A version in a reader's words: 'French · English subtitles', 'English · no subtitles'."""
    if version == Version.UNKNOWN:
        return "Version not stated"
    audio = (
        "German" if version in (Version.DE, Version.DE_EN_SUBS) else language_name(audio_language)
    )
    subs = [language_name(code) for code in subtitle_languages if code]
    if not subs:
        subs = {
            Version.OMU_DE: ["German"],
            Version.OMU_EN: ["English"],
            Version.OMU_MULTI: ["German", "English"],
            Version.DE_EN_SUBS: ["English"],
        }.get(version, [])
    if not subs:
        return f"{audio} · no subtitles"
    return f"{audio} · {' and '.join(subs)} subtitles"


def is_english_friendly(
    version: str, audio_language: str | None, subtitle_languages: list[str] | tuple[str, ...]
) -> bool:
    """English audio, or English subtitles: what our readers can follow."""
    if version in (Version.OMU_EN, Version.OMU_MULTI, Version.DE_EN_SUBS):
        return True
    if "en" in (subtitle_languages or ()):
        return True
    return version in ORIGINAL_LANGUAGE_VERSIONS and audio_language == "en"
