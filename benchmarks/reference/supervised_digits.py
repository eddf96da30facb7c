"""umap-learn on the protocol of `-- supervised` (SupervisedBenchmark.cs), for side-by-side comparison.

Not part of the build or the tests. Needs umap-learn and scikit-learn, e.g. on Debian:
    apt-get install umap-learn python3-sklearn
    /usr/bin/python3 benchmarks/reference/supervised_digits.py
Reads the digits the repository ships (data/optdigits/digits.csv, the same rows as sklearn's load_digits).
"""
import os
import warnings

import numpy as np
import umap
from sklearn.model_selection import PredefinedSplit, cross_val_score
from sklearn.neighbors import KNeighborsClassifier

warnings.filterwarnings("ignore")
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
table = np.loadtxt(os.path.join(root, "data", "optdigits", "digits.csv"), delimiter=",")
X, y = table[:, :-1], table[:, -1].astype(int)
rows = np.arange(len(y))
labelled, hidden = rows % 2 == 0, rows % 2 == 1


def accuracy(embedding, subset):
    # The folds of UmapMetrics.KnnAccuracy: the i-th row of the subset is in fold i mod 5.
    folds = PredefinedSplit(np.arange(subset.sum()) % 5)
    return cross_val_score(KNeighborsClassifier(10), embedding[subset], y[subset], cv=folds).mean()


def fit(seed, target=None, target_weight=0.5):
    return umap.UMAP(random_state=seed, target_weight=target_weight).fit_transform(X, target)


semi_target = np.where(labelled, y, -1)
print(f"umap-learn {umap.__version__}")
print("seed  unsupervised hidden | semi tw 0.5: labelled  hidden | semi tw 1.0: labelled  hidden | supervised")
for seed in (1, 2, 3):
    unsupervised = fit(seed)
    semi = fit(seed, semi_target)
    semi_full = fit(seed, semi_target, 1.0)
    supervised = fit(seed, y)
    print(f"{seed:4}  {accuracy(unsupervised, hidden):19.4f} | {accuracy(semi, labelled):21.4f}  {accuracy(semi, hidden):6.4f} | "
          f"{accuracy(semi_full, labelled):21.4f}  {accuracy(semi_full, hidden):6.4f} | {accuracy(supervised, rows >= 0):10.4f}", flush=True)
