#!/usr/bin/env python3
"""PyTorch reference engine for `npm run bench` (tests/bench/run.ts starts it).

Builds the same architecture as the TF.js engine from our flattened graph IR (the file the TS
side writes: composites and groups expanded, overrides applied, every param with its default,
nodes in topological order with their inferred shapes) and times training, inference and
batch-1 latency with the same protocol, so that "our img/s ÷ PyTorch's img/s" compares two
implementations of one network on one CPU, not two networks.

It speaks the bench's line protocol (tests/bench/benchProtocol.ts): the first line on stdout
says whether torch could be imported; then one JSON request per stdin line, one JSON reply per
stdout line. Anything else (warnings, stray prints) goes to stderr, which the TS side shows as
progress. Usage: /usr/bin/python3 tests/bench/torchReference.py --threads 2
"""
import json
import sys
import time

PROTOCOL = sys.stdout
sys.stdout = sys.stderr  # keep library chatter off the protocol channel


def send(message):
    PROTOCOL.write(json.dumps(message) + "\n")
    PROTOCOL.flush()


def arg(name, default):
    flag = f"--{name}"
    return sys.argv[sys.argv.index(flag) + 1] if flag in sys.argv else default


try:
    import torch
    from torch import nn
    import torch.nn.functional as F
except Exception as err:  # ImportError, or a broken install raising anything
    send({"ready": False, "reason": f"import torch failed: {type(err).__name__}: {err}"})
    sys.exit(0)

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from torchBlocks import Unsupported, build_block  # noqa: E402 (only once torch imports)


class GraphModule(nn.Module):
    """Runs the flattened IR in its topological order, freeing each value after its last use."""

    def __init__(self, spec):
        super().__init__()
        self.order = [n for n in spec["nodes"] if n["type"] != "Input"]
        self.input_id = next(n["id"] for n in spec["nodes"] if n["type"] == "Input")
        self.output_id = spec["output"]
        self.key = {n["id"]: n["id"].replace(".", "__") for n in self.order}  # ModuleDict keys cannot hold '.'
        self.blocks = nn.ModuleDict({self.key[n["id"]]: build_block(n) for n in self.order})
        last_use = {}
        for i, n in enumerate(self.order):
            for source in n["inputs"]:
                last_use[source] = i
        self.free_after = [[s for s in set(n["inputs"]) if last_use[s] == i and s != self.output_id] for i, n in enumerate(self.order)]

    def forward(self, x, trace=None):
        values = {self.input_id: x}
        for i, n in enumerate(self.order):
            values[n["id"]] = self.blocks[self.key[n["id"]]](*[values[s] for s in n["inputs"]])
            if trace is not None:
                trace.append((n, values[n["id"]]))
            for s in self.free_after[i]:
                del values[s]
        return values[self.output_id]


def check_shapes(model, spec):
    """Every node's output shape must be the IR's: the two engines then run one architecture."""
    c, h, w = spec["input"]
    trace = []
    model.eval()
    with torch.no_grad():
        model(torch.rand(2, c, h, w), trace)
    for node, value in trace:
        if list(value.shape[1:]) != list(node["outShape"]):
            raise Unsupported(f'"{node["id"]}" ({node["type"]}) gives {list(value.shape[1:])} in PyTorch but {node["outShape"]} in our shape inference')
    return len(trace)


class Session:
    """One loaded network with its optimizer and fixed random batches."""

    def __init__(self, spec, batch):
        torch.manual_seed(0)
        self.model = GraphModule(spec)
        self.checked = check_shapes(self.model, spec)
        c, h, w = spec["input"]
        self.x = torch.rand(batch, c, h, w)
        self.x1 = torch.rand(1, c, h, w)
        self.y = torch.arange(batch) % spec["classes"]
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-3)

    def params(self):
        return sum(p.numel() for p in self.model.parameters())

    def train_step(self):
        self.model.train()
        self.optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(self.model(self.x), self.y)
        loss.backward()
        self.optimizer.step()
        loss.item()

    def infer(self, x):
        self.model.eval()
        with torch.no_grad():
            self.model(x).sum().item()


def timed(step, warmup, steps):
    for _ in range(warmup):
        step()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    return times


def handle(request, state):
    op = request["op"]
    if op == "load":
        state.pop("session", None)
        with open(request["file"], encoding="utf8") as f:
            spec = json.load(f)
        session = Session(spec, request["batch"])
        state["session"] = session
        return {"ok": True, "params": session.params(), "shapesChecked": session.checked}
    if op == "measure":
        session = state.get("session")
        if session is None:
            return {"ok": False, "error": "no network loaded"}
        step = {
            "train": session.train_step,
            "infer": lambda: session.infer(session.x),
            "latency": lambda: session.infer(session.x1),
        }[request["metric"]]
        return {"ok": True, "ms": timed(step, request["warmup"], request["steps"])}
    if op == "unload":
        state.pop("session", None)
        return {"ok": True}
    return {"ok": False, "error": f"unknown op {op}"}


def main():
    threads = int(arg("threads", "2"))
    torch.set_num_threads(threads)
    send({"ready": True, "engine": "pytorch", "version": torch.__version__, "backend": f"pytorch cpu ×{torch.get_num_threads()} threads", "threads": torch.get_num_threads()})
    state = {}
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        if request.get("op") == "exit":
            break
        try:
            send(handle(request, state))
        except Exception as err:  # every failure becomes a reply, so the bench can report it and go on
            send({"ok": False, "error": f"{type(err).__name__}: {err}"})


if __name__ == "__main__":
    main()
