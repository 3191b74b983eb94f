using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Bms.Server.Tests.Infrastructure;

namespace Bms.Server.Tests;

public sealed class OfficialClientInteropTests
{
    [Fact]
    public async Task TheOfficialSocketIoClientSignsInJoinsTheStoreRoomAndReceivesASale()
    {
        if (FindInteropDirectory() is not { } interop || !CanRunNode())
        {
            // Outside CI the Node peers may be absent; in CI scripts/test.sh installs them, so absence is a failure.
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "node and interop/node_modules are required in CI");
            return;
        }

        await using var host = await BmsServerHost.StartAsync();
        var cashier = await host.TokenAsync("cashier");
        var script = Path.Combine(AppContext.BaseDirectory, "Interop", "official-client.mjs");
        var start = new ProcessStartInfo("node", [script, interop, host.BaseAddress.ToString().TrimEnd('/'), cashier])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var node = Process.Start(start)!;
        try
        {
            var lines = new List<JsonElement>();
            async Task<JsonElement> NextAsync(string step)
            {
                while (await node.StandardOutput.ReadLineAsync().WaitAsync(BmsServerHost.Timeout) is { } line)
                {
                    var json = JsonDocument.Parse(line).RootElement.Clone();
                    lines.Add(json);
                    if (json.GetProperty("step").GetString() == step)
                    {
                        return json;
                    }
                }

                throw new InvalidOperationException($"node ended before '{step}': {string.Join("; ", lines)} {await node.StandardError.ReadToEndAsync()}");
            }

            var joined = await NextAsync("joined");
            Assert.True(joined.GetProperty("ack").GetProperty("ok").GetBoolean());

            var (status, _, _) = await host.SendAsync(HttpMethod.Post, "/api/transactions", cashier,
                new { storeId = 1, lines = new[] { new { productId = 6, quantity = 3 } } });
            Assert.Equal(HttpStatusCode.Created, status);
            await NextAsync("done");

            var refused = lines.Single(l => l.GetProperty("step").GetString() == "admin-connect-error");
            Assert.Equal("forbidden", refused.GetProperty("message").GetString());
            Assert.Equal("forbidden", refused.GetProperty("data").GetProperty("code").GetString());
            var inventory = lines.Single(l => l.GetProperty("step").GetString() == "event"
                && l.GetProperty("name").GetString() == "inventory:updated").GetProperty("envelope");
            Assert.Equal(27, inventory.GetProperty("data").GetProperty("newQuantity").GetInt32());
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }

            await node.WaitForExitAsync().WaitAsync(BmsServerHost.Timeout);
        }
    }

    private static string? FindInteropDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("BMS_INTEROP_DIR");
        if (configured is not null && Directory.Exists(Path.Combine(configured, "node_modules", "socket.io-client")))
        {
            return configured;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "interop");
            if (Directory.Exists(Path.Combine(candidate, "node_modules", "socket.io-client")))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool CanRunNode()
    {
        try
        {
            using var node = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            node?.WaitForExit(10_000);
            return node is { HasExited: true, ExitCode: 0 };
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
