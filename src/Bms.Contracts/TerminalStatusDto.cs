using System.Text.Json.Nodes;

namespace Bms.Contracts;

/// <summary>A terminal with its last sign-in and its last <c>sync:status</c> report (null before the first one).</summary>
public sealed record TerminalStatusDto(string Id, string? Name, int StoreId, bool IsActive, DateTime? LastSeenAt, JsonObject? LastSyncStatus);
