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

    /// <summary>Runs before a sync request returns: a terminal's answer that overtakes the request's own answer.</summary>
    public Func<string?, Task>? BeforeAnswer { get; set; }

    public async Task<int> RequestSyncAsync(string? terminalId, CancellationToken cancellationToken = default)
    {
        SyncRequests.Add(terminalId);
        if (BeforeAnswer is { } beforeAnswer)
        {
            await beforeAnswer(terminalId);
        }

        return Terminals.Count(t => t.IsConnected == true && (terminalId is null || t.TerminalId == terminalId));
    }
}
