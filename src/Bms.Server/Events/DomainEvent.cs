namespace Bms.Server.Events;

/// <summary>An envelope plus the route that decides which namespaces and rooms receive it.</summary>
internal sealed record DomainEvent(EventEnvelope<object> Envelope, EventRoute Route);
