using System.Text.Json;

namespace Bms.Contracts;

/// <summary>The body of <c>PUT /api/routing/webhooks/{id}</c>: only the given fields change; <c>isEnabled: true</c> re-enables a disabled hook.</summary>
/// <param name="Name">A new display name.</param>
/// <param name="Url">A new target URL.</param>
/// <param name="Event">A new event name.</param>
/// <param name="Filter">A new filter.</param>
/// <param name="IsEnabled">Enables or disables the hook.</param>
public sealed record UpdateWebhookRequest(string? Name, string? Url, string? Event, JsonElement? Filter, bool? IsEnabled);
