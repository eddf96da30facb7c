#!/usr/bin/env bash
# Packs Microsoft.ML.Umap, Microsoft.ML.Umap.Plotting and the umap tool (Release) into artifacts/packages and drops NuGet's cached
# copies of their version, so whatever installs them next gets this build. Prints the version. Each pack validates the
# package against the last release's (built first by package-baseline.sh): a public API break fails here.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/.ci/package-baseline.sh"
packages="$root/artifacts/packages"
rm -rf "$packages"
for project in Microsoft.ML.Umap Microsoft.ML.Umap.Plotting Microsoft.ML.Umap.Tool; do
  dotnet pack "$root/src/$project/$project.csproj" -c Release -o "$packages" --nologo >&2
done
cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
rm -rf "$cache/microsoft.ml.umap" "$cache/microsoft.ml.umap.plotting" "$cache/microsoft.ml.umap.tool"
ls "$packages" | sed -n 's/^Microsoft\.ML\.Umap\.\([0-9][0-9.]*\)\.nupkg$/\1/p'
