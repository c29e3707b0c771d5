#!/usr/bin/env python3
"""Export PhotoMaker (SDXL + stacked ID embedding) to the ONNX model directory the worker loads.

Inputs (downloaded from the Hugging Face Hub unless given as local paths):
  * a PhotoMaker checkpoint: photomaker-v1.bin (TencentARC/PhotoMaker), a dict with
    "id_encoder" (CLIP ViT-L/14 vision tower + visual_projection + visual_projection_2 + fuse_module)
    and "lora_weights" (UNet attention LoRA);
  * an SDXL base in diffusers format (default SG161222/RealVisXL_V4.0) or a single .safetensors file; its own
    VAE is exported (float32 when its config says force_upcast), or, when asked (--vae), another one such as
    the fp16-fixed SDXL VAE (madebyollin/sdxl-vae-fp16-fix).

--dry-run checks library versions, disk and GPU memory, the checkpoint's keys and the base model's configs
before hours of work. --verify runs every exported model in ONNX Runtime against torch and fails (exit 1) when
an output is NaN or off by more than the tolerance. Scratch files live under the output directory.


Output: the directory layout of CONVENTIONS.md ("Model directory"):
  manifest.json
  tokenizer/vocab.json, tokenizer/merges.txt
  text_encoder/model.onnx     input_ids -> last_hidden_state, pooler_output, hidden_states.0..N
  text_encoder_2/model.onnx   input_ids -> text_embeds, last_hidden_state, hidden_states.0..M
  id_encoder/model.onnx       id_pixel_values [N,3,224,224] -> id_embeds [N,2048]
  fuse/model.onnx             prompt_embeds [M,2048], id_embeds [M,2048] -> fused_embeds [M,2048]
  unet/model.onnx (+ model.onnx_data)   PhotoMaker LoRA fused at scale 1.0
  vae_decoder/model.onnx      latent_sample -> sample

Heavy libraries (torch, diffusers, transformers, onnx, safetensors, huggingface_hub) are imported
only by the export itself, so `--print-layout` and `--help` work anywhere. See README.md.
"""

import argparse
import hashlib
import inspect
import json
import os
import platform
import shutil
import sys
import tempfile

MANIFEST_FORMAT = "photomaker-onnx/1"
TRIGGER_WORD = "img"
ID_IMAGE_SIZE = 224
ONNX_OPSET = 17
# torch.onnx.export of CLIP attention fails to trace before 2.5.
MIN_VERSIONS = {"torch": (2, 5), "diffusers": (0, 30), "transformers": (4, 40), "peft": (0, 10), "onnx": (1, 14)}
# Free disk a float16 export needs: the exported files (~7 GB) plus the scratch copy of the largest model.
DISK_NEEDED = {"float16": 16 * 2**30, "float32": 32 * 2**30}
GPU_MEMORY_NEEDED = {"float16": 14 * 2**30, "float32": 22 * 2**30}
# A traced SDXL UNet runs latents whose sides are multiples of this (two down-samplings, even at each level).
LATENT_SIZE_MULTIPLE = 4
SCRATCH_PREFIX = ".scratch-"
# --verify: largest relative error (max |onnx - torch| / max |torch|) accepted per exported precision.
VERIFY_TOLERANCE = {"float16": 2e-2, "float32": 1e-3}
# Protobuf cannot hold more than 2 GiB: larger models keep their weights in one side file.
EXTERNAL_DATA_THRESHOLD = 1_800_000_000
EXTERNAL_DATA_SUFFIX = ".onnx_data"

# manifest model name -> its directory
MODELS = {
    "text_encoder": "text_encoder",
    "text_encoder_2": "text_encoder_2",
    "id_encoder": "id_encoder",
    "fuse": "fuse",
    "unet": "unet",
    "vae_decoder": "vae_decoder",
}
TOKENIZER_FILES = ("vocab.json", "merges.txt")

def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Export PhotoMaker + SDXL to the worker's ONNX model directory.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--out", required=True, help="output model directory (created; must be empty)")
    p.add_argument("--photomaker", default="TencentARC/PhotoMaker:photomaker-v1.bin",
                   help="checkpoint: local .bin/.safetensors path or HUB_REPO:FILENAME")
    p.add_argument("--photomaker-version", choices=("v1", "v2"), default="v1",
                   help="v2: also --photomaker TencentARC/PhotoMaker-V2:photomaker-v2.bin (export_photomaker_v2.py)")
    p.add_argument("--insightface", default=None,
                   help="v2: directory or buffalo_l.zip with det_10g.onnx and w600k_r50.onnx "
                        "(default ~/.insightface/models/buffalo_l, fetched by insightface if missing)")
    p.add_argument("--base", default="SG161222/RealVisXL_V4.0",
                   help="SDXL base: Hub repo id, local diffusers directory or single .safetensors file")
    p.add_argument("--vae", default="base",
                   help="VAE for the decoder: 'base' (the base model's own, as the reference uses it) or a Hub "
                        "repo/dir of another one, e.g. madebyollin/sdxl-vae-fp16-fix; exported in float32 when its "
                        "config says force_upcast (the SDXL VAE overflows in float16), else in --dtype")
    p.add_argument("--dtype", choices=("float16", "float32"), default="float16",
                   help="weights of text encoders, ID encoder, fuse and UNet")
    p.add_argument("--io-dtype", choices=("float32", "native"), default="float32",
                   help="inputs and outputs of a float16 UNet and VAE decoder: float32 puts the casts inside "
                        "the model (they run on the GPU and the worker converts nothing per step); native "
                        "keeps the weights' dtype")
    p.add_argument("--device", default="cuda", help="torch device used for tracing (cuda recommended)")
    p.add_argument("--opset", type=int, default=ONNX_OPSET)
    p.add_argument("--verify", action="store_true",
                   help="run every exported model in onnxruntime, compare with torch and fail on NaN or on a "
                        "relative error above the tolerance of its precision")
    p.add_argument("--dry-run", action="store_true",
                   help="check versions, disk, GPU memory, the checkpoint's keys and the base configs, then stop")
    p.add_argument("--print-layout", action="store_true",
                   help="print the files this export writes as JSON and exit (no heavy imports)")
    return p.parse_args(argv)


