namespace Bms.Contracts;

/// <summary>A terminal as the API shows it.</summary>
public sealed record TerminalDto(string Id, string? Name, int StoreId);
