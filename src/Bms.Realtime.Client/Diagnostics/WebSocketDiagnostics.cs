using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Bms.Realtime.Client.Diagnostics;

/// <summary>
/// A self-test of a real-time installation (the web platform's <c>runWebSocketTests()</c>): connects, authenticates,
/// joins and leaves a room, round-trips an ack and a binary payload, waits for a heartbeat and forces a reconnect,
/// timing every step. Uses its own <see cref="WebSocketClient"/>; never throws for a failing server.
/// </summary>
/// <example>
/// <code>
/// var report = await WebSocketDiagnostics.RunAsync(new WebSocketClientOptions { Url = new("http://127.0.0.1:3001"), AccessTokenProvider = _ => new("token") });
/// Console.WriteLine(report);
/// </code>
/// </example>
public static class WebSocketDiagnostics
{
    /// <summary>Runs the checks and returns the report.</summary>
    /// <param name="clientOptions">How to reach the server (URL, token provider, transports...). Copied.</param>
    /// <param name="options">What to check; defaults when null.</param>
    /// <param name="loggerFactory">Optional logging for the client used by the run.</param>
    /// <param name="cancellationToken">Stops the run (the report is still returned, remaining steps skipped).</param>
    public static async Task<DiagnosticsReport> RunAsync(
        WebSocketClientOptions clientOptions,
        DiagnosticsOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clientOptions);
        options ??= new DiagnosticsOptions();
        var startedAt = DateTimeOffset.UtcNow;
        var total = Stopwatch.StartNew();
        var steps = new List<DiagnosticStep>();
        var copy = clientOptions.Clone();
        copy.Timeout = options.StepTimeout;
        copy.ReconnectionAttempts ??= 3;
        await using var client = new WebSocketClient(copy, loggerFactory);
        var socket = client.Of(options.Namespace);

        var connected = await StepAsync(steps, "connect", true, options, cancellationToken, async ct =>
        {
            await client.ConnectAsync(ct).ConfigureAwait(false);
            return $"engine {client.EngineSid} over {client.Transport}";
        }).ConfigureAwait(false);

        var authenticated = await StepAsync(steps, "authenticate", connected, options, cancellationToken, async ct =>
        {
            await socket.ConnectAsync(ct).ConfigureAwait(false);
            return $"namespace {socket.Namespace} as {socket.Id}";
        }).ConfigureAwait(false);

        var joined = await StepAsync(steps, "join room", authenticated && options.Room is not null, options, cancellationToken, async ct =>
        {
            var result = await socket.JoinRoomAsync(options.Room!, options.StepTimeout, ct).ConfigureAwait(false);
            return result.Ok ? $"joined {options.Room}" : throw new InvalidOperationException($"refused: {result.Error}");
        }).ConfigureAwait(false);

