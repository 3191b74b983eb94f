using Bms.Contracts.TypeScriptGen;

// Writes the generated TypeScript package files into the given folder (default: clients/typescript of the repository).
var output = args.Length > 0 ? args[0] : Path.Combine(FindRepositoryRoot(), "clients", "typescript");
foreach (var (name, text) in TypeScriptGenerator.Generate())
{
    await File.WriteAllTextAsync(Path.Combine(output, name), text);
    Console.WriteLine($"wrote {Path.Combine(output, name)}");
}

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "BmsRealtime.slnx")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("Run from inside the repository or pass the output folder.");
}
