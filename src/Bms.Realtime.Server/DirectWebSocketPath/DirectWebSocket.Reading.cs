using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Unicode;

namespace Bms.Realtime.Server.DirectWebSocketPath;

internal sealed partial class DirectWebSocket
{
    private readonly int _maxPayload;

    // A message being assembled (fragmented, or a frame not yet complete in the input). Null while idle.
    private byte[]? _message;
    private int _messageLength;
    private byte _messageOpcode;
    private bool _inMessage;

    // The data frame being read into _message.
    private bool _inFrame;
    private bool _frameFin;
    private long _frameRemaining;
    private uint _frameMask;
    private int _frameMaskOffset;

    /// <summary>
    /// Reads the next event from <paramref name="buffer"/>, slicing off what it consumed. A message's payload (unmasked,
    /// text checked as UTF-8) stays valid until the next call, then <see cref="ReleaseMessage"/> must be called. The
    /// message size limit is checked on each frame header, before its payload is buffered.
    /// </summary>
    public FrameEvent ReadNext(ref ReadOnlySequence<byte> buffer, out ReadOnlyMemory<byte> payload, out bool isBinary, out ushort status)
    {
        payload = default;
        isBinary = false;
        status = 0;
        Span<byte> head = stackalloc byte[14];
        while (true)
        {
            if (_inFrame)
            {
                var take = (int)Math.Min(buffer.Length, _frameRemaining);
                var destination = _message.AsSpan(_messageLength, take);
                buffer.Slice(0, take).CopyTo(destination);
                WebSocketFraming.Unmask(destination, _frameMask, _frameMaskOffset);
                _frameMaskOffset = (_frameMaskOffset + take) & 3;
                _messageLength += take;
                _frameRemaining -= take;
                buffer = buffer.Slice(take);
                if (_frameRemaining > 0)
                {
                    return FrameEvent.NeedMore;
                }

                _inFrame = false;
                if (!_frameFin)
                {
                    continue;
                }

                _inMessage = false;
                isBinary = _messageOpcode == WebSocketFraming.Binary;
                payload = _message.AsMemory(0, _messageLength);
                return Complete(payload.Span, isBinary, out status);
            }

            if (buffer.Length < 2)
            {
                return FrameEvent.NeedMore;
            }

            var available = (int)Math.Min(buffer.Length, 14);
            buffer.Slice(0, available).CopyTo(head);
            var fin = (head[0] & 0x80) != 0;
            var opcode = (byte)(head[0] & 0x0F);
            var length = (long)(head[1] & 0x7F);
            var headerLength = 2 + (length == 126 ? 2 : length == 127 ? 8 : 0) + 4;
            var control = opcode >= WebSocketFraming.Close;

            // RFC 6455 5.2: no extension is negotiated, so the reserved bits are 0; 5.3: client frames are masked;
            // 5.5: control frames are final and carry at most 125 bytes.
            if ((head[0] & 0x70) != 0 || (head[1] & 0x80) == 0
                || (control && (!fin || length > 125 || opcode > WebSocketFraming.Pong))
                || (!control && opcode > WebSocketFraming.Binary))
            {
                status = WebSocketFraming.ProtocolError;
                return FrameEvent.Fail;
            }

            // 5.4: a new data message may not start inside a fragmented one, and a continuation needs one.
            if (!control && (opcode == WebSocketFraming.Continuation) != _inMessage)
            {
                status = WebSocketFraming.ProtocolError;
                return FrameEvent.Fail;
            }

            if (available < headerLength)
            {
                return FrameEvent.NeedMore;
            }

            if (length == 126)
            {
                length = BinaryPrimitives.ReadUInt16BigEndian(head[2..]);
            }
            else if (length == 127)
            {
                var wide = BinaryPrimitives.ReadUInt64BigEndian(head[2..]);
                if (wide > long.MaxValue)
                {
                    status = WebSocketFraming.ProtocolError;
                    return FrameEvent.Fail;
                }

                length = (long)wide;
            }

            var mask = BinaryPrimitives.ReadUInt32BigEndian(head[(headerLength - 4)..]);
            if (control)
            {
                if (buffer.Length < headerLength + length)
                {
                    return FrameEvent.NeedMore;
                }

                var body = new byte[length];
                buffer.Slice(headerLength, length).CopyTo(body);
                WebSocketFraming.Unmask(body, mask, 0);
                buffer = buffer.Slice(headerLength + length);
                switch (opcode)
                {
                    case WebSocketFraming.Ping:
                        payload = body;
                        return FrameEvent.Ping;
                    case WebSocketFraming.Pong:
                        continue;
                    default:
                        return ReadClose(body, out status);
                }
            }

            // The limit counts the whole message, checked before any of this frame's payload is buffered.
            var total = (_inMessage ? _messageLength : 0) + length;
            if (total > _maxPayload)
            {
                status = WebSocketFraming.MessageTooBig;
                return FrameEvent.Fail;
            }

            if (opcode != WebSocketFraming.Continuation && fin && buffer.Length >= headerLength + length)
            {
                // The common case: a whole unfragmented message is in the input. Unmask it where it lies (the bytes are
                // this connection's own) and hand it over without copying when it sits in one segment.
                var frame = buffer.Slice(headerLength, length);
                buffer = buffer.Slice(headerLength + length);
                isBinary = opcode == WebSocketFraming.Binary;
                if (frame.IsSingleSegment)
                {
                    var memory = MemoryMarshal.AsMemory(frame.First);
                    WebSocketFraming.Unmask(memory.Span, mask, 0);
                    payload = memory;
                    return Complete(memory.Span, isBinary, out status);
                }

                _message = ArrayPool<byte>.Shared.Rent((int)length);
                frame.CopyTo(_message);
                _messageLength = (int)length;
                WebSocketFraming.Unmask(_message.AsSpan(0, _messageLength), mask, 0);
                payload = _message.AsMemory(0, _messageLength);
                return Complete(payload.Span, isBinary, out status);
            }

            if (opcode != WebSocketFraming.Continuation)
            {
                _inMessage = true;
                _messageOpcode = opcode;
                _messageLength = 0;
            }

            Reserve((int)total);
            _inFrame = true;
            _frameFin = fin;
            _frameRemaining = length;
            _frameMask = mask;
            _frameMaskOffset = 0;
            buffer = buffer.Slice(headerLength);
        }
    }

