namespace Bms.Contracts;

/// <summary>Data of <c>sync:request</c>: the back office asks terminal <paramref name="TerminalId"/> to sync now.</summary>
/// <param name="TerminalId">The terminal asked to sync.</param>
/// <param name="RequestedBy">The name of the user who asked, when known.</param>
public sealed record SyncRequestData(string? TerminalId, string? RequestedBy);
