using System.Globalization;
using Bms.Pos.Storage;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Bms.Pos.Terminal;

/// <summary>
/// The interactive till: a live status bar (connection, pending sales, last sync, unread notifications) above the
/// catalogue, and single keys for the cashier: S sell, Y sync now, N notifications, R rejected sales (manager), Q quit.
/// </summary>
internal static class TerminalScreen
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);

    public static async Task<int> RunAsync(PosWebSocketService pos, CancellationToken cancellationToken)
    {
        if (Console.IsInputRedirected)
        {
            Console.Error.WriteLine("The interactive till needs a terminal; use --sell/--sync-once/--status for scripts.");
            return 64;
        }

        var online = await AnsiConsole.Status().StartAsync("Starting the till...", _ => pos.StartAsync(cancellationToken));
        AnsiConsole.MarkupLine(online
            ? "[green]Signed in; catalogue up to date.[/]"
            : "[yellow]Server unreachable: working offline on the cached catalogue. Sales are kept and sent later.[/]");

        while (!cancellationToken.IsCancellationRequested)
        {
            var key = await WaitForKeyAsync(pos, cancellationToken);
            switch (char.ToUpperInvariant(key.KeyChar))
            {
                case 'S':
                    await SellAsync(pos, cancellationToken);
                    break;
                case 'Y':
                    var result = await AnsiConsole.Status().StartAsync("Syncing...", _ => pos.TriggerSyncWithNotificationAsync(cancellationToken));
                    AnsiConsole.MarkupLine(result.Succeeded
                        ? $"[green]Sync complete:[/] {result.Accepted + result.Duplicates} sent, {result.Rejected} rejected, {result.Pulled} products updated."
                        : $"[red]Sync failed:[/] {Markup.Escape(result.Error ?? "unknown")} — sales stay queued on this till.");
                    Pause();
                    break;
                case 'N':
                    await NotificationsAsync(pos, cancellationToken);
                    break;
                case 'R':
                    await RejectedAsync(pos, cancellationToken);
                    break;
                case 'Q':
                    return 0;
            }
        }

        return 0;
    }

    private static async Task<ConsoleKeyInfo> WaitForKeyAsync(PosWebSocketService pos, CancellationToken cancellationToken)
    {
        AnsiConsole.Clear();
        var screen = await BuildScreenAsync(pos, cancellationToken);
        await AnsiConsole.Live(screen).AutoClear(false).StartAsync(async ctx =>
        {
            while (!Console.KeyAvailable && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(Refresh, cancellationToken).ConfigureAwait(false);
                ctx.UpdateTarget(await BuildScreenAsync(pos, cancellationToken));
            }
        });
        return Console.ReadKey(intercept: true);
    }

    private static async Task<IRenderable> BuildScreenAsync(PosWebSocketService pos, CancellationToken cancellationToken)
    {
        var status = pos.Status;
        var counts = await pos.Store.GetCountsAsync(cancellationToken);
        var identity = pos.Auth.Identity!;
        var connection = status.IsOnline
            ? "[green]● ONLINE[/]"
            : $"[red]● OFFLINE[/] [grey]({pos.Client.State})[/]";
        var syncing = status.IsSyncing ? " [blue]⟳ syncing[/]" : "";
        var lastSync = status.LastSync is { } t ? t.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "never";
        var bar = new Markup(
            $"{connection}{syncing}  │  Pending sales: [bold]{counts.PendingTransactions}[/]  │  Last sync: {lastSync}  │  "
            + $"Unread: [bold]{counts.UnreadNotifications}[/]"
            + (counts.RejectedTransactions > 0 ? $"  │  [red]Rejected: {counts.RejectedTransactions}[/]" : ""));

        var catalogue = new Table().Border(TableBorder.Simple).AddColumns("SKU", "Product", "Price", "Stock");
        foreach (var p in await pos.Store.GetProductsAsync(cancellationToken))
        {
            var stock = p.Quantity != p.ServerQuantity ? $"{p.Quantity} [grey](server {p.ServerQuantity})[/]" : $"{p.Quantity}";
            catalogue.AddRow(Markup.Escape(p.Sku), Markup.Escape(p.Name), p.Price.ToString("0.00", CultureInfo.InvariantCulture),
                p.IsLowStock ? $"[yellow]{stock}[/]" : stock);
        }

        var hint = status.IsOnline
            ? "[grey]Sales are sent to the server as they happen.[/]"
            : "[yellow]Offline: sales are saved on this till and sent automatically when the connection is back.[/]";
        var keys = new Markup("[bold]S[/] sell   [bold]Y[/] sync now   [bold]N[/] notifications   [bold]R[/] rejected sales   [bold]Q[/] quit");
        return new Rows(
            new Panel(bar).Header($" {Markup.Escape(identity.TerminalId)} · store {identity.StoreId} ").Expand(),
            new Markup(hint),
            catalogue,
            keys);
    }

    private static async Task SellAsync(PosWebSocketService pos, CancellationToken cancellationToken)
    {
        var products = await pos.Store.GetProductsAsync(cancellationToken);
        var lines = new List<SaleRequestLine>();
        while (true)
        {
            var sku = AnsiConsole.Prompt(new TextPrompt<string>("SKU ([grey]empty to finish[/]):").AllowEmpty());
            if (string.IsNullOrWhiteSpace(sku))
            {
                break;
            }

            var product = products.FirstOrDefault(p => string.Equals(p.Sku, sku.Trim(), StringComparison.OrdinalIgnoreCase));
            if (product is null)
            {
                AnsiConsole.MarkupLine($"[red]Unknown SKU {Markup.Escape(sku)}.[/]");
                continue;
            }

            var quantity = AnsiConsole.Prompt(new TextPrompt<int>($"Quantity of {Markup.Escape(product.Name)}:").DefaultValue(1)
                .Validate(q => q is > 0 and <= 10_000 ? ValidationResult.Success() : ValidationResult.Error("1 to 10000")));
            lines.Add(new SaleRequestLine(product.Id, quantity));
        }

        if (lines.Count == 0)
        {
            return;
        }

        var sale = await pos.RecordSaleAsync(lines, cancellationToken);
        var receipt = new Table().Title($"Receipt {sale.ReceiptNumber}").AddColumns("Item", "Qty", "Price", "Total");
        foreach (var line in sale.Lines)
        {
            receipt.AddRow(Markup.Escape(line.Name), line.Quantity.ToString(CultureInfo.InvariantCulture),
                line.UnitPrice.ToString("0.00", CultureInfo.InvariantCulture), line.LineTotal.ToString("0.00", CultureInfo.InvariantCulture));
        }

        receipt.AddRow("[bold]Total[/]", "", "", $"[bold]{sale.Total.ToString("0.00", CultureInfo.InvariantCulture)}[/]");
        AnsiConsole.Write(receipt);
        AnsiConsole.MarkupLine(pos.IsOnline ? "[green]Saved; sending to the server.[/]" : "[yellow]Saved on this till; it will be sent when the connection is back.[/]");
        Pause();
    }

    private static async Task NotificationsAsync(PosWebSocketService pos, CancellationToken cancellationToken)
    {
        var list = await pos.GetNotificationsAsync(unreadOnly: false, limit: 30, cancellationToken);
        var table = new Table().AddColumns("", "Time", "Title", "Message");
        foreach (var n in list)
        {
            var color = n.Severity switch { "error" or "critical" => "red", "warning" => "yellow", _ => "white" };
            table.AddRow(n.IsRead ? " " : "[bold]•[/]", n.ReceivedAt.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                $"[{color}]{Markup.Escape(n.Title)}[/]", Markup.Escape(n.Message));
        }

        AnsiConsole.Write(list.Count == 0 ? new Markup("[grey]No notifications.[/]\n") : table);
        await pos.MarkAllNotificationsReadAsync(cancellationToken);
        Pause();
    }

    private static async Task RejectedAsync(PosWebSocketService pos, CancellationToken cancellationToken)
    {
        var rejected = await pos.Store.GetRejectedAsync(cancellationToken);
        if (rejected.Count == 0)
        {
            AnsiConsole.MarkupLine("[green]No rejected sales.[/]");
            Pause();
            return;
        }

        const string back = "Back";
        var labels = rejected.ToDictionary(i => Markup.Escape($"{i.ReceiptNumber}: {i.LastError}"), i => i);
        var picked = AnsiConsole.Prompt(new SelectionPrompt<string>()
            .Title("Rejected sales ([yellow]manager action[/]):")
            .AddChoices(labels.Keys.Append(back)));
        if (!labels.TryGetValue(picked, out var choice))
        {
            return;
        }

        var action = AnsiConsole.Prompt(new SelectionPrompt<string>().Title(Markup.Escape(choice.ReceiptNumber)).AddChoices("Retry", "Discard", "Back"));
        if (action == "Retry")
        {
            await pos.Sync.RetryRejectedAsync(choice.Id, cancellationToken);
        }
        else if (action == "Discard" && AnsiConsole.Confirm($"Discard sale {Markup.Escape(choice.ReceiptNumber)} for good?", defaultValue: false))
        {
            await pos.Sync.DiscardRejectedAsync(choice.Id, cancellationToken);
        }
    }

    private static void Pause()
    {
        AnsiConsole.MarkupLine("[grey]Press any key...[/]");
        Console.ReadKey(intercept: true);
    }
}
