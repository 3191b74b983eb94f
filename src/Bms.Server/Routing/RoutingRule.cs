namespace Bms.Server.Routing;

/// <summary>
/// A configured rule (<c>Bms:Routing:Rules</c>): events of <see cref="EventName"/> matching <see cref="Filter"/> (all of
/// them when null) are also emitted to <see cref="Room"/> on <see cref="Namespaces"/>.
/// </summary>
internal sealed record RoutingRule(string Name, string EventName, EventFilter? Filter, string Room, IReadOnlyList<string> Namespaces);
