using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using PuppeteerSharp;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Plotting
{
    /// <summary>
    /// The local Chromium for page tests: <c>UMAP_CHROMIUM</c> if set, else Debian's <c>chromium</c> or a Chrome on
    /// the PATH. Without one the test is skipped with a message, except under CI (<c>CI=true</c>), which must run it.
    /// </summary>
    internal static class Chromium
    {
        private static readonly string[] Names = { "chromium", "chromium-browser", "google-chrome", "google-chrome-stable" };

        public static string FindOrSkip()
        {
            string? found = Find();
            if (found != null)
                return found;
            string message = "No Chromium found (set UMAP_CHROMIUM, or apt-get install chromium); the interactive plot's browser test did not run.";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                Assert.Fail("CI must run the browser tests. " + message);
            Skip.If(true, message);
            return "";
        }

        public static Task<IBrowser> LaunchAsync(string executable) => Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            // Root in a container has no sandbox; software WebGL stands in for the missing GPU.
            Args = new[] { "--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--disable-dev-shm-usage" },
        });

        private static string? Find()
        {
            string? configured = Environment.GetEnvironmentVariable("UMAP_CHROMIUM");
            if (!string.IsNullOrEmpty(configured))
                return File.Exists(configured) ? configured : throw new InvalidOperationException($"UMAP_CHROMIUM is '{configured}', which does not exist.");
            var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
            return Names.SelectMany(name => path.Select(dir => Path.Combine(dir, name))).FirstOrDefault(File.Exists);
        }
    }
}
