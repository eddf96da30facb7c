#!/usr/bin/env bash
# One seed, one embedding: the bit-check program (tests/Microsoft.ML.Umap.BitCheck) fits and transforms fixed data and
# prints a hash of every result. Every run must print exactly the committed expected.txt: with AVX-512, with AVX2 only,
# with 128-bit vectors only, with no hardware intrinsics, on .NET 8, and as a linux-arm64 build under qemu (Debian's
# qemu-user-static, installed here when missing). Run after `dotnet build UmapMLNet.sln -c Release`.
set -euo pipefail
cd "$(dirname "$0")/.."

check=tests/Microsoft.ML.Umap.BitCheck
expected="$check/expected.txt"
program="$check/bin/Release/net10.0/Microsoft.ML.Umap.BitCheck.dll"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

run() { # name, then the command
  local name=$1; shift
  "$@" >"$out/$name.txt" 2>"$out/$name.log" || { cat "$out/$name.log" >&2; echo "The bit check failed to run ($name)." >&2; exit 1; }
  if ! diff -u "$expected" "$out/$name.txt" >&2; then
    echo "The bit check gives other results with $name than $expected (see the diff above)." >&2
    exit 1
  fi
  echo "bit check, $name: the expected $(wc -l <"$expected") results"
}

run default dotnet "$program"
run no-avx512 env DOTNET_EnableAVX512=0 DOTNET_EnableAVX512F=0 dotnet "$program"
run 128-bit env DOTNET_EnableAVX=0 dotnet "$program"
run no-intrinsics env DOTNET_EnableHWIntrinsic=0 dotnet "$program"
# .NET 8's JIT and libraries (self-contained: only .NET 10 is installed).
run net8.0 "$check/bin/Release/net8.0/$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)/Microsoft.ML.Umap.BitCheck"

# A real ARM64 build (AdvSimd through 128-bit vectors), emulated.
if ! command -v qemu-aarch64-static >/dev/null 2>&1 || [ ! -e /lib/ld-linux-aarch64.so.1 ] || ! ls /usr/lib/aarch64-linux-gnu/libicuuc.so.* >/dev/null 2>&1; then
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  $sudo dpkg --add-architecture arm64
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq qemu-user-static libc6:arm64 libstdc++6:arm64 libicu72:arm64 >/dev/null
fi
dotnet publish "$check" -c Release -f net10.0 -r linux-arm64 --self-contained -o "$out/arm64" -v quiet -nologo >/dev/null
run linux-arm64 env DOTNET_EnableWriteXorExecute=0 qemu-aarch64-static -L / "$out/arm64/Microsoft.ML.Umap.BitCheck"
