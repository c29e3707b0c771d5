#!/usr/bin/python3
"""Writes PNG and WebP fixtures that carry an EXIF orientation (Pillow, independent of our decoder).

  oriented-6-exif.png         16x8 quadrants (R G / B W), orientation 6 in a PNG eXIf chunk
  oriented-8-exif.webp        the same picture, lossless, orientation 8 in a WebP EXIF chunk (VP8X)
  oriented-3-exif-prefix.webp the same picture, orientation 3, EXIF chunk starting "Exif\\0\\0" as some writers do
Pillow's ImageOps.exif_transpose of each gives the upright picture the decoder tests expect.
Run:  /usr/bin/python3 generate_oriented.py
"""
import struct

from PIL import Image


def quadrants(w, h):
    im = Image.new("RGB", (w, h))
    for y in range(h):
        for x in range(w):
            left, top = x < w // 2, y < h // 2
            im.putpixel((x, y), (255, 0, 0) if left and top else (0, 255, 0) if top else (0, 0, 255) if left
                        else (255, 255, 255))
    return im


def exif_with_orientation(value):
    exif = Image.Exif()
    exif[0x0112] = value
    return exif.tobytes()


def set_webp_exif_prefix(path):
    """Rewrites the EXIF chunk of a VP8X WebP to start with Exif\\0\\0 (as some cameras' writers do)."""
    data = bytearray(open(path, "rb").read())
    at = 12
    while at < len(data):
        fourcc, size = data[at:at + 4], struct.unpack("<I", data[at + 4:at + 8])[0]
        if fourcc == b"EXIF":
            payload = bytes(data[at + 8:at + 8 + size])
            if not payload.startswith(b"Exif\0\0"):
                payload = b"Exif\0\0" + payload
            chunk = b"EXIF" + struct.pack("<I", len(payload)) + payload + (b"\0" if len(payload) % 2 else b"")
            rest = data[at + 8 + size + (size % 2):]
            data = data[:at] + chunk + rest
            struct.pack_into("<I", data, 4, len(data) - 8)
            break
        at += 8 + size + (size % 2)
    open(path, "wb").write(bytes(data))


picture = quadrants(16, 8)
picture.save("oriented-6-exif.png", exif=exif_with_orientation(6))
picture.save("oriented-8-exif.webp", lossless=True, exif=exif_with_orientation(8))
picture.save("oriented-3-exif-prefix.webp", lossless=True, exif=exif_with_orientation(3))
set_webp_exif_prefix("oriented-3-exif-prefix.webp")
for name in ("oriented-6-exif.png", "oriented-8-exif.webp", "oriented-3-exif-prefix.webp"):
    from PIL import ImageOps
    upright = ImageOps.exif_transpose(Image.open(name))
    print(name, upright.size, [upright.getpixel(p) for p in ((0, 0), (upright.width - 1, 0), (0, upright.height - 1),
                                                             (upright.width - 1, upright.height - 1))])
