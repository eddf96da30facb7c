#!/usr/bin/env bash
# Runs samples/MnistNotebook/MnistUmap.ipynb headless with dotnet-repl (a local tool, .config/dotnet-tools.json)
# against the Release build of the repository; fails if any cell fails.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
dotnet tool restore
output=$(mktemp -d)
trap 'rm -rf "$output"' EXIT
cd samples/MnistNotebook
# Relative references in the notebook resolve from its own folder.
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
echo "Notebook ran: every cell succeeded."
