using System.Buffers;
using System.Net.WebSockets;
using Bms.Realtime.Protocol;

namespace Bms.Realtime.Server.Engine;

public sealed partial class EngineSession
{
    private static readonly byte[] ProbeAnswer = "3probe"u8.ToArray();

    private WebSocket? _probeSocket;

    // Cancels pending WebSocket reads when the session ends: disposing Kestrel's upgraded stream does not complete a
    // pending read, so without this a closed session would keep its request (and the host's shutdown) waiting.
    // Created (under the lock) when a WebSocket is attached, so polling-only sessions do not carry one.
    private CancellationTokenSource? _readAbort;
    private bool _upgrading;
    private TaskCompletionSource? _upgradeDone;

    /// <summary>True between the probe and the upgrade packet.</summary>
    internal bool IsUpgrading
    {
        get
        {
            lock (_lock)
            {
                return _upgrading;
            }
        }
    }

    /// <summary>Waits (bounded) for an upgrade in progress to complete or fail.</summary>
    internal Task WaitForUpgradeAsync(TimeSpan timeout)
    {
        Task done;
        lock (_lock)
        {
            done = _upgradeDone?.Task ?? Task.CompletedTask;
        }

        return Task.WhenAny(done, Task.Delay(timeout, _server.Time));
    }
    private long _upgradeDeadline;

    /// <summary>Attaches the WebSocket of a session opened directly over WebSocket.</summary>
    internal void AttachWebSocket(WebSocket webSocket)
    {
        lock (_lock)
        {
            _webSocket = webSocket;
            _readAbort ??= new CancellationTokenSource();
        }
    }

    /// <summary>Starts an upgrade from polling. False when the session already upgraded or is upgrading.</summary>
    internal bool TryBeginUpgrade(WebSocket webSocket)
    {
        lock (_lock)
        {
            if (_closed != 0 || _closing || IsWebSocket || _probeSocket is not null)
            {
                return false;
            }

            _probeSocket = webSocket;
            _readAbort ??= new CancellationTokenSource();
            _upgradeDeadline = _server.Time.GetTimestamp() + _server.ToTicks(_server.Options.UpgradeTimeout);
            return true;
        }
    }

