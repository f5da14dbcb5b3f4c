#!/usr/bin/env python3
"""PyTorch on a CUDA GPU, the same-card baseline of bench/gpu/gpu-bench.mjs: float32 matMul TFLOP/s,
GLM training tokens/s (forward + backward + clip + AdamW) and greedy decode ms/token, each with
TF32 off (strict float32) and on (tensor cores for float32 matMuls), on ../shared/bench/glm_torch.py's
own model and synthetic batch (imported, not copied). Prints one JSON line per measurement.

  python3 bench/gpu/torch_cuda.py [--configs tiny,small,base] [--sizes 1024,2048] [--steps 10]
        [--prompt 64 --gen 64] [--precisions fp32,tf32] [--device cuda]
(--device cpu runs the same code on the CPU: a check of the script where no GPU is, not a baseline.)
"""
import argparse, json, os, sys, time

SHARED_BENCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "bench")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--configs", default="tiny,small,base")
    ap.add_argument("--sizes", default="1024,2048")
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--prompt", type=int, default=64)
    ap.add_argument("--gen", type=int, default=64)
    ap.add_argument("--precisions", default="fp32,tf32")
    ap.add_argument("--device", default="cuda")
    a = ap.parse_args()
    sys.path.insert(0, SHARED_BENCH)
    import glm_torch
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    cuda = a.device == "cuda"
    if cuda and not torch.cuda.is_available():
        print(json.dumps({"error": "torch.cuda.is_available() is False: no CUDA device or a CPU-only PyTorch build"}), flush=True)
        sys.exit(2)
    dev = torch.device(a.device)
    base = {"impl": "torch", "torch": torch.__version__, "cuda": torch.version.cuda,
            "device": torch.cuda.get_device_name(0) if cuda else a.device}

    def sync():
        if cuda:
            torch.cuda.synchronize()

    def emit(**kw):
        print(json.dumps({**base, **kw}), flush=True)

    def timed(fn, reps):
        """Median seconds of fn over reps, each synchronised (after a warm-up)."""
        for _ in range(a.warmup):
            fn()
        sync()
        times = []
        for _ in range(reps):
            t0 = time.perf_counter()
            fn()
            sync()
            times.append(time.perf_counter() - t0)
        times.sort()
        return times[len(times) // 2]

    for precision in a.precisions.split(","):
        tf32 = precision == "tf32"
        torch.backends.cuda.matmul.allow_tf32 = tf32
        torch.backends.cudnn.allow_tf32 = tf32

        for n in [int(s) for s in a.sizes.split(",")]:
            g = torch.Generator(device=dev).manual_seed(0)
            A = torch.randn(n, n, device=dev, generator=g)
            B = torch.randn(n, n, device=dev, generator=g)
            C = torch.empty(n, n, device=dev)
            s = timed(lambda: torch.matmul(A, B, out=C), 50 if cuda else 3)
            emit(mode="matmul", precision=precision, n=n, seconds=s, tflops=round(2 * n ** 3 / s / 1e12, 3))
            del A, B, C

        for name in a.configs.split(","):
            c = dict(glm_torch.CONFIGS[name])
            torch.manual_seed(0)
            model = glm_torch.build(torch, nn, F, c, 0.1).to(dev)
            # glm_torch builds the attention mask with CPU aranges: build it on the CPU, then move it.
            cpu_mask = model.glm_mask
            model.glm_mask = lambda sep, S: cpu_mask(sep.cpu(), S).to(dev)
            batch = [t.to(dev) for t in glm_torch.synth_batch(torch, c, c["batch"])]
            tokens = c["batch"] * c["seq"]
            model.train()
            decay = [p for _, p in model.named_parameters() if p.dim() >= 2]
            no_decay = [p for _, p in model.named_parameters() if p.dim() < 2]
            opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                                    lr=1e-4, betas=(0.9, 0.98), eps=1e-6)

            def step():
                opt.zero_grad(set_to_none=True)
                loss = model(*batch)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()

            s = timed(step, a.steps)
            fpt = glm_torch.flops_per_token(c, "train")
            emit(mode="train", precision=precision, config=name, batch=c["batch"], seq=c["seq"], step_s=round(s, 5),
                 tokens_per_s=round(tokens / s, 1), flops_per_token=fpt, tflops=round(fpt * tokens / s / 1e12, 3))

            model.eval()
            P, G, V = a.prompt, a.gen, c["V"]
            prompt = torch.randint(0, V, (1, P), generator=torch.Generator().manual_seed(1)).to(dev)

            def decode():
                with torch.no_grad():
                    pos = torch.arange(P, device=dev).unsqueeze(0)
                    bpos = torch.zeros(1, P, dtype=torch.long, device=dev)
                    h, pasts = model.hidden(prompt, pos, bpos, None, pasts=[(None, None)] * len(model.layers))
                    nxt = torch.argmax(h[:, -1] @ model.word.weight.t(), dim=-1, keepdim=True)
                    nxt.item()
                    t1 = time.perf_counter()
                    for t in range(G - 1):
                        p_ = torch.full((1, 1), P - 1, dtype=torch.long, device=dev)
                        b_ = torch.full((1, 1), t + 1, dtype=torch.long, device=dev)
                        h, pasts = model.hidden(nxt, p_, b_, None, pasts=pasts)
                        nxt = torch.argmax(h[:, -1] @ model.word.weight.t(), dim=-1, keepdim=True)
                        nxt.item()  # the id is read back every step, as an interactive decoder must
                    return time.perf_counter() - t1

            for _ in range(2):
                decode()
            runs = sorted(decode() for _ in range(3))
            emit(mode="decode", precision=precision, config=name, batch=1, prompt=P, gen=G,
                 ms_per_token=round(1000 * runs[1] / (G - 1), 3))
            del model, opt, batch
            if cuda:
                torch.cuda.empty_cache()


if __name__ == "__main__":
    main()
