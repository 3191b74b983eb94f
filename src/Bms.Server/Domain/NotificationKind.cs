namespace Bms.Server.Domain;

/// <summary>The closed set of notification kinds.</summary>
internal static class NotificationKind
{
    /// <summary>Sent by an admin to everyone (<c>system:notification</c>).</summary>
    public const string System = "system";

    /// <summary>A store's stock fell to or below its threshold (<c>low-stock:alert</c>).</summary>
    public const string LowStock = "low-stock";
}
