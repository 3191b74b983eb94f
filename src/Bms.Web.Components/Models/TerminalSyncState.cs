namespace Bms.Web.Components.Models;

/// <summary>The sync state of a POS terminal as the dashboard shows it. A closed set.</summary>
public enum TerminalSyncState
{
    /// <summary>No report received yet.</summary>
    Unknown = 0,

    /// <summary>Online with nothing waiting to be sent.</summary>
    Synced = 1,

    /// <summary>A sync is running.</summary>
    Syncing = 2,

    /// <summary>Online with sales waiting to be sent.</summary>
    Pending = 3,

    /// <summary>The terminal reported it is offline (working from its local outbox).</summary>
    Offline = 4,

    /// <summary>The last sync failed.</summary>
    Error = 5,
}
