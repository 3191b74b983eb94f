using System.Buffers;
using System.Net.Http.Headers;
using Bms.Realtime.Protocol;

namespace Bms.Realtime.Client.Engine;

/// <summary>The HTTP long-polling transport: one pending GET at a time; writes are POSTed as payloads (EIO4 0x1e separator).</summary>
internal sealed partial class EngineConnection
{
    private static readonly MediaTypeHeaderValue TextPlain = MediaTypeHeaderValue.Parse("text/plain; charset=UTF-8");

    private async Task PollingHandshakeAsync(CancellationToken cancellationToken)
    {
        var packets = await PollOnceAsync(sid: null, cancellationToken).ConfigureAwait(false);
        HandleOpen(packets[0]);
        for (var i = 1; i < packets.Count; i++)
        {
            HandlePacket(packets[i]);
        }
    }

    private async Task<List<EnginePacket>> PollOnceAsync(string? sid, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, BuildUri(TransportKind.Polling, sid));
        AddHeaders(request);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new EngineHandshakeException($"Polling request failed with HTTP {(int)response.StatusCode}.", (int)response.StatusCode);
        }

        if (response.Content.Headers.ContentLength > _options.MaxReceiveMessageSize)
        {
            throw new ProtocolException($"Payload larger than {_options.MaxReceiveMessageSize} bytes.");
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (body.Length > _options.MaxReceiveMessageSize)
        {
            throw new ProtocolException($"Payload larger than {_options.MaxReceiveMessageSize} bytes.");
        }

        var packets = EnginePayload.Decode(body);
        _counters.Received(packets.Count, body.Length, _time.GetUtcNow());
        return packets;
    }

    private async Task PollLoopAsync()
    {
        var token = _closeCts.Token;
        try
        {
            while (!_pausePolling && !token.IsCancellationRequested)
            {
                var packets = await PollOnceAsync(Sid, token).ConfigureAwait(false);
                foreach (var packet in packets)
                {
                    HandlePacket(packet);
                }
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

    private async Task PostAsync(IReadOnlyList<EnginePacket> packets, CancellationToken cancellationToken)
    {
        var writer = new ArrayBufferWriter<byte>(1024);
        var count = 0;
        for (var i = 0; i < packets.Count; i++)
        {
            EnginePayload.WritePacket(writer, packets[i], first: count == 0);
            count++;

            // Stay under the server's maxPayload: a larger POST is refused with 413.
            if (i == packets.Count - 1 || writer.WrittenCount > MaxPayload / 2)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, BuildUri(TransportKind.Polling, Sid))
                {
                    Content = new ByteArrayContent(writer.WrittenMemory.ToArray()),
                };
                request.Content.Headers.ContentType = TextPlain;
                AddHeaders(request);
                using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    throw new HttpRequestException($"Polling POST failed with HTTP {(int)response.StatusCode}.", null, response.StatusCode);
                }

                _counters.Sent(count, writer.WrittenCount);
                writer.ResetWrittenCount();
                count = 0;
            }
        }
    }

    private void AddHeaders(HttpRequestMessage request)
    {
        foreach (var (name, value) in _options.ExtraHeaders)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }
}
