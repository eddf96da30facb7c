"""umap-learn on a job file of the benchmark project (JobFile.cs), for the "vs umap-learn" line.

Not part of the build or the tests. Run by `dotnet run --project benchmarks/Microsoft.ML.Umap.Benchmarks -- job.json`
when the job says "reference": "umap-learn"; or by hand:
    /usr/bin/python3 benchmarks/reference/umap_learn_job.py job.json
Fits umap-learn with the job's parameters on the job's float32 matrix and prints one JSON line:
{"umap_learn_version": ..., "fit_seconds": ...}.
"""
import json
import os
import sys
import time
import warnings

import numpy as np
import umap

warnings.filterwarnings("ignore")
path = sys.argv[1]
with open(path) as f:
    job = json.load(f)
base = os.path.dirname(os.path.abspath(path))
x = np.fromfile(os.path.join(base, job["x"]) if not os.path.isabs(job["x"]) else job["x"], dtype=np.float32).reshape(job["n"], job["d"])
p = job.get("params", {})
model = umap.UMAP(
    n_neighbors=p.get("n_neighbors", 15),
    min_dist=p.get("min_dist", 0.1),
    n_components=p.get("n_components", 2),
    metric=p.get("metric", "euclidean").lower(),
    n_epochs=p.get("n_epochs"),
    random_state=p.get("seed", 42),
    densmap=p.get("densmap", False),
)
start = time.time()
model.fit(x)
print(json.dumps({"umap_learn_version": umap.__version__, "fit_seconds": time.time() - start}))
