using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Bms.Realtime.Protocol;
using Bms.Realtime.Server.Adapters;
using MessagePack;
using StackExchange.Redis;

namespace Bms.Realtime.Server.Redis;

public sealed partial class RedisAdapter
{
    /// <summary>A broadcast published by another node: deliver it to the matching local sockets.</summary>
    private ValueTask OnBroadcastMessageAsync(ChannelMessage message)
    {
        var channel = message.Channel.ToString();
        if (!channel.StartsWith(_channel, StringComparison.Ordinal) || (channel.Length > _channel.Length && !channel.EndsWith('#')))
        {
            return ValueTask.CompletedTask;
        }

        // A message on a room channel concerns this node only when it has sockets in that room, unless connection-state
        // recovery is on: a socket of that room may be disconnected right now and must get the packet when it recovers.
        var room = channel.Length > _channel.Length ? channel[_channel.Length..^1] : string.Empty;
        if (room.Length > 0 && !Namespace.Server.Options.ConnectionStateRecovery.Enabled
            && GetSockets(ImmutableHashSet.Create(StringComparer.Ordinal, room)).Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        if (RedisPayloadCodec.Decode((byte[])message.Message!) is not List<object?> { Count: >= 3 } parts
            || parts[0] is not string uid || uid == Uid
            || parts[1] is not Dictionary<string, object?> packet
            || parts[2] is not Dictionary<string, object?> opts)
        {
            return ValueTask.CompletedTask;
        }

        if ((packet.GetValueOrDefault("nsp") as string ?? "/") != Namespace.Name
            || !TryReadEvent(packet, out var eventName, out var args))
        {
            return ValueTask.CompletedTask;
        }

        _metrics.Received("broadcast");
        var options = ReadOptions(opts);
        var traceParent = opts.GetValueOrDefault("bmsTrace") as string;
        var hasParent = ActivityContext.TryParse(traceParent, null, isRemote: true, out var parent);
        using var receive = hasParent ? RedisAdapterTracing.Source.StartActivity("redis receive", ActivityKind.Consumer, parent) : null;
        receive?.SetTag("messaging.system", "redis");
        receive?.SetTag("messaging.destination.name", channel);
        var delivered = DeliverLocal(EncodeForBroadcast(eventName, args, options), options);
        Log.RemoteBroadcast(_logger, Namespace.Name, eventName, uid, delivered, hasParent ? parent.TraceId.ToHexString() : traceParent ?? "-");
        return ValueTask.CompletedTask;
    }

    /// <summary>A request from another node (JSON, or MessagePack when it carries a packet).</summary>
    private async ValueTask OnRequestMessageAsync(ChannelMessage message)
    {
        var bytes = (byte[])message.Message!;
        if (bytes.Length == 0)
        {
            return;
        }

        if (bytes[0] != (byte)'{')
        {
            if (RedisPayloadCodec.Decode(bytes) is not Dictionary<string, object?> binary)
            {
                return;
            }

            switch (ToLong(binary.GetValueOrDefault("type")))
            {
                case (long)RedisRequestType.Broadcast:
                    await OnBroadcastRequestAsync(binary).ConfigureAwait(false);
                    break;

                // The Node adapter sends these as JSON, but its receiver accepts MessagePack for every request; so do we.
                case (long)RedisRequestType.ServerSideEmit when binary.GetValueOrDefault("uid") is string binaryUid && binaryUid != Uid:
                    _metrics.Received("request");
                    await OnServerSideEmitRequestAsync(
                        RedisPayloadCodec.ToJsonElement(binary.GetValueOrDefault("data")),
                        binaryUid,
                        binary.GetValueOrDefault("requestId") as string).ConfigureAwait(false);
                    break;
            }

            return;
        }

        using var document = JsonDocument.Parse(bytes);
        var request = document.RootElement;
        if (request.ValueKind != JsonValueKind.Object || !request.TryGetProperty("type", out var typeElement) || !typeElement.TryGetInt32(out var type))
        {
            return;
        }

        var uid = request.TryGetProperty("uid", out var u) ? u.GetString() : null;
        var requestId = request.TryGetProperty("requestId", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        if (uid == Uid)
        {
            // Our own request: already applied locally when it was made.
            return;
        }

        _metrics.Received("request");
        switch ((RedisRequestType)type)
        {
            case RedisRequestType.Sockets:
            {
                var rooms = ReadStrings(request, "rooms").ToImmutableHashSet(StringComparer.Ordinal);
                var ids = GetSockets(rooms);
                await RespondAsync(uid, w =>
                {
                    w.WriteString("requestId", requestId);
                    WriteStrings(w, "sockets", ids);
                }).ConfigureAwait(false);
                break;
            }

            case RedisRequestType.AllRooms:
                await RespondAsync(uid, w =>
                {
                    w.WriteString("requestId", requestId);
                    WriteStrings(w, "rooms", GetAllRooms());
                }).ConfigureAwait(false);
                break;

            case RedisRequestType.RemoteJoin:
            case RedisRequestType.RemoteLeave:
            case RedisRequestType.RemoteDisconnect:
                await OnRemoteSocketOperationAsync((RedisRequestType)type, request, uid, requestId).ConfigureAwait(false);
                break;

            case RedisRequestType.RemoteFetch:
            {
                var sockets = FetchLocal(ReadJsonOptions(request));
                await RespondAsync(uid, w =>
                {
                    w.WriteString("requestId", requestId);
                    w.WriteStartArray("sockets");
                    foreach (var socket in sockets)
                    {
                        WriteSocket(w, socket);
                    }

                    w.WriteEndArray();
                }).ConfigureAwait(false);
                break;
            }

            case RedisRequestType.ServerSideEmit when request.TryGetProperty("data", out var data):
                await OnServerSideEmitRequestAsync(data, uid, requestId).ConfigureAwait(false);
                break;
        }
    }

    private async ValueTask OnRemoteSocketOperationAsync(RedisRequestType type, JsonElement request, string? uid, string? requestId)
    {
        if (request.TryGetProperty("opts", out var opts) && opts.ValueKind == JsonValueKind.Object)
        {
            var options = ReadJsonOptions(request);
            switch (type)
            {
                case RedisRequestType.RemoteJoin:
                    await base.AddSocketsAsync(options, ReadStrings(request, "rooms")).ConfigureAwait(false);
                    break;
                case RedisRequestType.RemoteLeave:
                    await base.DelSocketsAsync(options, ReadStrings(request, "rooms")).ConfigureAwait(false);
                    break;
                default:
                    var close = request.TryGetProperty("close", out var c) && c.ValueKind == JsonValueKind.True;
                    await base.DisconnectSocketsAsync(options, close).ConfigureAwait(false);
                    break;
            }

            return;
        }

        // The older single-socket form: {sid, room} or {sid, close}, answered with {requestId}.
        var sid = request.TryGetProperty("sid", out var s) ? s.GetString() : null;
        if (sid is null || !Namespace.TryGetSocket(sid, out var socket))
        {
            return;
        }

        var room = request.TryGetProperty("room", out var rm) ? rm.GetString() : null;
        switch (type)
        {
            case RedisRequestType.RemoteJoin when room is not null:
                socket.Join(room);
                break;
            case RedisRequestType.RemoteLeave when room is not null:
                socket.Leave(room);
                break;
            case RedisRequestType.RemoteDisconnect:
                await socket.DisconnectAsync(request.TryGetProperty("close", out var cl) && cl.ValueKind == JsonValueKind.True).ConfigureAwait(false);
                break;
        }

        await RespondAsync(uid, w => w.WriteString("requestId", requestId)).ConfigureAwait(false);
    }

    /// <summary>A broadcast with acks from another node: deliver locally, report the count and relay each ack.</summary>
    private async ValueTask OnBroadcastRequestAsync(Dictionary<string, object?> request)
    {
        if (request.GetValueOrDefault("requestId") is not string requestId || IsAckRequest(requestId)
            || request.GetValueOrDefault("uid") as string == Uid
            || request.GetValueOrDefault("packet") is not Dictionary<string, object?> packet
            || !TryReadEvent(packet, out var eventName, out var args))
        {
            return;
        }

        _metrics.Received("broadcast-ack");
        var uid = request.GetValueOrDefault("uid") as string;
        var options = request.GetValueOrDefault("opts") is Dictionary<string, object?> opts ? ReadOptions(opts) : BroadcastOptions.All;
        await base.BroadcastWithAckAsync(
            eventName,
            args,
            options,
            count => _ = RespondAsync(uid, w =>
            {
                w.WriteNumber("type", (int)RedisRequestType.BroadcastClientCount);
                w.WriteString("requestId", requestId);
                w.WriteNumber("clientCount", count);
            }),
            ack =>
            {
                // The Node adapter relays the first argument of each client's ack.
                var response = EncodeMessagePack((ref MessagePackWriter w) =>
                {
                    w.WriteMapHeader(3);
                    w.Write("type");
                    w.Write((int)RedisRequestType.BroadcastAck);
                    w.Write("requestId");
                    w.Write(requestId);
                    w.Write("packet");
                    if (ack.Count > 0)
                    {
                        RedisPayloadCodec.Write(ref w, ack.GetRaw(0), ack.Attachments);
                    }
                    else
                    {
                        w.WriteNil();
                    }
                });
                _publisher.TryEnqueue(ResponseChannelFor(uid), response, "response");
            }).ConfigureAwait(false);
    }

    /// <summary>An answer to one of our requests.</summary>
    private ValueTask OnResponseMessageAsync(ChannelMessage message)
    {
        var bytes = (byte[])message.Message!;
        if (bytes.Length == 0)
        {
            return ValueTask.CompletedTask;
        }

        if (bytes[0] != (byte)'{')
        {
            if (RedisPayloadCodec.Decode(bytes) is not Dictionary<string, object?> binary
                || binary.GetValueOrDefault("requestId") is not string binaryId)
            {
                return ValueTask.CompletedTask;
            }

            var binaryType = ToLong(binary.GetValueOrDefault("type"));
            if (binaryType == (long)RedisRequestType.BroadcastAck && TryAddClientAck(binaryId, () => RedisPayloadCodec.ToArguments(binary.GetValueOrDefault("packet"))))
            {
                _metrics.Received("response");
            }
            else
            {
                TryAddServerSideEmitResponse(binaryId, binaryType, () => binary.TryGetValue("data", out var value) ? RedisPayloadCodec.ToJsonElement(value) : null);
            }

            return ValueTask.CompletedTask;
        }

        using var document = JsonDocument.Parse(bytes);
        var response = document.RootElement;
        if (response.ValueKind != JsonValueKind.Object || !response.TryGetProperty("requestId", out var idElement) || idElement.GetString() is not { } requestId)
        {
            return ValueTask.CompletedTask;
        }

        if (IsAckRequest(requestId))
        {
            _metrics.Received("response");
            if (response.TryGetProperty("type", out var t) && t.TryGetInt32(out var type))
            {
                if (type == (int)RedisRequestType.BroadcastClientCount && response.TryGetProperty("clientCount", out var count) && count.TryGetInt32(out var clientCount))
                {
                    TryAddClientCount(requestId, clientCount);
                }
                else if (type == (int)RedisRequestType.BroadcastAck && response.TryGetProperty("packet", out var packet))
                {
                    TryAddClientAck(requestId, () => RedisPayloadCodec.ToArguments(packet.Clone()));
                }
            }

            return ValueTask.CompletedTask;
        }

        var responseType = response.TryGetProperty("type", out var rt) && rt.ValueKind == JsonValueKind.Number && rt.TryGetInt64(out var rtValue) ? rtValue : (long?)null;
        if (TryAddServerSideEmitResponse(requestId, responseType, () => response.TryGetProperty("data", out var value) ? value.Clone() : null))
        {
            return ValueTask.CompletedTask;
        }

        var known = TryAddResponse(requestId, request =>
        {
            switch ((RedisRequestType)request.Type)
            {
                case RedisRequestType.RemoteFetch when response.TryGetProperty("sockets", out var sockets) && sockets.ValueKind == JsonValueKind.Array:
                    foreach (var socket in sockets.EnumerateArray())
                    {
                        if (ReadSocket(socket) is { } descriptor)
                        {
                            request.Sockets.Add(descriptor);
                        }
                    }

                    return true;
                case RedisRequestType.AllRooms when response.TryGetProperty("rooms", out var rooms) && rooms.ValueKind == JsonValueKind.Array:
                    foreach (var room in rooms.EnumerateArray())
                    {
                        request.Rooms.Add(room.ValueKind == JsonValueKind.String ? room.GetString()! : room.GetRawText());
                    }

                    return true;
                default:
                    return false;
            }
        });
        if (known)
        {
            _metrics.Received("response");
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Queues an answer to another node's request (never waits for Redis).</summary>
    private ValueTask RespondAsync(string? requesterUid, Action<Utf8JsonWriter> write)
    {
        EnqueueJson(ResponseChannelFor(requesterUid), write, "response");
        return ValueTask.CompletedTask;
    }

    private string ResponseChannelFor(string? requesterUid) =>
        _options.PublishOnSpecificResponseChannel && requesterUid is not null ? _responseChannel + requesterUid + "#" : _responseChannel;

    private static bool TryReadEvent(Dictionary<string, object?> packet, out string eventName, out object?[] args)
    {
        eventName = string.Empty;
        args = [];
        if (packet.GetValueOrDefault("data") is not List<object?> { Count: > 0 } data || data[0] is not string name)
        {
            return false;
        }

        eventName = name;
        args = [.. data.Skip(1)];
        return true;
    }

    private static BroadcastOptions ReadOptions(Dictionary<string, object?> opts)
    {
        var flags = opts.GetValueOrDefault("flags") as Dictionary<string, object?>;
        var timeout = ToLong(flags?.GetValueOrDefault("timeout"));
        return new BroadcastOptions(
            ToStrings(opts.GetValueOrDefault("rooms")),
            ToStrings(opts.GetValueOrDefault("except")),
            new BroadcastFlags(
                Volatile: flags?.GetValueOrDefault("volatile") is true,
                Compress: flags?.GetValueOrDefault("compress") is not false,
                Local: true,
                Timeout: timeout is > 0 ? TimeSpan.FromMilliseconds(timeout.Value) : null));
    }

    private static BroadcastOptions ReadJsonOptions(JsonElement request)
    {
        if (!request.TryGetProperty("opts", out var opts) || opts.ValueKind != JsonValueKind.Object)
        {
            return BroadcastOptions.All with { Flags = new BroadcastFlags(Local: true) };
        }

        return new BroadcastOptions(
            ReadStrings(opts, "rooms").ToImmutableHashSet(StringComparer.Ordinal),
            ReadStrings(opts, "except").ToImmutableHashSet(StringComparer.Ordinal),
            new BroadcastFlags(Local: true));
    }

    private static List<string> ReadStrings(JsonElement element, string name)
    {
        var result = new List<string>();
        if (element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in array.EnumerateArray())
            {
                result.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText());
            }
        }

        return result;
    }

    private static ImmutableHashSet<string> ToStrings(object? value)
    {
        if (value is not List<object?> list)
        {
            return ImmutableHashSet<string>.Empty;
        }

        // Node rooms may be numbers; socket.io compares them as strings on the wire.
        return list.Where(v => v is not null).Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)!).ToImmutableHashSet(StringComparer.Ordinal);
    }

    private static long? ToLong(object? value) => value switch
    {
        long l => l,
        ulong ul => (long)ul,
        double d => (long)d,
        _ => null,
    };
}
