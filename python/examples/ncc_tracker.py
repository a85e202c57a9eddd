"""A small real tracker over TraX: normalised cross-correlation of the first frame's template.

Run by siambench (see docs/trackers.md, "Your own tracker over TraX") or by the VOT toolkit. It asks
for memory images (raw pixels), so it needs no image decoder; numpy when present, plain Python if not.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import siambench_trax as vot  # noqa: E402

try:
    import numpy as np
except ImportError:
    np = None

SEARCH = 16  # pixels either way, searched every COARSE pixels, then every pixel around the best
COARSE = 4


def gray(image):
    """Rows of grey values from a memory image (rgb or gray8)."""
    w, h, data = image.width, image.height, image.data
    if np is not None:
        a = np.frombuffer(data, dtype=np.uint8)
        return a.reshape(h, w, 3).mean(axis=2) if image.format == "rgb" else a.reshape(h, w).astype(float)
    if image.format == "rgb":
        return [[(data[3 * (y * w + x)] + data[3 * (y * w + x) + 1] + data[3 * (y * w + x) + 2]) / 3.0
                 for x in range(w)] for y in range(h)]
    return [[float(data[y * w + x]) for x in range(w)] for y in range(h)]


def patch(img, x, y, w, h):
    if np is not None:
        return img[y:y + h, x:x + w]
    return [row[x:x + w] for row in img[y:y + h]]


def ncc(a, b):
    if np is not None:
        a, b = a - a.mean(), b - b.mean()
        d = np.sqrt((a * a).sum() * (b * b).sum())
        return float((a * b).sum() / d) if d > 0 else 0.0
    fa = [v for row in a for v in row]
    fb = [v for row in b for v in row]
    ma, mb = sum(fa) / len(fa), sum(fb) / len(fb)
    num = sum((p - ma) * (q - mb) for p, q in zip(fa, fb))
    den = (sum((p - ma) ** 2 for p in fa) * sum((q - mb) ** 2 for q in fb)) ** 0.5
    return num / den if den > 0 else 0.0


def size(img):
    return (img.shape[1], img.shape[0]) if np is not None else (len(img[0]), len(img))


def main():
    handle = vot.VOT("rectangle", image="memory")
    box = handle.region()
    first = gray(handle.frame())
    W, H = size(first)
    x, y = int(round(box.x)), int(round(box.y))
    w, h = max(1, int(round(box.width))), max(1, int(round(box.height)))
    x, y = min(max(0, x), W - w), min(max(0, y), H - h)
    template = patch(first, x, y, w, h)
    while True:
        image = handle.frame()
        if image is None:
            break
        img = gray(image)
        best, x, y = search(template, img, x, y, SEARCH, COARSE, (W, H))
        best, x, y = search(template, img, x, y, COARSE - 1, 1, (W, H))
        handle.report(vot.Rectangle(x, y, w, h), max(0.0, best))


def search(template, img, x, y, radius, step, frame_size):
    """The best NCC score and its top-left corner within radius of (x, y), every step pixels."""
    w, h = size(template)
    W, H = frame_size
    best, bx, by = -2.0, x, y
    for dy in range(-radius, radius + 1, step):
        for dx in range(-radius, radius + 1, step):
            cx, cy = x + dx, y + dy
            if 0 <= cx <= W - w and 0 <= cy <= H - h:
                score = ncc(template, patch(img, cx, cy, w, h))
                if score > best:
                    best, bx, by = score, cx, cy
    return best, bx, by


if __name__ == "__main__":
    main()
