using System.Text;
using System.Text.Json;

namespace Bms.Realtime.Protocol.Tests;

public sealed class SocketPacketEncoderTests
{
    private static readonly byte[] Bytes1234 = [1, 2, 3, 4];

    [Theory]
    [InlineData("/", null, "0")]
    [InlineData("/admin", null, "0/admin,")]
    [InlineData("/custom", null, "0/custom,")]
    [InlineData("/admin", "oSO0OpakMV_3jnilAAAA", "0/admin,{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}")]
    [InlineData("/", "wZX3oN0bSVIhsaknAAAI", "0{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}")]
    public void EncodeConnectWritesTheSpecExamples(string nsp, string? sid, string expected)
    {
        var packet = SocketPacketEncoder.EncodeConnect(nsp, sid is null ? null : new { sid });

        Assert.Equal(expected, packet.ToString());
        Assert.Empty(packet.Attachments);
    }

    [Fact]
    public void EncodeConnectWritesAuthAndRecoveryFields()
    {
        var packet = SocketPacketEncoder.EncodeConnect("/", new { Token = "t", Pid = "p", Offset = "o" });

        Assert.Equal("0{\"token\":\"t\",\"pid\":\"p\",\"offset\":\"o\"}", packet.ToString());
    }

    [Theory]
    [InlineData("/", "Not authorized", "4{\"message\":\"Not authorized\"}")]
    [InlineData("/custom", "Invalid namespace", "4/custom,{\"message\":\"Invalid namespace\"}")]
    public void EncodeConnectErrorWithoutDataWritesOnlyTheMessage(string nsp, string message, string expected)
    {
        Assert.Equal(expected, SocketPacketEncoder.EncodeConnectError(nsp, message).ToString());
    }

    [Fact]
    public void EncodeConnectErrorWithDataWritesMessageAndData()
    {
        var packet = SocketPacketEncoder.EncodeConnectError("/admin", "not allowed", new { Code = 7, Roles = new[] { "a" } });

        Assert.Equal("4/admin,{\"message\":\"not allowed\",\"data\":{\"code\":7,\"roles\":[\"a\"]}}", packet.ToString());
    }

    [Fact]
    public void EncodeConnectErrorKeepsTheWireNamesWithAnyJsonOptions()
    {
        var options = new JsonSerializerOptions { PropertyNamingPolicy = null };

        var packet = SocketPacketEncoder.EncodeConnectError("/", "no", new { Code = 1 }, options);

        Assert.Equal("4{\"message\":\"no\",\"data\":{\"Code\":1}}", packet.ToString());
    }

    [Theory]
    [InlineData("/", "1")]
    [InlineData("/admin", "1/admin,")]
    [InlineData("/custom", "1/custom,")]
    public void EncodeDisconnectWritesTheNamespaceFollowedByAComma(string nsp, string expected)
    {
        Assert.Equal(expected, SocketPacketEncoder.EncodeDisconnect(nsp).ToString());
    }

