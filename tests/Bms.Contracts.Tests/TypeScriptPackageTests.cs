using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Bms.Contracts.Tests.Infrastructure;
using Bms.Contracts.TypeScriptGen;
using Bms.Testing;

namespace Bms.Contracts.Tests;

public sealed class TypeScriptPackageTests
{
    [Fact]
    public void CommittedTypeScriptPackageIsWhatTheGeneratorWritesToday()
    {
        foreach (var (name, text) in TypeScriptGenerator.Generate())
        {
            var path = Path.Combine(RepositoryPaths.TypeScriptPackage, name);
            Assert.True(File.Exists(path), $"{path} is missing: run scripts/generate-contracts.sh");
            Assert.True(text == File.ReadAllText(path),
                $"clients/typescript/{name} differs from the contracts: run scripts/generate-contracts.sh and commit the result.");
        }
    }

    [Fact]
    public async Task GeneratedDeclarationsCompileUnderStrict()
    {
        if (!RepositoryPaths.NodeToolsPresent())
        {
            return;
        }

        var (code, output) = await ProcessRunner.RunAsync("node",
            [RepositoryPaths.Tsc, "--strict", "--noEmit", "--lib", "ES2022", "index.d.ts"],
            RepositoryPaths.TypeScriptPackage, TypeScriptWorkspace.Timeout);
        Assert.True(code == 0, output);
    }

    [Fact]
    public async Task TypedClientProgramCompilesUnderStrict()
    {
        if (!RepositoryPaths.NodeToolsPresent())
        {
            return;
        }

        using var workspace = TypeScriptWorkspace.Create("live.ts");
        var (code, output) = await workspace.CompileAsync();
        Assert.True(code == 0, output);
    }

    [Theory]
    [InlineData("bad-event-name.ts", "bad-event-name.ts(6,", "inventory:updatd")]
    [InlineData("bad-payload-field.ts", "bad-payload-field.ts(7,", "newQty")]
    [InlineData("bad-client-event.ts", "bad-client-event.ts(6,", "number")]
    [InlineData("bad-client-event.ts", "bad-client-event.ts(7,", "notification:send")]
    public async Task MisuseOfTheContractIsACompileError(string fixture, string location, string mentioned)
    {
        if (!RepositoryPaths.NodeToolsPresent())
        {
            return;
        }

        using var workspace = TypeScriptWorkspace.Create(fixture);
        var (code, output) = await workspace.CompileAsync();
        Assert.NotEqual(0, code);
        var line = output.Split('\n').FirstOrDefault(l => l.Contains(location, StringComparison.Ordinal));
        Assert.True(line is not null, $"expected an error at {location}:\n{output}");
        Assert.Contains("error TS", line);
        Assert.Contains(mentioned, line);
    }

    [Fact]
    public async Task TypedClientProgramReceivesInventoryUpdatedFromALiveServer()
    {
        if (!RepositoryPaths.NodeToolsPresent())
        {
            return;
        }

        using var workspace = TypeScriptWorkspace.Create("live.ts");
        var (compiled, compileOutput) = await workspace.CompileAsync();
        Assert.True(compiled == 0, compileOutput);

        await using var host = await BmsServerHost.StartAsync();
        var lines = new Collector<JsonElement>();
        var start = new System.Diagnostics.ProcessStartInfo("node")
        {
            WorkingDirectory = workspace.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { Path.Combine("out", "live.js"), host.BaseAddress.ToString().TrimEnd('/'), "manager", BmsServerHost.DemoPassword("manager") },
        };
        using var node = System.Diagnostics.Process.Start(start)!;
        var errors = node.StandardError.ReadToEndAsync();
        _ = Task.Run(async () =>
        {
            while (await node.StandardOutput.ReadLineAsync() is { } line)
            {
                lines.Add(JsonDocument.Parse(line).RootElement.Clone());
            }
        });
        try
        {
            var signedIn = await lines.NextAsync(TypeScriptWorkspace.Timeout);
            Assert.Equal("signed-in", signedIn.GetProperty("step").GetString());
            var joined = await lines.NextAsync(TypeScriptWorkspace.Timeout);
            Assert.Equal("joined", joined.GetProperty("step").GetString());
            Assert.True(joined.GetProperty("ok").GetBoolean(), joined.ToString());

            // A stock change in store 1, made over REST by the same user, reaches the typed handler.
            var token = await host.TokenAsync("manager");
            var (status, products, _) = await host.SendAsync(HttpMethod.Get, "/api/products?storeId=1", token);
            Assert.Equal(System.Net.HttpStatusCode.OK, status);
            var product = products.EnumerateArray().First();
            var productId = product.GetProperty("id").GetInt32();
            var quantity = product.GetProperty("quantity").GetInt32();
            var (adjusted, body, _) = await host.SendAsync(HttpMethod.Post, "/api/inventory/adjust", token,
                new AdjustInventoryRequest(productId, 5, "delivery"));
            Assert.True(adjusted == System.Net.HttpStatusCode.OK, body.ToString());

            var inventory = await lines.NextAsync(TypeScriptWorkspace.Timeout);
            Assert.Equal("inventory", inventory.GetProperty("step").GetString());
            Assert.Equal(RealtimeEventNames.InventoryUpdated, inventory.GetProperty("type").GetString());
            Assert.Equal(productId, inventory.GetProperty("productId").GetInt32());
            Assert.Equal(1, inventory.GetProperty("storeId").GetInt32());
            Assert.Equal(quantity + 5, inventory.GetProperty("newQuantity").GetInt32());
            Assert.Equal(5, inventory.GetProperty("change").GetInt32());
            await node.WaitForExitAsync().WaitAsync(TypeScriptWorkspace.Timeout);
            Assert.True(node.ExitCode == 0, await errors.WaitAsync(TypeScriptWorkspace.Timeout));
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }
        }
    }
}
