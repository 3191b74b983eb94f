using System.Text.Json;
using Bms.Realtime.Server.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bms.Realtime.Server.Tests.Integration;

/// <summary><see cref="RealtimeServerOptions.InlineTransportScheduling"/>: Kestrel's inline scheduling, off by default.</summary>
public sealed class InlineTransportSchedulingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheOptionSetsKestrelsInlineSchedulingAndIsOffByDefault(bool inline)
    {
        await using var server = await RealtimeTestHost.StartAsync(o => o.InlineTransportScheduling = inline);

        Assert.Equal(inline, server.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task WithInlineSchedulingEchoesPollingAndConcurrentEmitsWork(bool direct)
    {
        await using var server = await RealtimeTestHost.StartAsync(
            o =>
            {
                o.InlineTransportScheduling = true;
                o.DirectWebSocket = direct;
            },
            io => io.Of("/").OnConnection(s => s.On("echo", e => e.AckAsync(e.Args.ToArray()))));
        await using var client = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await client.JoinAsync();

        for (var i = 0; i < 50; i++)
        {
            await client.SendAsync($"42{i}[\"echo\",{i}]");
            Assert.Equal($"43{i}[{i}]", await client.ReceiveUntilAsync("43").WaitAsync(Timeout));
        }

        var socket = Assert.Single(server.Io.Of("/").Sockets.Values);
        var emitters = Enumerable.Range(0, 4).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await socket.EmitAsync("seq", t, i);
            }
        })).ToArray();
        var next = new int[4];
        for (var n = 0; n < 400; n++)
        {
            var args = JsonDocument.Parse((await client.ReceiveUntilAsync("42").WaitAsync(Timeout))[2..]).RootElement;
            Assert.Equal(next[args[1].GetInt32()]++, args[2].GetInt32());
        }

        await Task.WhenAll(emitters).WaitAsync(Timeout);

        using var http = new HttpClient { Timeout = Timeout };
        var open = await http.GetStringAsync(server.HttpUrl("transport=polling"));
        Assert.StartsWith("0{\"sid\":", open, StringComparison.Ordinal);
    }
}
