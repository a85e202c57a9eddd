# Prints, as JSON, what scipy.io.loadmat reads from OTB toolkit result files: the independent
# reference test/otb-mat-results.test.ts compares siambench's MAT-file reader with.
import json
import sys

import numpy as np
import scipy.io


def scalar(s, name):
    if name not in s.dtype.names:
        return None
    v = np.asarray(s[name]).ravel()
    return None if v.size == 0 else float(v[0])


def run(s):
    res = np.asarray(s['res'], dtype=float)
    return {
        'rows': res.shape[0],
        'res': [[None if np.isnan(x) else x for x in row] for row in res.tolist()],
        'type': str(np.asarray(s['type']).ravel()[0]) if 'type' in s.dtype.names else None,
        'startFrame': scalar(s, 'startFrame'),
        'annoBegin': scalar(s, 'annoBegin'),
        'len': scalar(s, 'len'),
    }


out = {}
for path in sys.argv[1:]:
    results = scipy.io.loadmat(path, squeeze_me=False)['results']
    runs = []
    for cell in results.ravel(order='F'):
        s = cell.ravel()[0] if cell.dtype == object else cell
        runs.append(run(s.ravel()[0] if s.size else s))
    out[path] = runs
json.dump(out, sys.stdout)
