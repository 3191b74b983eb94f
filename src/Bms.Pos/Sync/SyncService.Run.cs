using System.Text;
using System.Text.Json;
using Bms.Pos.Storage;

namespace Bms.Pos.Sync;

public sealed partial class SyncService
{
    private async Task<SyncRunResult> RunAsync(CancellationToken cancellationToken)
    {
        await _runGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var started = Now();
        Interlocked.Exchange(ref _syncing, 1);
        SyncingChanged?.Invoke(this, EventArgs.Empty);
        SyncRunResult result;
        try
        {
            result = await RunLockedAsync(started, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Exchange(ref _syncing, 0);
            _runGate.Release();
        }

        lock (_signal)
        {
            if (result.Succeeded)
            {
                _lastSync = result.FinishedAt;
                _lastError = null;
            }
            else if (!result.LeaseBusy)
            {
                _lastError = result.Error;
            }
        }

        if (result.Succeeded)
        {
            Interlocked.Exchange(ref _failures, 0);
        }
        else if (!result.LeaseBusy)
        {
            Interlocked.Increment(ref _failures);
        }

        SyncingChanged?.Invoke(this, EventArgs.Empty);
        SyncCompleted?.Invoke(this, result);
        return result;
    }

    private async Task<SyncRunResult> RunLockedAsync(DateTime started, CancellationToken cancellationToken)
    {
        var lease = await _store.TryAcquireLeaseAsync(LeaseOwner, _options.LeaseDuration, Now(), cancellationToken).ConfigureAwait(false);
        if (!lease.Acquired)
        {
            Log.LeaseBusy(_logger, lease.Holder ?? "?");
            return new SyncRunResult(false, true, 0, 0, 0, 0, 0, $"another process is syncing this data file ({lease.Holder})",
                started, Now(), []);
        }

        int sent = 0, accepted = 0, duplicates = 0, rejected = 0, pulled = 0;
        var negative = new List<PosStockLevel>();
        try
        {
            while (true)
            {
                var batch = await _store.GetPendingAsync(_options.BatchSize, cancellationToken).ConfigureAwait(false);
                if (batch.Count == 0)
                {
                    break;
                }

                // Renew before every batch: the lease must outlive the request, and a lease taken over meanwhile
                // (this process was frozen past its expiry) stops us before we send anything.
                var renewed = await _store.TryAcquireLeaseAsync(LeaseOwner, _options.LeaseDuration, Now(), cancellationToken).ConfigureAwait(false);
                if (!renewed.Acquired)
                {
                    throw new InvalidOperationException($"the sync lease was taken over by {renewed.Holder}");
                }

                var (toSend, localRejects) = Classify(batch);
                if (localRejects.Count > 0)
                {
                    await _store.ApplyOutcomesAsync(localRejects, Now(), cancellationToken).ConfigureAwait(false);
                    rejected += localRejects.Count;
                    foreach (var r in localRejects)
                    {
                        await _store.AppendLogAsync("reject", $"{r.Id}: {r.Reason}", Now(), cancellationToken).ConfigureAwait(false);
                    }
                }

                if (toSend.Count == 0)
                {
                    continue;
                }

                await _store.MarkAttemptAsync(toSend.Select(i => i.Id), Now(), cancellationToken).ConfigureAwait(false);
                var response = await _auth.WithTokenAsync(
                    (token, ct) => _api.SyncAsync(token, toSend.Select(i => i.Payload).ToList(), ct), cancellationToken).ConfigureAwait(false);
                sent += toSend.Count;

                var outcomes = ToOutcomes(toSend, response, negative);
                await _store.ApplyOutcomesAsync(outcomes, Now(), cancellationToken).ConfigureAwait(false);
                accepted += outcomes.Count(o => o.Status == SyncItemStatus.Accepted);
                duplicates += outcomes.Count(o => o.Status == SyncItemStatus.Duplicate);
                foreach (var r in outcomes.Where(o => o.Status == SyncItemStatus.Rejected))
                {
                    rejected++;
                    await _store.AppendLogAsync("reject", $"{r.Id}: {r.Reason}", Now(), cancellationToken).ConfigureAwait(false);
                }

                if (outcomes.Count < toSend.Count)
                {
                    throw new InvalidOperationException($"the server answered {outcomes.Count} of {toSend.Count} items");
                }
            }

            pulled = await PullAsync(cancellationToken).ConfigureAwait(false);
            if (sent > 0 || pulled > 0)
            {
                await _store.AppendLogAsync("push",
                    $"sent {sent}: {accepted} accepted, {duplicates} duplicate, {rejected} rejected; pulled {pulled} products",
                    Now(), cancellationToken).ConfigureAwait(false);
            }

            await _store.SetValueAsync(LastSyncKey, SqliteSyncStore.FormatTime(Now()), cancellationToken).ConfigureAwait(false);
            Log.RunCompleted(_logger, sent, accepted, duplicates, rejected, pulled);
            return new SyncRunResult(true, false, sent, accepted, duplicates, rejected, pulled, null, started, Now(), negative);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var error = Describe(ex);
            Log.RunFailed(_logger, error);
            try
            {
                await _store.AppendLogAsync("error", error, Now(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception logEx) when (logEx is not OutOfMemoryException)
            {
                Log.LoopFailed(_logger, logEx);
            }

            return new SyncRunResult(false, false, sent, accepted, duplicates, rejected, pulled, error, started, Now(), negative);
        }
        finally
        {
            await _store.ReleaseLeaseAsync(LeaseOwner, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<int> PullAsync(CancellationToken cancellationToken)
    {
        var cursorText = await _store.GetValueAsync(CatalogCursorKey, cancellationToken).ConfigureAwait(false);
        DateTime? cursor = cursorText is null ? null : SqliteSyncStore.ParseTime(cursorText);
        var catalog = await _auth.WithTokenAsync((token, ct) => _api.GetCatalogAsync(token, cursor, ct), cancellationToken).ConfigureAwait(false);
        if (catalog.Products.Count > 0)
        {
            await _store.UpsertProductsAsync(catalog.Products, cancellationToken).ConfigureAwait(false);
        }

        await _store.SetValueAsync(CatalogCursorKey, SqliteSyncStore.FormatTime(catalog.ServerTime), cancellationToken).ConfigureAwait(false);
        return catalog.Products.Count;
    }

    /// <summary>Splits a batch into items to send and items refused locally (too large, or not JSON): those would never succeed.</summary>
    private (List<OutboxItem> ToSend, List<SyncItemOutcome> Rejects) Classify(IReadOnlyList<OutboxItem> batch)
    {
        var toSend = new List<OutboxItem>(batch.Count);
        var rejects = new List<SyncItemOutcome>();
        foreach (var item in batch)
        {
            if (Encoding.UTF8.GetByteCount(item.Payload) > _options.MaxItemBytes)
            {
                rejects.Add(new SyncItemOutcome(item.Id, SyncItemStatus.Rejected,
                    $"oversized: {Encoding.UTF8.GetByteCount(item.Payload)} bytes (limit {_options.MaxItemBytes}); not sent"));
                continue;
            }

            try
            {
                using var doc = JsonDocument.Parse(item.Payload);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new JsonException("not a JSON object");
                }
            }
            catch (JsonException ex)
            {
                rejects.Add(new SyncItemOutcome(item.Id, SyncItemStatus.Rejected, $"malformed: {ex.Message}; not sent"));
                continue;
            }

            toSend.Add(item);
        }

        return (toSend, rejects);
    }

    private static List<SyncItemOutcome> ToOutcomes(List<OutboxItem> sent, PosSyncResponse response, List<PosStockLevel> negative)
    {
        var byId = new Dictionary<Guid, PosSyncItemResult>();
        foreach (var r in response.Results)
        {
            if (Guid.TryParse(r.Id, out var id))
            {
                byId.TryAdd(id, r);
            }
        }

        var outcomes = new List<SyncItemOutcome>(sent.Count);
        for (var i = 0; i < sent.Count; i++)
        {
            var item = sent[i];
            // Results are in request order; an item whose id the server could not read is matched by position.
            var result = byId.GetValueOrDefault(item.Id) ?? (i < response.Results.Count && response.Results[i].Id is null ? response.Results[i] : null);
            if (result is null)
            {
                continue;
            }

            if (result.NegativeStock is { } shortfall)
            {
                negative.AddRange(shortfall);
            }

            outcomes.Add(result.Status switch
            {
                "accepted" => new SyncItemOutcome(item.Id, SyncItemStatus.Accepted, null, result.TransactionId?.ToString(), StockOf(result)),
                "duplicate" => new SyncItemOutcome(item.Id, SyncItemStatus.Duplicate, null, result.TransactionId?.ToString(), StockOf(result)),
                _ => new SyncItemOutcome(item.Id, SyncItemStatus.Rejected, DescribeRejection(result)),
            });
        }

        return outcomes;
    }

    private static List<ServerStock>? StockOf(PosSyncItemResult result) =>
        result.Stock is { Count: > 0 } stock ? [.. stock.Select(s => new ServerStock(s.ProductId, s.Quantity))] : null;

    private static string DescribeRejection(PosSyncItemResult result)
    {
        var text = new StringBuilder(result.Reason ?? "rejected");
        if (!string.IsNullOrEmpty(result.Detail))
        {
            text.Append(": ").Append(result.Detail);
        }

        if (result.Errors is { Count: > 0 } errors)
        {
            text.Append(" (").Append(string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))).Append(')');
        }

        return text.ToString();
    }

    private static string Describe(Exception ex) => ex switch
    {
        PosApiException api => api.Message,
        HttpRequestException http => $"server unreachable: {http.Message}",
        TimeoutException timeout => timeout.Message,
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };
}
