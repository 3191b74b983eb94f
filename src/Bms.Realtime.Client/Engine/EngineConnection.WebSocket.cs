using System.Buffers;
using System.Net.WebSockets;
using Bms.Realtime.Protocol;

namespace Bms.Realtime.Client.Engine;

/// <summary>The WebSocket transport: one Engine.IO packet per frame; binary frames are raw message bytes (EIO4).</summary>
internal sealed partial class EngineConnection
{
    private async Task<ClientWebSocket> ConnectWebSocketAsync(string? sid, CancellationToken cancellationToken)
    {
        var ws = new ClientWebSocket();
        if (!OperatingSystem.IsBrowser())
        {
            // The browser's WebSocket has no keep-alive, response details or request headers to set (they throw
            // PlatformNotSupportedException there): the token travels in the CONNECT packet's auth instead.
            ws.Options.KeepAliveInterval = TimeSpan.Zero;
            ws.Options.CollectHttpResponseDetails = true;
            foreach (var (name, value) in _options.ExtraHeaders)
            {
                ws.Options.SetRequestHeader(name, value);
            }
        }

        try
        {
            await ws.ConnectAsync(BuildUri(TransportKind.WebSocket, sid), cancellationToken).ConfigureAwait(false);
            return ws;
        }
        catch (WebSocketException ex)
        {
            var status = (int)ws.HttpStatusCode;
            ws.Dispose();
            throw new EngineHandshakeException(
                status == 0 ? $"WebSocket connection failed: {ex.Message}" : $"WebSocket handshake refused with HTTP {status}.",
                status == 0 ? null : status,
                ex);
        }
        catch
        {
            ws.Dispose();
            throw;
        }
    }

    /// <summary>Receives one whole message and returns it as a packet whose data is a copy.</summary>
    private async Task<EnginePacket> ReceiveFrameAsync(ClientWebSocket ws, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        var type = await ReceiveMessageAsync(ws, buffer, cancellationToken).ConfigureAwait(false);
        if (type == WebSocketMessageType.Close)
        {
            throw new EngineHandshakeException("The server closed the WebSocket during the handshake.");
        }

        _counters.Received(1, buffer.WrittenCount, _time.GetUtcNow());
        var copy = buffer.WrittenMemory.ToArray();
        return type == WebSocketMessageType.Text ? EnginePacketParser.ParseText(copy) : EnginePacket.Binary(copy);
    }

    private async ValueTask<WebSocketMessageType> ReceiveMessageAsync(ClientWebSocket ws, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        buffer.ResetWrittenCount();
        while (true)
        {
            var result = await ws.ReceiveAsync(buffer.GetMemory(8192), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return WebSocketMessageType.Close;
            }

            buffer.Advance(result.Count);
            if (buffer.WrittenCount > _options.MaxReceiveMessageSize)
            {
                throw new ProtocolException($"Message larger than {_options.MaxReceiveMessageSize} bytes.");
            }

            if (result.EndOfMessage)
            {
                return result.MessageType;
            }
        }
    }

    private async Task WebSocketReadLoopAsync(ClientWebSocket ws)
    {
        var token = _closeCts.Token;
        var buffer = new ArrayBufferWriter<byte>(8192);
        try
        {
            while (!token.IsCancellationRequested)
            {
                var type = await ReceiveMessageAsync(ws, buffer, token).ConfigureAwait(false);
                if (type == WebSocketMessageType.Close)
                {
                    await CloseAsync(ClientDisconnectReason.TransportClose, null, sendClose: false).ConfigureAwait(false);
                    return;
                }

                _counters.Received(1, buffer.WrittenCount, _time.GetUtcNow());

                // Text data is consumed synchronously by the listener; binary attachments outlive the buffer, so copy them.
                var packet = type == WebSocketMessageType.Text
                    ? EnginePacketParser.ParseText(buffer.WrittenMemory)
                    : EnginePacket.Binary(buffer.WrittenMemory.ToArray());
                HandlePacket(packet);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            await CloseAsync(ClassifyTransportError(ex), ex, sendClose: false).ConfigureAwait(false);
        }
    }

    private async ValueTask SendFrameAsync(ClientWebSocket ws, EnginePacket packet, CancellationToken cancellationToken)
    {
        if (packet.IsBinary)
        {
            await ws.SendAsync(packet.Data, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            _counters.Sent(1, packet.Data.Length);
            return;
        }

        var frame = EnginePacketParser.ToTextFrame(packet.Type, packet.Data.Span);
        await ws.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        _counters.Sent(1, frame.Length);
    }

    private async Task UpgradeAsync()
    {
        var closeToken = _closeCts.Token;
        ClientWebSocket? ws = null;
        var paused = false;
        try
        {
            using var timer = new CancellationTokenSource(_options.Timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(closeToken, timer.Token);
            var token = linked.Token;
            ws = await ConnectWebSocketAsync(Sid, token).ConfigureAwait(false);

            // EIO4 upgrade: 2probe -> 3probe, pause polling (the server ends the pending GET with a noop), then 5.
            await SendFrameAsync(ws, EnginePacket.Text(EnginePacketType.Ping, "probe"u8.ToArray()), token).ConfigureAwait(false);
            var reply = await ReceiveFrameAsync(ws, token).ConfigureAwait(false);
            if (reply.Type != EnginePacketType.Pong || !reply.Data.Span.SequenceEqual("probe"u8))
            {
                throw new EngineHandshakeException($"Unexpected probe reply {reply}.");
            }

            await _writeLock.WaitAsync(token).ConfigureAwait(false);
            try
            {
                paused = true;
                _pausePolling = true;
                await _readLoop!.WaitAsync(token).ConfigureAwait(false);
                await SendFrameAsync(ws, EnginePacket.Text(EnginePacketType.Upgrade), token).ConfigureAwait(false);
                _webSocket = ws;
                Transport = TransportKind.WebSocket;
            }
            finally
            {
                _writeLock.Release();
            }

            var upgraded = ws;
            ws = null;
            _readLoop = Task.Run(() => WebSocketReadLoopAsync(upgraded), CancellationToken.None);
            Log.Upgraded(_logger, Sid);
            _listener.OnTransportChanged(this, TransportKind.WebSocket);
            if (IsClosed)
            {
                upgraded.Abort();
            }
        }
        catch (Exception ex) when (!IsClosed)
        {
            Log.UpgradeFailed(_logger, Sid, ex.Message);
            if (paused)
            {
                // Polling was already stopped: the session cannot continue on either transport.
                await CloseAsync(ClientDisconnectReason.TransportError, ex, sendClose: false).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // Closed while upgrading: nothing left to do.
        }
        finally
        {
            ws?.Abort();
            ws?.Dispose();
        }
    }
}
