#!/usr/bin/env python3
"""PhotoMaker V2 export, used by export_photomaker.py for --photomaker-version v2.

V2 (photomaker-v2.bin) differs from V1 in the ID encoder and needs InsightFace's face models:
  id_encoder/model.onnx   id_pixel_values [N,3,224,224] + face_embeds [N,512] -> id_embeds [N,2,2048]
                          CLIP ViT-L/14 last_hidden_state [N,257,1024] (before post-layernorm) and the raw
                          ArcFace embedding meet in the QFormer perceiver: token_proj 512->2048->4096 (GELU),
                          reshaped to [N,2,2048], LayerNorm; a 4-layer perceiver resampler (dim 2048,
                          16 heads x 128, ff x4, proj_in 1024->2048) over the patch tokens; residual.
  fuse/model.onnx         unchanged from V1 (rows of 2048)
  face_detector/det_10g.onnx, face_recognizer/w600k_r50.onnx
                          copied unchanged from InsightFace's buffalo_l pack (SCRFD-10GF with keypoints,
                          ResNet50 ArcFace trained on WebFace600K) -- not antelopev2/glintr100, whose
                          embeddings live in another space.
The manifest says photomaker_version "v2", tokens_per_image 2, and records every file's sha256.
Everything else (text encoders, UNet with the V2 LoRA fused, VAE, tokenizer) is exported as for V1.
"""

import os
import shutil
import zipfile

FACE_MODELS = {
    "face_detector": ("face_detector", "det_10g.onnx"),
    "face_recognizer": ("face_recognizer", "w600k_r50.onnx"),
}
FACE_EMBED_DIM = 512
TOKENS_PER_IMAGE = 2
DEFAULT_CHECKPOINT = "TencentARC/PhotoMaker-V2:photomaker-v2.bin"
DEFAULT_INSIGHTFACE = os.path.join(os.path.expanduser("~"), ".insightface", "models", "buffalo_l")


def planned_layout(args, v1):
    """V1's layout plus the two face models, with V2's version and token count."""
    layout = v1.planned_layout(args)
    layout["tokens_per_image"] = TOKENS_PER_IMAGE
    for name, (directory, filename) in FACE_MODELS.items():
        path = f"{directory}/{filename}"
        layout["models"][name] = {"path": path, "dtype": "float32"}
        layout["files"].append(path)
    return layout