        await StepAsync(steps, "ack round trip", authenticated && options.AckEvent is not null, options, cancellationToken, async ct =>
        {
            var probe = new Dictionary<string, object?> { ["probe"] = Guid.NewGuid().ToString("N"), ["at"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };
            var started = Stopwatch.GetTimestamp();
            var reply = await socket.EmitWithAckAsync(options.AckEvent!, options.StepTimeout, [probe], ct).ConfigureAwait(false);
            var rtt = Stopwatch.GetElapsedTime(started);
            client.RecordLatency(rtt);

            // An echo server answers with the probe; other servers (the BMS backend's "ping") answer something else.
            var echoed = reply.Count > 0 && reply.TryGet<Dictionary<string, object?>>(0, out var answer)
                && answer is not null && answer.TryGetValue("probe", out var value) && value?.ToString() == probe["probe"]?.ToString();
            return $"'{options.AckEvent}' answered in {rtt.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms{(echoed ? " (probe echoed)" : string.Empty)}";
        }).ConfigureAwait(false);

        await StepAsync(steps, "binary round trip", authenticated && options.BinaryEvent is not null, options, cancellationToken, async ct =>
        {
            var blob = new byte[4096];
            Random.Shared.NextBytes(blob);
            var reply = await socket.EmitWithAckAsync<byte[]>(options.BinaryEvent!, options.StepTimeout, [blob], ct).ConfigureAwait(false);
            return reply is not null && reply.AsSpan().SequenceEqual(blob)
                ? $"{blob.Length} bytes echoed intact"
                : throw new InvalidOperationException("the binary payload came back different");
        }).ConfigureAwait(false);

        await StepAsync(steps, "heartbeat", authenticated && options.CheckHeartbeat, options, cancellationToken, async ct =>
        {
            var engine = client.CurrentOpenSession?.Engine ?? throw new InvalidOperationException("not connected");
            var before = engine.LastPingAt;
            var limit = engine.PingInterval + engine.PingTimeout;
            var waited = Stopwatch.StartNew();
            while (engine.LastPingAt == before)
            {
                if (engine.IsClosed)
                {
                    throw new InvalidOperationException("the connection closed while waiting for a ping");
                }

                if (waited.Elapsed > limit)
                {
                    throw new TimeoutException($"no server ping within pingInterval + pingTimeout ({limit.TotalSeconds:0.#} s)");
                }

                await Task.Delay(50, ct).ConfigureAwait(false);
            }

            return $"ping received after {waited.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s (pingInterval {engine.PingInterval.TotalSeconds:0.#} s)";
        }, unbounded: true).ConfigureAwait(false);

        await StepAsync(steps, "reconnect", authenticated && options.CheckReconnect, options, cancellationToken, async ct =>
        {
            var before = client.ReconnectCount;
            await client.ReconnectAsync(ct).ConfigureAwait(false);
            var waited = Stopwatch.StartNew();
            while (!socket.IsConnected)
            {
                if (waited.Elapsed > options.StepTimeout)
                {
                    throw new TimeoutException("the namespace did not reconnect");
                }

                await Task.Delay(20, ct).ConfigureAwait(false);
            }

            return $"reconnected (count {before} -> {client.ReconnectCount}), recovered: {socket.Recovered}";
        }).ConfigureAwait(false);

        await StepAsync(steps, "leave room", joined, options, cancellationToken, async ct =>
        {
            var result = await socket.LeaveRoomAsync(options.Room!, options.StepTimeout, ct).ConfigureAwait(false);
            return result.Ok ? $"left {options.Room}" : throw new InvalidOperationException($"refused: {result.Error}");
        }).ConfigureAwait(false);

        var statistics = client.GetStatistics();
        return new DiagnosticsReport
        {
            Url = copy.Url!,
            StartedAt = startedAt,
            Duration = total.Elapsed,
            Steps = steps,
            Statistics = statistics,
        };
    }

    private static async Task<bool> StepAsync(
        List<DiagnosticStep> steps,
        string name,
        bool run,
        DiagnosticsOptions options,
        CancellationToken cancellationToken,
        Func<CancellationToken, Task<string>> body,
        bool unbounded = false)
    {
        if (!run || cancellationToken.IsCancellationRequested)
        {
            steps.Add(new DiagnosticStep(name, DiagnosticStepStatus.Skipped, TimeSpan.Zero, cancellationToken.IsCancellationRequested ? "cancelled" : "not run"));
            return false;
        }

        var stopwatch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (!unbounded)
        {
            timeout.CancelAfter(options.StepTimeout);
        }

        try
        {
            var detail = await body(timeout.Token).ConfigureAwait(false);
            steps.Add(new DiagnosticStep(name, DiagnosticStepStatus.Passed, stopwatch.Elapsed, detail));
            return true;
        }
        catch (Exception ex)
        {
            var detail = ex is OperationCanceledException && !cancellationToken.IsCancellationRequested
                ? $"timed out after {options.StepTimeout.TotalSeconds:0.#} s"
                : ex.Message;
            steps.Add(new DiagnosticStep(name, DiagnosticStepStatus.Failed, stopwatch.Elapsed, detail));
            return false;
        }
    }
}
