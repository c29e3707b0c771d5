#!/usr/bin/python3
"""Writes the small WebP fixtures used by the image decoder tests (Pillow with libwebp).

  lossless-5x3.webp       VP8L, RGB, pixel (x, y) = (40x + 20, 80y + 10, 250 - 50x)
  lossless-alpha-4x2.webp VP8L with alpha, RGB as above, alpha = 255 * x / 3 (exact=True keeps RGB under alpha 0)
  lossy-16x8.webp         VP8, solid (200, 60, 30)
  lossy-alpha-6x4.webp    VP8X + ALPH + VP8, solid (30, 120, 220) with alpha 128
  animated-2frames.webp   VP8X with the animation flag, two 8x8 frames
  lossless-groups.webp    192x128 VP8L from cwebp with a predictor transform and six prefix-code groups
  lossy-alpha-lossless.webp  the same picture lossy, with a losslessly compressed ALPH chunk
  lossless-palette.webp   150x90 VP8L with a colour-indexing transform (12 colours)
  lossless-smooth.webp    300x200 VP8L of a smooth pattern
Run:  /usr/bin/python3 generate_webp.py   (Debian: python3-pil and webp for cwebp)
"""
import random
import subprocess
from PIL import Image


def pattern(w, h, alpha=False):
    im = Image.new("RGBA" if alpha else "RGB", (w, h))
    for y in range(h):
        for x in range(w):
            rgb = (40 * x + 20, 80 * y + 10, 250 - 50 * x)
            im.putpixel((x, y), rgb + ((255 * x) // (w - 1),) if alpha else rgb)
    return im


pattern(5, 3).save("lossless-5x3.webp", lossless=True)
pattern(4, 2, alpha=True).save("lossless-alpha-4x2.webp", lossless=True, exact=True)
Image.new("RGB", (16, 8), (200, 60, 30)).save("lossy-16x8.webp", quality=90)
Image.new("RGBA", (6, 4), (30, 120, 220, 128)).save("lossy-alpha-6x4.webp", quality=90)
frames = [Image.new("RGB", (8, 8), c) for c in ((255, 0, 0), (0, 0, 255))]
frames[0].save("animated-2frames.webp", save_all=True, append_images=frames[1:], duration=100, lossless=True)


def cwebp(png, out, *options):
    subprocess.run(["cwebp", "-quiet", *options, png, "-o", out], check=True)


random.seed(7)
blocks = Image.new("RGBA", (192, 128))
for y in range(128):
    for x in range(192):
        kind = (x // 32 * 3 + y // 32) % 4
        if kind == 0:
            c = (random.randrange(256), random.randrange(8), 0, 255)
        elif kind == 1:
            c = (x * 5 % 256, y * 3 % 256, (x * y) % 256, 255)
        elif kind == 2:
            c = (10, 20, random.choice([30, 200]), random.randrange(128, 256))
        else:
            c = (random.randrange(256), random.randrange(256), random.randrange(256), 255)
        blocks.putpixel((x, y), c)
blocks.save("/tmp/blocks.png")
cwebp("/tmp/blocks.png", "lossless-groups.webp", "-lossless", "-m", "6", "-q", "100")
cwebp("/tmp/blocks.png", "lossy-alpha-lossless.webp", "-q", "80", "-alpha_q", "100")

random.seed(3)
colours = [(random.randrange(256), random.randrange(256), random.randrange(256)) for _ in range(12)]
palette = Image.new("RGB", (150, 90))
for y in range(90):
    for x in range(150):
        palette.putpixel((x, y), colours[(x // 7 + y // 5 + random.randrange(2)) % 12])
palette.save("/tmp/palette.png")
cwebp("/tmp/palette.png", "lossless-palette.webp", "-lossless", "-z", "9")

smooth = Image.new("RGB", (300, 200))
for y in range(200):
    for x in range(300):
        v = (x * x + y * 3) // 17
        smooth.putpixel((x, y), ((v * 7) % 256, (v * 13) % 256, (x ^ y) % 256))
smooth.save("/tmp/smooth.png")
cwebp("/tmp/smooth.png", "lossless-smooth.webp", "-lossless", "-z", "9")
