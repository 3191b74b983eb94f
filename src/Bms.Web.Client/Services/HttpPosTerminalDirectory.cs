using Bms.Web.Components.Models;
using Bms.Web.Components.Services;

namespace Bms.Web.Client.Services;

/// <summary><see cref="IPosTerminalDirectory"/> over the host's REST API (<see cref="DashboardApi"/>). Scoped.</summary>
public sealed class HttpPosTerminalDirectory(DashboardApi api) : IPosTerminalDirectory
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<TerminalStatus>> GetTerminalsAsync(CancellationToken cancellationToken = default) =>
        await api.GetTerminalsAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task<int> RequestSyncAsync(string? terminalId, CancellationToken cancellationToken = default) =>
        api.RequestSyncAsync(terminalId, cancellationToken);
}