def planned_layout(args):
    """The files and manifest skeleton this run would write (no weights needed)."""
    files = ["manifest.json"] + [f"tokenizer/{f}" for f in TOKENIZER_FILES]
    models = {}
    for name, directory in MODELS.items():
        path = f"{directory}/model.onnx"
        files.append(path)
        models[name] = {"path": path, "dtype": model_dtype(name, args)}
    files.append(f"unet/model{EXTERNAL_DATA_SUFFIX}")
    return {"format": MANIFEST_FORMAT, "photomaker_version": args.photomaker_version,
            "trigger_word": TRIGGER_WORD, "models": models, "files": files}


def model_dtype(name, args):
    if name == "vae_decoder":
        # decided by the VAE's force_upcast once it is loaded (load_pipeline records it)
        return getattr(args, "vae_record", {}).get("dtype", "by force_upcast")
    return args.dtype


def vae_dtype(force_upcast, requested):
    """The VAE's export precision: float32 when its config says force_upcast, else the requested one."""
    return "float32" if force_upcast else requested


def float32_io(args, weights_dtype):
    """Whether a model with weights of weights_dtype gets float32 inputs and outputs around it."""
    return args.io_dtype == "float32" and weights_dtype == "float16"


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(out_dir, manifest):
    """Adds sha256 to every model entry and a sha256 for every file, then writes manifest.json."""
    for entry in manifest["models"].values():
        entry["sha256"] = sha256_of(os.path.join(out_dir, entry["path"]))
    files = {}
    for root, dirs, names in os.walk(out_dir):
        dirs[:] = [d for d in dirs if not d.startswith(SCRATCH_PREFIX)]
        for name in sorted(names):
            full = os.path.join(root, name)
            rel = os.path.relpath(full, out_dir).replace(os.sep, "/")
            if rel != "manifest.json":
                files[rel] = sha256_of(full)
    manifest["files"] = dict(sorted(files.items()))
    with open(os.path.join(out_dir, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


# --------------------------------------------------------------------------------------------
# Checks that need no heavy library: each takes plain values and returns a list of problems.
# --------------------------------------------------------------------------------------------

def version_tuple(text):
    """(2, 5, 1) from "2.5.1+cu121"; non-numeric tails are ignored."""
    parts = []
    for piece in str(text).split("+")[0].split("."):
        digits = "".join(c for c in piece if c.isdigit())
        if digits == "":
            break
        parts.append(int(digits))
        if len(digits) != len(piece):
            break
    return tuple(parts)


def version_problems(versions, needed=None):
    """versions: library -> version string or None (not installed)."""
    problems = []
    for name, minimum in (needed or MIN_VERSIONS).items():
        found = versions.get(name)
        wanted = ".".join(map(str, minimum))
        if found is None:
            problems.append(f"{name} is not installed (>= {wanted} needed)")
        elif version_tuple(found) < minimum:
            problems.append(f"{name} {found} is too old: >= {wanted} needed"
                            + (" (older torch fails to trace CLIP attention)" if name == "torch" else ""))
    return problems


def resource_problems(free_disk, gpu_free, dtype, device):
    """free_disk: bytes free where the export goes; gpu_free: bytes free on the GPU, None without one."""
    problems = []
    if free_disk < DISK_NEEDED[dtype]:
        problems.append(f"{free_disk / 2**30:.1f} GiB free on the output disk; a {dtype} export needs "
                        f"{DISK_NEEDED[dtype] / 2**30:.0f} GiB")
    if device.startswith("cuda"):
        if gpu_free is None:
            problems.append(f"--device {device} but no CUDA GPU is usable")
        elif gpu_free < GPU_MEMORY_NEEDED[dtype]:
            problems.append(f"{gpu_free / 2**30:.1f} GiB free on the GPU; a {dtype} export needs "
                            f"{GPU_MEMORY_NEEDED[dtype] / 2**30:.0f} GiB")
    return problems


LORA_TARGETS = ("to_q", "to_k", "to_v", "to_out")


def checkpoint_problems(top_keys, id_encoder_keys, expected_id_keys, lora_keys):
    """The PhotoMaker V1 checkpoint: its two parts, the ID encoder's parameter names, a UNet attention LoRA."""
    problems = []
    if sorted(top_keys) != ["id_encoder", "lora_weights"]:
        return [f"checkpoint has keys {sorted(top_keys)}, expected id_encoder and lora_weights"]
    keys = {k for k in id_encoder_keys if not k.endswith("position_ids")}
    expected = {k for k in expected_id_keys if not k.endswith("position_ids")}
    missing, unexpected = sorted(expected - keys), sorted(keys - expected)
    if missing:
        problems.append(f"id_encoder lacks {len(missing)} parameters, e.g. {missing[:3]}")
    if unexpected:
        problems.append(f"id_encoder has {len(unexpected)} unknown parameters, e.g. {unexpected[:3]}")
    if not lora_keys:
        problems.append("lora_weights is empty")
    strays = [k for k in lora_keys if not any(t in k for t in LORA_TARGETS) or ("attn1" not in k and "attn2" not in k)]
    if strays:
        problems.append(f"{len(strays)} lora_weights keys are not UNet attention projections, e.g. {strays[:3]}")
    return problems


def lora_pair_count(lora_keys):
    """How many low-rank pairs a LoRA state dict holds (one 'down'/'lora_A' matrix per pair)."""
    return sum(1 for k in lora_keys if k.endswith(("lora.down.weight", "lora_A.weight", "lora_down.weight")))


def lora_fusion_problems(pairs, wrapped, changes, tolerance):
    """
    pairs: LoRA pairs in the checkpoint; wrapped: UNet layers the adapter attached to; changes: per fused layer
    (name, largest change seen, largest change expected from B @ A * scale, largest error against it).
    diffusers only warns when LoRA keys match no layer, so every pair must have landed and moved its weights.
    """
    problems = []
    if wrapped < pairs:
        problems.append(f"the PhotoMaker LoRA attached to {wrapped} UNet layers, its checkpoint has {pairs} pairs:"
                        " keys did not match the UNet")
    unchanged = [name for name, seen, expected, _ in changes if expected > 0 and seen == 0]
    if unchanged:
        problems.append(f"{len(unchanged)} LoRA layers were not fused into the UNet weights, e.g. {unchanged[:3]}")
    off = [f"{name} (error {error:.3g} of {expected:.3g})" for name, _, expected, error in changes
           if expected > 0 and error > tolerance * expected]
    if off:
        problems.append(f"{len(off)} fused layers differ from weight + B @ A * scale, e.g. {off[:3]}")
    if not changes:
        problems.append("no fused LoRA layer was checked")
    return problems


def base_config_problems(unet, vae, scheduler, text_encoder, text_encoder_2):
    """The base model's configs (dicts) against what the SDXL pipeline and the worker assume."""
    problems = []
    expect = [("unet.in_channels", unet.get("in_channels"), 4),
              ("unet.cross_attention_dim", unet.get("cross_attention_dim"), 2048),
              ("unet.addition_embed_type", unet.get("addition_embed_type"), "text_time"),
              ("vae.latent_channels", vae.get("latent_channels"), 4),
              ("text_encoder.hidden_size", text_encoder.get("hidden_size"), 768),
              ("text_encoder_2.hidden_size", text_encoder_2.get("hidden_size"), 1280),
              ("scheduler.prediction_type", scheduler.get("prediction_type", "epsilon"), "epsilon")]
    for name, found, wanted in expect:
        if found != wanted:
            problems.append(f"{name} is {found!r}; an SDXL base has {wanted!r}")
    if "scaling_factor" not in vae:
        problems.append("vae config has no scaling_factor")
    for key, off in (("thresholding", False), ("rescale_betas_zero_snr", False), ("trained_betas", None)):
        if scheduler.get(key, off) != off:
            problems.append(f"scheduler.{key} is {scheduler[key]!r}; the worker's schedulers do not implement it")
    return problems


def verification_problems(results, tolerance):
    """results: per output {"model", "output", "max_reference", "max_error", "nan"}; relative error = error / max."""
    problems = []
    for r in results:
        where = f"{r['model']}.{r['output']}"
        if r["nan"]:
            problems.append(f"{where}: NaN or infinity in the ONNX output")
            continue
        relative = r["max_error"] / max(r["max_reference"], 1e-6)
        if relative > tolerance:
            problems.append(f"{where}: relative error {relative:.3g} above {tolerance:g}")
    return problems


# The interface the Java loader probes: name -> (element types, dims); None = any (dynamic) size.
FLOATS = ("float", "float16")
EXPECTED_INTERFACE = {
    "text_encoder": ({"input_ids": (("int64", "int32"), (None, 77))},
                     {"pooler_output": (FLOATS, (None, 768))}),
    "text_encoder_2": ({"input_ids": (("int64", "int32"), (None, 77))},
                       {"text_embeds": (FLOATS, (None, 1280))}),
    "id_encoder": ({"id_pixel_values": (FLOATS, (None, 3, 224, 224))},
                   {"id_embeds": (FLOATS, (None, 2048))}),
    "fuse": ({"prompt_embeds": (FLOATS, (None, 2048)), "id_embeds": (FLOATS, (None, 2048))},
             {"fused_embeds": (FLOATS, (None, 2048))}),
    "unet": ({"sample": (FLOATS, (None, 4, None, None)), "timestep": (FLOATS + ("int64",), ()),
              "encoder_hidden_states": (FLOATS, (None, 77, 2048)), "text_embeds": (FLOATS, (None, 1280)),
              "time_ids": (FLOATS, (None, 6))},
             {"out_sample": (FLOATS, (None, 4, None, None))}),
    "vae_decoder": ({"latent_sample": (FLOATS, (None, 4, None, None))},
                    {"sample": (FLOATS, (None, 3, None, None))}),
}


def interface_problems(model, inputs, outputs, hidden_state_output=None):
    """inputs/outputs: name -> (element type name, dims with None or a string for dynamic ones)."""
    expected_inputs, expected_outputs = EXPECTED_INTERFACE[model]
    if hidden_state_output:
        width = 768 if model == "text_encoder" else 1280
        expected_outputs = dict(expected_outputs, **{hidden_state_output: (FLOATS, (None, 77, width))})
    problems = []
    for kind, expected, actual in (("input", expected_inputs, inputs), ("output", expected_outputs, outputs)):
        for name, (types, dims) in expected.items():
            if name not in actual:
                problems.append(f"{model}: no {kind} {name}")
                continue
            found_type, found_dims = actual[name]
            if found_type not in types:
                problems.append(f"{model}.{name}: element type {found_type}, expected one of {types}")
            if model == "unet" and name == "timestep" and len(found_dims) <= 1:
                continue
            if len(found_dims) != len(dims) or any(
                    d is not None and isinstance(f, int) and f != d for f, d in zip(found_dims, dims)):
                problems.append(f"{model}.{name}: dims {list(found_dims)}, expected {list(dims)}")
    return problems


# --------------------------------------------------------------------------------------------
# Torch modules: the PhotoMaker V1 ID encoder with the checkpoint's parameter names, and thin
# wrappers that give each exported graph exactly the inputs and outputs of our contract.
# --------------------------------------------------------------------------------------------

def build_modules():
    import torch
    from torch import nn
    from transformers import CLIPVisionConfig, CLIPVisionModelWithProjection

    class Mlp(nn.Module):
        """LayerNorm -> Linear -> GELU(erf) -> Linear, optionally plus the input."""

        def __init__(self, in_dim, out_dim, hidden_dim, residual):
            super().__init__()
            self.layernorm = nn.LayerNorm(in_dim)
            self.fc1 = nn.Linear(in_dim, hidden_dim)
            self.fc2 = nn.Linear(hidden_dim, out_dim)
            self.act_fn = nn.GELU()
            self.residual = residual

        def forward(self, x):
            y = self.fc2(self.act_fn(self.fc1(self.layernorm(x))))
            return x + y if self.residual else y

    class FuseMlp(nn.Module):
        """fuse(c, e) = LayerNorm(mlp2(mlp1([c, e]) + c)), mlp2 residual."""

        def __init__(self, dim):
            super().__init__()
            self.mlp1 = Mlp(2 * dim, dim, dim, residual=False)
            self.mlp2 = Mlp(dim, dim, dim, residual=True)
            self.layer_norm = nn.LayerNorm(dim)

        def forward(self, prompt_embeds, id_embeds):
            x = self.mlp1(torch.cat([prompt_embeds, id_embeds], dim=-1)) + prompt_embeds
            return self.layer_norm(self.mlp2(x))

    class PhotoMakerV1Weights(CLIPVisionModelWithProjection):
        """Holds the V1 checkpoint's id_encoder parameters under their original names."""

        def __init__(self):
            super().__init__(CLIPVisionConfig(hidden_size=1024, intermediate_size=4096,
                                              num_attention_heads=16, num_hidden_layers=24,
                                              patch_size=14, image_size=ID_IMAGE_SIZE,
                                              projection_dim=768))
            self.visual_projection_2 = nn.Linear(1024, 1280, bias=False)
            self.fuse_module = FuseMlp(2048)

    class IdEncoder(nn.Module):
        """id_pixel_values [N,3,224,224] -> pooled CLIP -> proj (768) ++ proj_2 (1280) = [N,2048]."""

        def __init__(self, weights):
            super().__init__()
            self.vision_model = weights.vision_model
            self.visual_projection = weights.visual_projection
            self.visual_projection_2 = weights.visual_projection_2

        def forward(self, id_pixel_values):
            pooled = self.vision_model(pixel_values=id_pixel_values).pooler_output
            return torch.cat([self.visual_projection(pooled), self.visual_projection_2(pooled)], dim=-1)

    class Fuse(nn.Module):
        """Class-token rows [M,2048] and their ID embeddings [M,2048] -> fused rows [M,2048]."""

        def __init__(self, fuse_module):
            super().__init__()
            self.fuse_module = fuse_module

        def forward(self, prompt_embeds, id_embeds):
            return self.fuse_module(prompt_embeds, id_embeds)

    class TextEncoder(nn.Module):
        """CLIP-L: input_ids -> last_hidden_state, pooler_output, hidden_states.0..N."""

        def __init__(self, encoder):
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids):
            out = self.encoder(input_ids=input_ids, output_hidden_states=True)
            return (out.last_hidden_state, out.pooler_output) + tuple(out.hidden_states)

    class TextEncoderWithProjection(nn.Module):
        """OpenCLIP bigG: input_ids -> text_embeds, last_hidden_state, hidden_states.0..M."""

        def __init__(self, encoder):
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids):
            out = self.encoder(input_ids=input_ids, output_hidden_states=True)
            return (out.text_embeds, out.last_hidden_state) + tuple(out.hidden_states)

    class Unet(nn.Module):
        """SDXL UNet with micro-conditioning inputs as plain tensors."""

        def __init__(self, unet):
            super().__init__()
            self.unet = unet

        def forward(self, sample, timestep, encoder_hidden_states, text_embeds, time_ids):
            return self.unet(sample, timestep, encoder_hidden_states,
                             added_cond_kwargs={"text_embeds": text_embeds, "time_ids": time_ids},
                             return_dict=False)[0]

    class Float32Io(nn.Module):
        """Float32 tensor inputs and outputs around a float16 module: the casts become nodes of the
        exported graph, so they run on the GPU and the worker feeds and reads float32 directly."""

        def __init__(self, module, dtype):
            super().__init__()
            self.module = module
            self.dtype = dtype

        def forward(self, *args):
            # scalars (the timestep) stay as given: the UNet embeds the timestep in float32
            inputs = [a.to(self.dtype) if torch.is_floating_point(a) and a.dim() > 0 else a for a in args]
            out = self.module(*inputs)
            if isinstance(out, tuple):
                return tuple(o.float() if torch.is_floating_point(o) else o for o in out)
            return out.float()

    class VaeDecoder(nn.Module):
        """Scaled latents (already divided by the scaling factor) -> image in [-1, 1]."""

        def __init__(self, vae):
            super().__init__()
            self.vae = vae

        def forward(self, latent_sample):
            return self.vae.decode(latent_sample, return_dict=False)[0]

    return {"PhotoMakerV1Weights": PhotoMakerV1Weights, "IdEncoder": IdEncoder, "Fuse": Fuse,
            "TextEncoder": TextEncoder, "TextEncoderWithProjection": TextEncoderWithProjection,
            "Unet": Unet, "VaeDecoder": VaeDecoder, "Float32Io": Float32Io}


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------

