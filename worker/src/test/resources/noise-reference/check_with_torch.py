#!/usr/bin/env python3
"""Compares reference.json with torch itself, on a machine that has torch (and a GPU for the CUDA cases).

Not run by the build (torch is not available there). For every recorded value it prints how many float32 units
in the last place torch's own draw differs by, per case:

    python3 check_with_torch.py [reference.json]

The CUDA cases assume the GPU's geometry equals the case's sm_count / threads_per_sm; cases whose draws are
larger than another GPU's thread cap are skipped with a note (they depend on that geometry).
"""
import json
import struct
import sys

import torch


def as_float(hex_bits):
    return struct.unpack(">f", bytes.fromhex(hex_bits))[0]


def ulps(a, b):
    ia = struct.unpack(">i", struct.pack(">f", a))[0]
    ib = struct.unpack(">i", struct.pack(">f", b))[0]
    return abs(ia - ib)


def main(path):
    cases = json.load(open(path))["cases"]
    props = torch.cuda.get_device_properties(0) if torch.cuda.is_available() else None
    for case in cases:
        device = case["generator"]
        if device == "cuda":
            if props is None:
                print(f"skip (no GPU): {case['name']}")
                continue
            cap = case["sm_count"] * (case["threads_per_sm"] // 256) * 256
            ours = props.multi_processor_count * (props.max_threads_per_multi_processor // 256) * 256
            if cap != ours and any(d["numel"] > min(cap, ours) for d in case["draws"]):
                print(f"skip (geometry {case['sm_count']}/{case['threads_per_sm']} is not this GPU's): {case['name']}")
                continue
        dtype = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}[case["dtype"]]
        generator = torch.Generator(device=device).manual_seed(case["seed"])
        worst = 0
        for draw in case["draws"]:
            values = torch.randn(draw["numel"], generator=generator, device=device, dtype=dtype).float().cpu()
            for index, bits in draw["values"].items():
                worst = max(worst, ulps(float(values[int(index)]), as_float(bits)))
        print(f"max {worst} ulp: {case['name']}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "reference.json")
