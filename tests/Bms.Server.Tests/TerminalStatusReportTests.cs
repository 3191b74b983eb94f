using System.Net;
using Bms.Server.Domain;
using Bms.Server.Realtime;
using Bms.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bms.Server.Tests;

public sealed class TerminalStatusReportTests
{
    [Fact]
    public async Task ACashierCannotReportForUnknownTerminalsOrTerminalsOfAnotherStoreAndTheBoardDoesNotGrow()
    {
        await using var host = await BmsServerHost.StartAsync(new Dictionary<string, string> { ["Bms:Realtime:EventBurst"] = "200" });
        await SecondStore.AddAsync(host);
        var board = host.Services.GetRequiredService<TerminalStatusBoard>();
        await using var cashier = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/pos", new { token = await host.TokenAsync("cashier") });

        var answers = new List<string?>();
        for (var i = 0; i < 100; i++)
        {
            var ack = await cashier.EmitWithAckAsync("sync:status", new { terminalId = $"FAKE-{i}", pendingTransactions = 0 });
            answers.Add(ack.GetProperty("error").GetString());
        }

        var otherStore = await cashier.EmitWithAckAsync("sync:status", new { terminalId = "POS-201", pendingTransactions = 0 });
        var missing = await cashier.EmitWithAckAsync("sync:status", new { pendingTransactions = 0 });

        Assert.All(answers, a => Assert.Equal("unknown_terminal", a));
        Assert.DoesNotContain(PendingGaugeTerminals(), t => t != "POS-001");
        Assert.Equal("unknown_terminal", otherStore.GetProperty("error").GetString());
        Assert.Equal("invalid_payload", missing.GetProperty("error").GetString());
        Assert.Equal(0, board.Count);
        Assert.True(cashier.IsConnected);
    }

    [Fact]
    public async Task ACashierSocketIsBoundToTheFirstTerminalItReportsFor()
    {
        await using var host = await BmsServerHost.StartAsync();
        await host.WithDbAsync(async db =>
        {
            db.Terminals.Add(new Terminal { Id = "POS-002", Name = "Till 2", StoreId = 1, CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        await using var cashier = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/pos", new { token = await host.TokenAsync("cashier") });

        var first = await cashier.EmitWithAckAsync("sync:status", new { terminalId = "POS-002", pendingTransactions = 1 });
        var again = await cashier.EmitWithAckAsync("sync:status", new { terminalId = "POS-002", pendingTransactions = 2 });
        var other = await cashier.EmitWithAckAsync("sync:status", new { terminalId = "POS-001", pendingTransactions = 9 });

        Assert.True(first.GetProperty("ok").GetBoolean());
        Assert.True(again.GetProperty("ok").GetBoolean());
        Assert.Equal("forbidden", other.GetProperty("error").GetString());
        var terminals = await TerminalsAsync(host);
        Assert.Equal(2, terminals["POS-002"].GetProperty("lastSyncStatus").GetProperty("pendingTransactions").GetInt32());
        Assert.Equal("user:3", terminals["POS-002"].GetProperty("lastSyncStatus").GetProperty("reportedBy").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, terminals["POS-001"].GetProperty("lastSyncStatus").ValueKind);
    }

    [Fact]
    public async Task ACashierReportDoesNotOverwriteTheTerminalsOwnRecentReport()
    {
        await using var host = await BmsServerHost.StartAsync();
        await using var terminal = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/pos", new { token = await host.TerminalTokenAsync() });
        await using var cashier = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/pos", new { token = await host.TokenAsync("cashier") });

        var own = await terminal.EmitWithAckAsync("sync:status", new { isOnline = true, pendingTransactions = 4 });
        var overwrite = await cashier.EmitWithAckAsync("sync:status", new { terminalId = "POS-001", isOnline = false, pendingTransactions = 999 });

        Assert.True(own.GetProperty("ok").GetBoolean());
        Assert.Equal("superseded", overwrite.GetProperty("error").GetString());
        var report = (await TerminalsAsync(host))["POS-001"].GetProperty("lastSyncStatus");
        Assert.Equal(4, report.GetProperty("pendingTransactions").GetInt32());
        Assert.Equal("POS-001", report.GetProperty("reportedBy").GetString());
    }

    [Fact]
    public async Task AnInactiveTerminalCannotReport()
    {
        await using var host = await BmsServerHost.StartAsync();
        var token = await host.TerminalTokenAsync();
        await host.WithDbAsync(async db =>
        {
            var pos = await db.Terminals.FindAsync("POS-001");
            pos!.IsActive = false;
            return await db.SaveChangesAsync();
        });
        await using var terminal = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/pos", new { token });

        var ack = await terminal.EmitWithAckAsync("sync:status", new { isOnline = true });

        Assert.Equal("unknown_terminal", ack.GetProperty("error").GetString());
        Assert.Equal(0, host.Services.GetRequiredService<TerminalStatusBoard>().Count);
    }

    /// <summary>The <c>terminal</c> tags the <c>bms.pos.sync.pending</c> gauge reports right now.</summary>
    private static HashSet<string> PendingGaugeTerminals()
    {
        var tags = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "bms.pos.sync.pending")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, measurementTags, _) =>
        {
            foreach (var tag in measurementTags)
            {
                if (tag.Key == "terminal")
                {
                    tags.Add(tag.Value?.ToString() ?? "");
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return tags;
    }

    private static async Task<Dictionary<string, System.Text.Json.JsonElement>> TerminalsAsync(BmsServerHost host)
    {
        var (status, body, _) = await host.SendAsync(HttpMethod.Get, "/api/terminals", await host.TokenAsync("manager"));
        Assert.Equal(HttpStatusCode.OK, status);
        return body.EnumerateArray().ToDictionary(t => t.GetProperty("id").GetString()!);
    }
}
