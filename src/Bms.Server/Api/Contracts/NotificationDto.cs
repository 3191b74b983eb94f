namespace Bms.Server.Api.Contracts;

/// <summary>A system notification as the API and the <c>system:notification</c> event show it.</summary>
internal sealed record NotificationDto(Guid Id, string Title, string Message, string Severity, DateTime CreatedAt);
