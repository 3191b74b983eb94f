using System.Text.Json;
using Bms.Realtime.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Bms.Realtime.Server.Tests.Integration;

/// <summary>
/// A client that stops reading is closed once its queue exceeds <see cref="RealtimeServerOptions.MaxQueuedBytes"/>
/// (or <see cref="RealtimeServerOptions.MaxQueuedFrames"/>), its TCP connection is let go at once, and the others keep
/// receiving everything.
/// </summary>
public sealed class SlowConsumerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private static readonly string Payload = new('x', 64 * 1024);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task APausedWebSocketClientIsClosedOnceItsQueuedBytesExceedTheLimitAndOthersGetEverything(bool direct)
    {
        // 1 MiB: headroom for the reading client on a loaded machine; the frame limit (10,000 × 64 KB) is never reached.
        await using var server = await RealtimeTestHost.StartAsync(o =>
        {
            o.DirectWebSocket = direct;
            o.MaxQueuedBytes = 1024 * 1024;
        });
        await using var reader = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await reader.JoinAsync();
        await using var paused = await PausedWebSocketClient.ConnectAndJoinAsync(server.Port);
        Assert.Equal(2, server.Io.Engine.SessionCount);

        // 64 KB per broadcast: without a byte limit the frame limit (10,000) would let the paused client pin 640 MB.
        var sent = await BroadcastUntilClosedAsync(server, maxBroadcasts: 1000);

        Assert.True(sent < 1000, "the paused client was never closed");
        for (var i = 0; i < sent; i++)
        {
            var text = await reader.ReceiveUntilAsync("42").WaitAsync(Timeout);
            Assert.Equal(i, JsonDocument.Parse(text[2..]).RootElement[1].GetInt32());
        }
    }

    [Fact]
    public async Task APollingClientThatNeverPollsIsClosedOnceItsQueuedBytesExceedTheLimit()
    {
        await using var server = await RealtimeTestHost.StartAsync();
        using var http = new HttpClient();
        var open = await http.GetStringAsync(server.HttpUrl("transport=polling")).WaitAsync(Timeout);
        var sid = JsonDocument.Parse(open[1..]).RootElement.GetProperty("sid").GetString()!;
        (await http.PostAsync(server.HttpUrl($"transport=polling&sid={sid}"), new StringContent("40")).WaitAsync(Timeout)).EnsureSuccessStatusCode();
        var deadline = DateTime.UtcNow + Timeout;
        while (server.Io.Of("/").Sockets.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        // 128 KiB by default: the third 64 KB broadcast overflows; the frame limit alone would take 10,000.
        for (var i = 0; i < 3; i++)
        {
            await server.Io.Of("/").EmitAsync("big", i, Payload);
        }

        Assert.False(server.Io.Engine.TryGetSession(sid, out _));
    }

    [Fact]
    public async Task AMaxQueuedBytesBelowTheMinimumIsRefusedAtStart()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RealtimeTestHost.StartAsync(o => o.MaxQueuedBytes = 100));

        Assert.Contains("MaxQueuedBytes", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Broadcasts 64 KB events until only one session (the reader's) is left; returns how many were sent.</summary>
    internal static async Task<int> BroadcastUntilClosedAsync(RealtimeTestHost server, int maxBroadcasts)
    {
        for (var i = 0; i < maxBroadcasts; i++)
        {
            await server.Io.Of("/").EmitAsync("big", i, Payload);
            if (server.Io.Engine.SessionCount < 2)
            {
                return i + 1;
            }

            // Let the writers run between broadcasts, as a real publisher would.
            await Task.Delay(10);
        }

        return maxBroadcasts;
    }
}