def load_photomaker_state(spec):
    """The checkpoint dict {"id_encoder": ..., "lora_weights": ...} from a path or HUB:FILE."""
    import torch
    path = spec
    if not os.path.exists(spec):
        from huggingface_hub import hf_hub_download
        repo, _, filename = spec.partition(":")
        path = hf_hub_download(repo_id=repo, filename=filename or "photomaker-v1.bin")
    if path.endswith(".safetensors"):
        from safetensors.torch import load_file
        flat = load_file(path)
        state = {"id_encoder": {}, "lora_weights": {}}
        for key, tensor in flat.items():
            part, _, rest = key.partition(".")
            state[part][rest] = tensor
    else:
        state = torch.load(path, map_location="cpu", weights_only=True)
    if sorted(state.keys()) != ["id_encoder", "lora_weights"]:
        raise SystemExit(f"{path}: expected keys id_encoder and lora_weights, found {sorted(state)}")
    return state


def load_id_encoder(modules, id_state, dtype, device, weights_class="PhotoMakerV1Weights", what="id_encoder"):
    weights = modules[weights_class]()
    missing, unexpected = weights.load_state_dict(id_state, strict=False)
    # Checkpoints saved by older transformers carry the position_ids buffer, which is no longer a
    # persistent buffer; nothing else may be missing or left over.
    unexpected = [k for k in unexpected if not k.endswith("position_ids")]
    if missing or unexpected:
        raise SystemExit(f"{what} weights do not match: missing {missing}, unexpected {unexpected}")
    return weights.to(device=device, dtype=dtype).eval()


