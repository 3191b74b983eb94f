using System.IO.Compression;
using System.Xml.Linq;
using Bms.Contracts.Tests.Infrastructure;

namespace Bms.Contracts.Tests;

public sealed class PackageTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(20);

    private static readonly string[] Packages =
    [
        "Bms.Contracts", "Bms.Realtime.Protocol", "Bms.Realtime.Server", "Bms.Realtime.Server.Redis", "Bms.Realtime.Client",
        "Bms.Pos", "Bms.Web.Components",
    ];

    [Fact]
    public async Task PackedPackagesAloneBuildAFreshServerAndClientThatRoundTripAnEvent()
    {
        var work = Path.Combine(Path.GetTempPath(), "bms-packages", Guid.NewGuid().ToString("N"));
        var output = Path.Combine(work, "packages");
        var sample = Path.Combine(work, "sample");
        Directory.CreateDirectory(sample);

        // A version no earlier run used, so the NuGet cache cannot answer with stale packages.
        var version = $"1.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        try
        {
            var (packed, packOutput) = await RunAsync("bash", [Path.Combine(RepositoryPaths.Root, "scripts", "pack.sh")], RepositoryPaths.Root,
                ("BMS_PACKAGE_OUTPUT", output), ("BMS_PACKAGE_VERSION", version));
            Assert.True(packed == 0, packOutput);

            foreach (var id in Packages)
            {
                var nupkg = Path.Combine(output, $"{id}.{version}.nupkg");
                Assert.True(File.Exists(nupkg), $"{nupkg} missing:\n{packOutput}");
                Assert.True(File.Exists(Path.Combine(output, $"{id}.{version}.snupkg")), $"{id}: no symbols package");
                using var zip = ZipFile.OpenRead(nupkg);
                Assert.NotNull(zip.GetEntry("README.md"));
                Assert.NotNull(zip.GetEntry("LICENSE"));
                Assert.Contains(zip.Entries, e => e.FullName == $"lib/net10.0/{id}.dll");
                using var nuspecStream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
                var metadata = XDocument.Load(nuspecStream).Root!.Elements().First(e => e.Name.LocalName == "metadata");
                string? Field(string name) => metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
                Assert.Equal(id, Field("id"));
                Assert.Equal("MIT", Field("license"));
                Assert.Equal("README.md", Field("readme"));
                Assert.False(string.IsNullOrWhiteSpace(Field("description")), $"{id}: description");
                Assert.False(string.IsNullOrWhiteSpace(Field("tags")), $"{id}: tags");
                Assert.NotNull(metadata.Elements().FirstOrDefault(e => e.Name.LocalName == "repository"));
            }

            foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "PackageSample")))
            {
                File.Copy(file, Path.Combine(sample, Path.GetFileName(file)));
            }

            await File.WriteAllTextAsync(Path.Combine(sample, "NuGet.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="bms-local" value="{output}" />
                  </packageSources>
                  <packageSourceMapping>
                    <packageSource key="bms-local"><package pattern="Bms.*" /></packageSource>
                    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
                  </packageSourceMapping>
                </configuration>
                """);
            var (ran, runOutput) = await RunAsync("dotnet", ["run", "-c", "Release", $"-p:BmsVersion={version}"], sample);
            Assert.True(ran == 0, runOutput);
            Assert.Contains("round-trip ok SKU-1 7", runOutput);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    private static Task<(int ExitCode, string Output)> RunAsync(string fileName, string[] arguments, string directory, params (string Name, string Value)[] environment) =>
        ProcessRunner.RunAsync(fileName, arguments, directory, Timeout, environment.ToDictionary(e => e.Name, e => e.Value));
}
