"""PyTorch modules for our graph IR's blocks, for the bench's reference engine (torchReference.py).

Each builder gets a node of the flattened IR (tests/bench/benchProtocol.ts, ReferenceNode): its
params with defaults filled in, its input shapes and its output shape, all per sample and
channels first. PyTorch's NCHW images and [B,N,D] tokens are the IR's layout behind a batch axis,
so no permutes are needed. The semantics follow main/core/blocks/*.ts; parameter counts follow
the PyTorch convention our shape inference uses, and torchReference.py checks both.
"""
import math

import torch
from torch import nn
import torch.nn.functional as F


class Unsupported(Exception):
    """A block type (or a param combination) this reference has no PyTorch equivalent for."""


# ---------------------------------------------------------------------------------------------
# Padding arithmetic, as main/core/blocks/convWindow.ts: 'same' keeps ceil(size/stride) and puts
# the odd row/column after (TensorFlow and PyTorch agree on that).
# ---------------------------------------------------------------------------------------------

def same_padding(size, kernel, stride, dilation=1):
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + dilation * (kernel - 1) + 1 - size, 0)
    return total // 2, total - total // 2


def explicit_padding(in_shape, kernel, stride, padding, dilation=1):
    """[(top, bottom), (left, right)] zero rows/columns for an IR padding over [C,H,W]."""
    if padding == "valid":
        return [(0, 0), (0, 0)]
    if padding == "same":
        return [same_padding(in_shape[1], kernel, stride, dilation), same_padding(in_shape[2], kernel, stride, dilation)]
    return [(padding, padding), (padding, padding)]


def window_conv(in_shape, out_channels, kernel, stride, padding, dilation, groups, bias):
    pads = explicit_padding(in_shape, kernel, stride, padding, dilation)
    symmetric = pads[0][0] == pads[0][1] and pads[1][0] == pads[1][1]
    conv = nn.Conv2d(in_shape[0], out_channels, kernel, stride, (pads[0][0], pads[1][0]) if symmetric else 0, dilation, groups, bias)
    return conv if symmetric else nn.Sequential(nn.ZeroPad2d((pads[1][0], pads[1][1], pads[0][0], pads[0][1])), conv)


class Lambda(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, *xs):
        return self.fn(*xs)


class Sum(nn.Module):
    def forward(self, *xs):
        out = xs[0]
        for x in xs[1:]:
            out = out + x
        return out


