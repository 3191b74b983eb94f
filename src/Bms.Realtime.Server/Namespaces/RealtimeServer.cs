using System.Collections.Concurrent;
using System.Text.Json;
using Bms.Realtime.Protocol;
using Bms.Realtime.Server.Adapters;
using Bms.Realtime.Server.Engine;
using Bms.Realtime.Server.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bms.Realtime.Server.Namespaces;

/// <summary>
/// The Socket.IO server: namespaces (fixed and dynamic) on top of one <see cref="EngineServer"/>. Registered as a
/// singleton by <c>AddBmsRealtime</c>; served by <c>MapBmsRealtime</c>. Thread-safe.
/// </summary>
public sealed class RealtimeServer : IAsyncDisposable
{
    private SocketDecoderOptions? _clientDecoderOptions;
    private readonly ConcurrentDictionary<string, RealtimeNamespace> _namespaces = new(StringComparer.Ordinal);
    private readonly List<(Func<string, HandshakeRequest, JsonElement?, ValueTask<bool>> Match, Action<RealtimeNamespace> Configure)> _dynamic = [];
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _namespaceLogger;

    /// <summary>Creates the server.</summary>
    public RealtimeServer(IOptions<RealtimeServerOptions> options, ILoggerFactory loggerFactory, RealtimeMetrics metrics, IAdapterFactory? adapterFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(metrics);
        Options = options.Value;
        Time = timeProvider ?? TimeProvider.System;
        Metrics = metrics;
        AdapterFactory = adapterFactory ?? new InMemoryAdapterFactory();
        JsonOptions = Options.JsonTypeInfoResolver is { } resolver ? SocketJson.CreateOptions(resolver) : SocketJson.Options;
        _loggerFactory = loggerFactory;
        _namespaceLogger = loggerFactory.CreateLogger<RealtimeNamespace>();
        SocketLogger = loggerFactory.CreateLogger<RealtimeSocket>();
        var clientLogger = loggerFactory.CreateLogger("Bms.Realtime.Server.Namespaces.SocketClient");
        Engine = new EngineServer(Options, session => new SocketClient(this, session, clientLogger), loggerFactory, Time);
        metrics.Attach(this);
        if (Options.CreateDefaultNamespace)
        {
            Of("/");
        }
    }

    /// <summary>The options in force.</summary>
    public RealtimeServerOptions Options { get; }

    /// <summary>The Engine.IO layer.</summary>
    public EngineServer Engine { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>The metrics.</summary>
    public RealtimeMetrics Metrics { get; }

    /// <summary>The adapter factory.</summary>
    public IAdapterFactory AdapterFactory { get; }

    /// <summary>
    /// Raised when a client event is refused by the event-name rules (<see cref="RealtimeServerOptions.MaxEventNameLength"/>,
    /// <see cref="RealtimeServerOptions.AllowNonAsciiEventNames"/>), before any handler or middleware sees it. The
    /// reason is one of a fixed set (safe as a metric tag); the name itself is not passed on. The client gets an error
    /// ack (<c>{"ok":false,"error":"invalid_event"}</c>) when it asked for one; nothing else is kept. Handlers run on the
    /// connection's read loop and must not block.
    /// </summary>
    public event Action<RealtimeSocket, EventRefusalReason>? EventRefused;

    internal void OnEventRefused(RealtimeSocket socket, EventRefusalReason reason)
    {
        Metrics.EventRefused(socket.Namespace.Name, reason);
        EventRefused?.Invoke(socket, reason);
    }

    /// <summary>This node's id (for cluster adapters and socket descriptors).</summary>
    public string NodeId { get; } = EngineServer.NewId()[..12];

    /// <summary>JSON options used to serialize event arguments.</summary>
    public JsonSerializerOptions JsonOptions { get; }

    /// <summary>The namespaces created so far.</summary>
    public IReadOnlyDictionary<string, RealtimeNamespace> Namespaces => _namespaces;

    internal ILogger SocketLogger { get; }

    /// <summary>Decoder limits for packets from clients, shared by every connection (read-only once created).</summary>
    internal SocketDecoderOptions ClientDecoderOptions => _clientDecoderOptions ??= new SocketDecoderOptions
    {
        MaxAttachments = Options.MaxAttachments,
        MaxTextLength = Options.MaxPayload,
        MaxAttachmentBytes = Options.MaxAttachmentBytes,
        FromClient = true,
    };

    /// <summary>Returns the namespace <paramref name="name"/>, creating it on first use.</summary>
    public RealtimeNamespace Of(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name[0] != '/')
        {
            name = "/" + name;
        }

        return _namespaces.GetOrAdd(name, n =>
        {
            var nsp = new RealtimeNamespace(this, n, _namespaceLogger);
            _ = InitAdapterAsync(nsp);
            return nsp;
        });
    }

    /// <summary>
    /// Accepts namespaces created on demand: when a client asks for an unknown name and <paramref name="match"/>
    /// returns true, the namespace is created and <paramref name="configure"/> sets it up.
    /// </summary>
    public RealtimeServer OfDynamic(Func<string, HandshakeRequest, JsonElement?, ValueTask<bool>> match, Action<RealtimeNamespace> configure)
    {
        ArgumentNullException.ThrowIfNull(match);
        ArgumentNullException.ThrowIfNull(configure);
        lock (_dynamic)
        {
            _dynamic.Add((match, configure));
        }

        return this;
    }

    /// <summary>Accepts namespaces whose name matches a predicate.</summary>
    public RealtimeServer OfDynamic(Func<string, bool> match, Action<RealtimeNamespace> configure)
    {
        ArgumentNullException.ThrowIfNull(match);
        return OfDynamic((name, _, _) => ValueTask.FromResult(match(name)), configure);
    }

    internal async ValueTask<RealtimeNamespace?> ResolveNamespaceAsync(string name, HandshakeRequest request, JsonElement? auth)
    {
        if (_namespaces.TryGetValue(name, out var nsp))
        {
            return nsp;
        }

        (Func<string, HandshakeRequest, JsonElement?, ValueTask<bool>> Match, Action<RealtimeNamespace> Configure)[] dynamic;
        lock (_dynamic)
        {
            dynamic = [.. _dynamic];
        }

        foreach (var (match, configure) in dynamic)
        {
            if (await match(name, request, auth).ConfigureAwait(false))
            {
                var created = false;
                var result = _namespaces.GetOrAdd(name, n =>
                {
                    created = true;
                    var child = new RealtimeNamespace(this, n, _namespaceLogger);
                    _ = InitAdapterAsync(child);
                    return child;
                });
                if (created)
                {
                    configure(result);
                }

                return result;
            }
        }

        return null;
    }

    private async Task InitAdapterAsync(RealtimeNamespace nsp)
    {
        try
        {
            await nsp.Adapter.InitAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _loggerFactory.CreateLogger<RealtimeServer>().LogError(ex, "Adapter of namespace {Namespace} failed to start", nsp.Name);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync().ConfigureAwait(false);
        foreach (var nsp in _namespaces.Values)
        {
            await nsp.Adapter.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed class InMemoryAdapterFactory : IAdapterFactory
    {
        public IAdapter Create(RealtimeNamespace @namespace) => new InMemoryAdapter(@namespace);
    }
}
