using System.Globalization;
using Bms.Contracts;
using Bms.Realtime.Client;
using Bms.Web.Components.Models;

namespace Bms.Web.Components;

/// <summary>How the components word and colour states, times and amounts (one place, so every component agrees).</summary>
public static class DisplayFormat
{
    /// <summary>The label of a connection state.</summary>
    public static string StateLabel(ConnectionState state) => state switch
    {
        ConnectionState.Connected => "Connected",
        ConnectionState.Connecting => "Connecting",
        ConnectionState.Reconnecting => "Reconnecting",
        ConnectionState.Error => "Connection error",
        _ => "Disconnected",
    };

    /// <summary>The CSS tone of a connection state: <c>ok</c>, <c>warn</c>, <c>bad</c> or <c>idle</c>.</summary>
    public static string StateTone(ConnectionState state) => state switch
    {
        ConnectionState.Connected => "ok",
        ConnectionState.Connecting or ConnectionState.Reconnecting => "warn",
        ConnectionState.Error => "bad",
        _ => "idle",
    };

    /// <summary>The CSS tone of a health value.</summary>
    public static string HealthTone(ConnectionHealth health) => health switch
    {
        ConnectionHealth.Healthy => "ok",
        ConnectionHealth.Degraded => "warn",
        _ => "bad",
    };

    /// <summary>The label of a terminal sync state.</summary>
    public static string SyncLabel(TerminalSyncState state) => state switch
    {
        TerminalSyncState.Synced => "Synced",
        TerminalSyncState.Syncing => "Syncing",
        TerminalSyncState.Pending => "Pending",
        TerminalSyncState.Offline => "Offline",
        TerminalSyncState.Error => "Sync error",
        _ => "No report",
    };

    /// <summary>The CSS tone of a terminal sync state.</summary>
    public static string SyncTone(TerminalSyncState state) => state switch
    {
        TerminalSyncState.Synced => "ok",
        TerminalSyncState.Syncing or TerminalSyncState.Pending => "warn",
        TerminalSyncState.Offline or TerminalSyncState.Error => "bad",
        _ => "idle",
    };

    /// <summary>The CSS tone of a notification severity (one of <see cref="NotificationSeverity"/>'s values).</summary>
    public static string SeverityTone(string severity) => severity switch
    {
        NotificationSeverity.Error => "bad",
        NotificationSeverity.Warning => "warn",
        _ => "info",
    };

    /// <summary>A latency in whole milliseconds, or an em dash when unknown.</summary>
    public static string Latency(TimeSpan? latency) =>
        latency is { } l ? string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)Math.Round(l.TotalMilliseconds))} ms") : "—";

    /// <summary>When the next reconnection attempt is due: <c>retry in 3 s</c>, or <c>retrying…</c> once it is due.</summary>
    public static string RetryIn(DateTimeOffset at, DateTimeOffset now)
    {
        var seconds = (int)Math.Ceiling((at - now).TotalSeconds);
        return seconds <= 0 ? "retrying…" : string.Create(CultureInfo.InvariantCulture, $"retry in {seconds} s");
    }

    /// <summary>The transport name, or an em dash when not connected.</summary>
    public static string Transport(TransportKind? transport) => transport switch
    {
        TransportKind.WebSocket => "WebSocket",
        TransportKind.Polling => "HTTP long-polling",
        _ => "—",
    };

    /// <summary>
    /// A time of day in <paramref name="zone"/> (the viewer's: <c>TimeProvider.LocalTimeZone</c>, in the browser its
    /// time zone), formatted for <paramref name="culture"/> (default the current culture: in the browser its language),
    /// e.g. <c>2:03:07 PM</c> or <c>14:03:07</c>; an em dash when unknown.
    /// </summary>
    public static string Time(DateTimeOffset? value, TimeZoneInfo zone, CultureInfo? culture = null)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return value is { } v ? TimeZoneInfo.ConvertTime(v, zone).ToString("T", culture ?? CultureInfo.CurrentCulture) : "—";
    }

    /// <summary>
    /// How long ago <paramref name="value"/> was (<c>just now</c>, <c>12 s ago</c>, <c>5 min ago</c>...); past a day
    /// the date and time in <paramref name="zone"/>, formatted for <paramref name="culture"/>.
    /// </summary>
    public static string Ago(DateTimeOffset? value, DateTimeOffset now, TimeZoneInfo? zone = null, CultureInfo? culture = null)
    {
        if (value is not { } v)
        {
            return "never";
        }

        var elapsed = now - v;
        return elapsed.TotalSeconds switch
        {
            < 5 => "just now",
            < 60 => string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalSeconds} s ago"),
            < 3600 => string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalMinutes} min ago"),
            < 86400 => string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalHours} h ago"),
            _ => TimeZoneInfo.ConvertTime(v, zone ?? TimeZoneInfo.Utc).ToString("g", culture ?? CultureInfo.CurrentCulture),
        };
    }

    /// <summary>
    /// An amount in <paramref name="currency"/> (an ISO 4217 code such as <c>EUR</c>) formatted for
    /// <paramref name="culture"/> (default the current culture: in the browser its language): <c>€12.50</c> in
    /// en-US, <c>12,50 €</c> in de-DE. Without a currency, the number alone with two decimals.
    /// </summary>
    public static string Money(decimal amount, string? currency, CultureInfo? culture = null)
    {
        culture ??= CultureInfo.CurrentCulture;
        if (string.IsNullOrWhiteSpace(currency))
        {
            return amount.ToString("N2", culture);
        }

        var code = currency.Trim().ToUpperInvariant();
        var (symbol, digits) = CurrencySymbols.TryGetValue(code, out var known) ? known : (code, 2);
        var format = (NumberFormatInfo)culture.NumberFormat.Clone();
        format.CurrencySymbol = symbol;
        format.CurrencyDecimalDigits = digits;
        return amount.ToString("C", format);
    }

    // The symbols browsers show for the common codes; any other code is shown as itself (e.g. "12.50 HUF").
    private static readonly Dictionary<string, (string Symbol, int Digits)> CurrencySymbols = new(StringComparer.Ordinal)
    {
        ["EUR"] = ("€", 2),
        ["USD"] = ("$", 2),
        ["GBP"] = ("£", 2),
        ["JPY"] = ("¥", 0),
        ["CHF"] = ("CHF", 2),
        ["CAD"] = ("CA$", 2),
        ["AUD"] = ("A$", 2),
        ["CNY"] = ("CN¥", 2),
        ["INR"] = ("₹", 2),
        ["SEK"] = ("kr", 2),
        ["NOK"] = ("kr", 2),
        ["DKK"] = ("kr.", 2),
        ["PLN"] = ("zł", 2),
        ["CZK"] = ("Kč", 2),
    };
}
