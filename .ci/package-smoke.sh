#!/usr/bin/env bash
# Packs the three packages, then installs them from that local folder the way a new user does: into scratch console
# projects outside the repository that reference Microsoft.ML 6.0.0 themselves and treat warnings as errors, so a
# restore warning (NU1608: a dependency range that excludes the user's ML.NET) fails here. Runs the README's quick
# start, then a fit, a transform, a save/load in a fresh context and the plots, then the umap tool.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
packages="$root/artifacts/packages"
version=$(bash "$root/.ci/pack.sh")
mlnet=$(sed -n 's:.*<MlNetDefaultVersion>\(.*\)</MlNetDefaultVersion>.*:\1:p' "$root/Directory.Build.props")

# Metadata of a real package: project and repository URLs, icon, release notes, a README of its own, XML docs.
for id in Microsoft.ML.Umap Microsoft.ML.Umap.Plotting Microsoft.ML.Umap.Tool; do
  nupkg="$packages/$id.$version.nupkg"
  nuspec=$(unzip -p "$nupkg" "$id.nuspec")
  for field in '<projectUrl>' '<repository ' '<icon>icon.png</icon>' '<readme>README.md</readme>' '<releaseNotes>' '<license type="expression">MIT</license>'; do
    grep -qF "$field" <<<"$nuspec" || { echo "$id: nuspec lacks $field" >&2; exit 1; }
  done
  listing=$(unzip -l "$nupkg")
  [ "$id" = Microsoft.ML.Umap.Tool ] || grep -q "lib/net8.0/$id.xml" <<<"$listing" || { echo "$id: no XML documentation" >&2; exit 1; }
  [ "$id" != Microsoft.ML.Umap ] || for asset in {linux,win}-x64/lib/net{8,10}.0/$id.{dll,pdb}; do
    grep -q " runtimes/$asset$" <<<"$listing" || { echo "$id: no ReadyToRun image runtimes/$asset" >&2; exit 1; }
  done
  unzip -p "$nupkg" README.md | head -1 | grep -qx "# $id" || { echo "$id: the README is not its own" >&2; exit 1; }
done

# One release: the three packages carry the same version and the same release notes, which start with that version.
notes=""
for id in Microsoft.ML.Umap Microsoft.ML.Umap.Plotting Microsoft.ML.Umap.Tool; do
  nuspec=$(unzip -p "$packages/$id.$version.nupkg" "$id.nuspec")
  grep -qF "<version>$version</version>" <<<"$nuspec" || { echo "$id: not version $version" >&2; exit 1; }
  these=$(sed -n '/<releaseNotes>/,/<\/releaseNotes>/p' <<<"$nuspec")
  grep -qF "<releaseNotes>$version" <<<"$these" || { echo "$id: the release notes do not start with $version" >&2; exit 1; }
  [ -z "$notes" ] || [ "$notes" = "$these" ] || { echo "$id: release notes differ from Microsoft.ML.Umap's" >&2; exit 1; }
  notes=$these
done

# Debugging into the libraries: each DLL has its PDB beside it, with Source Link to this commit's sources on the
# project's repository; a CI build is deterministic, its paths mapped to /_/ instead of this machine's.
commit=$(git -C "$root" rev-parse HEAD)
pdb=$(mktemp)
for id in Microsoft.ML.Umap Microsoft.ML.Umap.Plotting; do
  for tfm in net8.0 net10.0; do
    unzip -p "$packages/$id.$version.nupkg" "lib/$tfm/$id.pdb" > "$pdb" || { echo "$id: no lib/$tfm/$id.pdb" >&2; exit 1; }
    grep -aqF "https://raw.githubusercontent.com/microsoft-ml-umap/Microsoft.ML.Umap/$commit/*" "$pdb" \
      || { echo "$id ($tfm): the PDB has no Source Link to commit $commit" >&2; exit 1; }
    if [ "${CI:-}" = true ]; then
      unzip -p "$packages/$id.$version.nupkg" "lib/$tfm/$id.dll" | grep -aqF "/_/src/$id/" \
        || { echo "$id ($tfm): not a deterministic CI build (no /_/ path map)" >&2; exit 1; }
    fi
  done
