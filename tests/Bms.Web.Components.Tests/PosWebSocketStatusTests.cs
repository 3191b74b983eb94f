using Bms.Contracts;
using Bms.Web.Components.Models;
using Bunit;

namespace Bms.Web.Components.Tests;

public sealed class PosWebSocketStatusTests : ComponentTestContext
{
    public PosWebSocketStatusTests()
    {
        Directory.Terminals =
        [
            new TerminalStatus { TerminalId = "POS-001", Name = "Till 1", StoreId = 1, IsConnected = true, SyncState = TerminalSyncState.Synced },
            new TerminalStatus { TerminalId = "POS-002", Name = "Till 2", StoreId = 1, IsConnected = false },
        ];
    }

    private object Report(string terminalId, object data) => new
    {
        id = Guid.NewGuid().ToString(),
        type = RealtimeEventNames.SyncStatus,
        timestamp = Clock.GetUtcNow(),
        data,
    };

    [Fact]
    public void ListsTerminalsWithTheirConnectionAndSyncState()
    {
        var cut = Render<PosWebSocketStatus>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=terminal]").Count), Wait);
        Assert.Equal("1 of 2 connected", cut.Find("[data-testid=pos-summary]").TextContent.Trim());
        var first = cut.Find("[data-terminal-id='POS-001']");
        Assert.Equal("Online", first.QuerySelector("[data-testid=terminal-connection]")!.TextContent.Trim());
        Assert.Equal("Synced", first.QuerySelector("[data-testid=terminal-sync]")!.TextContent);
        var second = cut.Find("[data-terminal-id='POS-002']");
        Assert.Equal("Disconnected", second.QuerySelector("[data-testid=terminal-connection]")!.TextContent.Trim());
        Assert.Contains("tone-bad", second.QuerySelector("[data-testid=terminal-connection]")!.ClassList);
    }

    [Fact]
    public async Task ASyncStatusReportUpdatesPendingCountAndState()
    {
        var cut = Render<PosWebSocketStatus>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=terminal]").Count), Wait);

        await Connection.PublishAsync(RealtimeEventNames.SyncStatus, Report("POS-001", new { terminalId = "POS-001", storeId = 1, isOnline = true, isSyncing = false, pendingTransactions = 4, syncErrors = Array.Empty<string>() }));

        cut.WaitForAssertion(() => Assert.Equal("4 pending", cut.Find("[data-terminal-id='POS-001'] [data-testid=terminal-pending]").TextContent), Wait);
        Assert.Equal("Pending", cut.Find("[data-terminal-id='POS-001'] [data-testid=terminal-sync]").TextContent);
    }

    [Fact]
    public async Task AnOfflineReportTurnsTheSyncStateRed()
    {
        var cut = Render<PosWebSocketStatus>();

        await Connection.PublishAsync(RealtimeEventNames.SyncStatus, Report("POS-003", new { terminalId = "POS-003", isOnline = false, pendingTransactions = 9 }));

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=terminal]").Count), Wait);
        var sync = cut.Find("[data-terminal-id='POS-003'] [data-testid=terminal-sync]");
        Assert.Equal("Offline", sync.TextContent);
        Assert.Contains("tone-bad", sync.ClassList);
    }

    [Fact]
    public void SyncNowAsksTheDirectoryAndReportsTheResult()
    {
        string? requested = "none";
        var cut = Render<PosWebSocketStatus>(p => p.Add(c => c.OnSyncRequested, id => requested = id));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=terminal-sync-now]").Count), Wait);

        cut.Find("[data-terminal-id='POS-001'] [data-testid=terminal-sync-now]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Sync requested from POS-001.", cut.Find("[data-testid=pos-message]").TextContent), Wait);
        Assert.Equal(["POS-001"], Directory.SyncRequests);
        Assert.Equal("POS-001", requested);

        cut.Find("[data-testid=pos-sync-all]").Click();
        cut.WaitForAssertion(() => Assert.Equal("Sync requested from 1 terminal(s).", cut.Find("[data-testid=pos-message]").TextContent), Wait);
        Assert.Equal(["POS-001", null], Directory.SyncRequests);
    }

    [Fact]
    public void ShowSyncButtonFalseHidesManualSync()
    {
        var cut = Render<PosWebSocketStatus>(p => p.Add(c => c.ShowSyncButton, false));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=terminal]").Count), Wait);
        Assert.Empty(cut.FindAll("[data-testid=terminal-sync-now]"));
        Assert.Empty(cut.FindAll("[data-testid=pos-sync-all]"));
    }

    [Fact]
    public void TheDetailsButtonAppearsOnlyWithACallback()
    {
        var opened = 0;
        var without = Render<PosWebSocketStatus>();
        Assert.Empty(without.FindAll("[data-testid=pos-details]"));

        var with = Render<PosWebSocketStatus>(p => p.Add(c => c.OnShowDetails, () => opened++));
        with.Find("[data-testid=pos-details]").Click();

        Assert.Equal(1, opened);
    }

    [Fact]
    public async Task TheSyncRequestMessageClearsWhenThatTerminalReportsAndSaysNoAnswerAfterTenSeconds()
    {
        var cut = Render<PosWebSocketStatus>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=terminal-sync-now]").Count), Wait);

        cut.Find("[data-terminal-id='POS-001'] [data-testid=terminal-sync-now]").Click();
        cut.WaitForAssertion(() => Assert.Equal("Sync requested from POS-001.", cut.Find("[data-testid=pos-message]").TextContent), Wait);

        // Another terminal's report is not the answer; POS-001's is.
        await Connection.PublishAsync(RealtimeEventNames.SyncStatus, Report("POS-002", new { terminalId = "POS-002", isOnline = true }));
        cut.WaitForAssertion(() => Assert.Equal("1 of 2 connected", cut.Find("[data-testid=pos-summary]").TextContent.Trim()), Wait);
        Assert.NotEmpty(cut.FindAll("[data-testid=pos-message]"));
        await Connection.PublishAsync(RealtimeEventNames.SyncStatus, Report("POS-001", new { terminalId = "POS-001", isOnline = true, isSyncing = false }));
        cut.WaitForAssertion(() => Assert.Equal("Synced", cut.Find("[data-terminal-id='POS-001'] [data-testid=terminal-sync]").TextContent), Wait);

        // Answered at once: the message still stays long enough to be read (1.5 s), then clears.
        Clock.Advance(TimeSpan.FromSeconds(1.4));
        Assert.Equal("Sync requested from POS-001.", cut.Find("[data-testid=pos-message]").TextContent);
        Clock.Advance(TimeSpan.FromSeconds(0.1));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=pos-message]")), Wait);

        // Asked again, no answer: after 10 s the message says so.
        cut.Find("[data-terminal-id='POS-001'] [data-testid=terminal-sync-now]").Click();
        cut.WaitForAssertion(() => Assert.Equal("Sync requested from POS-001.", cut.Find("[data-testid=pos-message]").TextContent), Wait);
        Clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal("Sync requested from POS-001.", cut.Find("[data-testid=pos-message]").TextContent);
        Clock.Advance(TimeSpan.FromSeconds(1));
        cut.WaitForAssertion(() => Assert.Equal("No answer from POS-001.", cut.Find("[data-testid=pos-message]").TextContent), Wait);
    }
    [Fact]
    public async Task AnAnswerThatOvertakesTheRequestStillShowsTheMessageBeforeClearingIt()
    {
        Directory.BeforeAnswer = terminalId => Connection.PublishAsync(
            RealtimeEventNames.SyncStatus,
            Report("POS-001", new { terminalId = "POS-001", isOnline = true, isSyncing = false, latencyMs = 3 }));
        var cut = Render<PosWebSocketStatus>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=terminal-sync-now]").Count), Wait);

        cut.Find("[data-terminal-id='POS-001'] [data-testid=terminal-sync-now]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Sync requested from POS-001.", cut.Find("[data-testid=pos-message]").TextContent), Wait);
        Clock.Advance(TimeSpan.FromSeconds(1.5));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=pos-message]")), Wait);

        // Nobody is still awaited, so the answer timeout says nothing.
        Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(cut.FindAll("[data-testid=pos-message]"));
    }
}

public sealed class PosWebSocketStatusWithoutDirectoryTests() : ComponentTestContext(withDirectory: false)
{
    [Fact]
    public void WithoutADirectoryTerminalsAppearOnlyFromReportsAndCannotBeAskedToSync()
    {
        var cut = Render<PosWebSocketStatus>();

        Assert.NotNull(cut.Find("[data-testid=pos-empty]"));
        Assert.Empty(cut.FindAll("[data-testid=pos-sync-all]"));
    }
}
