#!/usr/bin/python3
"""Reference draws for the torch-compatible noise tests, written independently of the Java generators.

numpy only (Debian's python3-numpy), vectorised over whole draws, no code shared with the Java side:
  * CUDA generator (torch.Generator("cuda")): Philox4x32-10 on uint64 arrays; one randn call of n values at
    Philox offset O runs T = 256 * min(ceil(n / 256), sms * (threads_per_sm // 256)) threads; thread t handles
    groups of 4 values: value t + T * (4 g + lane) comes from counter (O/4 + g, t), lanes 0/1 = r sin v / r cos v
    of outputs (x0, x1), lanes 2/3 the same of (x2, x3); u = x 2^-32 + 2^-33, v = y 2pi 2^-32 + pi 2^-32,
    r = sqrt(-2 ln u), evaluated in float64 and rounded once to float32; the offset then grows by
    4 * (floor((n - 1) / 4T) + 1).
  * CPU generator (torch.Generator("cpu")): MT19937 (init_genrand of the low 32 bits of the seed); n >= 16:
    uniforms (mt & 0xffffff) 2^-24, 16-value Box-Muller blocks in float32 (log, sqrt, sin, cos evaluated in
    float64 and rounded to float32, theta = float32(2 pi u) computed in float64), last 16 values redrawn when
    n % 16 != 0; n < 16: float64 pairs from 53-bit uniforms ((a & 0x1fffff) << 32 | b) 2^-53, r cos t now and
    r sin t kept on the generator for the next value.
  * Half-precision draws: the float32 values rounded to float16 (numpy's cast) or to bfloat16 (integer
    round-to-nearest-even on the bit pattern).

Writes reference.json: per case the generator settings and, per draw, float32 bit patterns (hex) at the
listed element indices. Run:  /usr/bin/python3 generate.py > reference.json
"""
import json

import numpy as np

M0, M1 = np.uint64(0xD2511F53), np.uint64(0xCD9E8D57)
W0, W1 = np.uint64(0x9E3779B9), np.uint64(0xBB67AE85)
MASK32 = np.uint64(0xFFFFFFFF)
SHIFT32 = np.uint64(32)


def philox(c0, c1, c2, c3, seed):
    """Vectorised Philox4x32-10: uint64 arrays holding 32-bit words."""
    k0 = np.uint64(seed & 0xFFFFFFFF)
    k1 = np.uint64((seed >> 32) & 0xFFFFFFFF)
    for rnd in range(10):
        p0 = M0 * c0
        p1 = M1 * c2
        c0, c1, c2, c3 = ((p1 >> SHIFT32) ^ c1 ^ k0) & MASK32, p1 & MASK32, ((p0 >> SHIFT32) ^ c3 ^ k1) & MASK32, p0 & MASK32
        if rnd < 9:
            k0 = (k0 + W0) & MASK32
            k1 = (k1 + W1) & MASK32
    return c0, c1, c2, c3


