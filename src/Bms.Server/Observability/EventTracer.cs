using System.Diagnostics;
using Bms.Realtime.Server.Hosting;
using Bms.Realtime.Server.Namespaces;
using Bms.Realtime.Server.Redis;
using Bms.Server.Cluster;
using Bms.Server.Data.Postgres;
using Bms.Server.Data;
using Bms.Server.Events;
using Bms.Server.Hosting;
using Bms.Server.Realtime;
using Microsoft.Extensions.Options;
using Bms.Server.RealtimeAuthorization;

namespace Bms.Server.Observability;

/// <summary>
/// Debug tracing of event flows (<c>Bms:Scale:TraceEvents=true</c>), logged under <c>Bms.Server.Observability.EventTracer</c>
/// with a correlation id:
/// client events "received → authorized (table) → answered", and business events "emitting → emitted to N local
/// sockets and M other nodes". The Redis adapter carries the trace id to the other nodes, which log
/// "Remote broadcast … (correlation …)" under <c>Bms.Realtime.Server.Redis.RedisAdapter</c>. Off: no cost beyond a flag check.
/// </summary>
internal sealed partial class EventTracer(RealtimeServer io, IOptions<ScaleOptions> options, ILogger<EventTracer> logger) : IDisposable
{
    private ActivityListener? _listener;

    public bool Enabled => options.Value.TraceEvents;

    public void Dispose() => _listener?.Dispose();

    /// <summary>Traces client events on the three namespaces (after the gateway's own handler has started).</summary>
    public void Attach()
    {
        if (!Enabled)
        {
            return;
        }

        foreach (var name in RealtimeNamespaces.All)
        {
            io.Of(name).OnConnection(socket => socket.OnAny(e => TraceClientEventAsync(e)));
        }

        // Records the backend's and the real-time libraries' spans even without an exporter, and hands each
        // broadcast's counts (added by the Redis adapter to the emit span) up to the event's span.
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is BmsTracing.ActivitySourceName or RealtimeTracing.ActivitySourceName
                or RedisAdapterTracing.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = CopyBroadcastsToEvent,
        };
        ActivitySource.AddActivityListener(_listener);

        Log.Enabled(logger, io.NodeId);
    }

    /// <summary>Runs a business event's delivery inside an activity whose trace id is the correlation across nodes.</summary>
    public async ValueTask TraceDeliveryAsync(DomainEvent domainEvent, Func<ValueTask> deliver)
    {
        if (!Enabled)
        {
            await deliver();
            return;
        }

        // The publisher's span for this event (this tracer's listener makes sure it is recorded).
        if (Activity.Current is not { OperationName: BmsTracing.EventActivityName } activity)
        {
            await deliver();
            return;
        }

        var correlation = activity.TraceId.ToHexString();
        Log.Emitting(logger, correlation, domainEvent.Envelope.Type, domainEvent.Envelope.Id, io.NodeId);
        await deliver();
        long local = 0, remote = 0, broadcasts = 0;
        foreach (var e in activity.Events)
        {
            if (e.Name != "bms.broadcast")
            {
                continue;
            }

            broadcasts++;
            foreach (var tag in e.Tags)
            {
                if (tag.Key == "local" && tag.Value is long l)
                {
                    local += l;
                }
                else if (tag.Key == "remote_nodes" && tag.Value is long r)
                {
                    remote = Math.Max(remote, r);
                }
            }
        }

        if (broadcasts == 0)
        {
            Log.EmittedLocalAdapter(logger, correlation, domainEvent.Envelope.Type);
        }
        else
        {
            Log.Emitted(logger, correlation, domainEvent.Envelope.Type, local, remote + 1, broadcasts);
        }
    }

    private static void CopyBroadcastsToEvent(Activity stopped)
    {
        if (stopped.OperationName == BmsTracing.EventActivityName)
        {
            return;
        }

        for (var parent = stopped.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent.OperationName == BmsTracing.EventActivityName)
            {
                foreach (var e in stopped.Events)
                {
                    if (e.Name == "bms.broadcast")
                    {
                        parent.AddEvent(e);
                    }
                }

                return;
            }
        }
    }

    private async ValueTask TraceClientEventAsync(SocketEvent e)
    {
        var correlation = ActivityTraceId.CreateRandom().ToHexString()[..16];
        var (_, id, name, roles) = SocketUser.Read(e.Socket);
        Log.Received(logger, correlation, e.Socket.Namespace.Name, e.Name, e.Socket.Id, name ?? id ?? "?", e.Socket.Transport, io.NodeId);
        var allowed = EventAuthorizationTable.IsAllowed(e.Socket.Namespace.Name, e.Name, roles);
        Log.Authorized(logger, correlation, e.Name, allowed);
        if (!e.HasAck)
        {
            return;
        }

        // The gateway answers asynchronously; report when (or whether) the acknowledgement went out.
        var started = Stopwatch.GetTimestamp();
        while (!e.IsAcknowledged && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(5);
        }

        Log.Answered(logger, correlation, e.Name, e.IsAcknowledged, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Event tracing on (node {Node})")]
        public static partial void Enabled(ILogger logger, string node);

        [LoggerMessage(2, LogLevel.Information, "trace {Correlation}: received {Namespace} {Event} from socket {Sid} ({User}, {Transport}) on node {Node}")]
        public static partial void Received(ILogger logger, string correlation, string @namespace, string @event, string sid, string user, string transport, string node);

        [LoggerMessage(3, LogLevel.Information, "trace {Correlation}: {Event} authorized={Authorized}")]
        public static partial void Authorized(ILogger logger, string correlation, string @event, bool authorized);

        [LoggerMessage(4, LogLevel.Information, "trace {Correlation}: {Event} acknowledged={Acknowledged} after {Milliseconds:F1} ms")]
        public static partial void Answered(ILogger logger, string correlation, string @event, bool acknowledged, double milliseconds);

        [LoggerMessage(5, LogLevel.Information, "trace {Correlation}: emitting {Type} (event {EventId}) from node {Node}")]
        public static partial void Emitting(ILogger logger, string correlation, string type, string eventId, string node);

        [LoggerMessage(6, LogLevel.Information, "trace {Correlation}: emitted {Type} to {Local} sockets on this node, cluster of {Nodes} nodes ({Broadcasts} broadcasts)")]
        public static partial void Emitted(ILogger logger, string correlation, string type, long local, long nodes, long broadcasts);

        [LoggerMessage(7, LogLevel.Information, "trace {Correlation}: emitted {Type} (single-node adapter)")]
        public static partial void EmittedLocalAdapter(ILogger logger, string correlation, string type);
    }
}

/// <summary>Wraps an <see cref="IDomainEventSink"/> so <see cref="EventTracer"/> sees each event's delivery.</summary>
internal sealed class TracingEventSink(IDomainEventSink inner, EventTracer tracer) : IDomainEventSink
{
    public ValueTask PublishAsync(DomainEvent domainEvent, CancellationToken cancellationToken = default) =>
        tracer.TraceDeliveryAsync(domainEvent, () => inner.PublishAsync(domainEvent, cancellationToken));
}
