using System.Runtime.InteropServices;
using System.Text.Json;

namespace Bms.Realtime.Protocol;

/// <summary>
/// A decoded Socket.IO v5 packet. Immutable once built; safe to share between threads.
/// </summary>
public sealed class SocketPacket
{
    private static readonly IReadOnlyList<ReadOnlyMemory<byte>> NoAttachments = [];

    // Kept unwrapped (no Nullable<T>) so every decoded packet is a little smaller; exposed as nullable below.
    private readonly long _id;
    private readonly bool _hasId;
    private readonly JsonElement _data;
    private string? _eventName;

    /// <summary>Creates a packet.</summary>
    public SocketPacket(
        SocketPacketType type,
        string @namespace,
        long? id,
        JsonElement? data,
        IReadOnlyList<ReadOnlyMemory<byte>>? attachments = null)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        Type = type;
        Namespace = @namespace;
        _id = id.GetValueOrDefault();
        _hasId = id.HasValue;
        _data = data.GetValueOrDefault();
        Attachments = attachments ?? NoAttachments;
    }

    /// <summary>The packet type (binary types are kept as received).</summary>
    public SocketPacketType Type { get; }

    /// <summary>The namespace, <c>/</c> by default.</summary>
    public string Namespace { get; }

    /// <summary>The acknowledgement id, if any.</summary>
    public long? Id => _hasId ? _id : null;

    /// <summary>The JSON payload, with binary placeholders still in place; null when the packet has none.</summary>
    public JsonElement? Data => _data.ValueKind == JsonValueKind.Undefined ? null : _data;

    /// <summary>The binary attachments, in placeholder order.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Attachments { get; }

    /// <summary>True for <see cref="SocketPacketType.Event"/> and <see cref="SocketPacketType.BinaryEvent"/>.</summary>
    public bool IsEvent => Type is SocketPacketType.Event or SocketPacketType.BinaryEvent;

    /// <summary>True for <see cref="SocketPacketType.Ack"/> and <see cref="SocketPacketType.BinaryAck"/>.</summary>
    public bool IsAck => Type is SocketPacketType.Ack or SocketPacketType.BinaryAck;

    /// <summary>
    /// The event name of an event packet (a numeric name is returned as its text), else null. Common names come from a
    /// shared cache, so reading the name does not allocate per packet.
    /// </summary>
    public string? EventName => _eventName ??= ReadEventName();

    /// <summary>
    /// The arguments: for an event, every element after the name; for an acknowledgement, every element.
    /// Empty for other packet types.
    /// </summary>
    public EventArguments Arguments =>
        Data is { ValueKind: JsonValueKind.Array } data
            ? new EventArguments(data, IsEvent ? 1 : 0, Attachments)
            : EventArguments.Empty;

    private string? ReadEventName()
    {
        if (!IsEvent || Data is not { ValueKind: JsonValueKind.Array } data || data.GetArrayLength() == 0)
        {
            return null;
        }

        var first = data[0];
        if (first.ValueKind != JsonValueKind.String)
        {
            return first.GetRawText();
        }

        // The raw token is the quoted UTF-8 text; without escapes it is the name itself.
        var raw = JsonMarshal.GetRawUtf8Value(first);
        var name = raw[1..^1];
        return name.IndexOf((byte)'\\') < 0 ? Utf8StringCache.EventNames.Get(name) : first.GetString();
    }
}
