using Bms.Web.Components.Models;

namespace Bms.Web.Components.Services;

/// <summary>
/// The host's view of the POS terminals (a seam: the backend knows its terminals, their real-time connections and
/// their last <c>sync:status</c> reports; tests supply a fake). Optional: without one, terminals appear only as their
/// reports arrive and manual sync is unavailable. Implementations are thread-safe.
/// </summary>
public interface IPosTerminalDirectory
{
    /// <summary>Every terminal the user may see, with its connection and last known sync state.</summary>
    Task<IReadOnlyList<TerminalStatus>> GetTerminalsAsync(CancellationToken cancellationToken = default);

    /// <summary>Asks <paramref name="terminalId"/> (or every terminal when null) to sync now; returns how many were asked.</summary>
    Task<int> RequestSyncAsync(string? terminalId, CancellationToken cancellationToken = default);
}
