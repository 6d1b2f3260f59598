from django.conf import settings

# The Hamburg cinemas that show films in their original language (brief §5). Shown in the
# sidebar until the screenings feature gives each its own page.
OV_CINEMAS = [
    "Abaton",
    "Savoy",
    "Zeise",
    "Studio",
    "Passage",
    "Metropolis",
    "3001",
    "Holi",
    "Alabama",
    "B-Movie",
    "Koralle",
    "CinemaxX Dammtor",
    "UCI",
]


def site_context(request):
    return {"SITE_URL": settings.SITE_URL, "OV_CINEMAS": OV_CINEMAS}
