#!/usr/bin/env bash
# Fails if any project depends, directly or through another package, on a package with a known vulnerability, and
# prints the report either way. (Restores audit the packages too, NuGetAudit; with warnings as errors, a vulnerable
# package already fails them, on ML.NET 5.0.1's graph as on the default one.)
set -euo pipefail
cd "$(dirname "$0")/.."
report=$(dotnet list UmapMLNet.sln package --vulnerable --include-transitive 2>&1)
echo "$report" | grep -E "vulnerable|error" || true
if grep -qiE "has the following vulnerable packages|error" <<<"$report"; then
  echo "$report" >&2
  echo "Vulnerable packages (or no report): see above" >&2
  exit 1
fi
projects=$(grep -c '\.csproj"' UmapMLNet.sln)
clean=$(grep -c "has no vulnerable packages" <<<"$report" || true)
[ "$clean" = "$projects" ] || { echo "$report" >&2; echo "Only $clean of $projects projects reported clean" >&2; exit 1; }