def load_pipeline(args, torch_dtype, lora_state):
    """The SDXL pipeline with the PhotoMaker LoRA fused into the UNet at scale 1.0."""
    import torch
    from diffusers import AutoencoderKL, StableDiffusionXLPipeline
    if args.base.endswith(".safetensors"):
        pipe = StableDiffusionXLPipeline.from_single_file(args.base, torch_dtype=torch_dtype)
    else:
        try:
            pipe = StableDiffusionXLPipeline.from_pretrained(args.base, torch_dtype=torch_dtype, variant="fp16")
        except (OSError, ValueError):
            pipe = StableDiffusionXLPipeline.from_pretrained(args.base, torch_dtype=torch_dtype)
    fuse_photomaker_lora(pipe, lora_state, torch_dtype)
    vae = pipe.vae if args.vae == "base" else AutoencoderKL.from_pretrained(args.vae, torch_dtype=torch_dtype)
    force_upcast = bool(getattr(vae.config, "force_upcast", False))
    precision = vae_dtype(force_upcast, "float16" if torch_dtype == torch.float16 else "float32")
    vae = vae.to(torch.float32 if precision == "float32" else torch_dtype)
    args.vae_record = {"source": args.vae, "force_upcast": force_upcast, "dtype": precision}
    print(f"VAE: {args.vae} (force_upcast={force_upcast}) exported in {precision}")
    return pipe.to(args.device), vae.to(args.device).eval()


