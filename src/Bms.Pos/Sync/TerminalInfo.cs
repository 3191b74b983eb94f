namespace Bms.Pos.Sync;

/// <summary>A terminal as the backend describes it.</summary>
public sealed record TerminalInfo(string Id, string? Name, int StoreId);
