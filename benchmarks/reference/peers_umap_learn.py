"""umap-learn's side of `-- peers` (PeersBenchmark.cs): the same rows, default parameters, its fastest setting.

Not part of the build or the tests. Run by the benchmark, or by hand:
    /usr/bin/python3 benchmarks/reference/peers_umap_learn.py X.f32 ROWS COLUMNS EMBEDDING.f32
Fits twice in one process: the first fit includes numba's compilation (what a script run once pays), the second
is warm. No random_state, so umap-learn runs its layout on all cores (a seed makes it single-threaded).
Writes the warm fit's embedding as float32 rows and prints one JSON line.
"""
import json
import sys
import time
import warnings

import numpy as np
import umap

warnings.filterwarnings("ignore")
path, rows, columns, embedding_path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
x = np.fromfile(path, dtype=np.float32).reshape(rows, columns)
seconds = []
for _ in range(2):
    start = time.time()
    embedding = umap.UMAP().fit_transform(x)
    seconds.append(time.time() - start)
embedding.astype(np.float32).tofile(embedding_path)
print(json.dumps({"version": umap.__version__, "first_fit_seconds": seconds[0], "warm_fit_seconds": seconds[1]}))
