#!/usr/bin/env bash
# The packages accept ML.NET 5.0.x and 6.0.x (Directory.Packages.props). .ci/run's test steps run on the default,
# 6.0.0; this runs the whole suite again on 5.0.1 (on net8.0: the ML.NET assemblies are the same on both frameworks,
# and .NET 8 is where 5.0.x users most likely are), fresh-process load check included, then proves that a model saved
# under either version loads under the other and transforms bit-identically, each side in a process of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
other=5.0.1

dotnet test tests/Microsoft.ML.Umap.Tests -c Release -f net8.0 -p:MlNetVersion=$other

dotnet build tests/Microsoft.ML.Umap.LoadCheck -c Release --nologo -v q
dotnet build tests/Microsoft.ML.Umap.LoadCheck -c Release --nologo -v q -p:MlNetVersion=$other
declare -A check=(
  [6.0.0]=tests/Microsoft.ML.Umap.LoadCheck/bin/Release/net10.0/Microsoft.ML.Umap.LoadCheck.dll
  [$other]=tests/Microsoft.ML.Umap.LoadCheck/bin/mlnet-$other/Release/net10.0/Microsoft.ML.Umap.LoadCheck.dll
)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
columns=16
for saved in 6.0.0 $other; do
  # Each side prints the ML.NET version it runs on: a check that ran the same version twice proves nothing.
  dotnet "${check[$saved]}" --save "$work/$saved.zip" "$work/rows.f32" $columns "$work/$saved.f32" | tee /dev/stderr | grep -q "on ML.NET $saved;"
  for loader in 6.0.0 $other; do
    [ "$loader" = "$saved" ] && continue
    dotnet "${check[$loader]}" "$work/$saved.zip" "$work/rows.f32" $columns "$work/$saved-on-$loader.f32" | tee /dev/stderr | grep -q "on ML.NET $loader;"
    cmp "$work/$saved.f32" "$work/$saved-on-$loader.f32" \
      || { echo "A model saved under ML.NET $saved transforms differently under $loader" >&2; exit 1; }
  done
done
cmp "$work/6.0.0.f32" "$work/$other.f32" || { echo "The same fit gives other embeddings under ML.NET 6.0.0 and $other" >&2; exit 1; }
echo "ML.NET versions: models saved under 6.0.0 and $other load under the other and transform bit-identically"
