using System.Text.Json;

namespace Bms.Realtime.Protocol.Tests;

public sealed class SocketJsonTests
{
    [Fact]
    public void OutsideAPacketBuffersAreBase64StringsBothWays()
    {
        var json = JsonSerializer.Serialize(new Holder([1, 2, 3], new ReadOnlyMemory<byte>([4])), SocketJson.Options);

        Assert.Equal("{\"bytes\":\"AQID\",\"memory\":\"BA==\"}", json);
        var back = JsonSerializer.Deserialize<Holder>(json, SocketJson.Options)!;
        Assert.Equal(new byte[] { 1, 2, 3 }, back.Bytes);
        Assert.Equal(new byte[] { 4 }, back.Memory.ToArray());
    }

    [Fact]
    public void OptionsUseCamelCaseCaseInsensitiveReadsAndStringEnums()
    {
        Assert.Equal("{\"someValue\":\"second\"}", JsonSerializer.Serialize(new Named(Choice.Second), SocketJson.Options));
        Assert.Equal(Choice.Second, JsonSerializer.Deserialize<Named>("{\"SOMEVALUE\":\"second\"}", SocketJson.Options)!.SomeValue);
        Assert.True(SocketJson.Options.IsReadOnly);
    }

    [Fact]
    public void CreateOptionsReturnsAFreshCopyWithTheBinaryConverters()
    {
        var options = SocketJson.CreateOptions();

        Assert.NotSame(SocketJson.Options, options);
        Assert.Equal("\"AQ==\"", JsonSerializer.Serialize(new byte[] { 1 }, options));
    }

    [Theory]
    [InlineData("{\"_placeholder\":true,\"num\":0}", true, 0)]
    [InlineData("{\"num\":3,\"_placeholder\":true}", true, 3)]
    [InlineData("{\"_placeholder\":true,\"num\":-1}", true, -1)]
    [InlineData("{\"_placeholder\":false,\"num\":0}", false, -1)]
    [InlineData("{\"_placeholder\":true}", false, -1)]
    [InlineData("{\"_placeholder\":true,\"num\":\"0\"}", false, -1)]
    [InlineData("{\"_placeholder\":\"true\",\"num\":0}", false, -1)]
    [InlineData("[{\"_placeholder\":true,\"num\":0}]", false, -1)]
    [InlineData("0", false, -1)]
    public void IsPlaceholderRecognisesOnlyTheReferenceShape(string json, bool expected, int expectedNum)
    {
        var result = SocketJson.IsPlaceholder(JsonDocument.Parse(json).RootElement, out var num);

        Assert.Equal(expected, result);
        if (expected)
        {
            Assert.Equal(expectedNum, num);
        }
    }

    [Fact]
    public void ResolvePlaceholdersCopiesAttachmentsIntoTheTree()
    {
        var tree = JsonDocument.Parse("{\"a\":[{\"_placeholder\":true,\"num\":1},2],\"b\":{\"_placeholder\":true,\"num\":0}}").RootElement;

        var resolved = Assert.IsType<Dictionary<string, object?>>(SocketJson.ResolvePlaceholders(tree, [new byte[] { 1 }, new byte[] { 2 }]));

        var a = Assert.IsType<List<object?>>(resolved["a"]);
        Assert.Equal(new byte[] { 2 }, a[0]);
        Assert.Equal(2, Assert.IsType<JsonElement>(a[1]).GetInt32());
        Assert.Equal(new byte[] { 1 }, resolved["b"]);
    }

    [Theory]
    [InlineData("{\"_placeholder\":true,\"num\":1}")]
    [InlineData("[{\"_placeholder\":true,\"num\":-1}]")]
    public void ResolvePlaceholdersRejectsAnIndexOutOfRange(string json)
    {
        var tree = JsonDocument.Parse(json).RootElement;

        Assert.Throws<ProtocolException>(() => SocketJson.ResolvePlaceholders(tree, [new byte[] { 1 }]));
    }

    [Fact]
    public void ResolvePlaceholdersChecksItsArguments()
    {
        Assert.Throws<ArgumentNullException>(() => SocketJson.ResolvePlaceholders(default, null!));
    }

    internal sealed record Holder(byte[] Bytes, ReadOnlyMemory<byte> Memory);

    internal enum Choice
    {
        First,
        Second,
    }

    internal sealed record Named(Choice SomeValue);
}