def fuse_photomaker_lora(pipe, lora_state, torch_dtype):
    """
    Loads the PhotoMaker LoRA as adapter "photomaker", fuses it into the UNet at scale 1.0 and drops the LoRA
    layers, then checks that it really happened: every pair attached to a UNet layer (diffusers only warns when
    keys match nothing) and every fused weight moved by B @ A * scale.
    """
    import torch
    pairs = lora_pair_count(lora_state.keys())
    pipe.load_lora_weights(lora_state, adapter_name="photomaker")
    layers = {name: module for name, module in pipe.unet.named_modules()
              if hasattr(module, "lora_A") and "photomaker" in getattr(module, "lora_A", {})}
    before = {name: module.base_layer.weight.detach().to("cpu", copy=True) for name, module in layers.items()}
    factors = {name: (module.lora_A["photomaker"].weight.detach().float().cpu(),
                      module.lora_B["photomaker"].weight.detach().float().cpu(),
                      float(module.scaling["photomaker"])) for name, module in layers.items()}
    pipe.fuse_lora(components=["unet"], lora_scale=1.0, adapter_names=["photomaker"])
    # After fusing, the LoRA layers can go: the UNet weights now include them.
    pipe.unload_lora_weights()
    fused = dict(pipe.unet.named_modules())
    changes = []
    for name, weight in before.items():
        down, up, scale = factors[name]
        expected = (up @ down) * scale
        delta = fused[name].weight.detach().float().cpu() - weight.float()
        changes.append((name, float(delta.abs().max()), float(expected.abs().max()),
                        float((delta - expected).abs().max())))
    problems = lora_fusion_problems(pairs, len(layers), changes, 0.05 if torch_dtype == torch.float16 else 1e-3)
    if problems:
        raise SystemExit("PhotoMaker LoRA check failed:\n  " + "\n  ".join(problems))
    print(f"PhotoMaker LoRA: {pairs} pairs attached and fused into {len(changes)} UNet layers")


# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------

def export_onnx(module, inputs, input_names, output_names, dynamic_axes, target, opset):
    """torch -> ONNX at target; weights over ~2 GB go to one side file next to it."""
    import onnx
    import torch
    extra = {}
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        extra["dynamo"] = False  # the TorchScript exporter handles dynamic_axes and names as given
    os.makedirs(os.path.dirname(target), exist_ok=True)
    # scratch beside the export: the system temp directory is often too small for a 5 GB UNet
    with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.dirname(target)), prefix=SCRATCH_PREFIX) as scratch:
        raw = os.path.join(scratch, "model.onnx")
        with torch.no_grad():
            torch.onnx.export(module, tuple(inputs), raw, input_names=input_names,
                              output_names=output_names, dynamic_axes=dynamic_axes,
                              opset_version=opset, do_constant_folding=True, **extra)
        model = onnx.load(raw, load_external_data=True)
        if any(f != "model.onnx" for f in os.listdir(scratch)) or model.ByteSize() > EXTERNAL_DATA_THRESHOLD:
            onnx.save_model(model, target, save_as_external_data=True, all_tensors_to_one_file=True,
                            location=os.path.basename(target).replace(".onnx", EXTERNAL_DATA_SUFFIX),
                            size_threshold=1024)
        else:
            onnx.save_model(model, target)
    print(f"wrote {target}")


def export_v1_id_encoder(modules, weights, out, torch_dtype, device, opset):
    pixels = torch_zeros((2, 3, ID_IMAGE_SIZE, ID_IMAGE_SIZE), torch_dtype, device)
    export_onnx(modules["IdEncoder"](weights).eval(), [pixels], ["id_pixel_values"], ["id_embeds"],
                {"id_pixel_values": {0: "images"}, "id_embeds": {0: "images"}},
                os.path.join(out, "id_encoder", "model.onnx"), opset)


def torch_zeros(shape, dtype, device):
    import torch
    return torch.zeros(shape, dtype=dtype, device=device)


