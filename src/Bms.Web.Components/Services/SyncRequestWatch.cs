using Bms.Web.Components.Models;

namespace Bms.Web.Components.Services;

/// <summary>
/// A manual sync request and its answer, for the components that offer "Sync now": after
/// <see cref="RequestAsync"/> the <see cref="Message"/> says who was asked; it clears once every asked terminal has
/// reported (<c>sync:status</c>) since, but not before it has been shown for <see cref="MinimumDisplay"/> (a terminal
/// may answer before the request itself returns), or after <see cref="AnswerTimeout"/> says which gave no answer. Call
/// <see cref="Check"/> when the monitor changes. One per component; not thread-safe (use it on the renderer).
/// </summary>
public sealed class SyncRequestWatch : IDisposable
{
    private readonly PosTerminalMonitor _monitor;
    private readonly TimeProvider _time;
    private readonly Func<Action, Task> _dispatch;
    private Dictionary<string, long>? _awaiting;
    private ITimer? _timer;
    private long _generation;
    private long _shownAt;

    /// <summary>Creates the watch; <paramref name="dispatch"/> runs a change on the renderer and re-renders (a component's <c>InvokeAsync</c> + <c>StateHasChanged</c>).</summary>
    public SyncRequestWatch(PosTerminalMonitor monitor, TimeProvider time, Func<Action, Task> dispatch)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(dispatch);
        _monitor = monitor;
        _time = time;
        _dispatch = dispatch;
    }

    /// <summary>How long the asked terminals have to report before "no answer" is shown. Default 10 s.</summary>
    public TimeSpan AnswerTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the request message stays at least, even when every asked terminal has already reported: without it
    /// a quick answer would clear the message before it was ever rendered. Default 1.5 s.
    /// </summary>
    public TimeSpan MinimumDisplay { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>The message to show, or null.</summary>
    public string? Message { get; private set; }

    /// <summary>
    /// Asks <paramref name="terminalId"/> (or every connected one of <paramref name="terminals"/> when null) to sync
    /// and sets <see cref="Message"/>; returns false when the request failed (its error becomes the message).
    /// </summary>
    public async Task<bool> RequestAsync(string? terminalId, IEnumerable<TerminalStatus> terminals)
    {
        ArgumentNullException.ThrowIfNull(terminals);
        var targets = terminalId is null ? terminals.Where(t => t.IsConnected == true).Select(t => t.TerminalId).ToList() : [terminalId];

        // Read before asking: a terminal may answer before the request returns.
        var before = targets.Distinct(StringComparer.Ordinal).ToDictionary(t => t, _monitor.ReportVersion, StringComparer.Ordinal);
        Stop();
        try
        {
            // Stays on the renderer's context: the caller renders right after.
            var asked = await _monitor.RequestSyncAsync(terminalId).ConfigureAwait(true);
            Message = asked switch
            {
                0 => terminalId is null ? "No terminal is connected to sync." : $"{terminalId} is not connected; it will sync when it reconnects.",
                _ => terminalId is null ? $"Sync requested from {asked} terminal(s)." : $"Sync requested from {terminalId}.",
            };
            if (asked > 0 && before.Count > 0)
            {
                _awaiting = before;
                _shownAt = _time.GetTimestamp();
                var generation = ++_generation;
                _timer = _time.CreateTimer(_ => _ = _dispatch(() => TimedOut(generation)), null, AnswerTimeout, Timeout.InfiniteTimeSpan);
                Check();
            }

            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TimeoutException)
        {
            Message = $"Could not request a sync: {ex.Message}";
            return false;
        }
    }

    /// <summary>Clears the message once every asked terminal has reported since the request and it has been shown long enough.</summary>
    public void Check()
    {
        if (_awaiting is null)
        {
            return;
        }

        if (_awaiting.Count == 0)
        {
            // Every terminal answered; the timer that clears the message is set.
            return;
        }

        foreach (var (terminal, version) in _awaiting.ToList())
        {
            if (_monitor.ReportVersion(terminal) != version)
            {
                _awaiting.Remove(terminal);
            }
        }

        if (_awaiting.Count > 0)
        {
            return;
        }

        var shown = _time.GetElapsedTime(_shownAt);
        if (shown >= MinimumDisplay)
        {
            Clear();
            return;
        }

        // Answered before the message could be read: clear it once it has been shown long enough.
        _timer?.Dispose();
        var generation = _generation;
        _timer = _time.CreateTimer(_ => _ = _dispatch(() => ClearAnswered(generation)), null, MinimumDisplay - shown, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Clears the message and stops waiting.</summary>
    public void Clear()
    {
        Stop();
        Message = null;
    }

    /// <summary>Stops the timer.</summary>
    public void Dispose() => Stop();

    private void ClearAnswered(long generation)
    {
        if (generation == _generation && _awaiting is { Count: 0 })
        {
            Clear();
        }
    }

    private void TimedOut(long generation)
    {
        if (generation != _generation || _awaiting is not { Count: > 0 } silent)
        {
            return;
        }

        Message = $"No answer from {string.Join(", ", silent.Keys.Order(StringComparer.Ordinal))}.";
        Stop();
    }

    private void Stop()
    {
        _awaiting = null;
        _timer?.Dispose();
        _timer = null;
    }
}
