using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Bms.Server.Tests.Infrastructure;

/// <summary>
/// Test helper: a minimal Socket.IO v5 client over one Engine.IO v4 WebSocket (text frames only, one namespace),
/// so backend tests can drive real sockets without other projects. It answers pings, decodes CONNECT, CONNECT_ERROR,
/// EVENT, ACK and DISCONNECT, and records every event it receives.
/// </summary>
public sealed class SocketIoTestClient : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    private readonly ClientWebSocket socket = new();
    private readonly string nsp;
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement[]>> acks = new();
    private readonly List<(string Name, JsonElement[] Args)> received = [];
    private readonly TaskCompletionSource<JsonElement?> connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stop = new();
    private TaskCompletionSource signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? loop;
    private int nextAck;

    private SocketIoTestClient(string nsp) => this.nsp = nsp;

    /// <summary>The CONNECT_ERROR payload (<c>{message, data}</c>) when the server refused the namespace.</summary>
    public JsonElement? ConnectError { get; private set; }

    public bool IsConnected => ConnectError is null && !disconnected.Task.IsCompleted;

    /// <summary>Resolves with <c>io server disconnect</c> or <c>transport close</c>.</summary>
    public Task<string> Disconnected => disconnected.Task;

    /// <summary>
    /// Opens a WebSocket to <c>/socket.io/</c> and sends CONNECT for <paramref name="nsp"/>; returns once the server
    /// answered (check <see cref="ConnectError"/>).
    /// </summary>
    public static async Task<SocketIoTestClient> ConnectAsync(
        Uri baseAddress, string nsp, object? auth = null, string? bearer = null, string? queryToken = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        var client = new SocketIoTestClient(nsp);
        var url = $"ws://{baseAddress.Authority}/socket.io/?EIO=4&transport=websocket";
        if (queryToken is not null)
        {
            url += "&token=" + Uri.EscapeDataString(queryToken);
        }

        if (bearer is not null)
        {
            client.socket.Options.SetRequestHeader("Authorization", "Bearer " + bearer);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            client.socket.Options.SetRequestHeader(name, value);
        }

        await client.socket.ConnectAsync(new Uri(url), CancellationToken.None).WaitAsync(BmsServerHost.Timeout);
        var open = await client.ReceiveTextAsync().WaitAsync(BmsServerHost.Timeout);
        if (open is null || open[0] != '0')
        {
            throw new InvalidOperationException($"Expected an Engine.IO open packet, got '{open}'.");
        }

        client.loop = Task.Run(client.ReceiveLoopAsync);
        var authJson = auth is null ? "" : JsonSerializer.Serialize(auth, Json);
        await client.SendTextAsync($"40{nsp},{authJson}");
        var error = await client.connected.Task.WaitAsync(BmsServerHost.Timeout);
        client.ConnectError = error;
        return client;
    }

    public Task EmitAsync(string name, params object?[] args) =>
        SendTextAsync($"42{nsp}," + JsonSerializer.Serialize(new object?[] { name }.Concat(args).ToArray(), Json));

    /// <summary>Emits with an ack id and returns the first ack argument.</summary>
    public async Task<JsonElement> EmitWithAckAsync(string name, params object?[] args)
    {
        var id = Interlocked.Increment(ref nextAck);
        var completion = new TaskCompletionSource<JsonElement[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        acks[id] = completion;
        await SendTextAsync($"42{nsp},{id.ToString(CultureInfo.InvariantCulture)}" + JsonSerializer.Serialize(new object?[] { name }.Concat(args).ToArray(), Json));
        var result = await completion.Task.WaitAsync(BmsServerHost.Timeout);
        return result.Length > 0 ? result[0] : default;
    }

    /// <summary>Events received so far with that name (their first argument).</summary>
    public IReadOnlyList<JsonElement> EventsNamed(string name)
    {
        lock (received)
        {
            return received.Where(e => e.Name == name).Select(e => e.Args.Length > 0 ? e.Args[0] : default).ToList();
        }
    }

    /// <summary>Waits until an event named <paramref name="name"/> whose first argument matches has arrived.</summary>
    public async Task<JsonElement> WaitForEventAsync(string name, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? BmsServerHost.Timeout);
        while (true)
        {
            Task next;
            lock (received)
            {
                foreach (var (n, args) in received)
                {
                    var first = args.Length > 0 ? args[0] : default;
                    if (n == name && (match is null || match(first)))
                    {
                        return first;
                    }
                }

                next = signal.Task;
            }

            try
            {
                await next.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                string seen;
                lock (received)
                {
                    seen = string.Join(", ", received.Select(e => e.Name));
                }

                var state = disconnected.Task.IsCompleted ? $"disconnected ({disconnected.Task.Result})" : "connected";
                throw new TimeoutException($"No '{name}' event on {nsp} within the timeout; {state}; received: [{seen}].");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or TimeoutException or OperationCanceledException)
        {
            // Already gone; nothing to close.
        }

        if (loop is not null)
        {
            await loop.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        socket.Dispose();
        stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (await ReceiveTextAsync() is { } text)
            {
                Handle(text);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The connection ended; reported below.
        }

        connected.TrySetResult(JsonDocument.Parse("{\"message\":\"transport close\"}").RootElement.Clone());
        disconnected.TrySetResult("transport close");
        Pulse();
    }

    private void Handle(string text)
    {
        switch (text[0])
        {
            case '2':
                _ = SendTextAsync("3");
                return;
            case '1':
                disconnected.TrySetResult("transport close");
                return;
            case '4':
                HandleSocketPacket(text[1..]);
                return;
        }
    }

    private void HandleSocketPacket(string packet)
    {
        var type = packet[0];
        var rest = packet[1..];
        if (rest.StartsWith('/'))
        {
            var comma = rest.IndexOf(',', StringComparison.Ordinal);
            rest = comma < 0 ? "" : rest[(comma + 1)..];
        }

        var digits = 0;
        while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
        {
            digits++;
        }

        int? ackId = digits > 0 ? int.Parse(rest[..digits], CultureInfo.InvariantCulture) : null;
        var json = rest[digits..];
        var payload = json.Length > 0 ? JsonDocument.Parse(json).RootElement.Clone() : default;
        switch (type)
        {
            case '0':
                connected.TrySetResult(null);
                break;
            case '4':
                connected.TrySetResult(payload);
                break;
            case '1':
                disconnected.TrySetResult("io server disconnect");
                break;
            case '2':
                var items = payload.EnumerateArray().ToArray();
                lock (received)
                {
                    received.Add((items[0].GetString()!, items[1..]));
                }

                Pulse();
                break;
            case '3':
                if (ackId is { } id && acks.TryRemove(id, out var completion))
                {
                    completion.TrySetResult(payload.EnumerateArray().ToArray());
                }

                break;
        }
    }

    private void Pulse()
    {
        TaskCompletionSource old;
        lock (received)
        {
            old = signal;
            signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        old.TrySetResult();
    }

    private async Task SendTextAsync(string text)
    {
        await sendLock.WaitAsync();
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None)
                    .WaitAsync(BmsServerHost.Timeout);
            }
        }
        catch (WebSocketException)
        {
            // The server closed the connection; the receive loop reports it.
        }
        finally
        {
            sendLock.Release();
        }
    }

    private async Task<string?> ReceiveTextAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, stop.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.ToArray());
            }
        }
    }
}
