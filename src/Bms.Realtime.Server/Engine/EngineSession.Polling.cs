using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using Bms.Realtime.Protocol;
using Microsoft.AspNetCore.Http;

namespace Bms.Realtime.Server.Engine;

public sealed partial class EngineSession
{
    private TaskCompletionSource<bool>? _pollWaiter;
    private bool _pollActive;
    private bool _postActive;
    private bool _answerPollWithClose;

    /// <summary>Serves a long-polling GET: waits until frames are queued, then writes them as one payload.</summary>
    internal async Task HandlePollAsync(HttpContext context)
    {
        TaskCompletionSource<bool>? waiter = null;
        bool concurrent = false;
        lock (_lock)
        {
            if (_pollActive)
            {
                concurrent = true;
            }
            else
            {
                _pollActive = true;
                if (_queue.Count == 0 && !_upgrading && _closed == 0)
                {
                    waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _pollWaiter = waiter;
                }
            }
        }

        if (concurrent)
        {
            // EIO: a second concurrent GET is a protocol violation; the session closes and the first GET receives 1.
            Log.ProtocolViolation(_logger, Id, "overlapping poll");
            lock (_lock)
            {
                _answerPollWithClose = true;
            }

            await EngineServer.WriteErrorAsync(context, EngineErrorCode.BadRequest).ConfigureAwait(false);
            Terminate(EngineCloseReason.TransportError, "overlapping poll");
            return;
        }

        if (waiter is not null)
        {
            try
            {
                await waiter.Task.WaitAsync(context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The client went away while its poll was pending: the reference server closes the session.
                Terminate(EngineCloseReason.TransportClose, "poll aborted");
                return;
            }
        }

        var writer = new ArrayBufferWriter<byte>(256);
        var endSession = false;
        lock (_lock)
        {
            if (_pollWaiter == waiter)
            {
                _pollWaiter = null;
            }

            _pollActive = false;
            if (_closed != 0)
            {
                // As the reference server: a poll pending when the session ends gets a noop, or a close packet
                // when the session ended because of an overlapping poll.
                var type = _answerPollWithClose ? EnginePacketType.Close : EnginePacketType.Noop;
                _server.ForgetClosedByClient(Id);
                EnginePayload.WritePacket(writer, EnginePacket.Text(type), first: true);
            }
            else if ((_upgrading || IsWebSocket) && !_closing)
            {
                EnginePayload.WritePacket(writer, EnginePacket.Text(EnginePacketType.Noop), first: true);
            }
            else
            {
                var first = true;
                while (_queue.TryDequeue(out var frame))
                {
                    _queuedBytes -= frame.Data.Length;
                    WriteFrame(writer, frame, first);
                    first = false;
                }

                endSession = _closing;
            }
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/plain; charset=UTF-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = writer.WrittenCount;
        try
        {
            await context.Response.Body.WriteAsync(writer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            Terminate(EngineCloseReason.TransportError, "poll write failed");
            return;
        }

        if (endSession)
        {
            Terminate(_closeReason, _closeDescription);
        }
    }

    /// <summary>Serves a long-polling POST: reads the payload (bounded by maxPayload) and handles its packets.</summary>
    internal async Task HandlePostAsync(HttpContext context)
    {
        lock (_lock)
        {
            if (_postActive)
            {
                goto overlap;
            }

            _postActive = true;
        }

        try
        {
            if (context.Request.ContentType is { } type && type.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
            {
                // EIO4 polling bodies are text only; binary travels as base64.
                await EngineServer.WriteErrorAsync(context, EngineErrorCode.BadRequest).ConfigureAwait(false);
                Terminate(EngineCloseReason.TransportError, "invalid content");
                return;
            }

            var maxPayload = _server.Options.MaxPayload;
            if (context.Request.ContentLength > maxPayload)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                Terminate(EngineCloseReason.TransportError, "payload too large");
                return;
            }

            byte[]? body = await ReadBodyAsync(context.Request.BodyReader, maxPayload, context.RequestAborted).ConfigureAwait(false);
            if (body is null)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                Terminate(EngineCloseReason.TransportError, "payload too large");
                return;
            }

            List<EnginePacket> packets;
            try
            {
                packets = EnginePayload.Decode(body);
            }
            catch (ProtocolException ex)
            {
                Log.ProtocolViolation(_logger, Id, ex.Message);
                await EngineServer.WriteErrorAsync(context, EngineErrorCode.BadRequest).ConfigureAwait(false);
                Terminate(EngineCloseReason.ParseError, ex.Message);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/html";
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsync("ok", context.RequestAborted).ConfigureAwait(false);

            foreach (var packet in packets)
            {
                if (IsClosed)
                {
                    break;
                }

                OnPacket(packet);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or BadHttpRequestException)
        {
            Terminate(EngineCloseReason.TransportError, "post aborted");
        }
        finally
        {
            lock (_lock)
            {
                _postActive = false;
            }
        }

        return;

    overlap:
        Log.ProtocolViolation(_logger, Id, "overlapping data request");
        await EngineServer.WriteErrorAsync(context, EngineErrorCode.BadRequest).ConfigureAwait(false);
        Terminate(EngineCloseReason.TransportError, "data request overlap");
    }

    private static async Task<byte[]?> ReadBodyAsync(PipeReader reader, int maxPayload, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length > maxPayload)
            {
                reader.AdvanceTo(buffer.End);
                return null;
            }

            if (result.IsCompleted)
            {
                var body = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return body;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static void WriteFrame(ArrayBufferWriter<byte> writer, in OutgoingFrame frame, bool first)
    {
        if (!first)
        {
            writer.GetSpan(1)[0] = EnginePayload.Separator;
            writer.Advance(1);
        }

        if (!frame.IsBinary)
        {
            writer.Write(frame.Data.Span);
            return;
        }

        // EIO4: a binary packet inside a polling payload is "b" + base64.
        var span = writer.GetSpan(Base64.GetMaxEncodedToUtf8Length(frame.Data.Length) + 1);
        span[0] = (byte)'b';
        Base64.EncodeToUtf8(frame.Data.Span, span[1..], out _, out var written);
        writer.Advance(written + 1);
    }
}
