namespace Bms.Realtime.Protocol.Tests;

/// <summary>The binary packets of docs/socket.io-protocol/v5-current.md (examples and sample session).</summary>
internal static class SpecBinaryPackets
{
    /// <summary>Columns: encoded text, attachments (hex, in order), type, namespace, ack id (-1 = none).</summary>
    public static TheoryData<string, string[], SocketPacketType, string, long> All => new()
    {
        { "51-[\"baz\",{\"_placeholder\":true,\"num\":0}]", ["01020304"], SocketPacketType.BinaryEvent, "/", -1 },
        { "52-/admin,[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]", ["0102", "0304"], SocketPacketType.BinaryEvent, "/admin", -1 },
        { "51-14[\"foo\",{\"_placeholder\":true,\"num\":0}]", ["01020304"], SocketPacketType.BinaryEvent, "/", 14 },
        { "61-15[\"bar\",{\"_placeholder\":true,\"num\":0}]", ["01020304"], SocketPacketType.BinaryAck, "/", 15 },
        { "61-/admin,1[{\"_placeholder\":true,\"num\":0}]", ["ff00"], SocketPacketType.BinaryAck, "/admin", 1 },
    };
}
