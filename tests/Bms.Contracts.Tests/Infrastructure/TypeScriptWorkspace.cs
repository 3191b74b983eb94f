using System.Text.Json;

namespace Bms.Contracts.Tests.Infrastructure;

/// <summary>
/// A temporary TypeScript project: the fixture files, a tsconfig with <c>--strict</c>, and a node_modules that links
/// <c>@bms/realtime-contracts</c> to clients/typescript and <c>socket.io-client</c> to the interop peers, as an app that
/// installed both would see them.
/// </summary>
public sealed class TypeScriptWorkspace : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private TypeScriptWorkspace(string directory) => Directory = directory;

    public string Directory { get; }

    public static TypeScriptWorkspace Create(params string[] fixtures)
    {
        var directory = Path.Combine(Path.GetTempPath(), "bms-contracts-ts", Guid.NewGuid().ToString("N"));
        var modules = Path.Combine(directory, "node_modules");
        System.IO.Directory.CreateDirectory(Path.Combine(modules, "@bms"));
        System.IO.Directory.CreateSymbolicLink(Path.Combine(modules, "@bms", "realtime-contracts"), RepositoryPaths.TypeScriptPackage);
        System.IO.Directory.CreateSymbolicLink(Path.Combine(modules, "socket.io-client"), Path.Combine(RepositoryPaths.Interop, "node_modules", "socket.io-client"));
        File.WriteAllText(Path.Combine(directory, "package.json"), """{ "private": true, "type": "module" }""");
        var source = Path.Combine(AppContext.BaseDirectory, "TypeScript");
        var files = new List<string> { "node-globals.d.ts" };
        files.AddRange(fixtures);
        foreach (var file in files)
        {
            File.Copy(Path.Combine(source, file), Path.Combine(directory, file));
        }

        var tsconfig = new
        {
            compilerOptions = new
            {
                strict = true,
                target = "ES2022",
                module = "NodeNext",
                moduleResolution = "NodeNext",
                lib = new[] { "ES2022", "DOM" },
                types = Array.Empty<string>(),
                outDir = "out",
                noUnusedLocals = true,
            },
            files,
        };
        File.WriteAllText(Path.Combine(directory, "tsconfig.json"), JsonSerializer.Serialize(tsconfig));
        return new TypeScriptWorkspace(directory);
    }

    /// <summary>Runs <c>tsc -p tsconfig.json</c> (emitting into out/).</summary>
    public Task<(int ExitCode, string Output)> CompileAsync() =>
        ProcessRunner.RunAsync("node", [RepositoryPaths.Tsc, "-p", "tsconfig.json", "--pretty", "false"], Directory, Timeout);

    public void Dispose()
    {
        try
        {
            // Remove the links first so the recursive delete can never reach into the linked packages.
            System.IO.Directory.Delete(Path.Combine(Directory, "node_modules", "@bms", "realtime-contracts"));
            System.IO.Directory.Delete(Path.Combine(Directory, "node_modules", "socket.io-client"));
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
