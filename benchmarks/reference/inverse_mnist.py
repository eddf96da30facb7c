"""umap-learn on the protocol of `-- inverse` (InverseBenchmark.cs), for side-by-side comparison.

Not part of the build or the tests. Needs umap-learn and scikit-learn, e.g. on Debian:
    apt-get install umap-learn python3-sklearn
    UMAP_MNIST_DIR=/path/to/mnist /usr/bin/python3 benchmarks/reference/inverse_mnist.py [points]
Fits on the 60,000 MNIST training digits (pixels 0-255, default settings, random_state 42), transforms the 10,000
test digits, and inverts the first `points` (default 300) of their coordinates: umap-learn's inverse_transform is
too slow for all 10,000 on a small machine. Prints its time per point and the reconstructions' mean squared error
against the true digits and 10-NN accuracy against the training digits in pixel space.
"""
import gzip
import os
import sys
import time
import warnings

import numpy as np
import umap
from sklearn.neighbors import KNeighborsClassifier

warnings.filterwarnings("ignore")


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


directory = os.environ.get("UMAP_MNIST_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "mnist"))
points = int(sys.argv[1]) if len(sys.argv) > 1 else 300
X = idx(os.path.join(directory, "train-images-idx3-ubyte.gz")).reshape(60000, -1).astype(np.float32)
y = idx(os.path.join(directory, "train-labels-idx1-ubyte.gz")).astype(int)
Xt = idx(os.path.join(directory, "t10k-images-idx3-ubyte.gz")).reshape(10000, -1).astype(np.float32)
yt = idx(os.path.join(directory, "t10k-labels-idx1-ubyte.gz")).astype(int)

start = time.time()
model = umap.UMAP(random_state=42).fit(X)
print(f"umap-learn {umap.__version__}: fit on 60,000 digits {time.time() - start:.1f} s")
start = time.time()
embedded = model.transform(Xt)
print(f"transform of 10,000 test digits {time.time() - start:.1f} s")

start = time.time()
model.inverse_transform(embedded[:2])  # numba compilation, not counted
print(f"inverse_transform warm-up (numba compilation) {time.time() - start:.1f} s")
start = time.time()
reconstructed = model.inverse_transform(embedded[:points])
seconds = time.time() - start
mse = float(np.mean((reconstructed - Xt[:points]) ** 2))
accuracy = KNeighborsClassifier(10).fit(X, y).score(reconstructed, yt[:points])
print(f"inverse_transform of the first {points} test points: {seconds:.1f} s = {points / seconds:.2f} points/s")
print(f"mean squared error against the true digits (pixels 0-255): {mse:.1f}")
print(f"10-NN accuracy of the reconstructions against the training digits: {accuracy:.4f}")
