"""Converts OTB-toolkit .mat results to text with scipy.io.loadmat, an implementation independent
of siambench, so that the scoring of the UAV and DTB70 benchmarks can be checked on their published
.mat results: mat_to_text.py SRC_DIR DEST_DIR writes DEST_DIR/<Seq>.txt for every SRC_DIR/<Seq>_<T>.mat
(the `res` of the first run, x,y,w,h per row, commas, values as stored)."""
import os, sys
import numpy as np
from scipy.io import loadmat

src, dest, suffix = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(dest, exist_ok=True)
n = 0
for f in sorted(os.listdir(src)):
    if not f.endswith(suffix + '.mat'):
        continue
    r = loadmat(os.path.join(src, f), variable_names=['results'])['results'].flat[0]
    r = r.flat[0] if r.dtype == object else r
    res = np.asarray(r['res'].flat[0] if r['res'].dtype == object else r['res'], dtype=float)
    with open(os.path.join(dest, f[: -len(suffix + '.mat')] + '.txt'), 'w') as out:
        for row in res:
            out.write(','.join(repr(float(v)) for v in row[:4]) + '\n')
    n += 1
print(n)
