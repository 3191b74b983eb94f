using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace Bms.Benchmarks.BareWs;

/// <summary>One raw WebSocket: a read loop and a send lock, nothing else.</summary>
internal sealed class BareConnection(WebSocket webSocket, RoomTable rooms)
{
    private static readonly byte[] JoinAck = "J"u8.ToArray();

    /// <summary>
    /// BARE_ZERO_BYTE_READS=1: wait for data with a zero-byte read and rent the receive buffer only while a message
    /// is being read, so an idle socket holds no buffer. Off by default: the floor is the naive loop.
    /// </summary>
    private static readonly bool ZeroByteReads = Environment.GetEnvironmentVariable("BARE_ZERO_BYTE_READS") == "1";

    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly List<string> _joined = [];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        byte[]? buffer = ZeroByteReads ? null : ArrayPool<byte>.Shared.Rent(4096);
        var length = 0;
        try
        {
            while (true)
            {
                if (buffer is null)
                {
                    await webSocket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
                    buffer = ArrayPool<byte>.Shared.Rent(4096);
                }

                if (length == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var result = await webSocket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await webSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }

                length += result.Count;
                if (result.EndOfMessage)
                {
                    await DispatchAsync(buffer.AsMemory(0, length));
                    length = 0;
                    if (ZeroByteReads)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = null;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The peer went away; nothing to answer.
        }
        finally
        {
            foreach (var room in _joined)
            {
                rooms.Leave(room, this);
            }

            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    public async Task SendAsync(ReadOnlyMemory<byte> frame)
    {
        await _sendLock.WaitAsync();
        try
        {
            await webSocket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            webSocket.Abort();
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private Task DispatchAsync(ReadOnlyMemory<byte> message)
    {
        if (message.IsEmpty)
        {
            return Task.CompletedTask;
        }

        var span = message.Span;
        switch (span[0])
        {
            case (byte)'J':
                var room = Encoding.UTF8.GetString(span[1..]);
                _joined.Add(room);
                rooms.Join(room, this);
                return SendAsync(JoinAck);
            case (byte)'E':
                return SendAsync(message.ToArray());
            case (byte)'B':
                var newline = span.IndexOf((byte)'\n');
                if (newline > 1)
                {
                    // Encode once: one array shared by every recipient.
                    rooms.Broadcast(Encoding.UTF8.GetString(span[1..newline]), span[(newline + 1)..].ToArray());
                }

                return Task.CompletedTask;
            default:
                return Task.CompletedTask;
        }
    }
}