    /// <summary>
    /// Runs the read loop of a WebSocket until it closes. For an upgrade, handles the probe first. Returns true when
    /// the session ended cleanly on this socket (the client closed, or the server's close was written), so its
    /// connection may close gracefully; false when the connection should be reset (see <see cref="DirectWebSocketPath.TransportRelease"/>).
    /// </summary>
    internal async Task<bool> RunWebSocketAsync(WebSocket webSocket, bool isUpgrade)
    {
        var max = _server.Options.MaxPayload;
        CancellationToken abort;
        lock (_lock)
        {
            // Set by AttachWebSocket / TryBeginUpgrade before this loop starts.
            abort = _readAbort!.Token;
        }

        byte[]? buffer = null;
        var count = 0;
        var probing = isUpgrade;
        EngineCloseReason reason = EngineCloseReason.TransportClose;
        string? description = "transport closed";
        var closeWritten = false;
        try
        {
            while (true)
            {
                if (buffer is null)
                {
                    // Idle sockets hold no buffer: wait for data with a zero-byte read, then rent one.
                    var peek = await webSocket.ReceiveAsync(Memory<byte>.Empty, abort).ConfigureAwait(false);
                    if (peek.MessageType == WebSocketMessageType.Close)
                    {
                        await AnswerCloseAsync(webSocket).ConfigureAwait(false);
                        break;
                    }

                    if (peek.EndOfMessage)
                    {
                        // The zero-byte read consumed a whole frame with an empty payload (e.g. an empty attachment).
                        var empty = peek.MessageType == WebSocketMessageType.Text
                            ? EnginePacketParser.ParseText(ReadOnlyMemory<byte>.Empty)
                            : EnginePacketParser.ParseBinary(Array.Empty<byte>());
                        var step = await DispatchAsync(webSocket, empty, probing).ConfigureAwait(false);
                        if (step == DispatchResult.Stop)
                        {
                            return EndedCleanlyOn(probing);
                        }

                        probing = step == DispatchResult.Probing;
                        continue;
                    }

                    buffer = ArrayPool<byte>.Shared.Rent(4096);
                }
                else if (count == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, max + 1));
                    buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var result = await webSocket.ReceiveAsync(buffer.AsMemory(count), abort).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await AnswerCloseAsync(webSocket).ConfigureAwait(false);
                    break;
                }

                count += result.Count;
                if (count > max)
                {
                    Log.ProtocolViolation(_logger, Id, "message larger than maxPayload");
                    await CloseOutputQuietlyAsync(webSocket, WebSocketCloseStatus.MessageTooBig, "Max payload size exceeded").ConfigureAwait(false);
                    reason = EngineCloseReason.TransportError;
                    description = "payload too large";
                    break;
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                var message = buffer.AsMemory(0, count);
                count = 0;
                var packet = result.MessageType == WebSocketMessageType.Text
                    ? EnginePacketParser.ParseText(message)
                    : EnginePacketParser.ParseBinary(message.ToArray());
                var rented = buffer;
                buffer = null;
                DispatchResult next;
                try
                {
                    next = await DispatchAsync(webSocket, packet, probing).ConfigureAwait(false);
                }
                finally
                {
                    // Text packets point into the buffer; the handler is done with them once it returns.
                    ArrayPool<byte>.Shared.Return(rented);
                }

                if (next == DispatchResult.Stop)
                {
                    return EndedCleanlyOn(probing);
                }

                probing = next == DispatchResult.Probing;
            }

        }
        catch (ProtocolException ex)
        {
            Log.ProtocolViolation(_logger, Id, ex.Message);
            reason = EngineCloseReason.ParseError;
            description = ex.Message;
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            reason = EngineCloseReason.TransportError;
            description = ex.Message;

            // The client broke RFC 6455 (bad frame, invalid UTF-8): WebSocket wrote a close frame with the status
            // (1002, 1007) before failing. A lost connection is ConnectionClosedPrematurely (or an IOException).
            closeWritten = ex is WebSocketException { WebSocketErrorCode: not (WebSocketError.ConnectionClosedPrematurely or WebSocketError.InvalidState) };
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        if (probing)
        {
            CancelUpgrade("probe socket closed");
            return false;
        }

        // A close frame was written (the answer to the client's, or the one WebSocket wrote before failing the
        // connection for a protocol error or an oversized message): close gracefully, so the client gets to read it.
        Terminate(reason, description, clean: reason == EngineCloseReason.TransportClose || closeWritten || webSocket.State is WebSocketState.CloseSent or WebSocketState.Closed);
        return EndedCleanlyOn(probing: false);
    }

    /// <summary>Whether the session ended cleanly (a failed probe never did: its connection is reset).</summary>
    private bool EndedCleanlyOn(bool probing)
    {
        lock (_lock)
        {
            return !probing && _closed != 0 && _endedCleanly;
        }
    }

    private async ValueTask<DispatchResult> DispatchAsync(WebSocket webSocket, EnginePacket packet, bool probing)
    {
        if (probing)
        {
            return await HandleProbeFrameAsync(webSocket, packet).ConfigureAwait(false) switch
            {
                ProbeOutcome.Failed => DispatchResult.Stop,
                ProbeOutcome.Continue => DispatchResult.Probing,
                _ => DispatchResult.Active,
            };
        }

        OnPacket(packet);
        return IsClosed ? DispatchResult.Stop : DispatchResult.Active;
    }

