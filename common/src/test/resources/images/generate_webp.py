#!/usr/bin/python3
"""Writes the small WebP fixtures used by the image decoder tests (Pillow with libwebp).

  lossless-5x3.webp       VP8L, RGB, pixel (x, y) = (40x + 20, 80y + 10, 250 - 50x)
  lossless-alpha-4x2.webp VP8L with alpha, RGB as above, alpha = 255 * x / 3 (exact=True keeps RGB under alpha 0)
  lossy-16x8.webp         VP8, solid (200, 60, 30)
  lossy-alpha-6x4.webp    VP8X + ALPH + VP8, solid (30, 120, 220) with alpha 128
  animated-2frames.webp   VP8X with the animation flag, two 8x8 frames
Run:  /usr/bin/python3 generate_webp.py
"""
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