    public static TheoryData<string, string, object?[], long, string> Events => new()
    {
        { "/", "foo", [], -1, "2[\"foo\"]" },
        { "/admin", "bar", [], -1, "2/admin,[\"bar\"]" },
        { "/", "foo", [], 12, "212[\"foo\"]" },
        { "/admin", "tellme", [], 1, "2/admin,1[\"tellme\"]" },
        { "/", "hey", ["Jude"], -1, "2[\"hey\",\"Jude\"]" },
        { "/", "a", [1, new Dictionary<string, int>()], -1, "2[\"a\",1,{}]" },
        { "/test", "a", [1, new Dictionary<string, int>()], 1, "2/test,1[\"a\",1,{}]" },
        { "/", "news", [1, "Q8JmpM_"], -1, "2[\"news\",1,\"Q8JmpM_\"]" },
        { "/", "n", [null, true, 1.5, "x"], -1, "2[\"n\",null,true,1.5,\"x\"]" },
        { "/", "é", ["€<>&'+"], -1, "2[\"é\",\"€<>&'+\"]" },
        { "/", "esc", ["q\"b\\n\n\u0001"], -1, "2[\"esc\",\"q\\\"b\\\\n\\n\\u0001\"]" },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void EncodeEventWritesTheSpecExamples(string nsp, string name, object?[] args, long ackId, string expected)
    {
        var packet = SocketPacketEncoder.EncodeEvent(nsp, name, args, ackId < 0 ? null : ackId);

        Assert.Equal(expected, packet.ToString());
        Assert.Empty(packet.Attachments);
    }

    [Theory]
    [InlineData("/", 12, "312[]")]
    [InlineData("/admin", 13, "3/admin,13[\"bar\"]")]
    [InlineData("/", 14, "314[\"bar\"]")]
    public void EncodeAckWritesTheSpecExamples(string nsp, long ackId, string expected)
    {
        object?[] args = expected.EndsWith("[]", StringComparison.Ordinal) ? [] : ["bar"];

        Assert.Equal(expected, SocketPacketEncoder.EncodeAck(nsp, ackId, args).ToString());
    }

    public static TheoryData<string, string[], SocketPacketType, string, long> SpecBinaryPackets => Tests.SpecBinaryPackets.All;

    [Theory]
    [MemberData(nameof(SpecBinaryPackets))]
    public void EncodeWritesEverySpecBinaryPacket(string expected, string[] attachments, SocketPacketType type, string nsp, long id)
    {
        var json = JsonDocument.Parse(expected[expected.IndexOf('[', StringComparison.Ordinal)..]).RootElement;
        var buffers = attachments.Select(Convert.FromHexString).ToArray();
        var values = json.EnumerateArray()
            .Select(e => SocketJson.IsPlaceholder(e, out var num) ? buffers[num] : (object)e.GetString()!)
            .ToArray();

        var packet = type == SocketPacketType.BinaryEvent
            ? SocketPacketEncoder.EncodeEvent(nsp, (string)values[0], values[1..], id < 0 ? null : id)
            : SocketPacketEncoder.EncodeAck(nsp, id, values);

        Assert.Equal(expected, packet.ToString());
        Assert.Equal(attachments, packet.Attachments.Select(a => Convert.ToHexString(a.Span).ToLowerInvariant()));
    }

    [Fact]
    public void EncodeEventWithABufferIsABinaryEventWithOnePlaceholder()
    {
        var packet = SocketPacketEncoder.EncodeEvent("/", "baz", [Bytes1234]);

        Assert.Equal("51-[\"baz\",{\"_placeholder\":true,\"num\":0}]", packet.ToString());
        Assert.Equal([Bytes1234], packet.Attachments.Select(a => a.ToArray()));
    }

    [Fact]
    public void EncodeEventWithTwoBuffersNumbersPlaceholdersInOrder()
    {
        var packet = SocketPacketEncoder.EncodeEvent("/admin", "baz", [new byte[] { 1, 2 }, new ReadOnlyMemory<byte>([3, 4])]);

        Assert.Equal("52-/admin,[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]", packet.ToString());
        Assert.Equal([new byte[] { 1, 2 }, new byte[] { 3, 4 }], packet.Attachments.Select(a => a.ToArray()));
    }

    [Theory]
    [InlineData("/", 15, "61-15[\"bar\",{\"_placeholder\":true,\"num\":0}]")]
    [InlineData("/admin", 1, "61-/admin,1[\"bar\",{\"_placeholder\":true,\"num\":0}]")]
    public void EncodeAckWithABufferIsABinaryAck(string nsp, long ackId, string expected)
    {
        var packet = SocketPacketEncoder.EncodeAck(nsp, ackId, ["bar", Bytes1234]);

        Assert.Equal(expected, packet.ToString());
        Assert.Single(packet.Attachments);
    }

    [Fact]
    public void EncodeEventFindsBuffersNestedInObjectsAndArrays()
    {
        var payload = new FileUpload("a.bin", [9], [new byte[] { 1 }, new byte[] { 2 }], new Dictionary<string, byte[]> { ["k"] = [3] });

        var packet = SocketPacketEncoder.EncodeEvent("/", "upload", [payload, new object[] { new byte[] { 4 } }]);

        Assert.Equal(
            "55-[\"upload\",{\"name\":\"a.bin\",\"content\":{\"_placeholder\":true,\"num\":0},"
            + "\"parts\":[{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,\"num\":2}],"
            + "\"named\":{\"k\":{\"_placeholder\":true,\"num\":3}}},[{\"_placeholder\":true,\"num\":4}]]",
            packet.ToString());
        Assert.Equal([[9], [1], [2], [3], [4]], packet.Attachments.Select(a => a.ToArray()));
    }

    [Fact]
    public void EncodeEventPassesJsonElementsThrough()
    {
        using var document = JsonDocument.Parse("{\"A\":[1,{\"b\":null}]}");

        var packet = SocketPacketEncoder.EncodeEvent("/", "raw", [document.RootElement.Clone()]);

        Assert.Equal("2[\"raw\",{\"A\":[1,{\"b\":null}]}]", packet.ToString());
    }

    [Fact]
    public void EncodeUsesCamelCaseAndStringEnums()
    {
        var packet = SocketPacketEncoder.EncodeEvent("/", "s", [new Status(Level.HighAlert, null)]);

        Assert.Equal("2[\"s\",{\"level\":\"highAlert\",\"note\":null}]", packet.ToString());
    }

    [Fact]
    public void EncodeWithBinaryInAConnectPacketIsAnArgumentError()
    {
        Assert.Throws<ArgumentException>(() => SocketPacketEncoder.EncodeConnect("/", new { data = Bytes1234 }));
    }

    [Fact]
    public void EncodeTwiceOnOneThreadKeepsTheFirstResultIntact()
    {
        var first = SocketPacketEncoder.EncodeEvent("/", "one", [Bytes1234]);
        var second = SocketPacketEncoder.EncodeEvent("/", "two", ["x"]);

        Assert.Equal("51-[\"one\",{\"_placeholder\":true,\"num\":0}]", first.ToString());
        Assert.Single(first.Attachments);
        Assert.Equal("2[\"two\",\"x\"]", second.ToString());
        Assert.Empty(second.Attachments);
    }

    [Fact]
    public void EncodeFromManyThreadsAtOnceGivesIndependentResults()
    {
        var results = new string[64];
        Parallel.For(0, results.Length, i =>
        {
            for (var round = 0; round < 200; round++)
            {
                results[i] = SocketPacketEncoder.EncodeEvent("/", "e" + i, [i, new byte[] { (byte)i }], i).ToString();
            }
        });

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal($"51-{i}[\"e{i}\",{i},{{\"_placeholder\":true,\"num\":0}}]", results[i]);
        }
    }

