namespace Bms.Web.Components.Models;

/// <summary>How urgent a dashboard notification is; drives its colour and label.</summary>
public enum NotificationSeverity
{
    /// <summary>For information (blue).</summary>
    Info = 0,

    /// <summary>Needs attention soon (amber).</summary>
    Warning = 1,

    /// <summary>Needs attention now (red).</summary>
    Critical = 2,
}
