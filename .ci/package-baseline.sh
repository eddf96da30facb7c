#!/usr/bin/env bash
# Builds the packages of the last release (0.2.0, commit c9faa10) into artifacts/baseline, once: package validation
# compares each new package with them, so a public API break fails the pack (Directory.Build.props). They are never on
# a feed and never committed: they are rebuilt from the release's own commit, in a temporary worktree.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
release=0.2.0
commit=c9faa10
baseline="$root/artifacts/baseline"
# The libraries: the tool is a command, with no API to compare (its project turns validation off).
ids=(Microsoft.ML.Umap Microsoft.ML.Umap.Plotting)
missing=0
for id in "${ids[@]}"; do [ -s "$baseline/$id.$release.nupkg" ] || missing=1; done
[ "$missing" = 0 ] && exit 0

git -C "$root" cat-file -e "$commit^{commit}" 2>/dev/null \
  || { echo "Commit $commit (release $release) is not in this clone; package validation needs its history (clone without --depth)." >&2; exit 1; }
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/release" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$root" worktree add --detach "$work/release" "$commit" >/dev/null 2>&1
built=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$work/release/Directory.Build.props")
[ "$built" = "$release" ] || { echo "Commit $commit is version $built, not $release" >&2; exit 1; }
mkdir -p "$baseline"
for id in "${ids[@]}"; do
  dotnet pack "$work/release/src/$id/$id.csproj" -c Release -o "$work/packages" --nologo -v q >&2
  cp "$work/packages/$id.$release.nupkg" "$baseline/"
done
echo "Package validation baseline: ${ids[*]} $release from $commit" >&2
