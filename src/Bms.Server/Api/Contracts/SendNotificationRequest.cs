namespace Bms.Server.Api.Contracts;

/// <summary>Body of <c>POST /api/notifications</c>.</summary>
internal sealed record SendNotificationRequest(string? Title, string? Message, string? Severity);
