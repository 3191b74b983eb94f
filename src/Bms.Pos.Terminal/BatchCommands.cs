using System.Text.Json;
using Bms.Pos.Storage;

namespace Bms.Pos.Terminal;

/// <summary>The non-interactive mode: sells, syncs and reports as JSON lines, so tests and scripts can drive a real till.</summary>
internal static class BatchCommands
{
    public static async Task<int> RunAsync(PosWebSocketService pos, TerminalArguments args, CancellationToken cancellationToken)
    {
        var online = await pos.InitializeAsync(cancellationToken);
        Write(new { @event = "started", online, terminal = pos.Auth.Identity!.TerminalId, storeId = pos.Auth.Identity.StoreId });
        var exitCode = 0;

        if (args.Sell.Count > 0)
        {
            var lines = new List<SaleRequestLine>();
            foreach (var (sku, quantity) in args.Sell)
            {
                var product = await pos.Store.FindProductAsync(sku, cancellationToken)
                    ?? throw new InvalidOperationException($"SKU {sku} is not in the local catalogue.");
                lines.Add(new SaleRequestLine(product.Id, quantity));
            }

            string? first = null, last = null;
            for (var i = 0; i < args.Count; i++)
            {
                var sale = await pos.RecordSaleAsync(lines, cancellationToken);
                first ??= sale.ReceiptNumber;
                last = sale.ReceiptNumber;
            }

            Write(new { @event = "sold", count = args.Count, first, last });
        }

        if (args.Retry is { } retry)
        {
            var ok = await pos.Sync.RetryRejectedAsync(retry, cancellationToken);
            Write(new { @event = "retry", id = retry, ok });
            exitCode = ok ? exitCode : 3;
        }

        if (args.Discard is { } discard)
        {
            var ok = await pos.Sync.DiscardRejectedAsync(discard, cancellationToken);
            Write(new { @event = "discard", id = discard, ok });
            exitCode = ok ? exitCode : 3;
        }

        if (args.SyncOnce)
        {
            var result = await pos.Sync.SyncUntilDrainedAsync(args.SyncTimeout, cancellationToken);
            var counts = await pos.Store.GetCountsAsync(cancellationToken);
            Write(new
            {
                @event = "sync",
                result.Succeeded,
                result.Sent,
                result.Accepted,
                result.Duplicates,
                result.Rejected,
                result.Pulled,
                result.Error,
                pending = counts.PendingTransactions,
                rejectedTotal = counts.RejectedTransactions,
                negativeStock = result.NegativeStock,
            });
            exitCode = result.Succeeded ? exitCode : 2;
        }

        if (args.Status || args.ListRejected)
        {
            var counts = await pos.Store.GetCountsAsync(cancellationToken);
            var rejected = (await pos.Store.GetRejectedAsync(cancellationToken))
                .Select(r => new { r.Id, r.ReceiptNumber, r.LastError, r.Attempts }).ToList();
            Write(new { @event = "status", counts, rejected, identity = pos.Auth.Identity!.TerminalId, lastSync = pos.Sync.LastSync });
        }

        return exitCode;
    }

    public static void Write(object value)
    {
        Console.Out.WriteLine(JsonSerializer.Serialize(value, PosJson.Options));
        Console.Out.Flush();
    }
}
