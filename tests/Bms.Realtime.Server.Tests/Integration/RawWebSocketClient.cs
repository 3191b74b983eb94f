using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace Bms.Realtime.Server.Tests.Integration;

/// <summary>
/// A bare Engine.IO-over-WebSocket peer for tests that must send exactly the bytes they choose (including garbage).
/// Answers pings by itself unless told not to; other frames are queued for the test to read.
/// </summary>
internal sealed class RawWebSocketClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<(string? Text, byte[]? Binary)> _frames = Channel.CreateUnbounded<(string?, byte[]?)>();
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _reader;

    public bool AutoPong { get; set; } = true;

    public string Open { get; private set; } = string.Empty;

    public Task<WebSocketCloseStatus?> Closed => _closed.Task;

    public static async Task<RawWebSocketClient> ConnectAsync(Uri url, bool autoPong = true)
    {
        var client = new RawWebSocketClient { AutoPong = autoPong };
        await client._socket.ConnectAsync(url, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        client._reader = client.ReadLoopAsync();
        client.Open = await client.ReceiveTextAsync();
        return client;
    }

    /// <summary>Connects without waiting for an open packet (for upgrades of an existing session).</summary>
    public static async Task<RawWebSocketClient> ConnectAsyncNoOpen(Uri url)
    {
        var client = new RawWebSocketClient();
        await client._socket.ConnectAsync(url, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        client._reader = client.ReadLoopAsync();
        return client;
    }

    /// <summary>Joins a namespace and returns the CONNECT reply (or the CONNECT_ERROR).</summary>
    public async Task<string> JoinAsync(string nsp = "/", string? auth = null)
    {
        var prefix = nsp == "/" ? string.Empty : nsp + ",";
        await SendAsync("40" + prefix + (auth ?? string.Empty));
        return await ReceiveTextAsync();
    }

    public Task SendAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

    public Task SendBinaryAsync(byte[] data) =>
        _socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

    public async Task<string> ReceiveTextAsync(TimeSpan? timeout = null)
    {
        while (true)
        {
            var (text, _) = await _frames.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(10));
            if (text is not null)
            {
                return text;
            }
        }
    }

    /// <summary>The next frame, text or binary, in arrival order.</summary>
    public async Task<(string? Text, byte[]? Binary)> ReceiveFrameAsync(TimeSpan? timeout = null) =>
        await _frames.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(10));

    public async Task<byte[]> ReceiveBinaryAsync(TimeSpan? timeout = null)
    {
        while (true)
        {
            var (_, binary) = await _frames.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(10));
            if (binary is not null)
            {
                return binary;
            }
        }
    }

    /// <summary>Reads text frames until one starts with <paramref name="prefix"/>.</summary>
    public async Task<string> ReceiveUntilAsync(string prefix, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var text = await ReceiveTextAsync(deadline - DateTime.UtcNow);
            if (text.StartsWith(prefix, StringComparison.Ordinal))
            {
                return text;
            }
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        _closed.TrySetResult(_socket.CloseStatus);
                        _frames.Writer.TryComplete();
                        return;
                    }

                    count += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    _frames.Writer.TryWrite((null, buffer.AsSpan(0, count).ToArray()));
                    continue;
                }

                var text = Encoding.UTF8.GetString(buffer, 0, count);
                if (text == "2" && AutoPong)
                {
                    await SendAsync("3");
                    continue;
                }

                _frames.Writer.TryWrite((text, null));
            }
        }
        catch (Exception)
        {
            _closed.TrySetResult(null);
            _frames.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _socket.Abort();
        }
        finally
        {
            _socket.Dispose();
            if (_reader is not null)
            {
                await _reader.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
        }
    }
}
