#!/usr/bin/env python3
"""Batched greedy decoding with a KV cache in plain PyTorch: ../shared/bench/glm_torch.py's decode
mode (which runs batch 1 only) at any batch size, on glm_torch.py's own model (imported, not copied):
prompt of P random tokens per row (bidirectional Part A), then G greedy steps, each row feeding its
own argmax back. Prints one JSON line like glm_torch.py (decode_tokens_per_s counts steps per second,
i.e. per-row tokens; ms per step = 1000 / decode_tokens_per_s) and the process CPU time per step
(all threads; on a shared machine a fairer measure of work than wall time, at 1 thread each).

  /usr/bin/python3 bench/lib/torch_decode_batch.py --config tiny|small|base --batch 8 [--threads 2]
        [--prompt 64 --gen 64 --warmup 1 --steps 2]
"""
import argparse, json, os, sys, time

SHARED_BENCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "bench")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--prompt", type=int, default=64)
    ap.add_argument("--gen", type=int, default=64)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--steps", type=int, default=2)
    a = ap.parse_args()
    # As glm_torch.py: threads and a passive OpenMP wait policy, set before torch is imported.
    os.environ["OMP_NUM_THREADS"] = str(a.threads)
    os.environ["MKL_NUM_THREADS"] = str(a.threads)
    os.environ["OPENBLAS_NUM_THREADS"] = str(a.threads)
    os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
    sys.path.insert(0, SHARED_BENCH)
    import glm_torch
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    c = dict(glm_torch.CONFIGS[a.config])
    model = glm_torch.build(torch, nn, F, c, 0.0)
    model.eval()
    B, P, G, V = a.batch, a.prompt, a.gen, c["V"]
    g = torch.Generator().manual_seed(1)
    prompt = torch.randint(0, V, (B, P), generator=g)
    runs = []
    with torch.no_grad():
        for it in range(a.warmup + a.steps):
            pos = torch.arange(P).repeat(B, 1)
            bpos = torch.zeros(B, P, dtype=torch.long)
            h, pasts = model.hidden(prompt, pos, bpos, None, pasts=[(None, None)] * len(model.layers))
            nxt = torch.argmax(h[:, -1] @ model.word.weight.t(), dim=-1, keepdim=True)
            t1 = time.perf_counter()
            c1 = time.process_time()
            for t in range(G - 1):
                p_ = torch.full((B, 1), P - 1, dtype=torch.long)
                b_ = torch.full((B, 1), t + 1, dtype=torch.long)
                h, pasts = model.hidden(nxt, p_, b_, None, pasts=pasts)
                nxt = torch.argmax(h[:, -1] @ model.word.weight.t(), dim=-1, keepdim=True)
            t2 = time.perf_counter()
            c2 = time.process_time()
            if it >= a.warmup:
                runs.append((t2 - t1, c2 - c1))
    runs.sort()
    dec, cpu = runs[len(runs) // 2]
    print(json.dumps({"impl": "torch", "torch": torch.__version__, "config": a.config, "mode": "decode", "batch": B,
                      "threads": torch.get_num_threads(), "prompt": P, "gen": G, "decode_s": round(dec, 4),
                      "decode_tokens_per_s": round((G - 1) / dec, 1), "ms_per_step": round(1000 * dec / (G - 1), 3),
                      "cpu_ms_per_step": round(1000 * cpu / (G - 1), 3),
                      "load1": round(os.getloadavg()[0], 2)}), flush=True)


if __name__ == "__main__":
    main()
