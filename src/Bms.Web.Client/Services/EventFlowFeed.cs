using Bms.Contracts;
using Bms.Realtime.Client;
using Bms.Web.Components.Models;
using Bms.Web.Components.Services;

namespace Bms.Web.Client.Services;

/// <summary>
/// The admin's subscription to the server's live event flow: connects <c>/admin</c> on the page's shared connection,
/// sends <c>event-flow:subscribe</c> (again after every reconnect) and hands the snapshot and every <c>event-flow</c>
/// batch to <see cref="Received"/> (on a background thread). Dispose to unsubscribe and leave <c>/admin</c>.
/// </summary>
public sealed class EventFlowFeed : IAsyncDisposable
{
    /// <summary>The namespace the flow is served on (admins only).</summary>
    public const string Namespace = RealtimeNamespaceNames.Admin;

    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(15);
    private readonly NamespaceSocket _socket;
    private readonly IDisposable _handler;

    /// <summary>Creates the feed on <paramref name="connection"/> (the live connection; a fake has no <c>/admin</c>).</summary>
    public EventFlowFeed(IRealtimeConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection is not RealtimeConnection live)
        {
            throw new NotSupportedException("The event flow needs the live real-time connection.");
        }

        _socket = live.Client.Of(Namespace);
        _handler = _socket.On<EventFlowBatch>(RealtimeEventNames.EventFlow, batch => Received?.Invoke(batch?.Records ?? []));
        _socket.Connected += OnConnected;
    }

    /// <summary>New records (snapshot or live), oldest first; may repeat records already seen (same node and seq).</summary>
    public event Action<IReadOnlyList<EventFlowRecord>>? Received;

    /// <summary>Raised when subscribing failed (not an admin, timeout), with the reason.</summary>
    public event Action<string>? Failed;

    /// <summary>Connects <c>/admin</c>; the subscription follows on every connect.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _socket.ConnectAsync(cancellationToken).ConfigureAwait(false);
    }

    private void OnConnected(object? sender, EventArgs e) => _ = SubscribeAsync();

    private async Task SubscribeAsync()
    {
        try
        {
            var snapshot = await _socket.EmitWithAckAsync<EventFlowSnapshot>(ClientEvents.EventFlowSubscribe, AckTimeout, new EventFlowSubscribeRequest()).ConfigureAwait(false);
            if (snapshot is not { Ok: true })
            {
                Failed?.Invoke(snapshot?.Error ?? "no answer");
                return;
            }

            Received?.Invoke(snapshot.Records);
        }
        catch (Exception ex) when (ex is TimeoutException or EmitDroppedException or OperationCanceledException)
        {
            Failed?.Invoke(ex.Message);
        }
    }

    /// <summary>Unsubscribes and leaves <c>/admin</c>.</summary>
    public async ValueTask DisposeAsync()
    {
        _socket.Connected -= OnConnected;
        _handler.Dispose();
        if (_socket.IsConnected)
        {
            await _socket.EmitAsync(ClientEvents.EventFlowUnsubscribe).ConfigureAwait(false);
        }

        await _socket.DisconnectAsync().ConfigureAwait(false);
    }
}
