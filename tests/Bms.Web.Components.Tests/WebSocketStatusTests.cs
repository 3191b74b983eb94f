using Bms.Realtime.Client;
using Bunit;

namespace Bms.Web.Components.Tests;

public sealed class WebSocketStatusTests : ComponentTestContext
{
    [Fact]
    public void ShowsTheConnectedStateInGreenText()
    {
        var cut = Render<WebSocketStatus>();

        var status = cut.Find("[data-testid=ws-status]");
        Assert.Equal("Connected", cut.Find("[data-testid=ws-state]").TextContent);
        Assert.Equal("Connected", status.GetAttribute("data-state"));
        Assert.Contains("tone-ok", status.ClassList);
        Assert.Empty(cut.FindAll("[data-testid=ws-details]"));
        Assert.Empty(cut.FindAll("[data-testid=ws-reconnect]"));
    }

    [Fact]
    public void FollowsStateChangesThroughReconnectingBackToConnected()
    {
        var cut = Render<WebSocketStatus>();

        Connection.SetState(ConnectionState.Reconnecting);
        cut.WaitForAssertion(() => Assert.Equal("Reconnecting", cut.Find("[data-testid=ws-state]").TextContent), Wait);
        Assert.Contains("tone-warn", cut.Find("[data-testid=ws-status]").ClassList);

        Connection.SetState(ConnectionState.Connected);
        cut.WaitForAssertion(() => Assert.Equal("Connected", cut.Find("[data-testid=ws-state]").TextContent), Wait);
    }

    [Fact]
    public void ShowDetailsListsLatencyTransportAttemptsAndHealth()
    {
        Connection.Statistics = Connection.Statistics with
        {
            Latency = TimeSpan.FromMilliseconds(42.4),
            Transport = TransportKind.Polling,
            ReconnectAttempts = 3,
            ReconnectCount = 2,
            Health = ConnectionHealth.Degraded,
        };

        var cut = Render<WebSocketStatus>(p => p.Add(c => c.ShowDetails, true));

        Assert.Equal("42 ms", cut.Find("[data-testid=ws-latency]").TextContent);
        Assert.Equal("HTTP long-polling", cut.Find("[data-testid=ws-transport]").TextContent);
        Assert.Equal("3", cut.Find("[data-testid=ws-attempts]").TextContent);
        Assert.Equal("2", cut.Find("[data-testid=ws-reconnects]").TextContent);
        Assert.Equal("Degraded", cut.Find("[data-testid=ws-health]").TextContent);
    }

    [Fact]
    public void DetailsRefreshOnTheTimerWithoutAStateChange()
    {
        var cut = Render<WebSocketStatus>(p => p.Add(c => c.ShowDetails, true).Add(c => c.RefreshInterval, TimeSpan.FromSeconds(1)));
        Assert.Equal("—", cut.Find("[data-testid=ws-latency]").TextContent);

        Connection.Statistics = Connection.Statistics with { Latency = TimeSpan.FromMilliseconds(7) };
        Clock.Advance(TimeSpan.FromSeconds(1));

        cut.WaitForAssertion(() => Assert.Equal("7 ms", cut.Find("[data-testid=ws-latency]").TextContent), Wait);
    }

    [Fact]
    public void ErrorStateShowsTheLastErrorAndARedTone()
    {
        Connection.SetState(ConnectionState.Error, new InvalidOperationException("unauthorized"));

        var cut = Render<WebSocketStatus>(p => p.Add(c => c.ShowDetails, true));

        Assert.Equal("Connection error", cut.Find("[data-testid=ws-state]").TextContent);
        Assert.Contains("tone-bad", cut.Find("[data-testid=ws-status]").ClassList);
        Assert.Equal("unauthorized", cut.Find("[data-testid=ws-error]").TextContent);
    }

    [Fact]
    public void ReconnectButtonReconnectsTheConnectionWhenNoCallbackIsGiven()
    {
        Connection.SetState(ConnectionState.Disconnected);
        var cut = Render<WebSocketStatus>();

        cut.Find("[data-testid=ws-reconnect]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Connected", cut.Find("[data-testid=ws-state]").TextContent), Wait);
        Assert.Equal(1, Connection.ReconnectCalls);
    }

    [Fact]
    public void ReconnectButtonCallsOnReconnectInsteadWhenGiven()
    {
        Connection.SetState(ConnectionState.Error);
        var clicks = 0;
        var cut = Render<WebSocketStatus>(p => p.Add(c => c.OnReconnect, () => clicks++));

        cut.Find("[data-testid=ws-reconnect]").Click();

        Assert.Equal(1, clicks);
        Assert.Equal(0, Connection.ReconnectCalls);
    }

    [Fact]
    public void ShowReconnectButtonFalseHidesTheButtonEvenWhenDisconnected()
    {
        Connection.SetState(ConnectionState.Disconnected);

        var cut = Render<WebSocketStatus>(p => p.Add(c => c.ShowReconnectButton, false));

        Assert.Equal("Disconnected", cut.Find("[data-testid=ws-state]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=ws-reconnect]"));
    }

    [Fact]
    public async Task DisposingTheComponentRemovesItsStateSubscription()
    {
        Render<WebSocketStatus>();
        Assert.Equal(1, Connection.StateChangedSubscriberCount);

        await DisposeComponentsAsync().WaitAsync(Wait);

        Assert.Equal(0, Connection.StateChangedSubscriberCount);
    }

    [Fact]
    public void ReconnectingShowsWhenTheNextRetryIsDueAndCountsDown()
    {
        var cut = Render<WebSocketStatus>();

        Connection.SetState(ConnectionState.Reconnecting);
        Connection.RaiseReconnectAttempt(1, TimeSpan.FromSeconds(3));
        cut.WaitForAssertion(() => Assert.Equal("retry in 3 s", cut.Find("[data-testid=ws-next-retry]").TextContent), Wait);

        Clock.Advance(TimeSpan.FromSeconds(1));
        cut.WaitForAssertion(() => Assert.Equal("retry in 2 s", cut.Find("[data-testid=ws-next-retry]").TextContent), Wait);

        Connection.SetState(ConnectionState.Connected);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=ws-next-retry]")), Wait);
    }

    [Fact]
    public void ClickingAnExpandablePillOpensAndClosesTheDetails()
    {
        Connection.Statistics = Connection.Statistics with { BufferedEmits = 4, ReconnectCount = 1, Transport = TransportKind.WebSocket };
        Connection.LastError = new InvalidOperationException("ping timeout");
        var cut = Render<WebSocketStatus>(p => p.Add(c => c.Expandable, true));
        Assert.Empty(cut.FindAll("[data-testid=ws-details]"));

        cut.Find("[data-testid=ws-pill]").Click();

        Assert.Equal("4", cut.Find("[data-testid=ws-buffered]").TextContent);
        Assert.Equal("WebSocket", cut.Find("[data-testid=ws-transport]").TextContent);
        Assert.Equal("1", cut.Find("[data-testid=ws-reconnects]").TextContent);
        Assert.Equal("ping timeout", cut.Find("[data-testid=ws-error]").TextContent);
        Assert.Equal("true", cut.Find("[data-testid=ws-pill]").GetAttribute("aria-expanded"));

        cut.Find("[data-testid=ws-pill]").Click();
        Assert.Empty(cut.FindAll("[data-testid=ws-details]"));
    }
}
