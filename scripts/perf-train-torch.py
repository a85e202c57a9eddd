"""PyTorch CPU reference for perf:train: the same SiamFC training step (train-mode forward with batch
statistics, logistic loss, backward, SGD with momentum and weight decay) on random pixels. Prints
one JSON line: {"threads", "width", "ms", "pairs_per_s"}. Run by scripts/perf-train.ts --torch."""
import json, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

width, batch, zs, xs, threads, warmup, steps = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
torch.set_num_threads(threads)
torch.manual_seed(0)
c = [max(1, round(n * width)) for n in (96, 256, 384, 384, 256)]

def bn(n):
    return nn.BatchNorm2d(n, eps=1e-6, momentum=0.05)

net = nn.Sequential(
    nn.Conv2d(3, c[0], 11, 2), bn(c[0]), nn.ReLU(), nn.MaxPool2d(3, 2),
    nn.Conv2d(c[0], c[1], 5, 1, groups=2), bn(c[1]), nn.ReLU(), nn.MaxPool2d(3, 2),
    nn.Conv2d(c[1], c[2], 3, 1), bn(c[2]), nn.ReLU(),
    nn.Conv2d(c[2], c[3], 3, 1, groups=2), bn(c[3]), nn.ReLU(),
    nn.Conv2d(c[3], c[4], 3, 1, groups=2))
opt = torch.optim.SGD(net.parameters(), lr=1e-4, momentum=0.9, weight_decay=5e-4)
z = torch.rand(batch, 3, zs, zs) * 255
x = torch.rand(batch, 3, xs, xs) * 255

def step():
    fz, fx = net(z), net(x)
    n, ch, h, w = fx.shape
    v = F.conv2d(fx.reshape(1, n * ch, h, w), fz, groups=n).reshape(n, 1, h - fz.shape[2] + 1, w - fz.shape[3] + 1) * 0.001
    r = v.shape[-1]
    ii, jj = torch.meshgrid(torch.arange(r), torch.arange(r), indexing="ij")
    pos = ((ii - r // 2) ** 2 + (jj - r // 2) ** 2 <= 4).float()
    y = pos * 2 - 1
    wts = pos * 0.5 / pos.sum() + (1 - pos) * 0.5 / (1 - pos).sum()
    loss = (wts * F.softplus(-y * v)).sum(dim=(1, 2, 3)).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()

for _ in range(warmup):
    step()
t0 = time.perf_counter()
for _ in range(steps):
    step()
ms = (time.perf_counter() - t0) / steps * 1000
print(json.dumps({"threads": threads, "width": width, "ms": ms, "pairs_per_s": batch / ms * 1000}))
