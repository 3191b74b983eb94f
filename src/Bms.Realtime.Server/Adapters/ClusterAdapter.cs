using System.Collections.Concurrent;
using System.Text.Json;
using Bms.Realtime.Protocol;
using Bms.Realtime.Server.Engine;
using Bms.Realtime.Server.Namespaces;

namespace Bms.Realtime.Server.Adapters;

/// <summary>
/// The cluster protocol every multi-node adapter shares, apart from how its messages travel: requests that wait for the
/// other nodes' answers (fetch sockets, all rooms) with node counting and a timeout that answers with what arrived,
/// broadcasts whose acknowledgements come back from other nodes, and acknowledged server-side emits that wait for one
/// answer per other node. A transport (Redis pub/sub; PostgreSQL <c>LISTEN/NOTIFY</c> would be another) derives from
/// it, sends and receives the messages in its own wire format, and reports answers back through the <c>TryAdd…</c>
/// methods. Local delivery is the <see cref="InMemoryAdapter"/>'s. Thread-safe.
/// </summary>
public abstract partial class ClusterAdapter : InMemoryAdapter
{
    private static readonly JsonElement JsonNull = JsonSerializer.SerializeToElement<object?>(null);
    private readonly ConcurrentDictionary<string, ClusterRequest> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AckRequest> _ackRequests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ServerSideEmitRequest> _serverSideRequests = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopped = new();

    /// <summary>Creates the adapter of <paramref name="namespace"/>; requests wait at most <paramref name="requestsTimeout"/> for the other nodes.</summary>
    protected ClusterAdapter(RealtimeNamespace @namespace, TimeSpan requestsTimeout)
        : base(@namespace)
    {
        RequestsTimeout = requestsTimeout;
    }

    /// <summary>How long a request (fetch sockets, all rooms) waits for the other nodes' answers.</summary>
    protected TimeSpan RequestsTimeout { get; }

    /// <summary>True while the transport can reach the other nodes; a request made while false fails at once.</summary>
    protected abstract bool IsConnected { get; }

    /// <summary>The acknowledged server-side emits of this node still waiting for answers (for tests).</summary>
    protected int PendingServerSideEmitCount => _serverSideRequests.Count;

    /// <summary>A new request id (the wire's <c>requestId</c>).</summary>
    protected static string NewRequestId() => EngineServer.NewId()[..10];

    /// <summary>
    /// The number of nodes that can answer a request, this one included, within <paramref name="timeout"/>. Throws the
    /// transport's unavailable exception (see <see cref="Unavailable"/>) when it cannot tell.
    /// </summary>
    protected abstract Task<int> CountNodesAsync(string operation, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>The exception for an <paramref name="operation"/> that needs the other nodes while the transport cannot reach them.</summary>
    protected abstract Exception Unavailable(string operation);

    /// <summary>Called when a request or an acknowledged server-side emit timed out with <paramref name="answered"/> of <paramref name="expected"/> answers.</summary>
    protected virtual void OnRequestTimedOut(string operation, int answered, int expected)
    {
    }

    /// <summary>
    /// Runs a request of <paramref name="type"/> (a wire type the transport understands) that every other node answers:
    /// counts the nodes, sends it with <paramref name="send"/> (which returns how many nodes received it; 0 means
    /// none could) and waits for the answers until <see cref="RequestsTimeout"/> after the call (counting included, on
    /// the server's clock), then returns the request with what arrived. The caller's local answer is added by
    /// <paramref name="addLocal"/> first. Alone, no message is sent.
    /// </summary>
    protected async Task<ClusterRequest> RunRequestAsync(
        int type, string operation, Action<ClusterRequest> addLocal, Func<ClusterRequest, Task<long>> send, CancellationToken cancellationToken)
    {
        var started = Namespace.Server.Time.GetTimestamp();
        var request = new ClusterRequest(type, operation, await CountNodesAsync(operation, RequestsTimeout, cancellationToken).ConfigureAwait(false));
        addLocal(request);
        if (request.NumSub <= 1)
        {
            return request;
        }

        _requests[request.Id] = request;
        try
        {
            var remaining = RequestsTimeout - Namespace.Server.Time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException();
            }

            // Registered before the transport could have gone away unnoticed: a loss from now on fails the request at once.
            if (!IsConnected)
            {
                throw Unavailable(operation);
            }

            if (await send(request).WaitAsync(remaining, Namespace.Server.Time, cancellationToken).ConfigureAwait(false) == 0)
            {
                throw Unavailable(operation);
            }

            remaining = RequestsTimeout - Namespace.Server.Time.GetElapsedTime(started);
            await request.Completion.Task.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, Namespace.Server.Time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Unlike the Node adapters (which reject), answer with what arrived: a slow node must not break an admin listing.
            OnRequestTimedOut(operation, request.MsgCount, request.NumSub);
        }
        finally
        {
            _requests.TryRemove(request.Id, out _);
        }

        return request;
    }