class ChannelLayerNorm(nn.Module):
    """LayerNorm over C at every position of NCHW (ConvNeXt's LayerNorm2d)."""

    def __init__(self, channels, eps):
        super().__init__()
        self.norm = nn.LayerNorm(channels, eps=eps)

    def forward(self, x):
        return self.norm(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class ClassToken(nn.Module):
    """torchvision's class_token: one learned D-vector prepended to the sequence."""

    def __init__(self, dim):
        super().__init__()
        self.token = nn.Parameter(torch.zeros(1, 1, dim))

    def forward(self, x):
        return torch.cat([self.token.expand(x.shape[0], -1, -1), x], dim=1)


class PositionEmbedding(nn.Module):
    def __init__(self, tokens, dim):
        super().__init__()
        self.embedding = nn.Parameter(torch.empty(1, tokens, dim).normal_(std=0.02))

    def forward(self, x):
        return x + self.embedding


class PatchEmbed(nn.Module):
    """Conv with kernel = stride = patch, then [B,D,h,w] → [B,h·w,D] (row-major patches)."""

    def __init__(self, channels, patch, dim):
        super().__init__()
        self.proj = nn.Conv2d(channels, dim, patch, patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class SelfAttention(nn.Module):
    """torch.nn.MultiheadAttention where it matches our block (qkvBias), else the same maths by hand."""

    def __init__(self, dim, heads, qkv_bias, dropout):
        super().__init__()
        self.heads = heads
        self.fused = qkv_bias
        if qkv_bias:
            self.attention = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        else:
            # PyTorch's bias=False also drops the output projection's bias, which our block keeps.
            self.qkv = nn.Linear(dim, 3 * dim, bias=False)
            self.proj = nn.Linear(dim, dim)
            self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        if self.fused:
            return self.attention(x, x, x, need_weights=False)[0]
        b, n, d = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        weights = self.dropout(torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(d // self.heads), dim=-1))
        return self.proj((weights @ v).transpose(1, 2).reshape(b, n, d))


class DropPath(nn.Module):
    def __init__(self, rate):
        super().__init__()
        self.rate = rate

    def forward(self, x):
        if not self.training or self.rate == 0:
            return x
        keep = 1 - self.rate
        mask = x.new_empty((x.shape[0],) + (1,) * (x.dim() - 1)).bernoulli_(keep)
        return x * mask / keep


class LayerScale(nn.Module):
    def __init__(self, channels, init, image):
        super().__init__()
        self.gamma = nn.Parameter(torch.full((channels,), float(init)))
        self.image = image

    def forward(self, x):
        return x * (self.gamma.view(1, -1, 1, 1) if self.image else self.gamma)


class SqueezeExcite(nn.Module):
    """torchvision's SqueezeExcitation: pool, 1×1 conv C→S, activation, 1×1 conv S→C, gate, rescale."""

    def __init__(self, channels, squeeze, activation, gate):
        super().__init__()
        self.fc1 = nn.Conv2d(channels, squeeze, 1)
        self.fc2 = nn.Conv2d(squeeze, channels, 1)
        self.activation = nn.ReLU() if activation == "relu" else nn.SiLU()
        self.gate = nn.Sigmoid() if gate == "sigmoid" else nn.Hardsigmoid()

    def forward(self, x):
        scale = self.gate(self.fc2(self.activation(self.fc1(F.adaptive_avg_pool2d(x, 1)))))
        return x * scale


def multiply(shapes, out_shape):
    # A [C] gate of a [C,H,W] tensor broadcasts as [C,1,1], as the TF.js build does.
    gates = [len(s) == 1 and len(out_shape) == 3 for s in shapes]

    def forward(*xs):
        out = None
        for x, gate in zip(xs, gates):
            x = x.view(x.shape[0], -1, 1, 1) if gate else x
            out = x if out is None else out * x
        return out

    return Lambda(forward)


def mlp(dim, p):
    hidden = p.get("hiddenDim") or max(1, math.floor(p["ratio"] * dim + 0.5))  # JS Math.round
    return nn.Sequential(
        nn.Linear(dim, hidden),
        nn.GELU() if p["activation"] == "gelu" else nn.ReLU(),
        nn.Dropout(p["dropout"]),
        nn.Linear(hidden, dim),
        nn.Dropout(p["dropout"]),
    )


def max_pool(x, p):
    (top, bottom), (left, right) = explicit_padding(x, p["kernel"], p["stride"], p["padding"])
    if top == bottom and left == right:
        return nn.MaxPool2d(p["kernel"], p["stride"], (top, left))  # pads with -inf: padding never wins
    return nn.Sequential(nn.ConstantPad2d((left, right, top, bottom), -math.inf), nn.MaxPool2d(p["kernel"], p["stride"]))


def avg_pool(x, p):
    # Numeric padding counts the zeros (PyTorch's default); 'same' leaves them out (TF).
    pads = explicit_padding(x, p["kernel"], p["stride"], p["padding"])
    include = isinstance(p["padding"], int)
    (top, bottom), (left, right) = pads
    if top == bottom and left == right:
        return nn.AvgPool2d(p["kernel"], p["stride"], (top, left), count_include_pad=include)
    return nn.Sequential(nn.ZeroPad2d((left, right, top, bottom)), nn.AvgPool2d(p["kernel"], p["stride"]))


def conv_transpose(x, p):
    # Our block follows PyTorch's output size (W−1)·S − 2P + K + outputPadding exactly.
    return nn.ConvTranspose2d(x[0], p["outChannels"], p["kernel"], p["stride"], p["padding"], p["outputPadding"], bias=p["bias"])


def upsample(out_shape, p):
    if p["mode"] == "nearest":
        return nn.Upsample(size=tuple(out_shape[1:]), mode="nearest")
    return nn.Upsample(size=tuple(out_shape[1:]), mode="bilinear", align_corners=False)


def layer_norm(x, p):
    if p["normalizedShape"] == "all":
        return nn.LayerNorm(list(x), eps=p["eps"])
    if len(x) == 3:
        return ChannelLayerNorm(x[0], p["eps"])
    return nn.LayerNorm(x[-1], eps=p["eps"])


def concat(x, p):
    axis = p["axis"] + len(x) if p["axis"] < 0 else p["axis"]
    return Lambda(lambda *xs: torch.cat(xs, dim=axis + 1))


ACTIVATIONS = {
    "ReLU": lambda p: nn.ReLU(),
    "ReLU6": lambda p: nn.ReLU6(),
    "LeakyReLU": lambda p: nn.LeakyReLU(p["negativeSlope"]),
    "Sigmoid": lambda p: nn.Sigmoid(),
    "Tanh": lambda p: nn.Tanh(),
    "SiLU": lambda p: nn.SiLU(),
    "GELU": lambda p: nn.GELU(),
    "HardSigmoid": lambda p: nn.Hardsigmoid(),
    "HardSwish": lambda p: nn.Hardswish(),
}


def build_block(node):
    """The nn.Module for one IR node; raises Unsupported for what has no equivalent here."""
    kind, p, shapes, out = node["type"], node["params"], node["inShapes"], node["outShape"]
    x = shapes[0] if shapes else None
    if kind in ACTIVATIONS:
        return ACTIVATIONS[kind](p)
    if kind == "Conv2d":
        return window_conv(x, p["outChannels"], p["kernel"], p["stride"], p["padding"], p["dilation"], p["groups"], p["bias"])
    if kind == "DepthwiseConv2d":
        return window_conv(x, x[0] * p["depthMultiplier"], p["kernel"], p["stride"], p["padding"], p["dilation"], x[0], p["bias"])
    if kind == "SeparableConv2d":
        mid = x[0] * p["depthMultiplier"]
        depthwise = window_conv(x, mid, p["kernel"], p["stride"], p["padding"], p["dilation"], x[0], False)
        return nn.Sequential(depthwise, nn.Conv2d(mid, p["outChannels"], 1, bias=p["bias"]))
    if kind == "ConvTranspose2d":
        return conv_transpose(x, p)
    if kind == "BatchNorm":
        return nn.BatchNorm2d(x[0], eps=p["eps"], momentum=1 - p["momentum"])  # ours keeps 0.9 of the old statistics
    if kind == "LayerNorm":
        return layer_norm(x, p)
    if kind == "GroupNorm":
        return nn.GroupNorm(p["groups"], x[0], eps=p["eps"])
    if kind == "Softmax":
        return nn.Softmax(dim=1 if len(x) == 3 else -1)
    if kind == "MaxPool":
        return max_pool(x, p)
    if kind == "AvgPool":
        return avg_pool(x, p)
    if kind == "GlobalAvgPool":
        return Lambda(lambda t: t.mean(dim=(2, 3)))
    if kind == "Upsample":
        return upsample(out, p)
    if kind == "Add":
        return Sum()
    if kind == "Concat":
        return concat(x, p)
    if kind == "Multiply":
        return multiply(shapes, out)
    if kind == "Linear":
        return nn.Linear(x[-1], p["outFeatures"], bias=p["bias"])
    if kind == "ClassificationHead":
        return nn.Linear(x[0], p["classes"])
    if kind == "Flatten":
        return nn.Flatten(1)
    if kind == "Reshape":
        return Lambda(lambda t: t.reshape(t.shape[0], *out))
    if kind == "Permute":
        dims = [0] + [d + 1 for d in p["dims"]]
        return Lambda(lambda t: t.permute(*dims))
    if kind == "Dropout":
        return nn.Dropout(p["rate"])
    if kind == "DropPath":
        return DropPath(p["rate"])
    if kind == "LayerScale":
        return LayerScale(x[0] if len(x) == 3 else x[-1], p["init"], len(x) == 3)
    if kind == "SqueezeExcite":
        return SqueezeExcite(x[0], p["squeezeChannels"], p["activation"], p["gate"])
    if kind == "PatchEmbed":
        return PatchEmbed(x[0], p["patchSize"], p["dim"])
    if kind == "ClassToken":
        return ClassToken(x[1])
    if kind == "PositionEmbedding":
        return PositionEmbedding(x[0], x[1])
    if kind == "SelectToken":
        index = p["index"]
        return Lambda(lambda t: t[:, index])
    if kind == "MultiHeadSelfAttention":
        return SelfAttention(x[1], p["heads"], p["qkvBias"], p["dropout"])
    if kind == "MLP":
        return mlp(x[1], p)
    raise Unsupported(f'block type {kind} ("{node["id"]}") has no PyTorch equivalent in torchReference.py yet')
