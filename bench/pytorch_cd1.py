#!/usr/bin/env python3
"""The PyTorch CD-1 recipe that ebm4j's RBM epoch is compared against (bench/compare-peers.sh).

Binary RBM on the 60,000 MNIST training images, thresholded at 127 (pixel > 127 -> 1), 784 visible,
H hidden units; W ~ N(0, 0.01^2), biases 0; minibatches of 100 in a torch.randperm order; CD-1 with
torch.mm, torch.sigmoid and torch.bernoulli, no autograd; plain momentum SGD (lr 0.1, momentum 0.5)
on the mean gradient of the batch; default thread settings. Only the training loop is timed.

With --device cuda the same loop runs on an NVIDIA GPU (synchronized before each epoch's clock is read),
the peer of GpuFigures' CD-1 rows; --random-density D trains on 60,000 random binary rows of ink density D
instead of MNIST, the data GpuFigures uses, for machines that have no copy of MNIST.

Prints one line per epoch and then
  RESULT torch <version> cd1 first <s> median <s> process <s>
where process is the whole interpreter's wall time up to that line (imports and data loading included).
"""
import argparse
import gzip
import os
import statistics
import struct
import time

T_START = time.perf_counter()

import torch  # noqa: E402  (imported after T_START so the process time includes it)


def load_images(path):
    with gzip.open(path, "rb") as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        if magic != 2051:
            raise SystemExit(f"{path}: expected an IDX image file (magic 2051), found magic {magic}")
        data = torch.frombuffer(bytearray(f.read(n * rows * cols)), dtype=torch.uint8)
    return data.view(n, rows * cols)


def sync(dev):
    if dev.type == "cuda":
        torch.cuda.synchronize(dev)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default="../shared/data/mnist", help="directory with train-images-idx3-ubyte.gz")
    p.add_argument("--hidden", type=int, default=500)
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--momentum", type=float, default=0.5)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--device", default="cpu", help="cpu, or cuda for an NVIDIA GPU")
    p.add_argument("--random-density", type=float, default=None,
                   help="train on 60,000 random binary rows with this share of ones instead of MNIST")
    a = p.parse_args()
    torch.manual_seed(a.seed)
    dev = torch.device(a.device)
    if a.random_density is None:
        x = (load_images(os.path.join(a.data, "train-images-idx3-ubyte.gz")) > 127).float()
    else:
        x = (torch.rand(60_000, 784) < a.random_density).float()
    x = x.to(dev)
    n, nv = x.shape
    nh = a.hidden
    w = (torch.randn(nv, nh) * 0.01).to(dev)
    bv = torch.zeros(nv, device=dev)
    bh = torch.zeros(nh, device=dev)
    vw = torch.zeros_like(w)
    vbv = torch.zeros_like(bv)
    vbh = torch.zeros_like(bh)
    times = []
    with torch.no_grad():
        for epoch in range(a.epochs):
            sync(dev)
            t0 = time.perf_counter()
            order = torch.randperm(n, device=dev)
            for s in range(0, n - a.batch + 1, a.batch):
                v0 = x[order[s:s + a.batch]]
                ph0 = torch.sigmoid(torch.mm(v0, w) + bh)
                h0 = torch.bernoulli(ph0)
                pv1 = torch.sigmoid(torch.mm(h0, w.t()) + bv)
                v1 = torch.bernoulli(pv1)
                ph1 = torch.sigmoid(torch.mm(v1, w) + bh)
                scale = a.lr / a.batch
                vw.mul_(a.momentum).add_(torch.mm(v0.t(), ph0) - torch.mm(v1.t(), ph1), alpha=scale)
                vbv.mul_(a.momentum).add_(v0.sum(0) - v1.sum(0), alpha=scale)
                vbh.mul_(a.momentum).add_(ph0.sum(0) - ph1.sum(0), alpha=scale)
                w.add_(vw)
                bv.add_(vbv)
                bh.add_(vbh)
            sync(dev)
            times.append(time.perf_counter() - t0)
            print(f"epoch {epoch + 1}: {times[-1]:.3f} s", flush=True)
    steady = times[1:] if len(times) > 1 else times
    where = torch.cuda.get_device_name(dev) if dev.type == "cuda" else "cpu"
    print(f"device {where}, batch {a.batch}, {n / min(steady):.0f} images/s in the best epoch after the first")
    print(f"RESULT torch {torch.__version__} cd1 first {times[0]:.3f} median {statistics.median(steady):.3f} "
          f"process {time.perf_counter() - T_START:.3f}")


if __name__ == "__main__":
    main()
