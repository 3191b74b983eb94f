using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Bms.Realtime.Server.Engine;

namespace Bms.Realtime.Server.DirectWebSocketPath;

/// <summary>
/// The server end of an RFC 6455 connection on the direct WebSocket path, framed here instead of by
/// <see cref="System.Net.WebSockets.WebSocket"/>: client frames are parsed from the connection's <see cref="PipeReader"/>
/// (<see cref="DirectWebSocket.ReadNext"/>), server frames are written straight to the socket. A frame is written by the
/// thread that sends it when the kernel takes it at once (<see cref="TrySend"/>, non-blocking); what the kernel does not
/// take is kept (<see cref="HasPending"/>) for the asynchronous writer (<see cref="FlushPendingAsync"/>,
/// <see cref="SendAsync"/>). No extension is negotiated (no <c>permessage-deflate</c>).
/// <para>
/// Not thread-safe for writing: the session lets one writer at a time use it. Reading belongs to the session's read
/// loop. <see cref="Abort"/> may be called from any thread.
/// </para>
/// </summary>
internal sealed partial class DirectWebSocket
{
    // Frames up to this size (header included) are copied into one buffer and written with one send call.
    private const int ScratchSize = 16 * 1024;

    [ThreadStatic]
    private static byte[]? t_scratch;

    private readonly Socket _socket;
    private ReadOnlyMemory<byte>[]? _pending;
    private int _pendingCount;

    public DirectWebSocket(Socket socket, PipeReader input, int maxPayload)
    {
        _socket = socket;
        Input = input;
        _maxPayload = maxPayload;

        // Sends never wait: a full kernel buffer answers WouldBlock and the frame goes to the asynchronous writer.
        // Asynchronous operations (the transport's receive loop, SendAsync) do not depend on this mode.
        _socket.Blocking = false;
    }

    /// <summary>The connection's input, read only by the session's read loop.</summary>
    public PipeReader Input { get; }

    /// <summary>Whether bytes of a frame the kernel did not take at once wait for <see cref="FlushPendingAsync"/>.</summary>
    public bool HasPending => _pendingCount > 0;

    /// <summary>
    /// Writes <paramref name="frames"/> without waiting. Returns true when the kernel took everything; otherwise the
    /// rest is kept in order (<see cref="HasPending"/>) and must be written by <see cref="FlushPendingAsync"/> before
    /// anything else.
    /// </summary>
    /// <exception cref="SocketException">The connection failed.</exception>
    public bool TrySend(ReadOnlySpan<OutgoingFrame> frames)
    {
        for (var i = 0; i < frames.Length; i++)
        {
            if (!TrySendOne(frames[i]))
            {
                for (i++; i < frames.Length; i++)
                {
                    KeepFrame(frames[i]);
                }

                return false;
            }
        }

        return true;
    }

    /// <summary>Writes what <see cref="TrySend"/> could not write, in order.</summary>
    public async ValueTask FlushPendingAsync()
    {
        var pending = _pending!;
        for (var i = 0; i < _pendingCount; i++)
        {
            var data = pending[i];
            pending[i] = default;
            await SendAllAsync(data).ConfigureAwait(false);
        }

        _pendingCount = 0;
        _pending = null;
    }

    /// <summary>Writes bytes that already hold whole frames (the asynchronous writer's batches).</summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> frames) => SendAllAsync(frames);

    /// <summary>Writes a close frame with <paramref name="status"/> (no reason text).</summary>
    public async ValueTask SendCloseAsync(ushort status)
    {
        var frame = new byte[4];
        WebSocketFraming.WriteHeader(frame, WebSocketFraming.Close, 2);
        frame[2] = (byte)(status >> 8);
        frame[3] = (byte)status;
        await SendAllAsync(frame).ConfigureAwait(false);
    }

    private async ValueTask SendAllAsync(ReadOnlyMemory<byte> data)
    {
        // A stream socket's send completes with everything written; the loop only guards against a short count.
        while (!data.IsEmpty)
        {
            var sent = await _socket.SendAsync(data, SocketFlags.None).ConfigureAwait(false);
            if (sent <= 0)
            {
                throw new SocketException((int)SocketError.ConnectionReset);
            }

            data = data[sent..];
        }
    }

    /// <summary>
    /// Copies whole frames (header and payload) into <paramref name="destination"/>; returns the bytes written.
    /// <paramref name="destination"/> must hold <see cref="FrameSize"/> bytes.
    /// </summary>
    public static int WriteFrame(Span<byte> destination, in OutgoingFrame frame)
    {
        var header = WebSocketFraming.WriteHeader(destination, Opcode(frame), frame.Data.Length);
        frame.Data.Span.CopyTo(destination[header..]);
        return header + frame.Data.Length;
    }

    /// <summary>The bytes a frame takes on the wire.</summary>
    public static int FrameSize(in OutgoingFrame frame) => WebSocketFraming.HeaderSize(frame.Data.Length) + frame.Data.Length;

    /// <summary>Wakes the read loop (its next or pending read returns cancelled). Any thread.</summary>
    public void Abort()
    {
        try
        {
            Input.CancelPendingRead();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
            // The transport completed the pipe already.
        }
    }

    private static byte Opcode(in OutgoingFrame frame) =>
        frame.Opcode != 0 ? frame.Opcode : frame.IsBinary ? WebSocketFraming.Binary : WebSocketFraming.Text;

    private bool TrySendOne(in OutgoingFrame frame)
    {
        if (_pendingCount > 0)
        {
            KeepFrame(frame);
            return false;
        }

        var size = FrameSize(frame);
        if (size <= ScratchSize)
        {
            var scratch = t_scratch ??= new byte[ScratchSize];
            var length = WriteFrame(scratch, frame);
            var sent = SendNow(scratch.AsSpan(0, length));
            if (sent < length)
            {
                Keep(scratch.AsSpan(sent, length - sent).ToArray());
                return false;
            }

            return true;
        }

        // A large frame: its header, then the payload straight from the shared bytes.
        var header = new byte[WebSocketFraming.MaxServerHeader];
        var headerLength = WebSocketFraming.WriteHeader(header, Opcode(frame), frame.Data.Length);
        var headerSent = SendNow(header.AsSpan(0, headerLength));
        if (headerSent < headerLength)
        {
            Keep(header.AsMemory(headerSent, headerLength - headerSent));
            Keep(frame.Data);
            return false;
        }

        var payloadSent = SendNow(frame.Data.Span);
        if (payloadSent < frame.Data.Length)
        {
            Keep(frame.Data[payloadSent..]);
            return false;
        }

        return true;
    }

    /// <summary>One non-blocking send; returns the bytes the kernel took (0 when its buffer is full).</summary>
    private int SendNow(ReadOnlySpan<byte> data)
    {
        var sent = _socket.Send(data, SocketFlags.None, out var error);
        if (error is SocketError.Success or SocketError.WouldBlock)
        {
            return sent;
        }

        throw new SocketException((int)error);
    }

    private void KeepFrame(in OutgoingFrame frame)
    {
        var header = new byte[WebSocketFraming.MaxServerHeader];
        var length = WebSocketFraming.WriteHeader(header, Opcode(frame), frame.Data.Length);
        Keep(header.AsMemory(0, length));
        Keep(frame.Data);
    }

    private void Keep(ReadOnlyMemory<byte> data)
    {
        _pending ??= new ReadOnlyMemory<byte>[4];
        if (_pendingCount == _pending.Length)
        {
            Array.Resize(ref _pending, _pending.Length * 2);
        }

        _pending[_pendingCount++] = data;
    }
}
