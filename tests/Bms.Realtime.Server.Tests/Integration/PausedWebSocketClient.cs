using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bms.Realtime.Server.Tests.Integration;

/// <summary>
/// A WebSocket client on a raw TCP socket with a small receive buffer that completes the handshake, joins the main
/// namespace and then stops reading: the slow consumer the server must cut off. Also tells whether the server still
/// holds its end of the TCP connection (from <c>/proc/net/tcp</c>).
/// </summary>
internal sealed class PausedWebSocketClient : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly Socket _socket;
    private readonly int _serverPort;

    private PausedWebSocketClient(Socket socket, int serverPort)
    {
        _socket = socket;
        _serverPort = serverPort;
    }

    /// <summary>
    /// From <c>/proc/net/tcp</c>: the server side's send queue (bytes written, not yet acknowledged) and this side's
    /// receive queue (bytes received, not read). Their sum is at least what the server wrote and the client did not
    /// read, and equals it once the send queue is empty. Linux only.
    /// </summary>
    public (long ServerSendQueue, long ClientReceiveQueue) Queues()
    {
        long tx = 0, rx = 0;
        var local = LocalPort;
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var from = int.Parse(fields[1].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var to = int.Parse(fields[2].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var queues = fields[4].Split(':');
            if (from == _serverPort && to == local)
            {
                tx = long.Parse(queues[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
            else if (from == local && to == _serverPort)
            {
                rx = long.Parse(queues[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
        }

        return (tx, rx);
    }

    /// <summary>The client's local port (the server side's remote port).</summary>
    public int LocalPort => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>Connects, reads the 101 and the open packet, joins <c>/</c>, waits for the CONNECT reply and stops reading.</summary>
    public static async Task<PausedWebSocketClient> ConnectAndJoinAsync(int port, bool join = true)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(IPAddress.Loopback, port).WaitAsync(Timeout);
        var client = new PausedWebSocketClient(socket, port);
        var head = $"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(head).AsMemory()).AsTask().WaitAsync(Timeout);
        await client.ReadUntilAsync("\"maxPayload\"");
        if (join)
        {
            await client.SendTextAsync("40");
            await client.ReadUntilAsync("40{\"sid\"");
        }

        return client;
    }

    /// <summary>Sends one masked text frame (the payload must be shorter than 126 bytes).</summary>
    public Task SendTextAsync(string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var frame = new byte[6 + payload.Length];
        frame[0] = 0x81;
        frame[1] = (byte)(0x80 | payload.Length);
        for (var i = 0; i < payload.Length; i++)
        {
            // Mask key 0: the payload goes as is.
            frame[6 + i] = payload[i];
        }

        return _socket.SendAsync(frame.AsMemory()).AsTask().WaitAsync(Timeout);
    }

    /// <summary>
    /// Whether the server (this process) still holds its end of the connection: ESTABLISHED, or any state with a file
    /// descriptor open on it (a socket the kernel only finishes on its own has inode 0). Linux only.
    /// </summary>
    public bool ServerSideHeld()
    {
        var local = LocalPort;
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var serverPort = int.Parse(fields[1].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var clientPort = int.Parse(fields[2].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (serverPort == _serverPort && clientPort == local && (fields[3] == "01" || fields[9] != "0"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The server side's /proc/net/tcp lines for this connection (for failure messages).</summary>
    public string ServerSideState()
    {
        var local = LocalPort;
        var lines = File.ReadLines("/proc/net/tcp").Skip(1).Where(line =>
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(fields[1].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == _serverPort
                && int.Parse(fields[2].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == local;
        });
        return "server side: " + string.Join(" | ", lines.Select(l => l.Trim()));
    }

    /// <summary>Polls until the server has let go of its end of the connection; false if it still holds it.</summary>
    public async Task<bool> WaitServerSideGoneAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (!ServerSideHeld())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return !ServerSideHeld();
    }

    private async Task ReadUntilAsync(string marker)
    {
        var seen = new StringBuilder();
        var buffer = new byte[1024];
        while (!seen.ToString().Contains(marker, StringComparison.Ordinal))
        {
            var read = await _socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(Timeout);
            if (read == 0)
            {
                throw new IOException("closed before " + marker);
            }

            seen.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
