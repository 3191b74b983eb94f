namespace Bms.Contracts;

/// <summary>A system notification as the API and the <c>system:notification</c> event show it.</summary>
public sealed record NotificationDto(Guid Id, string Title, string Message, string Severity, DateTime CreatedAt);
