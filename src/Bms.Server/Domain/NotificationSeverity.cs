namespace Bms.Server.Domain;

/// <summary>The closed set of notification severities.</summary>
internal static class NotificationSeverity
{
    public const string Info = "info";
    public const string Success = "success";
    public const string Warning = "warning";
    public const string Error = "error";

    public static bool IsValid(string? value) => value is Info or Success or Warning or Error;
}
