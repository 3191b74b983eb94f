using Bms.Contracts;
using Bms.Realtime.Client;
using Bms.Web.Components.Models;
using Bunit;
using Microsoft.AspNetCore.Components.Web;

namespace Bms.Web.Components.Tests;

public sealed class PosWebSocketControlPanelTests : ComponentTestContext
{
    public PosWebSocketControlPanelTests()
    {
        Directory.Terminals =
        [
            new TerminalStatus
            {
                TerminalId = "POS-001", Name = "Till 1", IsConnected = true, SyncState = TerminalSyncState.Synced,
                LastSyncAt = Clock.GetUtcNow().AddMinutes(-3), LastReportAt = Clock.GetUtcNow().AddSeconds(-20),
                Latency = TimeSpan.FromMilliseconds(35),
            },
            new TerminalStatus
            {
                TerminalId = "POS-002", Name = "Till 2", IsConnected = true, SyncState = TerminalSyncState.Pending, PendingTransactions = 6,
            },
            new TerminalStatus
            {
                TerminalId = "POS-003", Name = "Till 3", IsConnected = false, SyncState = TerminalSyncState.Error, PendingTransactions = 2,
                LastError = "Receipt R-17: product 12 not found", Errors = ["timeout", "Receipt R-17: product 12 not found"],
            },
        ];
    }

    [Fact]
    public void RendersNothingWhileClosed()
    {
        var cut = Render<PosWebSocketControlPanel>();

        Assert.Empty(cut.FindAll("[data-testid=pos-panel]"));
    }

    [Fact]
    public void ShowsEveryTerminalsHealthPendingCountsLastSyncAndErrors()
    {
        var cut = Render<PosWebSocketControlPanel>(p => p.Add(c => c.IsOpen, true));

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=panel-terminal]").Count), Wait);
        Assert.Equal("3", cut.Find("[data-testid=panel-total]").TextContent);
        Assert.Equal("1", cut.Find("[data-testid=panel-healthy]").TextContent);
        Assert.Equal("1", cut.Find("[data-testid=panel-degraded]").TextContent);
        Assert.Equal("1", cut.Find("[data-testid=panel-unhealthy]").TextContent);
        Assert.Equal("8", cut.Find("[data-testid=panel-pending]").TextContent);

        var healthy = cut.Find("[data-terminal-id='POS-001']");
        Assert.Equal(nameof(ConnectionHealth.Healthy), healthy.QuerySelector("[data-testid=panel-health]")!.TextContent);
        Assert.Contains("3 min ago", healthy.TextContent);
        Assert.Contains("35 ms", healthy.TextContent);

        var failing = cut.Find("[data-terminal-id='POS-003']");
        Assert.Contains("tone-bad", failing.QuerySelector("[data-testid=panel-health]")!.ClassList);
        Assert.Contains("Receipt R-17: product 12 not found", failing.QuerySelector("[data-testid=panel-errors]")!.TextContent);
        Assert.Contains("timeout", failing.QuerySelector("[data-testid=panel-errors]")!.TextContent);
    }

    [Fact]
    public void TheCloseButtonClosesAndReportsIsOpenFalse()
    {
        bool? reported = null;
        var cut = Render<PosWebSocketControlPanel>(p => p.Add(c => c.IsOpen, true).Add(c => c.IsOpenChanged, open => reported = open));

        cut.Find("[data-testid=pos-panel-close]").Click();

        Assert.False(reported);
        Assert.Empty(cut.FindAll("[data-testid=pos-panel]"));
    }

    [Fact]
    public void EscapeClosesThePanel()
    {
        bool? reported = null;
        var cut = Render<PosWebSocketControlPanel>(p => p.Add(c => c.IsOpen, true).Add(c => c.IsOpenChanged, open => reported = open));

        cut.Find("[data-testid=pos-panel]").KeyDown(new KeyboardEventArgs { Key = "Escape" });

        Assert.False(reported);
    }

    [Fact]
    public void SyncAllAsksEveryConnectedTerminal()
    {
        var cut = Render<PosWebSocketControlPanel>(p => p.Add(c => c.IsOpen, true));
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=panel-terminal]").Count), Wait);

        cut.Find("[data-testid=panel-sync-all]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Sync requested from 2 terminal(s).", cut.Find("[data-testid=panel-message]").TextContent), Wait);
        Assert.Equal([null], Directory.SyncRequests);
    }

    [Fact]
    public async Task TheLatencyColumnShowsTheLatencyTheTerminalReported()
    {
        var cut = Render<PosWebSocketControlPanel>(p => p.Add(c => c.IsOpen, true));
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=panel-terminal]").Count), Wait);

        await Connection.PublishAsync(RealtimeEventNames.SyncStatus, new
        {
            id = Guid.NewGuid().ToString(),
            type = RealtimeEventNames.SyncStatus,
            timestamp = Clock.GetUtcNow(),
            data = new { terminalId = "POS-001", isOnline = true, latencyMs = 42 },
        });

        cut.WaitForAssertion(() => Assert.Equal("42 ms", cut.Find("[data-terminal-id='POS-001'] [data-testid=panel-latency]").TextContent), Wait);
    }
}