def export_all(args, parts=None):
    """Exports every model; `parts` (export_photomaker_v2 for V2) supplies the version's ID encoder."""
    import torch
    parts = parts or sys.modules[__name__]
    torch_dtype = torch.float16 if args.dtype == "float16" else torch.float32
    device = args.device
    modules = parts.build_modules()
    state = load_photomaker_state(args.photomaker)
    pipe, vae = load_pipeline(args, torch_dtype, state["lora_weights"])
    id_weights = parts.load_id_encoder(modules, state["id_encoder"], torch_dtype, device)
    out = args.out
    max_tokens = pipe.tokenizer.model_max_length
    ids = torch.zeros((1, max_tokens), dtype=torch.int64, device=device)

    te1, te2 = pipe.text_encoder.eval(), pipe.text_encoder_2.eval()
    n1, n2 = te1.config.num_hidden_layers, te2.config.num_hidden_layers
    hidden_1 = [f"hidden_states.{i}" for i in range(n1 + 1)]
    hidden_2 = [f"hidden_states.{i}" for i in range(n2 + 1)]
    batch = {0: "batch"}
    export_onnx(modules["TextEncoder"](te1), [ids], ["input_ids"],
                ["last_hidden_state", "pooler_output"] + hidden_1,
                {"input_ids": batch, **{n: batch for n in ["last_hidden_state", "pooler_output"] + hidden_1}},
                os.path.join(out, "text_encoder", "model.onnx"), args.opset)
    export_onnx(modules["TextEncoderWithProjection"](te2), [ids], ["input_ids"],
                ["text_embeds", "last_hidden_state"] + hidden_2,
                {"input_ids": batch, **{n: batch for n in ["text_embeds", "last_hidden_state"] + hidden_2}},
                os.path.join(out, "text_encoder_2", "model.onnx"), args.opset)

    parts.export_id_encoder(modules, id_weights, out, torch_dtype, device, args.opset)
    prompt_dim = te1.config.hidden_size + te2.config.hidden_size
    rows = torch.zeros((2, prompt_dim), dtype=torch_dtype, device=device)
    export_onnx(modules["Fuse"](id_weights.fuse_module).eval(), [rows, rows.clone()],
                ["prompt_embeds", "id_embeds"], ["fused_embeds"],
                {"prompt_embeds": {0: "rows"}, "id_embeds": {0: "rows"}, "fused_embeds": {0: "rows"}},
                os.path.join(out, "fuse", "model.onnx"), args.opset)

    unet = pipe.unet.eval()
    channels = unet.config.in_channels
    scale = 2 ** (len(vae.config.block_out_channels) - 1)
    unet_io = torch.float32 if float32_io(args, model_dtype("unet", args)) else torch_dtype
    latents = torch.zeros((2, channels, 1024 // scale, 1024 // scale), dtype=unet_io, device=device)
    pooled_dim = te2.config.projection_dim
    export_onnx(with_io(modules, modules["Unet"](unet), args, "unet", torch_dtype),
                [latents, torch.tensor(999.0, device=device),
                 torch.zeros((2, max_tokens, prompt_dim), dtype=unet_io, device=device),
                 torch.zeros((2, pooled_dim), dtype=unet_io, device=device),
                 torch.zeros((2, 6), dtype=unet_io, device=device)],
                ["sample", "timestep", "encoder_hidden_states", "text_embeds", "time_ids"], ["out_sample"],
                {"sample": {0: "batch", 2: "height", 3: "width"}, "encoder_hidden_states": batch,
                 "text_embeds": batch, "time_ids": batch, "out_sample": {0: "batch", 2: "height", 3: "width"}},
                os.path.join(out, "unet", "model.onnx"), args.opset)
    vae_dtype = next(vae.parameters()).dtype
    vae_io = torch.float32 if float32_io(args, model_dtype("vae_decoder", args)) else vae_dtype
    export_onnx(with_io(modules, modules["VaeDecoder"](vae), args, "vae_decoder", vae_dtype),
                [latents[:1].to(vae_io)], ["latent_sample"], ["sample"],
                {"latent_sample": {0: "batch", 2: "height", 3: "width"},
                 "sample": {0: "batch", 2: "height", 3: "width"}},
                os.path.join(out, "vae_decoder", "model.onnx"), args.opset)

    copy_tokenizer(pipe.tokenizer, os.path.join(out, "tokenizer"))
    # the gate comes before the manifest: a directory that failed verification has none, so no worker loads it
    if args.verify:
        parts.verify(out, modules, pipe, vae, id_weights, torch_dtype)
        verify_unet_and_vae(out, modules, pipe, vae, torch_dtype, args)
    manifest = parts.finish_manifest(args, build_manifest(args, pipe, vae, n1, n2, prompt_dim, pooled_dim, channels,
                                                          scale))
    write_manifest(out, manifest)
    print(f"done: {out} (point the worker at it: ./photomaker worker --models {out}, or PM_MODELS_DIR)")


def with_io(modules, module, args, name, weights_dtype):
    """module, wrapped in float32 inputs and outputs when the export gives this model float32 I/O."""
    return modules["Float32Io"](module, weights_dtype) if float32_io(args, model_dtype(name, args)) else module


# The V1 parts of export_all (export_photomaker_v2 has the V2 ones).
export_id_encoder = export_v1_id_encoder


def finish_manifest(args, manifest):
    return manifest


def copy_tokenizer(tokenizer, target):
    """vocab.json + merges.txt of the CLIP tokenizer (both SDXL tokenizers share them).

    The trigger word is deliberately not added to the vocabulary: the worker's tokenizer finds it
    (manifest trigger_word) and removes it before the text encoders ever see an id for it.
    """
    os.makedirs(target, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        tokenizer.save_pretrained(scratch)
        for name in TOKENIZER_FILES:
            shutil.copyfile(os.path.join(scratch, name), os.path.join(target, name))


def build_manifest(args, pipe, vae, n1, n2, prompt_dim, pooled_dim, channels, scale):
    layout = planned_layout(args)
    models = layout["models"]
    vae_record = getattr(args, "vae_record", {"source": args.vae, "force_upcast": None, "dtype": "float32"})
    models["vae_decoder"]["dtype"] = vae_record["dtype"]
    # SDXL uses the penultimate hidden state of both text encoders.
    models["text_encoder"]["hidden_state_output"] = f"hidden_states.{n1 - 1}"
    models["text_encoder_2"]["hidden_state_output"] = f"hidden_states.{n2 - 1}"
    return {
        "format": MANIFEST_FORMAT,
        "photomaker_version": args.photomaker_version,
        "tokens_per_image": 1,
        "trigger_word": TRIGGER_WORD,
        "dims": {
            "text_hidden_1": pipe.text_encoder.config.hidden_size,
            "text_hidden_2": pipe.text_encoder_2.config.hidden_size,
            "prompt_dim": prompt_dim,
            "pooled_dim": pooled_dim,
            "id_embed_dim": prompt_dim,
            "latent_channels": channels,
            "vae_scale_factor_spatial": scale,
            "id_image_size": ID_IMAGE_SIZE,
            "max_tokens": pipe.tokenizer.model_max_length,
            "latent_size_multiple": LATENT_SIZE_MULTIPLE,
        },
        "tokenizer": {
            "vocab": "tokenizer/vocab.json",
            "merges": "tokenizer/merges.txt",
            "pad_id_1": pipe.tokenizer.pad_token_id,
            "pad_id_2": pipe.tokenizer_2.pad_token_id,
        },
        "scheduler": scheduler_config(pipe.scheduler.config),
        "vae_scaling_factor": vae.config.scaling_factor,
        "force_zeros_for_empty_prompt": bool(pipe.config.get("force_zeros_for_empty_prompt", True)),
        "models": models,
        "export": {
            "photomaker": args.photomaker,
            "base": args.base,
            "vae": vae_record,
            "dtype": args.dtype,
            "opset": args.opset,
            "verified": bool(args.verify),
            "python": platform.python_version(),
            "versions": library_versions(),
        },
    }


def scheduler_config(config):
    """The base model's whole scheduler config as plain JSON values (every key, diffusers' bookkeeping too)."""
    def plain(value):
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if hasattr(value, "tolist"):
            return value.tolist()
        return value
    return {key: plain(value) for key, value in sorted(dict(config).items())}


def library_versions(names=("torch", "diffusers", "transformers", "peft", "onnx", "onnxruntime", "safetensors",
                            "huggingface_hub", "numpy")):
    """name -> installed version (None when missing)."""
    import importlib
    versions = {}
    for name in names:
        try:
            versions[name] = getattr(importlib.import_module(name), "__version__", "unknown")
        except ImportError:
            versions[name] = None
    return versions


def verify(out, modules, pipe, vae, id_weights, torch_dtype):
    """
    Part of the gate: the text encoders, the ID encoder and the fuse model in onnxruntime against torch on the
    same inputs, every output the worker reads, and their interfaces; fails (SystemExit 1) on a NaN or
    infinity, a relative error (max |onnx - torch| / max |torch|) above the tolerance of the export's precision,
    or an interface the Java loader would refuse.
    """
    import torch
    device = next(id_weights.parameters()).device
    gen = torch.Generator(device="cpu").manual_seed(0)
    results = []
    compare = comparer(out, device, results)
    n1 = pipe.text_encoder.config.num_hidden_layers
    n2 = pipe.text_encoder_2.config.num_hidden_layers
    hidden = {"text_encoder": f"hidden_states.{n1 - 1}", "text_encoder_2": f"hidden_states.{n2 - 1}"}
    ids = torch.randint(0, 49406, (1, pipe.tokenizer.model_max_length), generator=gen)
    compare("text_encoder", modules["TextEncoder"](pipe.text_encoder), [ids],
            [hidden["text_encoder"], "pooler_output"])
    compare("text_encoder_2", modules["TextEncoderWithProjection"](pipe.text_encoder_2), [ids],
            [hidden["text_encoder_2"], "text_embeds"])
    pixels = torch.randn((2, 3, ID_IMAGE_SIZE, ID_IMAGE_SIZE), generator=gen).to(torch_dtype)
    compare("id_encoder", modules["IdEncoder"](id_weights), [pixels], ["id_embeds"])
    rows = torch.randn((2, 2048), generator=gen).to(torch_dtype)
    compare("fuse", modules["Fuse"](id_weights.fuse_module), [rows, rows * 0.5], ["fused_embeds"])
    gate(out, ("text_encoder", "text_encoder_2", "id_encoder", "fuse"), results, torch_dtype, hidden)


def verify_unet_and_vae(out, modules, pipe, vae, torch_dtype, args):
    """
    The rest of the gate: the UNet (either version) at batch 2 and at batch 1 with a non-square 768x1024 size, and
    the VAE decoder on the latent of a real (synthetic) picture, with their exported input/output dtype.
    """
    import torch
    device = next(pipe.unet.parameters()).device
    gen = torch.Generator(device="cpu").manual_seed(1)
    results = []
    compare = comparer(out, device, results)
    tokens = pipe.tokenizer.model_max_length
    unet_io = torch.float32 if float32_io(args, model_dtype("unet", args)) else torch_dtype
    unet = with_io(modules, modules["Unet"](pipe.unet), args, "unet", torch_dtype)
    for batch, height, width in ((2, 64, 64), (1, 128, 96)):
        compare("unet", unet, [
            torch.randn((batch, 4, height, width), generator=gen).to(unet_io), torch.tensor(500.0),
            torch.randn((batch, tokens, 2048), generator=gen).to(unet_io),
            torch.randn((batch, 1280), generator=gen).to(unet_io),
            torch.tensor([[8.0 * height, 8.0 * width, 0.0, 0.0, 8.0 * height, 8.0 * width]] * batch).to(unet_io)],
            ["out_sample"])
    weights = next(vae.parameters()).dtype
    vae_io = torch.float32 if float32_io(args, model_dtype("vae_decoder", args)) else weights
    with torch.no_grad():
        latent = vae.encode(test_picture(256, 256).to(device, weights)).latent_dist.mean
    compare("vae_decoder", with_io(modules, modules["VaeDecoder"](vae), args, "vae_decoder", weights),
            [latent.to(vae_io)], ["sample"])
    gate(out, ("unet", "vae_decoder"), results, torch_dtype, {})


def gate(out, names, results, torch_dtype, hidden):
    """Fails the export (SystemExit 1, no manifest) on any verification or interface problem."""
    import onnx
    import torch
    problems = []
    for name in names:
        graph = onnx.load(os.path.join(out, name, "model.onnx"), load_external_data=False).graph
        problems += interface_problems(name, value_infos(graph.input), value_infos(graph.output), hidden.get(name))
    precision = "float16" if torch_dtype == torch.float16 else "float32"
    problems += verification_problems(results, VERIFY_TOLERANCE[precision])
    if problems:
        raise SystemExit("verification failed (no manifest written):\n  " + "\n  ".join(problems))
    print(f"verify: {', '.join(names)}: {len(results)} outputs within {VERIFY_TOLERANCE[precision]:g} of torch,"
          " interfaces as the worker expects")


def comparer(out, device, results):
    """compare(name, module, inputs, outputs): records each output's largest difference to torch in results."""
    import numpy as np
    import onnxruntime as ort
    import torch
    providers = ["CUDAExecutionProvider", "CPUExecutionProvider"]

    def compare(name, module, inputs, outputs):
        session = ort.InferenceSession(os.path.join(out, name, "model.onnx"), providers=providers)
        feeds = {i.name: t.cpu().numpy() for i, t in zip(session.get_inputs(), inputs)}
        names = [o.name for o in session.get_outputs()]
        got = session.run(None, feeds)
        with torch.no_grad():
            expected = module(*[t.to(device) for t in inputs])
        expected = expected if isinstance(expected, tuple) else (expected,)
        for output in outputs:
            g = got[names.index(output)].astype(np.float32)
            e = expected[names.index(output)].float().cpu().numpy()
            finite = bool(np.isfinite(g).all())
            result = {"model": name, "output": output, "max_reference": float(np.abs(e).max()),
                      "max_error": float(np.abs(g - e).max()) if finite else float("inf"), "nan": not finite}
            print(f"verify {name}.{output}: max |onnx - torch| = {result['max_error']:.4g}"
                  f" of max |torch| {result['max_reference']:.4g}")
            results.append(result)

    return compare


def value_infos(values):
    """ONNX graph inputs/outputs -> name -> (element type name, dims: int or the symbolic name)."""
    import onnx
    infos = {}
    for v in values:
        t = v.type.tensor_type
        dims = tuple(d.dim_value if d.HasField("dim_value") else (d.dim_param or None) for d in t.shape.dim)
        infos[v.name] = (onnx.helper.tensor_dtype_to_np_dtype(t.elem_type).name.replace("float32", "float"), dims)
    return infos


def test_picture(height, width):
    """A smooth picture in [-1, 1] (gradients and a disc), [1, 3, h, w]: what a VAE latent of a photo looks like."""
    import torch
    y = torch.linspace(-1, 1, height).view(height, 1).expand(height, width)
    x = torch.linspace(-1, 1, width).view(1, width).expand(height, width)
    disc = ((x * x + y * y) < 0.4).float()
    return torch.stack([0.8 * x, 0.6 * y - 0.2 * disc, disc - 0.5]).unsqueeze(0).clamp(-1, 1)


def dry_run(args):
    """Checks what the export needs before hours of work; returns the exit status (0 = ready)."""
    needed = dict(MIN_VERSIONS, **({"onnxruntime": (1, 17)} if args.verify else {}))
    versions = library_versions()
    problems = version_problems(versions, needed)
    print("libraries: " + ", ".join(f"{k} {v}" for k, v in sorted(versions.items())))
    target = os.path.abspath(args.out)
    while not os.path.exists(target):
        target = os.path.dirname(target)
    gpu_free = None
    if versions.get("torch"):
        import torch
        if torch.cuda.is_available():
            gpu_free = torch.cuda.mem_get_info()[0]
    problems += resource_problems(shutil.disk_usage(target).free, gpu_free, args.dtype, args.device)
    if versions.get("torch") and versions.get("transformers") and versions.get("diffusers"):
        state = load_photomaker_state(args.photomaker)
        expected = build_modules()["PhotoMakerV1Weights"]().state_dict().keys()
        problems += checkpoint_problems(state.keys(), state.get("id_encoder", {}).keys(), expected,
                                        state.get("lora_weights", {}).keys())
        if args.base.endswith(".safetensors"):
            print("base is a single file: its configs are checked while it loads")
        else:
            configs = base_configs(args)
            problems += base_config_problems(*configs)
            print(f"VAE {args.vae}: force_upcast={configs[1].get('force_upcast', False)}, exported in "
                  f"{vae_dtype(bool(configs[1].get('force_upcast', False)), args.dtype)}")
    for p in problems:
        print(f"problem: {p}", file=sys.stderr)
    print("dry run: " + ("ready to export" if not problems else f"{len(problems)} problems"))
    return 0 if not problems else 1


def base_configs(args):
    """The base model's unet, vae, scheduler and text encoder configs as dicts, without loading weights."""
    from diffusers import AutoencoderKL, EulerDiscreteScheduler, UNet2DConditionModel
    from transformers import CLIPTextConfig
    unet = dict(UNet2DConditionModel.load_config(args.base, subfolder="unet"))
    vae = dict(AutoencoderKL.load_config(args.base, subfolder="vae") if args.vae == "base"
               else AutoencoderKL.load_config(args.vae))
    scheduler = dict(EulerDiscreteScheduler.load_config(args.base, subfolder="scheduler"))
    te1 = CLIPTextConfig.from_pretrained(args.base, subfolder="text_encoder").to_dict()
    te2 = CLIPTextConfig.from_pretrained(args.base, subfolder="text_encoder_2").to_dict()
    return unet, vae, scheduler, te1, te2


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.photomaker_version == "v2":
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import export_photomaker_v2
        return export_photomaker_v2.main(args, sys.modules[__name__])
    if args.print_layout:
        json.dump(planned_layout(args), sys.stdout, indent=2)
        print()
        return 0
    if args.dry_run:
        return dry_run(args)
    if os.path.exists(args.out) and os.listdir(args.out):
        print(f"{args.out} is not empty: refusing to mix two exports", file=sys.stderr)
        return 1
    export_all(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
