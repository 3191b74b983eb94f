using Bms.Server.Hosting;

namespace Bms.Server.Events;

/// <summary>
/// Turns business facts into envelopes (unique id, UTC timestamp) and hands them to every <see cref="IDomainEventSink"/>.
/// Callers publish only after <c>SaveChanges</c> (and any explicit transaction) has committed. Each event is delivered
/// inside a <c>bms.event</c> span of <see cref="BmsTracing.Source"/>. Thread-safe singleton.
/// </summary>
internal sealed partial class DomainEventPublisher(
    IEnumerable<IDomainEventSink> sinks, TimeProvider time, ILogger<DomainEventPublisher> logger)
{
    private readonly IDomainEventSink[] sinks = sinks.ToArray();

    /// <summary>Creates the envelope for <paramref name="type"/> with <paramref name="data"/>, without publishing it.</summary>
    public DomainEvent Create(string type, object data, EventRoute route) =>
        new(new EventEnvelope<object>(Guid.CreateVersion7().ToString(), type, time.GetUtcNow().UtcDateTime, data), route);

    /// <summary>Publishes events in order. Never throws for a sink failure (the change is already committed).</summary>
    public async Task PublishAsync(IEnumerable<DomainEvent> events, CancellationToken cancellationToken = default)
    {
        foreach (var domainEvent in events)
        {
            // Under the caller's activity (the REST request), so the emits below join the request's trace.
            using var activity = BmsTracing.Source.StartActivity(BmsTracing.EventActivityName);
            activity?.SetTag("bms.event_type", domainEvent.Envelope.Type);
            activity?.SetTag("bms.event_id", domainEvent.Envelope.Id);
            foreach (var sink in sinks)
            {
                try
                {
                    await sink.PublishAsync(domainEvent, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.SinkFailed(logger, ex, domainEvent.Envelope.Type, sink.GetType().Name);
                }
            }
        }
    }

    /// <summary>Creates and publishes one event.</summary>
    public Task PublishAsync(string type, object data, EventRoute route, CancellationToken cancellationToken = default) =>
        PublishAsync([Create(type, data, route)], cancellationToken);
}
