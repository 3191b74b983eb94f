using System.Text.Json;
using Bms.Realtime.Server.Namespaces;
using Bms.Server.Events;
using Bms.Server.Realtime;
using Bms.Server.Routing.Webhooks;

namespace Bms.Server.Routing;

/// <summary>
/// Applies configured routing to every committed business event after the normal fan-out: room rules
/// (<see cref="RoutingRules"/>) emit matching events to extra rooms, and matching webhooks get a queued delivery
/// (<see cref="WebhookQueue"/>). A socket that already received the event through its normal route does not get it
/// twice: the rule's emit excludes the rooms of that route. The envelope is serialized once, and only when a rule or
/// hook listens to its type. Thread-safe singleton.
/// </summary>
internal sealed class RoutingEventSink(RealtimeServer io, RoutingRules rules, WebhookQueue webhooks) : IDomainEventSink
{
    public async ValueTask PublishAsync(DomainEvent domainEvent, CancellationToken cancellationToken = default)
    {
        var (envelope, route) = domainEvent;
        var roomRules = rules.For(envelope.Type);
        var hasHooks = await webhooks.HasHooksForAsync(envelope.Type, cancellationToken);
        if (roomRules.IsEmpty && !hasHooks)
        {
            return;
        }

        var json = JsonSerializer.SerializeToElement(envelope, io.JsonOptions);
        foreach (var rule in roomRules)
        {
            if (rule.Filter is null || rule.Filter.Matches(json))
            {
                foreach (var ns in rule.Namespaces)
                {
                    if (route.Everyone)
                    {
                        // Every socket of /main and /pos has it already.
                        continue;
                    }

                    await io.Of(ns).To(rule.Room).Except(RoomsOf(route, ns)).EmitAsync(envelope.Type, envelope);
                }
            }
        }

        if (hasHooks)
        {
            var matching = await webhooks.MatchAsync(envelope.Type, () => json, cancellationToken);
            await webhooks.EnqueueAsync(envelope, json.GetRawText(), matching, cancellationToken);
        }
    }

    /// <summary>The rooms the normal fan-out (<see cref="RealtimeEventSink"/>) used on <paramref name="ns"/>.</summary>
    private static List<string> RoomsOf(EventRoute route, string ns)
    {
        var rooms = new List<string>(2);
        if (route.StoreId is { } storeId)
        {
            rooms.Add($"store:{storeId}");
        }

        if (route.UserId is { } userId && ns == RealtimeNamespaces.Main)
        {
            rooms.Add($"user:{userId}");
        }

        return rooms;
    }
}