    /// <summary>Returns the buffer of the message just read (idle connections hold none).</summary>
    public void ReleaseMessage()
    {
        if (!_inMessage && _message is { } message)
        {
            _message = null;
            _messageLength = 0;
            ArrayPool<byte>.Shared.Return(message);
        }
    }

    /// <summary>Returns any buffer still held (when the read loop ends).</summary>
    public void ReleaseAll()
    {
        _inMessage = false;
        _inFrame = false;
        ReleaseMessage();
    }

    private static FrameEvent Complete(ReadOnlySpan<byte> payload, bool isBinary, out ushort status)
    {
        // RFC 6455 8.1: a text message is UTF-8; anything else fails the connection with 1007.
        if (!isBinary && !Utf8.IsValid(payload))
        {
            status = WebSocketFraming.InvalidPayloadData;
            return FrameEvent.Fail;
        }

        status = 0;
        return FrameEvent.Message;
    }

    private static FrameEvent ReadClose(byte[] body, out ushort status)
    {
        status = 0;
        if (body.Length == 0)
        {
            return FrameEvent.Close;
        }

        // 5.5.1: a close body is a 2-byte status then a UTF-8 reason.
        var code = body.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(body) : 0;
        if (body.Length == 1 || !WebSocketFraming.IsValidReceivedCloseStatus(code))
        {
            status = WebSocketFraming.ProtocolError;
            return FrameEvent.Fail;
        }

        if (!Utf8.IsValid(body.AsSpan(2)))
        {
            status = WebSocketFraming.InvalidPayloadData;
            return FrameEvent.Fail;
        }

        status = (ushort)code;
        return FrameEvent.Close;
    }

    private void Reserve(int total)
    {
        if (_message is not null && _message.Length >= total)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(total, 256));
        if (_message is not null)
        {
            _message.AsSpan(0, _messageLength).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_message);
        }

        _message = larger;
    }

    /// <summary>What <see cref="ReadNext"/> found.</summary>
    internal enum FrameEvent
    {
        /// <summary>The input holds no complete event yet.</summary>
        NeedMore,

        /// <summary>A complete data message.</summary>
        Message,

        /// <summary>A ping: answer a pong with the same payload.</summary>
        Ping,

        /// <summary>The client's close frame (status 0 when it carried none).</summary>
        Close,

        /// <summary>The client broke the protocol: close with the given status and stop reading.</summary>
        Fail,
    }
}
