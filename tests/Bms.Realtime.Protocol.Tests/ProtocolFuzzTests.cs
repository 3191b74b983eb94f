using System.Buffers;
using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace Bms.Realtime.Protocol.Tests;

/// <summary>
/// Property test: random bytes and random mutations of valid packets, fed to every decoder, either decode, report
/// "incomplete", or throw <see cref="ProtocolException"/>, never anything else. Runs a fixed seed and a fresh one
/// (logged, and reproducible with BMS_FUZZ_SEED=&lt;seed&gt;).
/// </summary>
public sealed class ProtocolFuzzTests
{
    private const int FixedSeed = 20261125;
    private const int Iterations = 10_000;

    private static readonly string[] Tokens =
    [
        "{\"_placeholder\":true,\"num\":0}", "{\"_placeholder\":true,\"num\":", "\"_placeholder\"", "true", "null", "\"num\":",
        "/admin,", "/", ",", "-", "[", "]", "{", "}", "\"", "\\", "\\u", "1-", "12", "999999999999999999", "\u001e", "b",
        "AQID", "==", "\"connect\"", "[\"a\"]", "é", "€", "𝄞", "\ud800", "\u0000", " ", "1e999", "-0", "0.5",
    ];

    private const string Alphabet = "0123456789/,-[]{}\"\u001eb";

    private static readonly string[] ValidCorpus =
    [
        "0", "0/admin,", "0/admin,{\"token\":\"123\"}", "0{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}", "1", "1/admin,",
        "2[\"foo\"]", "2/admin,[\"bar\"]", "212[\"foo\"]", "2/admin,1[\"tellme\"]", "2[\"a\",1,{}]", "2[1,\"a\",{}]",
        "3/admin,13[\"bar\"]", "312[]", "4{\"message\":\"Not authorized\"}", "4/custom,{\"message\":\"x\",\"data\":{\"a\":[1]}}",
        "51-[\"baz\",{\"_placeholder\":true,\"num\":0}]",
        "52-/admin,[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]",
        "61-15[\"bar\",{\"_placeholder\":true,\"num\":0}]", "61-/admin,1[{\"_placeholder\":true,\"num\":0}]",
        "4hello\u001e2\u001e4world", "4hello\u001ebAQIDBA==", "42[\"hello\"]\u001e42[\"world\"]", "2probe", "3probe", "5", "6",
        "0{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}",
        "2[\"deep\",[[[[[[[[[[{\"a\":[{\"b\":[1,2,{\"c\":\"d\"}]}]}]]]]]]]]]]]",
    ];

    private readonly ITestOutputHelper _output;

    public ProtocolFuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void RandomBytesNeverMakeADecoderThrowAnythingButProtocolException()
    {
        foreach (var seed in Seeds())
        {
            var random = new Random(seed);
            Run(seed, "random", Enumerable.Range(0, Iterations).Select(_ => RandomInput(random)), random);
        }
    }

    [Fact]
    public void MutatedValidPacketsNeverMakeADecoderThrowAnythingButProtocolException()
    {
        foreach (var seed in Seeds())
        {
            var random = new Random(seed);
            Run(seed, "mutation", Enumerable.Range(0, Iterations).Select(_ => Mutate(random)), random);
        }
    }