def cuda_draw(seed, offset, n, sms, threads_per_sm):
    blocks = min((n + 255) // 256, sms * (threads_per_sm // 256))
    threads = 256 * blocks
    groups = (n - 1) // (4 * threads) + 1
    out = np.empty(groups * 4 * threads, dtype=np.float64)
    t = np.arange(threads, dtype=np.uint64)
    for g in range(groups):
        counter = offset // 4 + g
        c0 = np.full(threads, counter & 0xFFFFFFFF, dtype=np.uint64)
        c1 = np.full(threads, counter >> 32, dtype=np.uint64)
        x0, x1, x2, x3 = philox(c0, c1, t & MASK32, t >> SHIFT32, seed)
        for lane, (a, b, use_cos) in enumerate(((x0, x1, False), (x0, x1, True), (x2, x3, False), (x2, x3, True))):
            u = a.astype(np.float64) * 2.0 ** -32 + 2.0 ** -33
            v = b.astype(np.float64) * (2.0 * np.pi * 2.0 ** -32) + (2.0 * np.pi * 2.0 ** -32) / 2
            r = np.sqrt(-2.0 * np.log(u))
            start = (4 * g + lane) * threads
            out[start:start + threads] = r * (np.cos(v) if use_cos else np.sin(v))
    return out[:n].astype(np.float32), offset + 4 * groups


class Mt:
    def __init__(self, seed):
        self.s = np.zeros(624, dtype=np.uint64)
        self.s[0] = seed & 0xFFFFFFFF
        for i in range(1, 624):
            prev = int(self.s[i - 1])
            self.s[i] = (1812433253 * (prev ^ (prev >> 30)) + i) & 0xFFFFFFFF
        self.pos = 624

    def _twist(self):
        s = [int(v) for v in self.s]
        for k in range(624):
            y = (s[k] & 0x80000000) | (s[(k + 1) % 624] & 0x7FFFFFFF)
            s[k] = s[(k + 397) % 624] ^ (y >> 1) ^ (0x9908B0DF if y & 1 else 0)
        self.s = np.array(s, dtype=np.uint64)
        self.pos = 0

    def take(self, count):
        out = []
        while len(out) < count:
            if self.pos >= 624:
                self._twist()
            n = min(624 - self.pos, count - len(out))
            y = self.s[self.pos:self.pos + n].copy()
            self.pos += n
            y ^= y >> np.uint64(11)
            y ^= (y << np.uint64(7)) & np.uint64(0x9D2C5680)
            y ^= (y << np.uint64(15)) & np.uint64(0xEFC60000)
            y ^= y >> np.uint64(18)
            out.extend(int(v) & 0xFFFFFFFF for v in y)
        return np.array(out, dtype=np.uint64)


class CpuGenerator:
    def __init__(self, seed):
        self.mt = Mt(seed)
        self.cached = None

    def _uniform24(self, count):
        return ((self.mt.take(count) & np.uint64(0xFFFFFF)).astype(np.float64) * 2.0 ** -24).astype(np.float32)

    @staticmethod
    def _blocks(u):
        first = u.reshape(-1, 16)[:, :8]
        second = u.reshape(-1, 16)[:, 8:]
        u1 = (np.float32(1) - first).astype(np.float64)
        log = np.log(u1).astype(np.float32)
        radius = np.sqrt((np.float32(-2) * log).astype(np.float64)).astype(np.float32)
        theta = (2.0 * np.pi * second.astype(np.float64)).astype(np.float32).astype(np.float64)
        cos = np.cos(theta).astype(np.float32)
        sin = np.sin(theta).astype(np.float32)
        return np.concatenate([radius * cos, radius * sin], axis=1).reshape(-1)

    def randn(self, n):
        if n < 16:
            out = []
            for _ in range(n):
                if self.cached is not None:
                    out.append(self.cached)
                    self.cached = None
                    continue
                words = self.mt.take(4)
                u1 = (((int(words[0]) << 32) | int(words[1])) & ((1 << 53) - 1)) * 2.0 ** -53
                u2 = (((int(words[2]) << 32) | int(words[3])) & ((1 << 53) - 1)) * 2.0 ** -53
                r = np.sqrt(-2.0 * np.log1p(-u2))
                self.cached = r * np.sin(2.0 * np.pi * u1)
                out.append(r * np.cos(2.0 * np.pi * u1))
            return np.array(out, dtype=np.float64).astype(np.float32)
        u = self._uniform24(n)
        whole = (n // 16) * 16
        out = np.empty(n, dtype=np.float32)
        out[:whole] = self._blocks(u[:whole])
        if n % 16:
            out[n - 16:] = self._blocks(self._uniform24(16))
        return out


def bfloat16(values):
    bits = values.astype(np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + np.uint64(0x7FFF) + ((bits >> np.uint64(16)) & np.uint64(1))) & np.uint64(0xFFFF0000)
    return rounded.astype(np.uint32).view(np.float32)


def hexes(values, indices):
    bits = values.astype(np.float32).view(np.uint32)
    return {str(i): format(int(bits[i]), "08x") for i in indices}


def sample(n, step):
    return sorted(set(list(range(min(n, 40))) + list(range(0, n, step)) + list(range(max(0, n - 20), n))))


def cuda_case(name, seed, sms, tps, sizes, step=1, dtype="float32", extra=()):
    offset = 0
    draws = []
    for n in sizes:
        values, next_offset = cuda_draw(seed, offset, n, sms, tps)
        if dtype == "float16":
            values = values.astype(np.float16).astype(np.float32)
        elif dtype == "bfloat16":
            values = bfloat16(values)
        indices = sorted(set(sample(n, step)) | {i for i in extra if i < n})
        draws.append({"numel": n, "offset": offset, "values": hexes(values, indices)})
        offset = next_offset
    return {"name": name, "generator": "cuda", "seed": seed, "sm_count": sms, "threads_per_sm": tps,
            "dtype": dtype, "draws": draws}


def cpu_case(name, seed, sizes, step=1):
    gen = CpuGenerator(seed)
    draws = []
    for n in sizes:
        values = gen.randn(n)
        draws.append({"numel": n, "values": hexes(values, sample(n, step))})
    return {"name": name, "generator": "cpu", "seed": seed, "dtype": "float32", "draws": draws}


def main():
    a100 = (108, 2048)
    latents_4 = 4 * 4 * 128 * 128
    cases = [
        cuda_case("cuda seed 0, twelve values twice", 0, *a100, [12, 12]),
        cuda_case("cuda above a tiny cap: 4 lanes, several groups, offsets", 42, 2, 256, [2100, 700, 100, 3000]),
        cuda_case("cuda 64-bit seed, lanes at a 1536-thread SM", (1 << 40) + 7, 3, 1536, [5000, 5000], step=7),
        cuda_case("cuda four SDXL outputs on an A100 (above its cap)", 1234, *a100, [latents_4, latents_4], step=997,
                  extra=(221183, 221184, 221185, 262143)),
        cuda_case("cuda two SDXL outputs in bfloat16", 7, *a100, [2 * 4 * 128 * 128], step=991, dtype="bfloat16"),
        cuda_case("cuda float16 draw", 99, *a100, [300], dtype="float16"),
        cpu_case("cpu seed 0: 16, 17, 5, 3, 3 values", 0, [16, 17, 5, 3, 3]),
        cpu_case("cpu partial blocks across a twist", 123456789, [1000, 64, 15, 700]),
        cpu_case("cpu one SDXL latent", 2024, [4 * 128 * 128], step=509),
    ]
    json.dump({"generated_by": "generate.py", "cases": cases}, __import__("sys").stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