def build_v2_modules(v1_modules):
    """The V2 ID encoder with the checkpoint's parameter names (id_encoder.qformer_perceiver.*)."""
    import math
    import torch
    from torch import nn

    def feed_forward(dim, mult):
        return nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, dim * mult, bias=False), nn.GELU(),
                             nn.Linear(dim * mult, dim, bias=False))

    class PerceiverAttention(nn.Module):
        """The latents attend over the inputs and themselves (keys and values from both)."""

        def __init__(self, dim, dim_head, heads):
            super().__init__()
            self.heads = heads
            self.dim_head = dim_head
            self.norm1 = nn.LayerNorm(dim)
            self.norm2 = nn.LayerNorm(dim)
            self.to_q = nn.Linear(dim, dim_head * heads, bias=False)
            self.to_kv = nn.Linear(dim, dim_head * heads * 2, bias=False)
            self.to_out = nn.Linear(dim_head * heads, dim, bias=False)

        def split_heads(self, t):
            batch, length, _ = t.shape
            return t.view(batch, length, self.heads, self.dim_head).transpose(1, 2)

        def forward(self, inputs, latents):
            inputs = self.norm1(inputs)
            latents = self.norm2(latents)
            batch, length, _ = latents.shape
            q = self.split_heads(self.to_q(latents))
            k, v = self.to_kv(torch.cat((inputs, latents), dim=-2)).chunk(2, dim=-1)
            k, v = self.split_heads(k), self.split_heads(v)
            # both sides scaled by dim_head^-1/4: the reference's fp16-friendly form of dim_head^-1/2
            scale = 1.0 / math.sqrt(math.sqrt(self.dim_head))
            weights = torch.softmax(((q * scale) @ (k * scale).transpose(-2, -1)).float(), dim=-1).type(q.dtype)
            out = (weights @ v).transpose(1, 2).reshape(batch, length, -1)
            return self.to_out(out)

    class FacePerceiverResampler(nn.Module):
        def __init__(self, dim, depth, dim_head, heads, embedding_dim, output_dim, ff_mult):
            super().__init__()
            self.proj_in = nn.Linear(embedding_dim, dim)
            self.proj_out = nn.Linear(dim, output_dim)
            self.norm_out = nn.LayerNorm(output_dim)
            self.layers = nn.ModuleList(
                [nn.ModuleList([PerceiverAttention(dim, dim_head, heads), feed_forward(dim, ff_mult)])
                 for _ in range(depth)])

        def forward(self, latents, inputs):
            inputs = self.proj_in(inputs)
            for attention, ff in self.layers:
                latents = attention(inputs, latents) + latents
                latents = ff(latents) + latents
            return self.norm_out(self.proj_out(latents))

    class QFormerPerceiver(nn.Module):
        def __init__(self, id_dim=FACE_EMBED_DIM, dim=2048, tokens=TOKENS_PER_IMAGE, clip_dim=1024, ratio=4):
            super().__init__()
            self.tokens = tokens
            self.dim = dim
            self.token_proj = nn.Sequential(nn.Linear(id_dim, id_dim * ratio), nn.GELU(),
                                            nn.Linear(id_dim * ratio, dim * tokens))
            self.token_norm = nn.LayerNorm(dim)
            self.perceiver_resampler = FacePerceiverResampler(dim=dim, depth=4, dim_head=128, heads=dim // 128,
                                                              embedding_dim=clip_dim, output_dim=dim, ff_mult=4)

        def forward(self, face_embeds, last_hidden_state):
            tokens = self.token_norm(self.token_proj(face_embeds).reshape(-1, self.tokens, self.dim))
            return tokens + self.perceiver_resampler(tokens, last_hidden_state)

    class PhotoMakerV2Weights(v1_modules["PhotoMakerV1Weights"]):
        """V1's parameters plus the QFormer perceiver, under the checkpoint's names."""

        def __init__(self):
            super().__init__()
            self.qformer_perceiver = QFormerPerceiver()

    class IdEncoderV2(nn.Module):
        """id_pixel_values [N,3,224,224] + face_embeds [N,512] -> id_embeds [N,2,2048]."""

        def __init__(self, weights):
            super().__init__()
            self.vision_model = weights.vision_model
            self.qformer_perceiver = weights.qformer_perceiver

        def forward(self, id_pixel_values, face_embeds):
            last_hidden_state = self.vision_model(pixel_values=id_pixel_values).last_hidden_state
            return self.qformer_perceiver(face_embeds, last_hidden_state)

    return {"PhotoMakerV2Weights": PhotoMakerV2Weights, "IdEncoderV2": IdEncoderV2}


def find_face_models(spec):
    """The directory holding det_10g.onnx and w600k_r50.onnx: given, unzipped from buffalo_l.zip, or
    InsightFace's own download (FaceAnalysis fetches buffalo_l into ~/.insightface on first use)."""
    path = spec or DEFAULT_INSIGHTFACE
    if path.endswith(".zip"):
        target = os.path.join(os.path.dirname(os.path.abspath(path)), "buffalo_l")
        with zipfile.ZipFile(path) as z:
            z.extractall(target)
        path = target
    if not all(os.path.isfile(os.path.join(path, f)) for _, f in FACE_MODELS.values()) and spec is None:
        from insightface.app import FaceAnalysis
        FaceAnalysis(name="buffalo_l", allowed_modules=["detection", "recognition"])
    missing = [f for _, f in FACE_MODELS.values() if not os.path.isfile(os.path.join(path, f))]
    if missing:
        raise SystemExit(f"{path}: InsightFace buffalo_l files missing: {missing} (pass --insightface DIR|buffalo_l.zip)")
    return path


