using System.Globalization;
using System.Text.Json;
using Bms.Pos.Storage;
using Bms.Pos.Sync;
using Bms.Realtime.Client;
using Microsoft.Extensions.Logging;

namespace Bms.Pos.Diagnostics;

public static partial class PosDiagnostics
{
    /// <summary>One self-test: the steps in order and what they learned for the next ones.</summary>
    private sealed class DiagnosticsRun(PosOptions options, PosDiagnosticsOptions limits, ILoggerFactory loggers, TimeProvider time)
    {
        private readonly List<PosDiagnosticStep> _steps = [];
        private readonly string _dataPath = Path.GetFullPath(options.DataPath);
        private TerminalIdentity? _cached;
        private string? _terminalId = options.TerminalId;
        private int? _storeId;
        private string? _token;
        private DateTimeOffset? _serverDate;
        private TimeSpan? _skew;
        private string? _skewSource;
        private NamespaceSocket? _socket;

        public async Task<PosDiagnosticsReport> RunAsync(CancellationToken cancellationToken)
        {
            var startedAt = time.GetUtcNow().UtcDateTime;
            var started = time.GetTimestamp();
            _cached = await LocalDataFile.TryReadIdentityAsync(_dataPath, cancellationToken).ConfigureAwait(false);
            _terminalId ??= _cached?.TerminalId;
            using var api = new PosApiClient(options.ServerUrl, limits.StepTimeout);
            await using var client = WebSocketClientFactory.Create(new WebSocketClientOptions
            {
                Url = options.ServerUrl,
                Reconnection = false,
                Timeout = limits.StepTimeout,
                AccessTokenProvider = _ => ValueTask.FromResult(_token),
            }, loggers, time);

            await StepAsync(StepNames.ServerReachable, null, ServerReachableAsync, cancellationToken).ConfigureAwait(false);
            await StepAsync(StepNames.SignIn, StepNames.ServerReachable, ct => SignInAsync(api, ct), cancellationToken).ConfigureAwait(false);
            await StepAsync(StepNames.SocketConnect, StepNames.SignIn, ct => ConnectAsync(client, ct), cancellationToken).ConfigureAwait(false);
            await StepAsync(StepNames.RoomJoins, StepNames.SocketConnect, JoinRoomsAsync, cancellationToken).ConfigureAwait(false);
            await StepAsync(StepNames.AckRoundTrip, StepNames.SocketConnect, PingAsync, cancellationToken).ConfigureAwait(false);
            await StepAsync(StepNames.SyncDryRun, StepNames.SignIn, ct => SyncDryRunAsync(api, ct), cancellationToken).ConfigureAwait(false);
            await StepAsync(StepNames.CatalogPull, StepNames.SignIn, ct => CatalogAsync(api, ct), cancellationToken).ConfigureAwait(false);
            await StepAsync(StepNames.DataFile, null, ct => LocalDataFile.CheckAsync(_dataPath, ct), cancellationToken).ConfigureAwait(false);
            await StepAsync(StepNames.ClockSkew, StepNames.ServerReachable, _ => Task.FromResult(ClockSkew()), cancellationToken).ConfigureAwait(false);
            await StepAsync(StepNames.Outbox, StepNames.DataFile, ct => LocalDataFile.OutboxAsync(_dataPath, limits.PendingAgeWarning, time, ct),
                cancellationToken).ConfigureAwait(false);

            if (_socket is { } socket)
            {
                await socket.DisconnectAsync(CancellationToken.None).ConfigureAwait(false);
            }

            return new PosDiagnosticsReport(
                _steps.All(s => s.Status != PosDiagnosticStatus.Failed), options.ServerUrl, _terminalId, _dataPath, startedAt,
                Milliseconds(started, time), _steps);
        }

