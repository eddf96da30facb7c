using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Xunit;
using Xunit.Abstractions;

namespace Microsoft.ML.Umap.Tests.Helpers
{
    /// <summary>
    /// The test run is on the runtime and instruction sets it claims: the net8.0 build on .NET 8 itself
    /// (self-contained), not rolled forward; and CI's AVX-512 and hardware-intrinsic switches really reach the JIT, so
    /// the runs meant to exercise the 256-bit, 128-bit and scalar kernels do.
    /// </summary>
    public sealed class RuntimeTests
    {
        private readonly ITestOutputHelper _output;

        public RuntimeTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void TestsRunOnTheRuntimeTheyWereBuiltFor()
        {
            _output.WriteLine($"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.ProcessArchitecture}");
#if NET10_0
            Assert.Equal(10, Environment.Version.Major);
#elif NET8_0
            Assert.Equal(8, Environment.Version.Major);
#else
            Assert.Fail("Tests built for a framework this check does not know.");
#endif
        }

        [Fact]
        public void InstructionSetSwitchesReachTheJit()
        {
            _output.WriteLine($"Vector128 {Vector128.IsHardwareAccelerated}, Vector256 {Vector256.IsHardwareAccelerated}, Vector512 {Vector512.IsHardwareAccelerated}, Vector<float> {System.Numerics.Vector<float>.Count} lanes");
            if (Switch("EnableHWIntrinsic") == "0")
            {
                Assert.False(Vector128.IsHardwareAccelerated);
                Assert.False(System.Numerics.Vector.IsHardwareAccelerated);
            }
            // The 128-bit run: no AVX, so neither 256- nor 512-bit vectors, but 128-bit ones.
            if (Switch("EnableAVX") == "0" && Switch("EnableHWIntrinsic") != "0")
            {
                Assert.False(Vector256.IsHardwareAccelerated);
                Assert.False(Vector512.IsHardwareAccelerated);
                Assert.True(Vector128.IsHardwareAccelerated);
            }
            // .NET 8 names the AVX-512 switch EnableAVX512F; .NET 9 and later EnableAVX512 (and ignore the old name).
            if (Switch(Environment.Version.Major >= 9 ? "EnableAVX512" : "EnableAVX512F") == "0")
            {
                Assert.False(Vector512.IsHardwareAccelerated);
                Assert.True(System.Numerics.Vector<float>.Count <= 8);
            }
        }

        private static string? Switch(string name) => Environment.GetEnvironmentVariable("DOTNET_" + name);
    }
}