    /// <summary>
    /// Adds another node's answer to the pending request <paramref name="requestId"/> with <paramref name="add"/> (under
    /// the request's lock; <paramref name="add"/> returns false for an answer of the wrong kind) and completes the
    /// request once every node answered. False when no such request is waiting.
    /// </summary>
    protected bool TryAddResponse(string requestId, Func<ClusterRequest, bool> add)
    {
        if (!_requests.TryGetValue(requestId, out var request))
        {
            return false;
        }

        lock (request)
        {
            if (!add(request))
            {
                return true;
            }

            // This node counts as the first answer, as in the Node adapters.
            request.MsgCount++;
            if (request.MsgCount >= request.NumSub)
            {
                request.Completion.TrySetResult();
            }
        }

        return true;
    }

    /// <summary>
    /// Registers a broadcast with acknowledgements whose answers come back from other nodes and returns its request
    /// id. As the Node adapters, there is no way to know when every remote acknowledgement arrived, so the request is
    /// forgotten after <paramref name="timeout"/>.
    /// </summary>
    protected string RegisterAckRequest(Action<int> onClientCount, Action<EventArguments> onAck, TimeSpan timeout)
    {
        var requestId = NewRequestId();
        _ackRequests[requestId] = new AckRequest(onClientCount, onAck);
        _ = ForgetAckRequestAsync(requestId, timeout);
        return requestId;
    }

    /// <summary>True when <paramref name="requestId"/> is one of this node's broadcasts with acknowledgements.</summary>
    protected bool IsAckRequest(string requestId) => _ackRequests.ContainsKey(requestId);

    /// <summary>Another node's recipient count for one of our broadcasts with acknowledgements; false when it is not one.</summary>
    protected bool TryAddClientCount(string requestId, int clientCount)
    {
        if (!_ackRequests.TryGetValue(requestId, out var request))
        {
            return false;
        }

        request.OnClientCount(clientCount);
        return true;
    }

    /// <summary>A client's acknowledgement relayed by another node for one of our broadcasts; false when it is not one.</summary>
    protected bool TryAddClientAck(string requestId, Func<EventArguments> ack)
    {
        if (!_ackRequests.TryGetValue(requestId, out var request))
        {
            return false;
        }

        request.OnAck(ack());
        return true;
    }

    /// <summary>
    /// Sends an acknowledged server-side emit with <paramref name="send"/> (given the request id; returns how many nodes
    /// received it) and waits for one answer per other node, counted before sending as the Node adapters. Empty at once
    /// when this node is alone. Throws <see cref="ServerSideEmitTimeoutException"/> with the answers that arrived when
    /// <paramref name="timeout"/> (which includes counting the nodes and sending) passes first.
    /// </summary>
    protected async ValueTask<IReadOnlyList<JsonElement>> ServerSideEmitWithAckCoreAsync(
        string eventName, TimeSpan timeout, Func<string, Task<long>> send, CancellationToken cancellationToken)
    {
        const string Operation = "ServerSideEmitWithAck";
        var started = Namespace.Server.Time.GetTimestamp();
        var expected = await CountNodesAsync(Operation, timeout, cancellationToken).ConfigureAwait(false) - 1;
        if (expected <= 0)
        {
            return [];
        }

        // The node count came out of the caller's timeout as well.
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            timeout -= Namespace.Server.Time.GetElapsedTime(started);
            timeout = timeout > TimeSpan.Zero ? timeout : TimeSpan.Zero;
        }

        var requestId = NewRequestId();
        var request = new ServerSideEmitRequest(expected);

