namespace Bms.Contracts;

/// <summary>Body of <c>POST /api/notifications</c>.</summary>
public sealed record SendNotificationRequest(string? Title, string? Message, string? Severity);
