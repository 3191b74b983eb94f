using System.Buffers;
using System.Net.WebSockets;
using Bms.Realtime.Protocol;

namespace Bms.Realtime.Server.Engine;

public sealed partial class EngineSession
{
    private static readonly byte[] ProbeAnswer = "3probe"u8.ToArray();

    private WebSocket? _probeSocket;
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
            _upgradeDeadline = _server.Time.GetTimestamp() + _server.ToTicks(_server.Options.UpgradeTimeout);
            return true;
        }
    }

    /// <summary>Runs the read loop of a WebSocket until it closes. For an upgrade, handles the probe first.</summary>
    internal async Task RunWebSocketAsync(WebSocket webSocket, bool isUpgrade)
    {
        var max = _server.Options.MaxPayload;
        byte[]? buffer = null;
        var count = 0;
        var probing = isUpgrade;
        EngineCloseReason reason = EngineCloseReason.TransportClose;
        string? description = "transport closed";
        try
        {
            while (true)
            {
                if (buffer is null)
                {
                    // Idle sockets hold no buffer: wait for data with a zero-byte read, then rent one.
                    var peek = await webSocket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
                    if (peek.MessageType == WebSocketMessageType.Close)
                    {
                        break;
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

                var result = await webSocket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
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
                try
                {
                    if (probing)
                    {
                        var outcome = await HandleProbeFrameAsync(webSocket, packet).ConfigureAwait(false);
                        if (outcome == ProbeOutcome.Failed)
                        {
                            return;
                        }

                        probing = outcome == ProbeOutcome.Continue;
                        continue;
                    }

                    OnPacket(packet);
                }
                finally
                {
                    // Text packets point into the buffer; the handler is done with them once it returns.
                    ArrayPool<byte>.Shared.Return(rented);
                }

                if (IsClosed)
                {
                    return;
                }
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
        }
        else
        {
            Terminate(reason, description);
        }
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
                _ = DrainWebSocketAsync();
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
        var batch = new OutgoingFrame[32];
        try
        {
            while (true)
            {
                WebSocket? ws;
                var n = 0;
                bool finish;
                lock (_lock)
                {
                    ws = _webSocket;
                    while (n < batch.Length && _queue.TryDequeue(out var frame))
                    {
                        batch[n++] = frame;
                    }

                    finish = n == 0 && _closing;
                    if (n == 0)
                    {
                        _draining = false;
                    }
                }

                if (finish)
                {
                    await CloseOutputQuietlyAsync(ws, WebSocketCloseStatus.NormalClosure, null).ConfigureAwait(false);
                    Terminate(_closeReason, _closeDescription);
                    return;
                }

                if (n == 0 || ws is null)
                {
                    return;
                }

                for (var i = 0; i < n; i++)
                {
                    var frame = batch[i];
                    var flags = WebSocketMessageFlags.EndOfMessage;
                    if (!frame.Compress)
                    {
                        flags |= WebSocketMessageFlags.DisableCompression;
                    }

                    await ws.SendAsync(frame.Data, frame.IsBinary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, flags, CancellationToken.None).ConfigureAwait(false);
                    batch[i] = default;
                }
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

    private static async Task CloseOutputQuietlyAsync(WebSocket? webSocket, WebSocketCloseStatus status, string? description)
    {
        if (webSocket is null || webSocket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await webSocket.CloseOutputAsync(status, description, cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is gone; nothing more to say.
        }
    }

    private enum ProbeOutcome
    {
        Continue,
        Done,
        Failed,
    }
}
