#!/usr/bin/env python3
"""Export PhotoMaker (SDXL + stacked ID embedding) to the ONNX model directory the worker loads.

Inputs (downloaded from the Hugging Face Hub unless given as local paths):
  * a PhotoMaker checkpoint: photomaker-v1.bin (TencentARC/PhotoMaker), a dict with
    "id_encoder" (CLIP ViT-L/14 vision tower + visual_projection + visual_projection_2 + fuse_module)
    and "lora_weights" (UNet attention LoRA);
  * an SDXL base in diffusers format (default SG161222/RealVisXL_V4.0) or a single .safetensors file;
  * optionally the fp16-fixed SDXL VAE (madebyollin/sdxl-vae-fp16-fix).

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
import shutil
import sys
import tempfile

MANIFEST_FORMAT = "photomaker-onnx/1"
TRIGGER_WORD = "img"
ID_IMAGE_SIZE = 224
ONNX_OPSET = 17
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
    p.add_argument("--vae", default="madebyollin/sdxl-vae-fp16-fix",
                   help="VAE for the decoder: a Hub repo/dir of an fp16-safe VAE, or 'base' to use the "
                        "base model's VAE (then exported in float32: the SDXL VAE overflows in fp16)")
    p.add_argument("--dtype", choices=("float16", "float32"), default="float16",
                   help="weights of text encoders, ID encoder, fuse and UNet")
    p.add_argument("--io-dtype", choices=("float32", "native"), default="float32",
                   help="inputs and outputs of a float16 UNet and VAE decoder: float32 puts the casts inside "
                        "the model (they run on the GPU and the worker converts nothing per step); native "
                        "keeps the weights' dtype")
    p.add_argument("--device", default="cuda", help="torch device used for tracing (cuda recommended)")
    p.add_argument("--opset", type=int, default=ONNX_OPSET)
    p.add_argument("--verify", action="store_true",
                   help="run every exported model in onnxruntime and compare with torch")
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
        return "float32" if args.vae == "base" or args.dtype == "float32" else "float16"
    return args.dtype


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
    for root, _, names in os.walk(out_dir):
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


def load_id_encoder(modules, id_state, dtype, device):
    weights = modules["PhotoMakerV1Weights"]()
    missing, unexpected = weights.load_state_dict(id_state, strict=False)
    # Checkpoints saved by older transformers carry the position_ids buffer, which is no longer a
    # persistent buffer; nothing else may be missing or left over.
    unexpected = [k for k in unexpected if not k.endswith("position_ids")]
    if missing or unexpected:
        raise SystemExit(f"id_encoder weights do not match: missing {missing}, unexpected {unexpected}")
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
    pipe.load_lora_weights(lora_state, adapter_name="photomaker")
    pipe.fuse_lora(components=["unet"], lora_scale=1.0, adapter_names=["photomaker"])
    # After fusing, the LoRA layers can go: the UNet weights now include them.
    pipe.unload_lora_weights()
    vae = (pipe.vae.to(torch.float32) if args.vae == "base"
           else AutoencoderKL.from_pretrained(args.vae, torch_dtype=torch_dtype))
    return pipe.to(args.device), vae.to(args.device).eval()


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
    with tempfile.TemporaryDirectory() as scratch:
        raw = os.path.join(scratch, "model.onnx")
        with torch.no_grad():
            torch.onnx.export(module, tuple(inputs), raw, input_names=input_names,
                              output_names=output_names, dynamic_axes=dynamic_axes,
                              opset_version=opset, do_constant_folding=True, **extra)
        model = onnx.load(raw, load_external_data=True)
        if model.ByteSize() > EXTERNAL_DATA_THRESHOLD or any(f != "model.onnx" for f in os.listdir(scratch)):
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
    manifest = parts.finish_manifest(args, build_manifest(args, pipe, vae, n1, n2, prompt_dim, pooled_dim, channels,
                                                          scale))
    write_manifest(out, manifest)
    if args.verify:
        parts.verify(out, modules, pipe, vae, id_weights, torch_dtype)
        verify_unet_and_vae(out, modules, pipe, vae, torch_dtype, args)
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
    scheduler = pipe.scheduler.config
    layout = planned_layout(args)
    models = layout["models"]
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
        },
        "tokenizer": {
            "vocab": "tokenizer/vocab.json",
            "merges": "tokenizer/merges.txt",
            "pad_id_1": pipe.tokenizer.pad_token_id,
            "pad_id_2": pipe.tokenizer_2.pad_token_id,
        },
        "scheduler": {
            "num_train_timesteps": scheduler.get("num_train_timesteps", 1000),
            "beta_start": scheduler.get("beta_start", 0.00085),
            "beta_end": scheduler.get("beta_end", 0.012),
            "beta_schedule": scheduler.get("beta_schedule", "scaled_linear"),
            "timestep_spacing": scheduler.get("timestep_spacing", "leading"),
            "steps_offset": scheduler.get("steps_offset", 1),
            "prediction_type": scheduler.get("prediction_type", "epsilon"),
        },
        "vae_scaling_factor": vae.config.scaling_factor,
        "force_zeros_for_empty_prompt": bool(pipe.config.get("force_zeros_for_empty_prompt", True)),
        "models": models,
    }


def verify(out, modules, pipe, vae, id_weights, torch_dtype):
    """Runs the text encoders, ID encoder and fuse model in onnxruntime on random inputs against torch."""
    import torch
    device = next(id_weights.parameters()).device
    gen = torch.Generator(device="cpu").manual_seed(0)
    compare = comparer(out, device)
    ids = torch.randint(0, 49406, (1, pipe.tokenizer.model_max_length), generator=gen)
    # Compare the penultimate hidden state: the output the pipeline actually uses.
    n1 = pipe.text_encoder.config.num_hidden_layers
    n2 = pipe.text_encoder_2.config.num_hidden_layers
    compare("text_encoder", modules["TextEncoder"](pipe.text_encoder), [ids], pick=2 + n1 - 1)
    compare("text_encoder_2", modules["TextEncoderWithProjection"](pipe.text_encoder_2), [ids], pick=2 + n2 - 1)
    pixels = torch.randn((1, 3, ID_IMAGE_SIZE, ID_IMAGE_SIZE), generator=gen).to(torch_dtype)
    compare("id_encoder", modules["IdEncoder"](id_weights), [pixels])
    rows = torch.randn((1, 2048), generator=gen).to(torch_dtype)
    compare("fuse", modules["Fuse"](id_weights.fuse_module), [rows, rows * 0.5])


def verify_unet_and_vae(out, modules, pipe, vae, torch_dtype, args):
    """The UNet and VAE decoder (either version) in onnxruntime against torch, with their exported I/O dtype."""
    import torch
    device = next(pipe.unet.parameters()).device
    gen = torch.Generator(device="cpu").manual_seed(1)
    compare = comparer(out, device)
    unet_io = torch.float32 if float32_io(args, model_dtype("unet", args)) else torch_dtype
    compare("unet", with_io(modules, modules["Unet"](pipe.unet), args, "unet", torch_dtype), [
        torch.randn((2, 4, 32, 32), generator=gen).to(unet_io), torch.tensor(500.0),
        torch.randn((2, pipe.tokenizer.model_max_length, 2048), generator=gen).to(unet_io),
        torch.randn((2, 1280), generator=gen).to(unet_io),
        torch.tensor([[256.0, 256.0, 0.0, 0.0, 256.0, 256.0]] * 2).to(unet_io)])
    vae_dtype = next(vae.parameters()).dtype
    vae_io = torch.float32 if float32_io(args, model_dtype("vae_decoder", args)) else vae_dtype
    compare("vae_decoder", with_io(modules, modules["VaeDecoder"](vae), args, "vae_decoder", vae_dtype),
            [torch.randn((1, 4, 32, 32), generator=gen).to(vae_io)])


def comparer(out, device):
    """compare(name, module, inputs, pick): the largest difference between an exported model and torch."""
    import numpy as np
    import onnxruntime as ort
    import torch
    providers = ["CUDAExecutionProvider", "CPUExecutionProvider"]

    def compare(name, module, inputs, pick=0):
        session = ort.InferenceSession(os.path.join(out, name, "model.onnx"), providers=providers)
        feeds = {i.name: t.cpu().numpy() for i, t in zip(session.get_inputs(), inputs)}
        got = session.run(None, feeds)[pick].astype(np.float32)
        with torch.no_grad():
            expected = module(*[t.to(device) for t in inputs])
        expected = (expected[pick] if isinstance(expected, tuple) else expected).float().cpu().numpy()
        print(f"verify {name}: max |onnx - torch| = {float(np.abs(got - expected).max()):.4g}")

    return compare


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
    if os.path.exists(args.out) and os.listdir(args.out):
        print(f"{args.out} is not empty: refusing to mix two exports", file=sys.stderr)
        return 1
    export_all(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