class V2Parts:
    """What export_photomaker.export_all asks of the version: the V2 ID encoder and the face models."""

    def __init__(self, v1):
        self.v1 = v1
        self.face_dir = None

    def build_modules(self):
        modules = self.v1.build_modules()
        modules.update(build_v2_modules(modules))
        return modules

    def load_id_encoder(self, modules, id_state, dtype, device):
        return self.v1.load_id_encoder(modules, id_state, dtype, device, "PhotoMakerV2Weights",
                                       "photomaker-v2 id_encoder")

    def export_id_encoder(self, modules, weights, out, torch_dtype, device, opset):
        import torch
        pixels = torch.zeros((2, 3, self.v1.ID_IMAGE_SIZE, self.v1.ID_IMAGE_SIZE), dtype=torch_dtype, device=device)
        faces = torch.zeros((2, FACE_EMBED_DIM), dtype=torch_dtype, device=device)
        self.v1.export_onnx(modules["IdEncoderV2"](weights).eval(), [pixels, faces],
                            ["id_pixel_values", "face_embeds"], ["id_embeds"],
                            {"id_pixel_values": {0: "images"}, "face_embeds": {0: "images"},
                             "id_embeds": {0: "images"}},
                            os.path.join(out, "id_encoder", "model.onnx"), opset)
        for directory, filename in FACE_MODELS.values():
            os.makedirs(os.path.join(out, directory), exist_ok=True)
            shutil.copyfile(os.path.join(self.face_dir, filename), os.path.join(out, directory, filename))
            print(f"copied {filename} from {self.face_dir}")

    def finish_manifest(self, args, manifest):
        manifest["tokens_per_image"] = TOKENS_PER_IMAGE
        for name, (directory, filename) in FACE_MODELS.items():
            manifest["models"][name] = {"path": f"{directory}/{filename}", "dtype": "float32"}
        return manifest

    def verify(self, out, modules, pipe, vae, weights, torch_dtype):
        verify_v2(out, modules, weights, torch_dtype)


def main(args, v1):
    """export_photomaker.py --photomaker-version v2: the layout, or the whole export."""
    if args.photomaker == v1.parse_args(["--out", "x"]).photomaker:
        args.photomaker = DEFAULT_CHECKPOINT
    if args.print_layout:
        import json
        import sys
        json.dump(planned_layout(args, v1), sys.stdout, indent=2)
        print()
        return 0
    if os.path.exists(args.out) and os.listdir(args.out):
        print(f"{args.out} is not empty: refusing to mix two exports")
        return 1
    parts = V2Parts(v1)
    parts.face_dir = find_face_models(args.insightface)
    v1.export_all(args, parts)
    return 0


def verify_v2(out, modules, weights, torch_dtype):
    """The V2 ID encoder and the fuse model in ONNX Runtime against torch on random inputs."""
    import numpy as np
    import onnxruntime as ort
    import torch
    gen = torch.Generator(device="cpu").manual_seed(0)
    device = next(weights.parameters()).device
    providers = ["CUDAExecutionProvider", "CPUExecutionProvider"]

    def compare(name, module, feeds):
        session = ort.InferenceSession(os.path.join(out, name, "model.onnx"), providers=providers)
        got = session.run(None, {k: v.cpu().numpy() for k, v in feeds.items()})[0].astype(np.float32)
        with torch.no_grad():
            expected = module(*[v.to(device) for v in feeds.values()]).float().cpu().numpy()
        print(f"verify {name} (v2): max |onnx - torch| = {float(np.abs(got - expected).max()):.4g}")

    compare("id_encoder", modules["IdEncoderV2"](weights), {
        "id_pixel_values": torch.randn((1, 3, 224, 224), generator=gen).to(torch_dtype),
        "face_embeds": (torch.randn((1, FACE_EMBED_DIM), generator=gen) * 20).to(torch_dtype)})
    rows = torch.randn((2, 2048), generator=gen).to(torch_dtype)
    compare("fuse", modules["Fuse"](weights.fuse_module), {"prompt_embeds": rows, "id_embeds": rows * 0.5})
