#!/usr/bin/env bash
# Runs samples/MnistNotebook/MnistUmap.ipynb headless with dotnet-repl (a local tool, .config/dotnet-tools.json) the
# way a user runs it: the notebook installs Microsoft.ML.Umap and Microsoft.ML.Umap.Plotting with #r "nuget: ..."
# from artifacts/packages, which this script packs first. Fails if any cell fails, if the notebook asks for another
# version than the one built, or if the display formatters the Plotting package registers did not show.
# Usage: bash .ci/notebook.sh [executed.ipynb]   (optionally keeps the executed notebook, outputs included, there)
set -euo pipefail
keep="${1:+$(realpath -m "$1")}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
version=$(bash .ci/pack.sh)
notebook=samples/MnistNotebook/MnistUmap.ipynb
for id in Microsoft.ML.Umap Microsoft.ML.Umap.Plotting; do
  grep -qF "#r \\\"nuget: $id, $version\\\"" "$notebook" \
    || { echo "$notebook must install $id $version (the version built here) with #r \"nuget: $id, $version\"" >&2; exit 1; }
done
mlnet=$(sed -n 's:.*<MlNetDefaultVersion>\(.*\)</MlNetDefaultVersion>.*:\1:p' Directory.Build.props)
grep -qF "#r \\\"nuget: Microsoft.ML, $mlnet\\\"" "$notebook" \
  || { echo "$notebook must install ML.NET $mlnet (the version the tests run on) with #r \"nuget: Microsoft.ML, $mlnet\"" >&2; exit 1; }
if grep -q 'bin/' "$notebook"; then
  echo "$notebook refers to a bin/ folder; it must install the packages instead" >&2
  exit 1
fi

dotnet tool restore
output=$(mktemp -d)
trap 'rm -rf "$output"' EXIT
cd samples/MnistNotebook
# Relative paths in the notebook (the package folder, the data) resolve from its own folder.
if ! dotnet tool run dotnet-repl --run MnistUmap.ipynb --exit-after-run --output-path "$output/MnistUmap.ipynb"; then
    echo "The notebook failed; its outputs follow." >&2
    cat "$output/MnistUmap.ipynb" >&2 || true
    exit 1
fi
if grep -q '"output_type": "error"' "$output/MnistUmap.ipynb"; then
    echo "A notebook cell reported an error:" >&2
    grep -A3 '"ename"' "$output/MnistUmap.ipynb" >&2 || true
    exit 1
fi
# What the Plotting package's formatters render: the model's summary table, the interactive plot, a plot image.
for shown in 'UMAP model' 'Plotly.newPlot' 'data:image/png;base64'; do
  grep -qF "$shown" "$output/MnistUmap.ipynb" || { echo "No notebook output shows '$shown': the display formatters did not run" >&2; exit 1; }
done
if grep -q 'ScottPlot\.' "$output/MnistUmap.ipynb"; then
  echo "A notebook output lists ScottPlot internals instead of showing the plot" >&2
  exit 1
fi
if [ -n "$keep" ]; then cp "$output/MnistUmap.ipynb" "$keep"; fi
echo "Notebook ran: every cell succeeded and the UMAP displays rendered ($(du -k "$output/MnistUmap.ipynb" | cut -f1) KB of outputs)."
