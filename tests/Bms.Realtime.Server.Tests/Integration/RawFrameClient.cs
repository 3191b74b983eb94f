using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bms.Realtime.Server.Tests.Integration;

/// <summary>
/// An RFC 6455 client on a raw TCP socket that writes exactly the frames a test builds (any flags, opcode, mask,
/// length) and reads the server's frames as they are on the wire, for the Autobahn-style framing tests.
/// </summary>
internal sealed class RawFrameClient : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly Socket _socket;
    private readonly List<byte> _input = [];

    private RawFrameClient(Socket socket) => _socket = socket;

    /// <summary>The head of the server's 101 response.</summary>
    public string Head { get; private set; } = string.Empty;

    /// <summary>The open packet (the first text frame).</summary>
    public string Open { get; private set; } = string.Empty;

    /// <summary>Connects to an Engine.IO WebSocket endpoint and reads the 101 and the open packet.</summary>
    public static async Task<RawFrameClient> ConnectAsync(int port, string extraHeaders = "", bool readOpen = true)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port).WaitAsync(Timeout);
        var client = new RawFrameClient(socket);
        var head = $"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n{extraHeaders}\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(head).AsMemory()).AsTask().WaitAsync(Timeout);
        var response = await client.ReadHeadAsync();
        Assert.StartsWith("HTTP/1.1 101", response, StringComparison.Ordinal);
        client.Head = response;
        if (!readOpen)
        {
            return client;
        }

        var open = await client.ReadFrameAsync();
        Assert.Equal(0x1, open.Opcode);
        client.Open = Encoding.UTF8.GetString(open.Payload);
        return client;
    }

    /// <summary>Builds one client frame: FIN, RSV bits, opcode, mask bit and key, payload (masked when <paramref name="masked"/>).</summary>
    public static byte[] Frame(int opcode, byte[] payload, bool fin = true, int rsv = 0, bool masked = true, long? declaredLength = null)
    {
        var length = declaredLength ?? payload.Length;
        var header = new List<byte> { (byte)((fin ? 0x80 : 0) | (rsv << 4) | opcode) };
        var maskBit = masked ? 0x80 : 0;
        if (length <= 125)
        {
            header.Add((byte)(maskBit | (int)length));
        }
        else if (length <= ushort.MaxValue)
        {
            header.Add((byte)(maskBit | 126));
            header.Add((byte)(length >> 8));
            header.Add((byte)length);
        }
        else
        {
            header.Add((byte)(maskBit | 127));
            var wide = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(wide, length);
            header.AddRange(wide);
        }

        byte[] key = [0x37, 0xfa, 0x21, 0x3d];
        var body = payload.ToArray();
        if (masked)
        {
            header.AddRange(key);
            for (var i = 0; i < body.Length; i++)
            {
                body[i] ^= key[i & 3];
            }
        }

        return [.. header, .. body];
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A close frame body: status then reason bytes.</summary>
    public static byte[] CloseBody(int status, byte[]? reason = null) => [(byte)(status >> 8), (byte)status, .. reason ?? []];

    public Task SendAsync(params byte[][] frames) =>
        _socket.SendAsync(frames.SelectMany(f => f).ToArray().AsMemory()).AsTask().WaitAsync(Timeout);

    public Task SendTextAsync(string text) => SendAsync(Frame(0x1, Utf8(text)));

    /// <summary>The next server frame; fails if it is masked (server frames never are).</summary>
    public async Task<(int Opcode, bool Fin, byte[] Payload, int HeaderLength)> ReadFrameAsync(TimeSpan? timeout = null)
    {
        await FillAsync(2, timeout);
        var fin = (_input[0] & 0x80) != 0;
        var opcode = _input[0] & 0x0F;
        Assert.Equal(0, _input[0] & 0x70);
        Assert.Equal(0, _input[1] & 0x80);
        long length = _input[1] & 0x7F;
        var headerLength = length == 126 ? 4 : length == 127 ? 10 : 2;
        await FillAsync(headerLength, timeout);
        if (length == 126)
        {
            length = (_input[2] << 8) | _input[3];
        }
        else if (length == 127)
        {
            length = BinaryPrimitives.ReadInt64BigEndian(_input.GetRange(2, 8).ToArray());
        }

        await FillAsync(headerLength + (int)length, timeout);
        var payload = _input.GetRange(headerLength, (int)length).ToArray();
        _input.RemoveRange(0, headerLength + (int)length);
        return (opcode, fin, payload, headerLength);
    }

    /// <summary>Reads frames until a close frame; returns its status (0 when it had none).</summary>
    public async Task<int> ReadCloseAsync()
    {
        while (true)
        {
            var frame = await ReadFrameAsync();
            if (frame.Opcode == 0x8)
            {
                return frame.Payload.Length >= 2 ? (frame.Payload[0] << 8) | frame.Payload[1] : 0;
            }
        }
    }

    /// <summary>Reads text frames until one starts with <paramref name="prefix"/> (pings are answered).</summary>
    public async Task<string> ReadTextUntilAsync(string prefix)
    {
        while (true)
        {
            var frame = await ReadFrameAsync();
            Assert.NotEqual(0x8, frame.Opcode);
            if (frame.Opcode != 0x1)
            {
                continue;
            }

            var text = Encoding.UTF8.GetString(frame.Payload);
            if (text == "2")
            {
                await SendTextAsync("3");
                continue;
            }

            if (text.StartsWith(prefix, StringComparison.Ordinal))
            {
                return text;
            }
        }
    }

    /// <summary>Whether the server closed the TCP connection (end of stream or reset) within the timeout.</summary>
    public async Task<bool> ConnectionEndsAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var read = await _socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(Timeout);
                if (read == 0)
                {
                    return true;
                }
            }
        }
        catch (SocketException)
        {
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task<string> ReadHeadAsync()
    {
        while (true)
        {
            var text = Encoding.ASCII.GetString(_input.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                _input.RemoveRange(0, end + 4);
                return text[..end];
            }

            await ReceiveMoreAsync(null);
        }
    }

    private async Task FillAsync(int count, TimeSpan? timeout)
    {
        while (_input.Count < count)
        {
            await ReceiveMoreAsync(timeout);
        }
    }

    private async Task ReceiveMoreAsync(TimeSpan? timeout)
    {
        var buffer = new byte[65536];
        var read = await _socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(timeout ?? Timeout);
        if (read == 0)
        {
            throw new EndOfStreamException("the server closed the connection");
        }

        _input.AddRange(buffer.AsSpan(0, read).ToArray());
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
