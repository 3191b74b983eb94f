namespace Bms.Server.Events;

/// <summary>
/// Receives committed business events. Called by <see cref="DomainEventPublisher"/> only after the database change
/// has committed, in the order the events were raised for one operation. Implementations must be thread-safe and
/// should not throw; a throwing sink is logged and the other sinks still run.
/// </summary>
internal interface IDomainEventSink
{
    ValueTask PublishAsync(DomainEvent domainEvent, CancellationToken cancellationToken = default);
}
