namespace Bms.Contracts;

/// <summary>The closed set of notification severities (the <c>severity</c> of <see cref="NotificationDto"/>).</summary>
public static class NotificationSeverity
{
    /// <summary>For information.</summary>
    public const string Info = "info";

    /// <summary>Something went well.</summary>
    public const string Success = "success";

    /// <summary>Needs attention soon.</summary>
    public const string Warning = "warning";

    /// <summary>Needs attention now.</summary>
    public const string Error = "error";

    /// <summary>All values, in order of urgency.</summary>
    public static IReadOnlyList<string> All { get; } = [Info, Success, Warning, Error];

    /// <summary>Whether <paramref name="value"/> is one of the severities (case-sensitive).</summary>
    public static bool IsValid(string? value) => value is Info or Success or Warning or Error;
}