    private IEnumerable<int> Seeds()
    {
        var fresh = int.TryParse(Environment.GetEnvironmentVariable("BMS_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pinned)
            ? pinned
            : Random.Shared.Next();
        _output.WriteLine($"fuzz seeds: fixed {FixedSeed}, random {fresh} (rerun with BMS_FUZZ_SEED={fresh})");
        return [FixedSeed, fresh];
    }

    private void Run(int seed, string kind, IEnumerable<byte[]> inputs, Random random)
    {
        var failures = new List<string>();
        var decoded = 0;
        foreach (var input in inputs)
        {
            try
            {
                decoded += FeedEveryDecoder(input, random);
            }
            catch (Exception ex) when (ex is not ProtocolException)
            {
                failures.Add($"{Convert.ToHexString(input)} \"{Encoding.Latin1.GetString(input)}\": {ex.GetType().Name}: {ex.Message}");
                if (failures.Count == 5)
                {
                    break;
                }
            }
        }

        _output.WriteLine($"{kind} seed {seed}: {Iterations} inputs, {decoded} packets decoded, {failures.Count} failures");
        Assert.True(failures.Count == 0, $"seed {seed} ({kind}):\n" + string.Join('\n', failures));
    }

    /// <summary>Feeds one input to each decoder; returns how many of them produced a packet.</summary>
    private static int FeedEveryDecoder(byte[] input, Random random)
    {
        var decoded = 0;
        decoded += Try(() => EnginePacketParser.ParseText(input));
        decoded += Try(() => EnginePayload.Decode(input, maxPackets: 16));
        decoded += ReadPayloadIncrementally(input, random);
        foreach (var fromClient in new[] { true, false })
        {
            decoded += DecodeSocketPacket(input, fromClient, asSequence: false, random);
            decoded += DecodeSocketPacket(input, fromClient, asSequence: true, random);
            decoded += DecodeAsAttachment(input, fromClient);
        }

        return decoded;
    }

    private static int ReadPayloadIncrementally(byte[] input, Random random)
    {
        var count = 0;
        var reader = new SequenceReader<byte>(Sequences.RandomSplit(input, random));
        try
        {
            while (EnginePayload.TryReadPacket(ref reader, isFinalBlock: false, out _))
            {
                count++;
            }

            while (EnginePayload.TryReadPacket(ref reader, isFinalBlock: true, out _))
            {
                count++;
            }
        }
        catch (ProtocolException)
        {
        }

        return count;
    }

    private static int DecodeSocketPacket(byte[] input, bool fromClient, bool asSequence, Random random)
    {
        var decoder = new SocketPacketDecoder(new SocketDecoderOptions { FromClient = fromClient, MaxDepth = 16 });
        try
        {
            var packet = asSequence ? decoder.DecodeText(Sequences.RandomSplit(input, random)) : decoder.DecodeText(input);
            for (var i = 0; packet is null && decoder.IsAwaitingAttachments && i < 12; i++)
            {
                var attachment = new byte[random.Next(0, 8)];
                random.NextBytes(attachment);
                packet = decoder.DecodeBinary(attachment);
            }

            if (packet is null)
            {
                return 0;
            }

            Exercise(packet);
            return 1;
        }
        catch (ProtocolException)
        {
            return 0;
        }
    }

    private static int DecodeAsAttachment(byte[] input, bool fromClient)
    {
        var decoder = new SocketPacketDecoder(new SocketDecoderOptions { FromClient = fromClient });
        decoder.DecodeText("51-[\"bin\",{\"_placeholder\":true,\"num\":0}]"u8);
        var packet = decoder.DecodeBinary(input) ?? throw new InvalidOperationException("attachment not taken");
        Exercise(packet);
        return Assert.IsType<byte[]>(packet.Arguments.ToArray()[0]).AsSpan().SequenceEqual(input) ? 1 : throw new InvalidOperationException("attachment changed");
    }

    /// <summary>The accessors every consumer calls on a decoded packet must not throw either.</summary>
    private static void Exercise(SocketPacket packet)
    {
        _ = packet.EventName;
        _ = packet.Data?.GetRawText();
        var args = packet.Arguments;
        for (var i = 0; i < args.Count; i++)
        {
            _ = args.GetRaw(i);
        }

        _ = args.ToArray();
        _ = SocketPacketEncoder.EncodeEvent(packet.Namespace, packet.EventName ?? "e", args.ToArray(), packet.Id);
    }

    private static int Try(Action action)
    {
        try
        {
            action();
            return 1;
        }
        catch (ProtocolException)
        {
            return 0;
        }
    }

    private static byte[] RandomInput(Random random)
    {
        if (random.Next(4) == 0)
        {
            var bytes = new byte[random.Next(0, 48)];
            random.NextBytes(bytes);
            return bytes;
        }

        var builder = new StringBuilder();
        builder.Append((char)('0' + random.Next(0, 8)));
        var parts = random.Next(0, 12);
        for (var i = 0; i < parts; i++)
        {
            builder.Append(random.Next(3) == 0 ? (char)random.Next(0x20, 0x7f) : Tokens[random.Next(Tokens.Length)]);
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static byte[] Mutate(Random random)
    {
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(ValidCorpus[random.Next(ValidCorpus.Length)]));
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations; m++)
        {
            var at = random.Next(0, bytes.Count + 1);
            switch (random.Next(7))
            {
                case 0 when bytes.Count > 0:
                    bytes[Math.Min(at, bytes.Count - 1)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 2 when bytes.Count > 0:
                    bytes.RemoveRange(Math.Min(at, bytes.Count - 1), Math.Min(random.Next(1, 6), bytes.Count - Math.Min(at, bytes.Count - 1)));
                    break;
                case 3:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(Tokens[random.Next(Tokens.Length)]));
                    break;
                case 4 when bytes.Count > 1:
                    var from = random.Next(0, bytes.Count);
                    var length = random.Next(1, bytes.Count - from + 1);
                    bytes.InsertRange(at, bytes.GetRange(from, length));
                    break;
                case 5:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    if (bytes.Count > 0)
                    {
                        bytes[Math.Min(at, bytes.Count - 1)] = (byte)Alphabet[random.Next(Alphabet.Length)];
                    }

                    break;
            }
        }

        return [.. bytes];
    }
}
