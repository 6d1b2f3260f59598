"""Generated demo stills: a gradient frame with the film's title, clearly marked as a demo image."""

import hashlib
import io

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630


def _palette(seed: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    digest = hashlib.sha256(seed.encode()).digest()
    top = (40 + digest[0] % 90, 20 + digest[1] % 60, 30 + digest[2] % 80)
    bottom = (10 + digest[3] % 30, 10 + digest[4] % 30, 15 + digest[5] % 40)
    return top, bottom


def still_png(*, title: str, subtitle: str) -> bytes:
    """A 1200×630 PNG with a title card; deterministic for the same title."""
    top, bottom = _palette(title)
    image = Image.new("RGB", (WIDTH, HEIGHT), bottom)
    draw = ImageDraw.Draw(image)
    for y in range(HEIGHT):
        t = y / HEIGHT
        colour = tuple(round(top[i] * (1 - t) + bottom[i] * t) for i in range(3))
        draw.line([(0, y), (WIDTH, y)], fill=colour)
    # Film-strip perforations along both edges.
    for x in range(20, WIDTH, 60):
        draw.rounded_rectangle([x, 16, x + 30, 36], radius=4, fill=(235, 228, 218))
        draw.rounded_rectangle(
            [x, HEIGHT - 36, x + 30, HEIGHT - 16], radius=4, fill=(235, 228, 218)
        )
    title_font = ImageFont.load_default(size=78 if len(title) < 22 else 56)
    small_font = ImageFont.load_default(size=30)
    draw.text((WIDTH / 2, HEIGHT / 2 - 30), title, font=title_font, fill="white", anchor="mm")
    draw.text(
        (WIDTH / 2, HEIGHT / 2 + 50), subtitle, font=small_font, fill=(240, 200, 190), anchor="mm"
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def portrait_png(*, initials: str) -> bytes:
    """A square monogram used as a demo critic photo."""
    top, bottom = _palette(initials)
    image = Image.new("RGB", (400, 400), top)
    draw = ImageDraw.Draw(image)
    draw.ellipse([30, 30, 370, 370], fill=bottom)
    draw.text(
        (200, 200), initials, font=ImageFont.load_default(size=150), fill="white", anchor="mm"
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
