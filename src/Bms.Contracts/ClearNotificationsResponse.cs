namespace Bms.Contracts;

/// <summary>The answer of <c>POST /api/notifications/clear</c>.</summary>
/// <param name="Cleared">How many notifications were newly cleared from the caller's list.</param>
public sealed record ClearNotificationsResponse(int Cleared);
