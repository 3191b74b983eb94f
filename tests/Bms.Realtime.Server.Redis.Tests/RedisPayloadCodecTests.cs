using System.Buffers;
using System.Text.Json;
using MessagePack;

namespace Bms.Realtime.Server.Redis.Tests;

public sealed class RedisPayloadCodecTests
{
    [Fact]
    public void DecodesTheMessagesNotepackWritesForABroadcast()
    {
        // notepack.encode(["uid1", {type: 2, data: ["ev", 1, 1.5, Buffer.from([1,2])], nsp: "/main"}, {rooms: ["r"], except: [], flags: {}}])
        var bytes = Convert.FromHexString("93a475696431" + "83a47479706502a46461746194a2657601cb3ff8000000000000c4020102a36e7370a52f6d61696e" + "83a5726f6f6d7391a172a6657863657074" + "90a5666c61677380");
        var tree = Assert.IsType<List<object?>>(RedisPayloadCodec.Decode(bytes));
        Assert.Equal("uid1", tree[0]);
        var packet = Assert.IsType<Dictionary<string, object?>>(tree[1]);
        Assert.Equal(2L, packet["type"]);
        var data = Assert.IsType<List<object?>>(packet["data"]);
        Assert.Equal("ev", data[0]);
        Assert.Equal(1L, data[1]);
        Assert.Equal(1.5, data[2]);
        Assert.Equal(new byte[] { 1, 2 }, data[3]);
        Assert.Equal("/main", packet["nsp"]);
        var opts = Assert.IsType<Dictionary<string, object?>>(tree[2]);
        Assert.Equal(["r"], Assert.IsType<List<object?>>(opts["rooms"]));
        Assert.Empty(Assert.IsType<Dictionary<string, object?>>(opts["flags"]));
    }

    [Fact]
    public void WritesPlaceholdersAsBinAndIntegralNumbersAsIntegers()
    {
        using var document = JsonDocument.Parse("[\"ev\",{\"_placeholder\":true,\"num\":0},3,2.5,null,true,{\"a\":\"b\"}]");
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        RedisPayloadCodec.Write(ref writer, document.RootElement, [new byte[] { 9, 8 }]);
        writer.Flush();

        var tree = Assert.IsType<List<object?>>(RedisPayloadCodec.Decode(buffer.WrittenMemory));
        Assert.Equal("ev", tree[0]);
        Assert.Equal(new byte[] { 9, 8 }, tree[1]);
        Assert.Equal(3L, tree[2]);
        Assert.Equal(2.5, tree[3]);
        Assert.Null(tree[4]);
        Assert.Equal(true, tree[5]);
        Assert.Equal("b", Assert.IsType<Dictionary<string, object?>>(tree[6])["a"]);
    }

    [Fact]
    public void ToArgumentsTurnsBinaryValuesIntoReadableAttachments()
    {
        var args = RedisPayloadCodec.ToArguments(new Dictionary<string, object?> { ["name"] = "doc", ["data"] = new byte[] { 1, 2, 3 } }, 5L);

        Assert.Equal(2, args.Count);
        var first = args.Get<Doc>(0);
        Assert.Equal("doc", first!.Name);
        Assert.Equal(new byte[] { 1, 2, 3 }, first.Data);
        Assert.Equal(5, args.Get<int>(1));
    }

    [Fact]
    public void UnknownExtensionsDecodeAsNullAndTimestampsAsIsoStrings()
    {
        // [fixext1 type 5, timestamp32 of 0]
        var tree = Assert.IsType<List<object?>>(RedisPayloadCodec.Decode(Convert.FromHexString("92d40501d6ff00000000")));
        Assert.Null(tree[0]);
        Assert.Equal("1970-01-01T00:00:00.0000000+00:00", tree[1]);
    }

    public sealed record Doc(string Name, byte[] Data);
}
