namespace Bms.Server.Services;

/// <summary>One line of a <see cref="SaleDraft"/>.</summary>
internal sealed record SaleDraftLine(int ProductId, int Quantity);
