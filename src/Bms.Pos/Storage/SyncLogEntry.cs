namespace Bms.Pos.Storage;

/// <summary>One line of the local sync log (newest first when read).</summary>
/// <param name="Id">Increasing log id.</param>
/// <param name="At">When (UTC).</param>
/// <param name="Kind"><c>push</c>, <c>pull</c>, <c>error</c>, <c>reject</c>, <c>retry</c>, <c>discard</c> or <c>lease</c>.</param>
/// <param name="Message">What happened.</param>
public sealed record SyncLogEntry(long Id, DateTime At, string Kind, string Message);
