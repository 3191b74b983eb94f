using Bms.Web.Components.Models;
using Bms.Web.Components.Services;

namespace Bms.Web.Components.Tests.Fakes;

/// <summary>An in-memory <see cref="IPosTerminalDirectory"/> recording sync requests.</summary>
public sealed class FakePosTerminalDirectory : IPosTerminalDirectory
{
    public List<TerminalStatus> Terminals { get; set; } = [];

    public List<string?> SyncRequests { get; } = [];

    public Task<IReadOnlyList<TerminalStatus>> GetTerminalsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<TerminalStatus>>([.. Terminals]);

    public Task<int> RequestSyncAsync(string? terminalId, CancellationToken cancellationToken = default)
    {
        SyncRequests.Add(terminalId);
        return Task.FromResult(Terminals.Count(t => t.IsConnected == true && (terminalId is null || t.TerminalId == terminalId)));
    }
}