        /// <summary>Runs one step unless <paramref name="needs"/> did not pass; a thrown exception fails the step with its reason.</summary>
        private async Task StepAsync(string name, string? needs, Func<CancellationToken, Task<Outcome>> check, CancellationToken cancellationToken)
        {
            if (needs is not null && _steps.Find(s => s.Name == needs) is { Status: PosDiagnosticStatus.Failed or PosDiagnosticStatus.Skipped })
            {
                _steps.Add(new PosDiagnosticStep(name, PosDiagnosticStatus.Skipped, 0, $"skipped: needs {needs}, which did not pass",
                    new Dictionary<string, object?>()));
                return;
            }

            var started = time.GetTimestamp();
            Outcome outcome;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(limits.StepTimeout);
                outcome = await check(timeout.Token).WaitAsync(limits.StepTimeout, time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsExpected(ex, cancellationToken))
            {
                outcome = Outcome.Fail(ex is OperationCanceledException or TimeoutException
                    ? $"no answer within {limits.StepTimeout.TotalSeconds:0.#} s"
                    : Describe(ex));
            }

            _steps.Add(new PosDiagnosticStep(name, outcome.Status, Milliseconds(started, time), outcome.Detail,
                outcome.Data ?? new Dictionary<string, object?>()));
        }

        private async Task<Outcome> ServerReachableAsync(CancellationToken cancellationToken)
        {
            using var http = new HttpClient { BaseAddress = options.ServerUrl, Timeout = limits.StepTimeout };
            using var response = await http.GetAsync(new Uri("/health/live", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            _serverDate = response.Headers.Date;
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? Outcome.Pass($"GET /health/live answered {status}", new() { ["status"] = status })
                : Outcome.Fail($"GET /health/live answered {status}", new() { ["status"] = status });
        }

        private async Task<Outcome> SignInAsync(PosApiClient api, CancellationToken cancellationToken)
        {
            if (_terminalId is null)
            {
                return Outcome.Fail("no terminal id: pass --terminal (the data file has no identity yet)");
            }

            if (options.Secret is null)
            {
                // Without the secret the till lives on its cached token; check that one instead of signing in.
                if (_cached?.AccessToken is { } cachedToken && _cached.TokenExpiresAt > time.GetUtcNow().UtcDateTime)
                {
                    _token = cachedToken;
                    _storeId = _cached.StoreId;
                    return Outcome.Warn($"no secret given: using the cached token of {_terminalId}, valid until {_cached.TokenExpiresAt:O}",
                        new() { ["terminalId"] = _terminalId, ["storeId"] = _storeId, ["cachedToken"] = true });
                }

                return Outcome.Fail("no secret given and no valid cached token: pass --secret");
            }

            var session = await api.SignInAsync(_terminalId, options.Secret, cancellationToken).ConfigureAwait(false);
            _token = session.AccessToken;
            _storeId = session.Terminal.StoreId;
            return Outcome.Pass($"signed in as {session.Terminal.Id} of store {session.Terminal.StoreId}",
                new() { ["terminalId"] = session.Terminal.Id, ["storeId"] = session.Terminal.StoreId, ["expiresAt"] = session.ExpiresAt });
        }

        private async Task<Outcome> ConnectAsync(WebSocketClient client, CancellationToken cancellationToken)
        {
            var socket = client.Of(PosWebSocketService.Namespace);
            _socket = socket;
            try
            {
                await socket.ConnectAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ConnectErrorException ex)
            {
                _socket = null;
                return Outcome.Fail($"{PosWebSocketService.Namespace} refused the connection: {ex.Message}");
            }

            return Outcome.Pass($"{PosWebSocketService.Namespace} connected over {client.Transport}",
                new() { ["sid"] = socket.Id, ["transport"] = client.Transport?.ToString() });
        }

        private async Task<Outcome> JoinRoomsAsync(CancellationToken cancellationToken)
        {
            var rooms = new[] { $"store:{_storeId}", $"terminal:{_terminalId}" };
            var results = new Dictionary<string, object?>();
            var refused = new List<string>();
            foreach (var room in rooms)
            {
                var result = await _socket!.JoinRoomAsync(room, limits.StepTimeout, cancellationToken).ConfigureAwait(false);
                results[room] = result.Ok ? "ok" : result.Error;
                if (!result.Ok)
                {
                    refused.Add($"{room}: {result.Error}");
                }
            }

            return refused.Count == 0
                ? Outcome.Pass($"joined {string.Join(" and ", rooms)}", results)
                : Outcome.Fail($"room join refused ({string.Join(", ", refused)})", results);
        }

        private async Task<Outcome> PingAsync(CancellationToken cancellationToken)
        {
            var sentAt = time.GetUtcNow();
            var started = time.GetTimestamp();
            var ack = await _socket!.EmitWithAckAsync("ping", limits.StepTimeout, [], cancellationToken).ConfigureAwait(false);
            var roundTrip = time.GetElapsedTime(started);
            if (ack.Count == 0 || ack.GetRaw(0).ValueKind != JsonValueKind.Object
                || !ack.GetRaw(0).TryGetProperty("ok", out var ok) || ok.ValueKind != JsonValueKind.True)
            {
                return Outcome.Fail($"ping was answered without ok: {(ack.Count > 0 ? ack.GetRaw(0).GetRawText() : "(empty)")}");
            }

            if (ack.GetRaw(0).TryGetProperty("time", out var serverTimeElement) && serverTimeElement.TryGetDateTime(out var serverTime))
            {
                // The server stamped its time somewhere in the round trip: compare with our clock at its middle.
                var localMiddle = sentAt + (roundTrip / 2);
                _skew = new DateTimeOffset(DateTime.SpecifyKind(serverTime, DateTimeKind.Utc)) - localMiddle;
                _skewSource = "ping";
            }

            return Outcome.Pass($"ping acknowledged in {roundTrip.TotalMilliseconds:0.#} ms",
                new() { ["roundTripMs"] = Math.Round(roundTrip.TotalMilliseconds, 1) });
        }

        private async Task<Outcome> SyncDryRunAsync(PosApiClient api, CancellationToken cancellationToken)
        {
            var response = await api.SyncAsync(_token!, [], cancellationToken).ConfigureAwait(false);
            return response.Results.Count == 0
                ? Outcome.Pass("POST /api/pos/sync accepted an empty batch", new() { ["serverTime"] = response.ServerTime })
                : Outcome.Fail($"POST /api/pos/sync answered {response.Results.Count} results for an empty batch");
        }

        private async Task<Outcome> CatalogAsync(PosApiClient api, CancellationToken cancellationToken)
        {
            var catalog = await api.GetCatalogAsync(_token!, null, cancellationToken).ConfigureAwait(false);
            var data = new Dictionary<string, object?> { ["products"] = catalog.Products.Count };
            return catalog.Products.Count > 0
                ? Outcome.Pass($"{catalog.Products.Count} products in the catalogue of store {_storeId}", data)
                : Outcome.Warn($"the catalogue of store {_storeId} is empty: nothing can be sold", data);
        }

        private Outcome ClockSkew()
        {
            if (_skew is null && _serverDate is { } date)
            {
                // The HTTP Date header has whole seconds only: good enough to catch a clock that is minutes off.
                _skew = date - time.GetUtcNow();
                _skewSource = "http-date";
            }

            if (_skew is not { } skew)
            {
                return Outcome.Warn("the server gave no time to compare with");
            }

            var magnitude = skew.Duration();
            var text = string.Create(CultureInfo.InvariantCulture,
                $"local clock is {magnitude.TotalMilliseconds:0} ms {(skew > TimeSpan.Zero ? "behind" : "ahead of")} the server (from {_skewSource})");
            var data = new Dictionary<string, object?> { ["skewMs"] = Math.Round(skew.TotalMilliseconds, 1), ["source"] = _skewSource };
            return magnitude > limits.ClockSkewFailure ? Outcome.Fail(text, data)
                : magnitude > limits.ClockSkewWarning ? Outcome.Warn(text, data)
                : Outcome.Pass(text, data);
        }
    }
}
