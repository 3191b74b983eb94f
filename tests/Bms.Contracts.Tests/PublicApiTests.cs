using System.Text.Json;
using Bms.Contracts.Tests.Infrastructure;

namespace Bms.Contracts.Tests;

public sealed class PublicApiTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static TheoryData<string> PackagedLibraries() =>
    [
        "Bms.Contracts", "Bms.Realtime.Protocol", "Bms.Realtime.Server", "Bms.Realtime.Server.Redis", "Bms.Realtime.Client",
        "Bms.Pos", "Bms.Web.Components",
    ];

    [Theory]
    [MemberData(nameof(PackagedLibraries))]
    public async Task EveryPackagedLibraryDeclaresItsPublicApiAndDocumentsEveryPublicMember(string project)
    {
        var directory = Path.Combine(RepositoryPaths.Root, "src", project);
        var shipped = await File.ReadAllLinesAsync(Path.Combine(directory, "PublicAPI.Shipped.txt")).WaitAsync(Timeout);
        var unshipped = await File.ReadAllLinesAsync(Path.Combine(directory, "PublicAPI.Unshipped.txt")).WaitAsync(Timeout);
        Assert.Equal("#nullable enable", shipped[0]);
        Assert.Equal("#nullable enable", unshipped[0]);
        Assert.Contains(shipped, l => l.StartsWith(project + ".", StringComparison.Ordinal));

        var (exitCode, output) = await ProcessRunner.RunAsync("dotnet",
            ["msbuild", Path.Combine(directory, project + ".csproj"), "-getProperty:NoWarn", "-getProperty:GenerateDocumentationFile", "-getItem:PackageReference", "-p:Configuration=Release"],
            directory, Timeout, new Dictionary<string, string>()).WaitAsync(Timeout);
        Assert.True(exitCode == 0, output);
        using var evaluation = JsonDocument.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..]);
        var properties = evaluation.RootElement.GetProperty("Properties");
        Assert.DoesNotContain("CS1591", properties.GetProperty("NoWarn").GetString() ?? "", StringComparison.Ordinal);
        Assert.Equal("true", properties.GetProperty("GenerateDocumentationFile").GetString(), ignoreCase: true);
        Assert.Contains(evaluation.RootElement.GetProperty("Items").GetProperty("PackageReference").EnumerateArray(),
            r => r.GetProperty("Identity").GetString() == "Microsoft.CodeAnalysis.PublicApiAnalyzers");
    }
}