        // Registered before sending: an answer may arrive before the send returns.
        _serverSideRequests[requestId] = request;
        try
        {
            // One wait for the send and the answers, so a transport that hangs meanwhile cannot stretch the caller's timeout.
            await SendAndWaitAsync().WaitAsync(timeout, Namespace.Server.Time, cancellationToken).ConfigureAwait(false);
            return request.Snapshot();
        }
        catch (TimeoutException)
        {
            var responses = request.Snapshot();
            OnRequestTimedOut("ServerSideEmit", responses.Count, expected);
            throw new ServerSideEmitTimeoutException(responses, expected);
        }
        finally
        {
            _serverSideRequests.TryRemove(requestId, out _);
        }

        async Task SendAndWaitAsync()
        {
            if (await send(requestId).ConfigureAwait(false) == 0)
            {
                // The transport went away after counting: nobody can answer.
                throw Unavailable(Operation);
            }

            await request.Completion.Task.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Another node's answer to one of our acknowledged server-side emits (<paramref name="answer"/> null: acknowledged
    /// without a value); false when <paramref name="requestId"/> is not one.
    /// </summary>
    protected bool TryAddServerSideEmitResponse(string requestId, Func<JsonElement?> answer)
    {
        if (!_serverSideRequests.TryGetValue(requestId, out var request))
        {
            return false;
        }

        request.Add(answer() ?? JsonNull);
        return true;
    }

    /// <summary>
    /// True when <paramref name="requestId"/> is one of this node's acknowledged server-side emits (an answer of the
    /// wrong type for it is then ignored).
    /// </summary>
    protected bool IsServerSideEmitRequest(string requestId) => _serverSideRequests.ContainsKey(requestId);

    /// <summary>The transport lost the other nodes: everything still waiting for their answers fails now rather than at its timeout.</summary>
    protected void FailPendingRequests()
    {
        foreach (var pending in _requests.Values)
        {
            pending.Completion.TrySetException(Unavailable(pending.Operation));
        }

        foreach (var pending in _serverSideRequests.Values)
        {
            pending.Completion.TrySetException(Unavailable("ServerSideEmitWithAck"));
        }
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await _stopped.CancelAsync().ConfigureAwait(false);
        foreach (var pending in _requests.Values)
        {
            pending.Completion.TrySetResult();
        }

        foreach (var pending in _serverSideRequests.Values)
        {
            pending.Completion.TrySetCanceled();
        }

        _stopped.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private async Task ForgetAckRequestAsync(string requestId, TimeSpan timeout)
    {
        try
        {
            await Task.Delay(timeout, Namespace.Server.Time, _stopped.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
        }

        _ackRequests.TryRemove(requestId, out _);
    }

    /// <summary>A request waiting for the other nodes' answers; lock it while adding to it.</summary>
    protected sealed class ClusterRequest(int type, string operation, int numSub)
    {
        /// <summary>The wire's <c>requestId</c>.</summary>
        public string Id { get; } = NewRequestId();

        /// <summary>The transport's request type.</summary>
        public int Type { get; } = type;

        /// <summary>The operation's name, for errors and logs.</summary>
        public string Operation { get; } = operation;

        /// <summary>The nodes expected to answer, this one included.</summary>
        public int NumSub { get; } = numSub;

        /// <summary>The answers so far; this node counts as the first, as in the Node adapters.</summary>
        public int MsgCount { get; set; } = 1;

        /// <summary>Sockets answered so far (fetch).</summary>
        public List<SocketDescriptor> Sockets { get; } = [];

        /// <summary>Rooms answered so far (all rooms).</summary>
        public HashSet<string> Rooms { get; } = new(StringComparer.Ordinal);

        /// <summary>Completes when every node answered.</summary>
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record AckRequest(Action<int> OnClientCount, Action<EventArguments> OnAck);

    private sealed class ServerSideEmitRequest(int expected)
    {
        private readonly List<JsonElement> _responses = [];

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Add(JsonElement response)
        {
            lock (_responses)
            {
                // Answers beyond the count (a node that subscribed after counting) are ignored, as in the Node adapters.
                if (_responses.Count >= expected)
                {
                    return;
                }

                _responses.Add(response);
                if (_responses.Count == expected)
                {
                    Completion.TrySetResult();
                }
            }
        }

        public IReadOnlyList<JsonElement> Snapshot()
        {
            lock (_responses)
            {
                return [.. _responses];
            }
        }
    }
}
