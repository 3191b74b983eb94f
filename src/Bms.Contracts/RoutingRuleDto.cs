using System.Text.Json;

namespace Bms.Contracts;

/// <summary>A configured room rule as <c>GET /api/routing/rules</c> shows it.</summary>
/// <param name="Name">The rule's name.</param>
/// <param name="Event">The business event it routes.</param>
/// <param name="Filter">The filter on the event's data; null for every event of that name.</param>
/// <param name="Room">The room matching events also go to.</param>
/// <param name="Namespaces">The namespaces the room is on.</param>
public sealed record RoutingRuleDto(string Name, string Event, JsonElement? Filter, string Room, IReadOnlyList<string> Namespaces);