    [Fact]
    public void EncodeRejectsNullArguments()
    {
        Assert.Throws<ArgumentNullException>(() => SocketPacketEncoder.EncodeEvent(null!, "a", []));
        Assert.Throws<ArgumentNullException>(() => SocketPacketEncoder.EncodeEvent("/", null!, []));
        Assert.Throws<ArgumentNullException>(() => SocketPacketEncoder.EncodeConnectError("/", null!));
    }

    [Theory]
    [InlineData("connect")]
    [InlineData("connect_error")]
    [InlineData("disconnect")]
    [InlineData("disconnecting")]
    [InlineData("newListener")]
    [InlineData("removeListener")]
    public void EncodeEventRefusesReservedEventNamesThatThePeerWouldCloseOn(string name)
    {
        Assert.Throws<ArgumentException>(() => SocketPacketEncoder.EncodeEvent("/", name, []));
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("/a,b")]
    [InlineData(" /admin")]
    public void EncodeRefusesANamespaceTheDecoderCouldNotReadBack(string nsp)
    {
        Assert.Throws<ArgumentException>(() => SocketPacketEncoder.EncodeEvent(nsp, "e", []));
        Assert.Throws<ArgumentException>(() => SocketPacketEncoder.EncodeDisconnect(nsp));
    }

    [Fact]
    public void EncodeTreatsAnEmptyNamespaceAsTheMainNamespace()
    {
        Assert.Equal("2[\"e\"]", SocketPacketEncoder.EncodeEvent("", "e", []).ToString());
    }

    [Fact]
    public void EncodeRefusesANegativeAckId()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SocketPacketEncoder.EncodeEvent("/", "e", [], -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SocketPacketEncoder.EncodeAck("/", -5, []));
    }

    [Fact]
    public void EncodeRecoversAfterASerializerFailureMidPacket()
    {
        Assert.ThrowsAny<Exception>(() => SocketPacketEncoder.EncodeEvent("/", "e", [new byte[] { 1 }, new Throwing()]));

        var packet = SocketPacketEncoder.EncodeEvent("/", "ok", [1]);

        Assert.Equal("2[\"ok\",1]", packet.ToString());
        Assert.Empty(packet.Attachments);
    }

    [Fact]
    public void EncodeInsideAConverterOfAnotherEncodeGivesBothPacketsIntact()
    {
        var outer = SocketPacketEncoder.EncodeEvent("/", "outer", [new byte[] { 1 }, new Reentrant(), new byte[] { 3 }]);

        Assert.Equal("52-[\"outer\",{\"_placeholder\":true,\"num\":0},\"51-[\\\"inner\\\",{\\\"_placeholder\\\":true,\\\"num\\\":0}]\",{\"_placeholder\":true,\"num\":1}]", outer.ToString());
        Assert.Equal([new byte[] { 1 }, new byte[] { 3 }], outer.Attachments.Select(a => a.ToArray()));
    }

    [Fact]
    public void EncodeOfALargePacketDoesNotDisturbTheNextOne()
    {
        var big = new string('x', 200_000);

        Assert.Equal(200_000 + 11, SocketPacketEncoder.EncodeEvent("/", "big", [big]).Text.Length);
        Assert.Equal("2[\"small\"]", SocketPacketEncoder.EncodeEvent("/", "small", []).ToString());
    }

    [System.Text.Json.Serialization.JsonConverter(typeof(ThrowingConverter))]
    internal sealed class Throwing;

    internal sealed class ThrowingConverter : System.Text.Json.Serialization.JsonConverter<Throwing>
    {
        public override Throwing Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, Throwing value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("half");
            throw new InvalidOperationException("boom");
        }
    }

    [System.Text.Json.Serialization.JsonConverter(typeof(ReentrantConverter))]
    internal sealed class Reentrant;

    internal sealed class ReentrantConverter : System.Text.Json.Serialization.JsonConverter<Reentrant>
    {
        public override Reentrant Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, Reentrant value, JsonSerializerOptions options) =>
            writer.WriteStringValue(SocketPacketEncoder.EncodeEvent("/", "inner", [new byte[] { 2 }]).ToString());
    }

    internal sealed record FileUpload(string Name, byte[] Content, List<byte[]> Parts, Dictionary<string, byte[]> Named);

    internal enum Level
    {
        Low,
        HighAlert,
    }

    internal sealed record Status(Level Level, string? Note);
}