    private async ValueTask<ProbeOutcome> HandleProbeFrameAsync(WebSocket webSocket, EnginePacket packet)
    {
        if (!packet.IsBinary && packet.Type == EnginePacketType.Ping && packet.Data.Span.SequenceEqual("probe"u8))
        {
            await webSocket.SendAsync(ProbeAnswer, WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
            TaskCompletionSource<bool>? waiter;
            lock (_lock)
            {
                _upgrading = true;
                _upgradeDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                waiter = _pollWaiter;
                _pollWaiter = null;
            }

            // EIO: end the pending poll with a noop so the client can send the upgrade packet.
            waiter?.TrySetResult(true);
            return ProbeOutcome.Continue;
        }

        if (!packet.IsBinary && packet.Type == EnginePacketType.Upgrade)
        {
            bool startDrain;
            TaskCompletionSource<bool>? waiter;
            lock (_lock)
            {
                if (!_upgrading || _closed != 0)
                {
                    goto fail;
                }

                IsWebSocket = true;
                _webSocket = webSocket;
                _probeSocket = null;
                _upgrading = false;
                waiter = _pollWaiter;
                _pollWaiter = null;
                startDrain = _queue.Count > 0 && SignalWriterLocked();
            }

            waiter?.TrySetResult(true);
            _upgradeDone?.TrySetResult();
            Log.Upgraded(_logger, Id);
            Upgraded?.Invoke(this);
            if (startDrain)
            {
                _ = DrainAsync();
            }

            return ProbeOutcome.Done;
        }

    fail:
        // Any other packet during the probe closes the new transport only.
        CancelUpgrade("unexpected packet during upgrade");
        return ProbeOutcome.Failed;
    }

    private void CancelUpgrade(string reason)
    {
        WebSocket? probe;
        lock (_lock)
        {
            probe = _probeSocket;
            _probeSocket = null;
            _upgrading = false;
        }

        _upgradeDone?.TrySetResult();

        if (probe is not null)
        {
            Log.UpgradeFailed(_logger, Id, reason);
            AbortSocket(probe);
        }
    }

    private async Task DrainWebSocketAsync()
    {
        // One writer per session: started by the sender that found the queue idle, it runs until the queue is empty,
        // so an idle socket has no parked task and a busy one writes its frames back to back.
        try
        {
            while (true)
            {
                WebSocket? ws;
                OutgoingFrame frame;
                bool finish;
                lock (_lock)
                {
                    ws = _webSocket;
                    if (_queue.TryDequeue(out frame))
                    {
                        _queuedBytes -= frame.Data.Length;
                        finish = false;
                    }
                    else
                    {
                        finish = _closing;
                        _draining = false;
                        if (!finish)
                        {
                            return;
                        }
                    }
                }

                if (finish)
                {
                    var written = await CloseOutputQuietlyAsync(ws, WebSocketCloseStatus.NormalClosure, null).ConfigureAwait(false);
                    Terminate(_closeReason, _closeDescription, clean: written);
                    return;
                }

                if (ws is null)
                {
                    return;
                }

                var flags = frame.Compress ? WebSocketMessageFlags.EndOfMessage : WebSocketMessageFlags.EndOfMessage | WebSocketMessageFlags.DisableCompression;
                await ws.SendAsync(frame.Data, frame.IsBinary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, flags, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            lock (_lock)
            {
                _draining = false;
            }

            Terminate(EngineCloseReason.TransportError, ex.Message);
        }
    }

    /// <summary>RFC 6455 5.5.1: answers the client's close frame with its status (1000 when it had none).</summary>
    private static Task<bool> AnswerCloseAsync(WebSocket webSocket) =>
        CloseOutputQuietlyAsync(webSocket, webSocket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null);

    /// <summary>Writes a close frame within one second; false when it could not be written.</summary>
    private static async Task<bool> CloseOutputQuietlyAsync(WebSocket? webSocket, WebSocketCloseStatus status, string? description)
    {
        if (webSocket is null || webSocket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return false;
        }

        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await webSocket.CloseOutputAsync(status, description, cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is gone (or stopped reading); nothing more to say.
            return false;
        }
    }

    private enum DispatchResult
    {
        Active,
        Probing,
        Stop,
    }

    private enum ProbeOutcome
    {
        Continue,
        Done,
        Failed,
    }
}
