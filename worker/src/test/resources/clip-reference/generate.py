#!/usr/bin/python3
"""Reference outputs for the CLIP preprocessing tests, produced with Pillow itself (Image.resize, BICUBIC) and
numpy re-doing transformers' CLIPImageProcessor steps: shortest edge -> size (long edge int(size*long/short)),
centre crop with offsets (dim - size) // 2, float64 x * (1/255) cast to float32, (x - mean) / std in float32, CHW.

Test images are generated from a formula the Java test repeats:
  R = (3x^2 + 7y + xy) mod 256,  G = (5x + 11y^2 + 17) mod 256,  B = ((x + y)(x + 2y) + 101) mod 256
Lines:
  resize  W H OW OH  sha256(RGB bytes, row-major)  first 6 bytes
  clip    W H SIZE   sha256(float32 little-endian CHW)  then index:value pairs
Run:  /usr/bin/python3 generate.py > reference.txt   (Pillow 9.4, numpy 1.24)
"""
import hashlib

import numpy as np
import PIL
from PIL import Image

MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)


def pattern(w, h):
    a = np.zeros((h, w, 3), dtype=np.uint8)
    for y in range(h):
        for x in range(w):
            a[y, x] = ((3 * x * x + 7 * y + x * y) % 256, (5 * x + 11 * y * y + 17) % 256,
                       ((x + y) * (x + 2 * y) + 101) % 256)
    return Image.fromarray(a, "RGB")


def resize_line(w, h, ow, oh):
    out = np.array(pattern(w, h).resize((ow, oh), resample=Image.BICUBIC))
    data = out.tobytes()
    return f"resize {w} {h} {ow} {oh} {hashlib.sha256(data).hexdigest()} " + " ".join(str(b) for b in data[:6])


def clip_line(w, h, size):
    short, long = (w, h) if w <= h else (h, w)
    new_long = int(size * long / short)
    oh, ow = (new_long, size) if w <= h else (size, new_long)
    arr = np.array(pattern(w, h).resize((ow, oh), resample=Image.BICUBIC))
    top, left = (oh - size) // 2, (ow - size) // 2
    arr = arr[top:top + size, left:left + size]
    x = (arr.astype(np.float64) * (1 / 255)).astype(np.float32)
    x = ((x - MEAN) / STD).astype(np.float32).transpose(2, 0, 1).copy()
    flat = x.reshape(-1)
    probes = [0, 1, size * size - 1, size * size, 2 * size * size + 5, flat.size - 1]
    pairs = " ".join(f"{i}:{repr(float(flat[i]))}" for i in probes)
    return f"clip {w} {h} {size} {hashlib.sha256(flat.astype('<f4').tobytes()).hexdigest()} {pairs}"


def main():
    print(f"# Pillow {PIL.__version__}, numpy {np.__version__}; see generate.py")
    for case in [(7, 5, 3, 4), (5, 3, 11, 7), (300, 200, 336, 224), (100, 1, 37, 1), (40, 60, 40, 13),
                 (640, 480, 298, 224)]:
        print(resize_line(*case))
    for case in [(300, 200, 224), (200, 300, 224), (224, 224, 224), (500, 223, 224), (225, 401, 224),
                 (61, 47, 32), (1000, 667, 224)]:
        print(clip_line(*case))


if __name__ == "__main__":
    main()
