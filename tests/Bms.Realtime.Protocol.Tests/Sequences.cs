using System.Buffers;
using System.Text;

namespace Bms.Realtime.Protocol.Tests;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/> inputs, as a pipe reader hands them out.</summary>
internal static class Sequences
{
    /// <summary>The Latin-1 bytes of a test string (so <c>\x1e</c> and <c>\xff</c> stay single bytes).</summary>
    public static byte[] Bytes(string latin1) => Encoding.Latin1.GetBytes(latin1);

    /// <summary>Splits <paramref name="data"/> into segments of <paramref name="chunkSize"/> bytes.</summary>
    public static ReadOnlySequence<byte> Chunked(byte[] data, int chunkSize)
    {
        var cuts = new List<int>();
        for (var i = chunkSize; i < data.Length; i += chunkSize)
        {
            cuts.Add(i);
        }

        return SplitAt(data, [.. cuts]);
    }

    /// <summary>Splits <paramref name="data"/> at the given ascending offsets; an empty segment is inserted at every cut.</summary>
    public static ReadOnlySequence<byte> SplitAt(byte[] data, params int[] cuts)
    {
        var pieces = new List<byte[]>();
        var previous = 0;
        foreach (var cut in cuts)
        {
            pieces.Add(data[previous..cut]);
            pieces.Add([]);
            previous = cut;
        }

        pieces.Add(data[previous..]);
        return FromPieces(pieces);
    }

    /// <summary>Splits <paramref name="data"/> at random offsets (deterministic for a given <paramref name="random"/>).</summary>
    public static ReadOnlySequence<byte> RandomSplit(byte[] data, Random random)
    {
        var cuts = new SortedSet<int>();
        var count = data.Length == 0 ? 0 : random.Next(0, Math.Min(data.Length, 8));
        for (var i = 0; i < count; i++)
        {
            cuts.Add(random.Next(0, data.Length + 1));
        }

        return SplitAt(data, [.. cuts]);
    }

    private static ReadOnlySequence<byte> FromPieces(List<byte[]> pieces)
    {
        var first = new Segment(pieces[0], 0);
        var last = first;
        foreach (var piece in pieces.Skip(1))
        {
            last = last.Append(piece);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] data, long runningIndex)
        {
            // Copy each piece into its own array so no segment can see its neighbours' bytes.
            Memory = data.ToArray();
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] data)
        {
            var next = new Segment(data, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
