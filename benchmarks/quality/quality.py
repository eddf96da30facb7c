"""Quality of this library's fits against umap-learn's, over seeds, and which stage a difference comes from.

Not part of the build or the tests. Runs with Debian's /usr/bin/python3 (umap-learn 0.5.3, pynndescent,
scikit-learn) after `dotnet build benchmarks/Microsoft.ML.Umap.Benchmarks -c Release`. Every metric comes from the
referee harness's evaluate.py (../shared/bench, or UMAP_BENCH_DIR): trustworthiness@15 on its fixed 5,000-row
sample, kNN accuracy (k = 10; 70,000-row sets: train on the first 60,000 rows, test on the last 10,000, as MNIST's
split) and NN recall@15.

    /usr/bin/python3 benchmarks/quality/quality.py compare SET SEED...   ours and umap-learn, fitted alone
    /usr/bin/python3 benchmarks/quality/quality.py factors SET SEED...   the stage swaps below, each seed
    /usr/bin/python3 benchmarks/quality/quality.py recall SET [SEED]     recall of both neighbour searches
    /usr/bin/python3 benchmarks/quality/quality.py table [SET]           mean and range per variant so far

Variants (one stage swapped at a time, everything else ours, from the same seed):
    ours           our fit
    umap-learn     umap-learn's fit (random_state = seed)
    ul-layout      umap-learn's optimize_layout_euclidean on our pruned graph from our initial layout
    ours-exact     our fit on exact neighbours
    ours-pynnd     our fit on umap-learn's (pynndescent's) neighbours
    ours-ulinit    our fit from umap-learn's spectral_layout of our pruned graph

Sets (70,000 rows x 784, MNIST's train-then-test order, so kNN accuracy uses MNIST's split):
    mnist          MNIST as the referee loads it
    mnistlike      each MNIST digit moved by (dx, dy) uniform in {-2..2}^2, plus N(0, 10^2) pixel noise, clipped
                   to [0, 255]; numpy default_rng(777): the classes' images form continuous sheets, not tight clusters
    SET:N          the first N rows of SET (5-fold kNN accuracy instead of the split)

UMAP_QUALITY_PROGRAM=path/Microsoft.ML.Umap.Benchmarks.dll runs another build's fits (a worktree of an older
commit with this mode, for before/after). UMAP_QUALITY_LABEL=NAME records the runs under NAME instead of the variant's name (an experiment on a modified
build). Results append to $UMAP_QUALITY_SCRATCH/results.jsonl (default /tmp/umap-quality), one line per (set, variant,
seed); the data, jobs and embeddings stay beside it.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np

warnings.filterwarnings("ignore")
REPO = Path(__file__).resolve().parents[2]
BENCH = Path(os.environ.get("UMAP_BENCH_DIR", REPO.parent / "shared" / "bench"))
SCRATCH = Path(os.environ.get("UMAP_QUALITY_SCRATCH", "/tmp/umap-quality"))
os.environ.setdefault("UMAP_BENCH_SCRATCH", str(SCRATCH / "referee"))
sys.path.insert(0, str(BENCH))
import data as referee_data  # noqa: E402
import evaluate as referee  # noqa: E402

PROGRAM = Path(os.environ["UMAP_QUALITY_PROGRAM"]) if "UMAP_QUALITY_PROGRAM" in os.environ else REPO / "benchmarks" / "Microsoft.ML.Umap.Benchmarks" / "bin" / "Release" / "net10.0" / "Microsoft.ML.Umap.Benchmarks.dll"
K = 15


# ---------------------------------------------------------------- data

def load_set(name: str) -> tuple[np.ndarray, np.ndarray, str]:
    """(X float32, y, the referee's protocol name) of a set, cached as X.f32 / y.npy in the scratch folder."""
    base, _, rows = name.partition(":")
    folder = SCRATCH / "sets" / base
    if not (folder / "X.f32").exists():
        X, y = referee_data.load("mnist70k")
        if base == "mnistlike":
            X = mnistlike(X)
        elif base != "mnist":
            raise SystemExit(f"unknown set {base}")
        folder.mkdir(parents=True, exist_ok=True)
        np.ascontiguousarray(X, dtype=np.float32).tofile(folder / "X.f32")
        np.save(folder / "y.npy", y)
    y = np.load(folder / "y.npy")
    X = np.fromfile(folder / "X.f32", dtype=np.float32).reshape(len(y), -1)
    if rows:
        X, y = X[: int(rows)], y[: int(rows)]
        return X, y, name
    return X, y, "mnist70k"


def mnistlike(X: np.ndarray) -> np.ndarray:
    rng = np.random.default_rng(777)
    images = X.reshape(-1, 28, 28)
    out = np.zeros_like(images)
    shifts = rng.integers(-2, 3, size=(len(images), 2))
    for i, (dx, dy) in enumerate(shifts):
        src = images[i, max(0, -dy): 28 - max(0, dy), max(0, -dx): 28 - max(0, dx)]
        out[i, max(0, dy): max(0, dy) + src.shape[0], max(0, dx): max(0, dx) + src.shape[1]] = src
    out += rng.normal(0, 10, size=out.shape).astype(np.float32)
    return np.clip(out, 0, 255).reshape(len(images), -1)


def set_file(name: str) -> Path:
    """The set's rows as one float32 file (a prefix set gets its own copy)."""
    base, _, rows = name.partition(":")
    if not rows:
        return SCRATCH / "sets" / base / "X.f32"
    path = SCRATCH / "sets" / base / f"X{rows}.f32"
    if not path.exists():
        X, _, _ = load_set(name)
        np.ascontiguousarray(X).tofile(path)
    return path


# ---------------------------------------------------------------- fits

def run_ours(name: str, X: np.ndarray, seed: int, folder: Path, **swaps) -> tuple[np.ndarray, dict]:
    """Our fit through the benchmark program's quality-job mode; swaps: search, knn, init, dump."""
    folder.mkdir(parents=True, exist_ok=True)
    job = {"x": str(set_file(name)), "n": X.shape[0], "d": X.shape[1], "seed": seed, "emb": str(folder / "emb.f32")}
    job.update({k: v for k, v in swaps.items() if v is not None})
    (folder / "job.json").write_text(json.dumps(job, indent=1))
    out = subprocess.run(["dotnet", str(PROGRAM), "quality-job", str(folder / "job.json")], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stdout + out.stderr)
    timing = json.loads(out.stdout.strip().splitlines()[-1])
    return np.fromfile(folder / "emb.f32", dtype=np.float32).reshape(-1, 2), timing


def run_umap_learn(X: np.ndarray, seed: int) -> tuple[np.ndarray, dict]:
    import umap

    start = time.perf_counter()
    E = umap.UMAP(n_neighbors=K, min_dist=0.1, random_state=seed).fit_transform(X)
    return E, {"fit_seconds": time.perf_counter() - start}


def dumped(name: str, X: np.ndarray, seed: int) -> Path:
    """Our neighbours, pruned graph and initial layout for (set, seed), written once."""
    folder = SCRATCH / "runs" / name.replace(":", "_") / f"dump-s{seed}"
    if not (folder / "dump" / "init.f32").exists():
        run_ours(name, X, seed, folder, dump=str(folder / "dump"))
    return folder / "dump"


def our_graph(dump: Path, n: int):
    import scipy.sparse as sp

    offsets = np.fromfile(dump / "graph_offsets.i32", dtype=np.int32)
    columns = np.fromfile(dump / "graph_columns.i32", dtype=np.int32)
    values = np.fromfile(dump / "graph_values.f32", dtype=np.float32)
    return sp.csr_matrix((values, columns, offsets), shape=(n, n))


def umap_learn_layout(graph, init: np.ndarray, seed: int) -> np.ndarray:
    """What umap-learn's simplicial_set_embedding does after its spectral_layout, on a given graph and start."""
    from sklearn.utils import check_random_state
    from umap.layouts import optimize_layout_euclidean
    from umap.umap_ import INT32_MAX, INT32_MIN, find_ab_params, make_epochs_per_sample

    graph = graph.tocoo()
    graph.sum_duplicates()
    n = graph.shape[0]
    epochs = 500 if n <= 10000 else 200
    graph.data[graph.data < graph.data.max() / float(epochs)] = 0.0
    graph.eliminate_zeros()
    a, b = find_ab_params(1.0, 0.1)
    random_state = check_random_state(seed)
    embedding = (10.0 * (init - init.min(0)) / (init.max(0) - init.min(0))).astype(np.float32, order="C")
    rng_state = random_state.randint(INT32_MIN, INT32_MAX, 3).astype(np.int64)
    return optimize_layout_euclidean(embedding, embedding, graph.row, graph.col, epochs, n,
                                     make_epochs_per_sample(graph.data, epochs), a, b, rng_state, 1.0, 1.0, 5.0,
                                     parallel=False, move_other=True)


def umap_learn_init(X: np.ndarray, graph, seed: int) -> np.ndarray:
    """umap-learn's spectral start of a graph, expanded and noised as its fit does."""
    from sklearn.utils import check_random_state
    from umap.spectral import spectral_layout

    random_state = check_random_state(seed)
    init = spectral_layout(X, graph, 2, random_state, metric="euclidean", metric_kwds={})
    init = (init * (10.0 / np.abs(init).max())).astype(np.float32)
    return init + random_state.normal(scale=0.0001, size=init.shape).astype(np.float32)


def pynndescent_knn(X: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.utils import check_random_state
    from umap.umap_ import nearest_neighbors

    indices, distances, _ = nearest_neighbors(X, K, "euclidean", {}, False, check_random_state(seed))
    return indices.astype(np.int32), distances.astype(np.float32)


# ---------------------------------------------------------------- bookkeeping

def record(name: str, variant: str, seed: int, X, y, protocol, E, timing: dict) -> dict:
    m = referee.evaluate(X, y, np.asarray(E, dtype=np.float32), protocol)
    row = {"set": name, "variant": variant, "seed": seed, "trustworthiness": m["trustworthiness"],
           "knn_accuracy": m["knn_accuracy"], "nn_recall": m["nn_recall"], **timing,
           "date": time.strftime("%Y-%m-%d %H:%M"), "load": os.getloadavg()[0]}
    SCRATCH.mkdir(parents=True, exist_ok=True)
    with open(SCRATCH / "results.jsonl", "a") as f:
        f.write(json.dumps(row) + "\n")
    print(f"{name:14} {variant:12} seed {seed}: trust {row['trustworthiness']:.4f}  knn {row['knn_accuracy']:.4f}  "
          f"recall {row['nn_recall']:.4f}  fit {timing.get('fit_seconds', float('nan')):.1f} s", flush=True)
    return row


def variant(name: str, which: str, seed: int, X, y, protocol) -> dict:
    folder = SCRATCH / "runs" / name.replace(":", "_") / f"{which}-s{seed}"
    if which == "ours":
        E, t = run_ours(name, X, seed, folder)
    elif which == "umap-learn":
        E, t = run_umap_learn(X, seed)
    elif which == "ours-exact":
        E, t = run_ours(name, X, seed, folder, search="exact")
    elif which == "ul-layout":
        dump = dumped(name, X, seed)
        start = time.perf_counter()
        E = umap_learn_layout(our_graph(dump, len(X)), np.fromfile(dump / "init.f32", dtype=np.float32).reshape(-1, 2), seed)
        t = {"fit_seconds": time.perf_counter() - start}
    elif which == "ours-pynnd":
        folder.mkdir(parents=True, exist_ok=True)
        indices, distances = pynndescent_knn(X, seed)
        indices.tofile(folder / "knn_indices.i32")
        distances.tofile(folder / "knn_distances.f32")
        E, t = run_ours(name, X, seed, folder, knn={"indices": str(folder / "knn_indices.i32"),
                                                    "distances": str(folder / "knn_distances.f32"), "k": K})
    elif which == "ours-ulinit":
        dump = dumped(name, X, seed)
        folder.mkdir(parents=True, exist_ok=True)
        umap_learn_init(X, our_graph(dump, len(X)), seed).tofile(folder / "init.f32")
        E, t = run_ours(name, X, seed, folder, init=str(folder / "init.f32"))
    else:
        raise SystemExit(f"unknown variant {which}")
    np.asarray(E, dtype=np.float32).tofile(folder.with_suffix(".emb.f32")) if which in ("umap-learn", "ul-layout") else None
    return record(name, os.environ.get("UMAP_QUALITY_LABEL", which), seed, X, y, protocol, E, t)


def recall(name: str, seed: int) -> None:
    """Recall@15 (self excluded) of our NN-descent and of pynndescent against exact neighbours, on every row."""
    X, _, _ = load_set(name)
    exact_folder = SCRATCH / "runs" / name.replace(":", "_") / "exact-dump"
    if not (exact_folder / "dump" / "knn_indices.i32").exists():
        run_ours(name, X, seed, exact_folder, search="exact", dump=str(exact_folder / "dump"))
    exact = np.fromfile(exact_folder / "dump" / "knn_indices.i32", dtype=np.int32).reshape(len(X), K)
    ours = np.fromfile(dumped(name, X, seed) / "knn_indices.i32", dtype=np.int32).reshape(len(X), K)
    theirs, _ = pynndescent_knn(X, seed)

    def hits(found):
        return np.array([len(np.intersect1d(a[1:], b[1:])) for a, b in zip(exact, found)]) / (K - 1)

    for label, found in (("ours", ours), ("pynndescent", theirs)):
        h = hits(found)
        print(f"{name} seed {seed} recall@{K - 1} of {label}: mean {h.mean():.4f}, rows below 0.8: {(h < 0.8).mean():.4f}")


def table(only: str | None) -> None:
    rows = [json.loads(line) for line in open(SCRATCH / "results.jsonl")]
    groups: dict = {}
    for r in rows:
        if only is None or r["set"] == only:
            groups.setdefault((r["set"], r["variant"]), {})[r["seed"]] = r  # the latest run of a seed counts
    print(f"| set | variant | seeds | trustworthiness@15 mean (range) | kNN accuracy mean (range) | fit s (range) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for (s, v), by_seed in sorted(groups.items()):
        t = np.array([r["trustworthiness"] for r in by_seed.values()])
        k = np.array([r["knn_accuracy"] for r in by_seed.values()])
        f = np.array([r.get("fit_seconds", np.nan) for r in by_seed.values()])
        print(f"| {s} | {v} | {','.join(map(str, sorted(by_seed)))} | {t.mean():.4f} ({t.min():.4f}–{t.max():.4f}) | "
              f"{k.mean():.4f} ({k.min():.4f}–{k.max():.4f}) | {f.min():.1f}–{f.max():.1f} |")


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in ("compare", "factors", "recall", "table"):
        raise SystemExit(__doc__)
    command, args = sys.argv[1], sys.argv[2:]
    if command == "table":
        table(args[0] if args else None)
        return
    name = args[0]
    seeds = [int(s) for s in args[1:]] or [1]
    if command == "recall":
        recall(name, seeds[0])
        return
    X, y, protocol = load_set(name)
    variants = ["ours", "umap-learn"] if command == "compare" else \
        os.environ.get("UMAP_QUALITY_VARIANTS", "ours,ul-layout,ours-exact,ours-pynnd,ours-ulinit").split(",")
    for seed in seeds:
        for v in variants:
            variant(name, v, seed, X, y, protocol)


if __name__ == "__main__":
    main()
