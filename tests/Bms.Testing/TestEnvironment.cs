using System.Net;
using System.Net.Sockets;

namespace Bms.Testing;

/// <summary>Where the repository, the Node peers and the system programs are, and free loopback ports.</summary>
public static class TestEnvironment
{
    /// <summary>True under CI (<c>CI=true</c> or <c>CI=1</c>): a missing prerequisite fails instead of skipping.</summary>
    public static bool IsCi =>
        Environment.GetEnvironmentVariable("CI") is { } ci && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    /// <summary>The repository root: <c>BMS_REPO_ROOT</c>, else the first folder above the test binaries holding <c>BmsRealtime.slnx</c>.</summary>
    public static string RepositoryRoot
    {
        get
        {
            if (Environment.GetEnvironmentVariable("BMS_REPO_ROOT") is { Length: > 0 } fromEnv && File.Exists(Path.Combine(fromEnv, "BmsRealtime.slnx")))
            {
                return Path.GetFullPath(fromEnv);
            }

            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "BmsRealtime.slnx")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("Run the tests from inside the repository (or set BMS_REPO_ROOT).");
        }
    }

    /// <summary>Absolute path of <c>interop/</c> (the Node peers): <c>BMS_INTEROP_DIR</c>, else the repository's.</summary>
    public static string InteropDirectory =>
        Environment.GetEnvironmentVariable("BMS_INTEROP_DIR") is { Length: > 0 } fromEnv && Directory.Exists(fromEnv)
            ? Path.GetFullPath(fromEnv)
            : Path.Combine(RepositoryRoot, "interop");

    /// <summary>The first executable called <paramref name="name"/> on <c>PATH</c>, or null.</summary>
    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Where(dir => dir.Length > 0).Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    /// <summary>A program from the environment variable <paramref name="variable"/> when set, else from <c>PATH</c> or <paramref name="fallbacks"/>.</summary>
    public static string? FindProgram(string variable, string name, params string[] fallbacks)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } fromEnv && File.Exists(fromEnv))
        {
            return fromEnv;
        }

        return FindOnPath(name) ?? fallbacks.FirstOrDefault(File.Exists);
    }

    /// <summary>A loopback port that was free a moment ago (bound to port 0, then released).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The output of a project the test project builds but does not reference (<c>ReferenceOutputAssembly=false</c>),
    /// e.g. <c>BuiltAssembly("src/Bms.Server", "Bms.Server")</c>, in the same configuration and target framework as the
    /// running tests.
    /// </summary>
    public static string BuiltAssembly(string projectDirectory, string assemblyName)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        var path = Path.Combine(RepositoryRoot, projectDirectory, "bin", configuration, tfm, assemblyName + ".dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build the solution first.");
    }
}
