using System.Text.Json;

namespace Bms.Realtime.Protocol;

/// <summary>
/// A decoded Socket.IO v5 packet. Immutable once built; safe to share between threads.
/// </summary>
public sealed class SocketPacket
{
    private static readonly IReadOnlyList<ReadOnlyMemory<byte>> NoAttachments = [];

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
        Id = id;
        Data = data;
        Attachments = attachments ?? NoAttachments;
    }

    /// <summary>The packet type (binary types are kept as received).</summary>
    public SocketPacketType Type { get; }

    /// <summary>The namespace, <c>/</c> by default.</summary>
    public string Namespace { get; }

    /// <summary>The acknowledgement id, if any.</summary>
    public long? Id { get; }

    /// <summary>The JSON payload, with binary placeholders still in place.</summary>
    public JsonElement? Data { get; }

    /// <summary>The binary attachments, in placeholder order.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Attachments { get; }

    /// <summary>True for <see cref="SocketPacketType.Event"/> and <see cref="SocketPacketType.BinaryEvent"/>.</summary>
    public bool IsEvent => Type is SocketPacketType.Event or SocketPacketType.BinaryEvent;

    /// <summary>True for <see cref="SocketPacketType.Ack"/> and <see cref="SocketPacketType.BinaryAck"/>.</summary>
    public bool IsAck => Type is SocketPacketType.Ack or SocketPacketType.BinaryAck;

    /// <summary>The event name of an event packet (a numeric name is returned as its text), else null.</summary>
    public string? EventName
    {
        get
        {
            if (!IsEvent || Data is not { ValueKind: JsonValueKind.Array } data || data.GetArrayLength() == 0)
            {
                return null;
            }

            var first = data[0];
            return first.ValueKind == JsonValueKind.String ? first.GetString() : first.GetRawText();
        }
    }

    /// <summary>
    /// The arguments: for an event, every element after the name; for an acknowledgement, every element.
    /// Empty for other packet types.
    /// </summary>
    public EventArguments Arguments =>
        Data is { ValueKind: JsonValueKind.Array } data
            ? new EventArguments(data, IsEvent ? 1 : 0, Attachments)
            : EventArguments.Empty;
}
