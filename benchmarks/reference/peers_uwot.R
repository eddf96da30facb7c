# uwot's side of `-- peers` (PeersBenchmark.cs): the same rows, umap-learn's defaults, its fastest setting.
#
# Not part of the build or the tests. Run by the benchmark, or by hand:
#     Rscript benchmarks/reference/peers_uwot.R X.f32 ROWS COLUMNS EMBEDDING.f32
# min_dist 0.1 as umap-learn (uwot's default is 0.01), spectral initialisation, all cores for the neighbour search
# and the layout (n_sgd_threads; uwot's default keeps the layout on one thread). R compiles nothing at run time,
# so one fit is both the first and the warm one. Writes the embedding as float32 rows, prints one JSON line.
suppressPackageStartupMessages(library(uwot))
args <- commandArgs(trailingOnly = TRUE)
rows <- as.integer(args[2]); columns <- as.integer(args[3])
connection <- file(args[1], "rb")
x <- matrix(readBin(connection, "numeric", n = rows * columns, size = 4), nrow = rows, byrow = TRUE)
close(connection)
threads <- parallel::detectCores()
seconds <- system.time(
  embedding <- umap(x, n_neighbors = 15, min_dist = 0.1, init = "spectral", n_threads = threads, n_sgd_threads = threads)
)[["elapsed"]]
connection <- file(args[4], "wb")
writeBin(as.vector(t(embedding)), connection, size = 4)
close(connection)
cat(sprintf('{"version": "%s", "first_fit_seconds": %f, "warm_fit_seconds": %f}\n',
            as.character(packageVersion("uwot")), seconds, seconds))
