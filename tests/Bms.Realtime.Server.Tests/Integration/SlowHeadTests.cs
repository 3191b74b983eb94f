using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bms.Realtime.Server.Tests.Integration;

/// <summary>
/// A request head written slowly (slowloris) is cut off after Kestrel's request-headers timeout on the Socket.IO path
/// as on any other path, whether or not the direct WebSocket path looks at it first.
/// </summary>
public sealed class SlowHeadTests
{
    private static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(2);

    [Theory]
    [InlineData("/socket.io/?EIO=4&transport=websocket", true)]
    [InlineData("/socket.io/?EIO=4&transport=websocket", false)]
    [InlineData("/elsewhere", true)]
    public async Task AHeadWrittenOneByteAtATimeIsCutOffAfterTheRequestHeadersTimeout(string target, bool direct)
    {
        await using var server = await RealtimeTestHost.StartAsync(new RealtimeTestHostOptions { Configure = o => o.DirectWebSocket = direct, Kestrel = k => k.Limits.RequestHeadersTimeout = HeadersTimeout });
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, server.Port).WaitAsync(TimeSpan.FromSeconds(10));
        var head = Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Slow: " + new string('a', 200));
        var stopwatch = Stopwatch.StartNew();
        var reading = ReadUntilClosedAsync(socket);

        // One byte every 500 ms: the head is never complete within the test.
        for (var i = 0; i < head.Length && !reading.IsCompleted; i++)
        {
            try
            {
                await socket.SendAsync(head.AsMemory(i, 1)).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (SocketException)
            {
                break;
            }

            await Task.WhenAny(reading, Task.Delay(500));
        }

        await reading.WaitAsync(TimeSpan.FromSeconds(60));
        var elapsed = stopwatch.Elapsed;

        // Kestrel's timeout plus the direct path's short look (never longer than Kestrel's), and slack for Kestrel's
        // one-second timer and a loaded machine.
        Assert.True(elapsed < (2 * HeadersTimeout) + TimeSpan.FromSeconds(2.5), $"held for {elapsed}");
    }

    private static async Task ReadUntilClosedAsync(Socket socket)
    {
        var buffer = new byte[1024];
        try
        {
            while (await socket.ReceiveAsync(buffer.AsMemory()) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // Reset: closed as well.
        }
    }
}