done
rm -f "$pdb"

# Loading the Plotting package in a notebook registers its display formatters through this script.
grep -q "interactive-extensions/dotnet/extension.dib" <<<"$(unzip -l "$packages/Microsoft.ML.Umap.Plotting.$version.nupkg")" \
  || { echo "Microsoft.ML.Umap.Plotting: the notebook extension is not packed" >&2; exit 1; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
cat > nuget.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="local" value="$packages" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
XML
# A user's project: dotnet new console's settings (nullable off: the README's row classes are written without
# annotations), their own Microsoft.ML, every warning an error.
project() {
  mkdir -p "$1"
  cat > "$1/$1.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net8.0</TargetFramework>
    <RollForward>Major</RollForward>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.ML" Version="$mlnet" />
    <PackageReference Include="Microsoft.ML.Umap" Version="$version" />
    <PackageReference Include="Microsoft.ML.Umap.Plotting" Version="$version" />
  </ItemGroup>
</Project>
XML
}
# Builds a scratch project; any warning fails it, restore warnings included.
build_without_warnings() {
  local log
  log=$(dotnet build "$1" -c Release --nologo 2>&1) || { echo "$log" >&2; echo "$1 did not build" >&2; exit 1; }
  if grep -qiE ": warning [A-Z]+[0-9]+" <<<"$log"; then
    echo "$log" >&2; echo "$1: the packages gave warnings" >&2; exit 1
  fi
  grep -qE "^ *0 Warning\(s\)" <<<"$log" || { echo "$log" >&2; echo "$1: no warning count in the build output" >&2; exit 1; }
}

# The README's quick start: its first program and the block that continues it, statements before the type (as the
# documentation tests merge them), run where data/ is the repository's (it writes model.zip beside it).
project readme
awk '/^```csharp$/ { n++; inside = 1; next } /^```$/ { inside = 0; next } inside && n <= 2 { print > ("block" n ".cs") }' "$root/README.md"
{ sed '/^public class/,$d' block1.cs; cat block2.cs; sed -n '/^public class/,$p' block1.cs; } > readme/Program.cs
grep -q "KnnAccuracy" readme/Program.cs && grep -q "Model.Load" readme/Program.cs \
  || { echo "The README's quick start is not where package-smoke.sh looks for it" >&2; exit 1; }
build_without_warnings readme
mkdir run && ln -s "$root/data" run/data
quickstart=$(cd run && dotnet run --no-build -c Release --project "$scratch/readme")
echo "$quickstart"
grep -q "^Loaded: 1797 training rows of 64 features.$" <<<"$quickstart" \
  || { echo "The README's quick start did not run through" >&2; exit 1; }

project Smoke
cat > Smoke/Program.cs <<'CS'
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Umap;
using Microsoft.ML.Umap.Plotting;

var random = new Random(1);
var rows = Enumerable.Range(0, 300).Select(i => new Row
{
    Features = Enumerable.Range(0, 10).Select(d => (float)(random.NextDouble() + (d == 0 ? 5 * (i % 3) : 0))).ToArray(),
    Label = i % 3,
}).ToList();
var ml = new MLContext(seed: 1);
var data = ml.Data.LoadFromEnumerable(rows);
var model = ml.Transforms.Umap("Embedding", "Features").Fit(data);
var embedding = model.GetTrainingEmbedding();
double accuracy = UmapMetrics.KnnAccuracy(embedding, rows.Select(r => r.Label).ToArray(), 10, 5);

var path = Path.Combine(Path.GetTempPath(), $"smoke-{Environment.ProcessId}.zip");
ml.Model.Save(model, data.Schema, path);
var loaded = new MLContext().Model.Load(path, out _);
File.Delete(path);
var placed = loaded.Transform(ml.Data.LoadFromEnumerable(rows.Take(5))).GetColumn<float[]>("Embedding").ToArray();
var png = EmbeddingPlot.Scatter(embedding, rows.Select(r => r.Label).ToArray()).ToPng(200, 150);
var html = EmbeddingPlot.Interactive(embedding, rows.Select(r => r.Label).ToArray()).ToHtml();

Console.WriteLine($"package smoke test: kNN accuracy {accuracy:F3}, reloaded rows {placed.Length}, plot {png.Length} bytes, interactive page {html.Length} characters");
Console.WriteLine($"Microsoft.ML.Umap loaded from {Path.GetRelativePath(AppContext.BaseDirectory, typeof(UmapTransformer).Assembly.Location)}");
if (accuracy < 0.9 || placed.Length != 5 || png.Length < 1000 || !placed[0].SequenceEqual(embedding[0]) || !html.Contains("Plotly.newPlot") || html.Contains("cdn.plot.ly/plotly-"))
    throw new Exception("The installed package did not behave as expected.");

class Row
{
    [VectorType(10)] public float[] Features { get; set; } = Array.Empty<float>();
    public int Label { get; set; }
}
CS
build_without_warnings Smoke
smoke=$(dotnet run --no-build -c Release --project Smoke)
echo "$smoke"
# On linux-x64 (CI's platform) the host must pick the package's precompiled image, not the IL in lib/.
if [ "$(uname -sm)" = "Linux x86_64" ]; then
  grep -qx "Microsoft.ML.Umap loaded from runtimes/linux-x64/lib/net8.0/Microsoft.ML.Umap.dll" <<<"$smoke" \
    || { echo "The app did not load the package's ReadyToRun image for linux-x64" >&2; exit 1; }
fi

# The tool installs as a .NET tool and runs fit, transform and plot on a CSV of its own.
unzip -p "$packages/Microsoft.ML.Umap.Tool.$version.nupkg" Microsoft.ML.Umap.Tool.nuspec | grep -q '<packageType name="DotnetTool"' \
  || { echo "Microsoft.ML.Umap.Tool is not packed as a dotnet tool" >&2; exit 1; }
# The build-time Publicizer (an executable the library references for its build only) ships in no package.
for id in Microsoft.ML.Umap Microsoft.ML.Umap.Plotting Microsoft.ML.Umap.Tool; do
  ! unzip -l "$packages/$id.$version.nupkg" | grep -qi publicizer || { echo "$id ships the build-time Publicizer" >&2; exit 1; }
done
dotnet tool install Microsoft.ML.Umap.Tool --version "$version" --tool-path "$scratch/tools" --add-source "$packages" >/dev/null
# On linux-x64 the tool runs the library's precompiled image, which its deps.json declares for that runtime (the host's trace
# names the asset it took for the library).
if [ "$(uname -sm)" = "Linux x86_64" ]; then
  trace=$(COREHOST_TRACE=1 COREHOST_TRACE_VERBOSITY=4 "$scratch/tools/umap" --help 2>&1 >/dev/null)
  grep -qF "Processing TPA for deps entry [Microsoft.ML.Umap, $version, runtimes/linux-x64/lib/" <<<"$trace" \
    || { echo "The installed umap tool did not load the library's ReadyToRun image for linux-x64" >&2; exit 1; }
fi
{
  echo "id,x0,x1,x2,x3,label"
  for i in $(seq 0 299); do c=$((i % 3)); echo "r$i,$((c * 10 + i % 7)).5,$((i % 5)).25,$((c * 3)).0,$((i % 11)),$c"; done
} > rows.csv
"$scratch/tools/umap" fit rows.csv --exclude id,label --output model.zip --quiet
"$scratch/tools/umap" transform rows.csv --model model.zip --output embedded.csv --quiet
"$scratch/tools/umap" plot embedded.csv --label label --output embedded.png
[ "$(wc -l < embedded.csv)" = 301 ] && head -1 embedded.csv | grep -qx "id,x0,x1,x2,x3,label,umap_0,umap_1" && [ -s embedded.png ] \
  || { echo "The installed umap tool did not behave as expected." >&2; exit 1; }
set +e; "$scratch/tools/umap" transform missing.csv --model model.zip --output x.csv 2>/dev/null; code=$?; set -e
[ "$code" = 1 ] || { echo "umap transform of a missing file exited with $code, not 1" >&2; exit 1; }
echo "tool smoke test: fit, transform, plot and a clear failure from the installed umap tool"
