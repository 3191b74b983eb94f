namespace Bms.Server.Pos;

/// <summary>Fixed limits of the POS sync endpoint.</summary>
internal static class PosSyncLimits
{
    /// <summary>Items per batch (a larger batch is refused as a whole with 400).</summary>
    public const int MaxItems = 500;

    /// <summary>UTF-8 bytes of one item's JSON; a larger item is rejected alone (<c>oversized</c>).</summary>
    public const int MaxItemBytes = 64 * 1024;

    /// <summary>Bytes of a whole request body (413 above).</summary>
    public const long MaxBodyBytes = 8 * 1024 * 1024;

    /// <summary>How far a terminal's <c>createdAt</c> may lie in the future before the server uses its own time.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Overlap applied to a catalogue cursor, so a change committed in the same instant is not missed.</summary>
    public static readonly TimeSpan CursorOverlap = TimeSpan.FromSeconds(2);

    /// <summary>The earliest catalogue cursor accepted (2000-01-01 UTC); an earlier one is answered 400.</summary>
    public static readonly DateTimeOffset EarliestCursor = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
}
