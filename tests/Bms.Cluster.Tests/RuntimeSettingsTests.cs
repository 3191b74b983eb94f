using System.Text.Json;

namespace Bms.Cluster.Tests;

/// <summary>
/// The hosts we ship carry the runtime settings they are tuned for in their own runtimeconfig.json, so a user who runs
/// them as built or published (no extra environment) gets the benchmarked behaviour.
/// </summary>
public sealed class RuntimeSettingsTests
{
    public static TheoryData<string, string> Hosts => new()
    {
        { "src/Bms.Server", "Bms.Server" },
        { "samples/Bms.Realtime.EchoHost", "Bms.Realtime.EchoHost" },
        { "samples/Bms.Realtime.ConformanceHost", "Bms.Realtime.ConformanceHost" },
        { "src/Bms.Pos.Terminal", "Bms.Pos.Terminal" },
    };

    [Theory]
    [MemberData(nameof(Hosts))]
    public void TheBuiltHostsRuntimeConfigTurnsTheThreadPoolSpinOffAndUsesWorkstationNonConcurrentGc(string project, string assembly)
    {
        var path = Path.Combine(TestEnvironment.RepositoryRoot, project, "bin", Configuration, Tfm, assembly + ".runtimeconfig.json");
        Assert.True(File.Exists(path), $"{path} is missing (the test project builds the hosts)");
        var properties = JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Equal(0, properties.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.False(properties.GetProperty("System.GC.Concurrent").GetBoolean());
    }

    private static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    private static string Tfm => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
}
