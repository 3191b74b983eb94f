namespace Bms.Server.Api.Contracts;

/// <summary>A terminal as the API shows it.</summary>
internal sealed record TerminalDto(string Id, string? Name, int StoreId);
