namespace Bms.Contracts.Tests.Infrastructure;

/// <summary>Where the repository, the Node peers and the TypeScript compiler are (BMS_REPO_ROOT, BMS_INTEROP_DIR).</summary>
public static class RepositoryPaths
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string Root { get; } = FindRoot();

    public static string TypeScriptPackage => Path.Combine(Root, "clients", "typescript");

    public static string Interop => Environment.GetEnvironmentVariable("BMS_INTEROP_DIR") is { Length: > 0 } dir ? dir : Path.Combine(Root, "interop");

    public static string Tsc => Path.Combine(TypeScriptPackage, "node_modules", "typescript", "bin", "tsc");

    /// <summary>
    /// True when node, tsc (clients/typescript, npm ci) and socket.io-client (interop, npm ci) are installed. In CI a
    /// missing piece fails the test; elsewhere the caller returns early with the reason on the console.
    /// </summary>
    public static bool NodeToolsPresent()
    {
        var missing = new List<string>();
        if (!File.Exists(Tsc))
        {
            missing.Add($"typescript (npm ci in {TypeScriptPackage})");
        }

        if (!Directory.Exists(Path.Combine(Interop, "node_modules", "socket.io-client")))
        {
            missing.Add($"socket.io-client (npm ci in {Interop})");
        }

        if (missing.Count == 0)
        {
            return true;
        }

        Assert.False(IsCi, "Required in CI: " + string.Join(", ", missing));
        Console.WriteLine("Skipping: missing " + string.Join(", ", missing));
        return false;
    }

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("BMS_REPO_ROOT") is { Length: > 0 } root)
        {
            return root;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BmsRealtime.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Repository root not found; set BMS_REPO_ROOT.");
    }
}
