namespace Bms.Contracts;

/// <summary>The outcome of <c>POST /api/routing/webhooks/{id}/test</c> (one signed test delivery).</summary>
/// <param name="Ok">True when the target accepted the delivery.</param>
/// <param name="StatusCode">The target's HTTP status; null when it gave none.</param>
/// <param name="Error">Why the delivery failed.</param>
/// <param name="DurationMs">How long the delivery took, in milliseconds.</param>
public sealed record WebhookTestResultDto(bool Ok, int? StatusCode, string? Error, double DurationMs);
