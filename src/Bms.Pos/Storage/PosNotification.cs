namespace Bms.Pos.Storage;

/// <summary>
/// A notification shown on the till: <c>system:notification</c>, <c>low-stock:alert</c> from the server, or a local
/// sync message. <see cref="Id"/> is the event envelope id, so an event delivered twice is stored once.
/// </summary>
/// <param name="Id">The envelope id (unique).</param>
/// <param name="Type">The event name (<c>system:notification</c>, <c>low-stock:alert</c>, <c>sync</c>).</param>
/// <param name="Title">Short title.</param>
/// <param name="Message">The text.</param>
/// <param name="Severity"><c>info</c>, <c>warning</c> or <c>error</c>.</param>
/// <param name="ReceivedAt">When the terminal received it (UTC).</param>
/// <param name="IsRead">Whether the cashier has marked it read.</param>
public sealed record PosNotification(
    string Id, string Type, string Title, string Message, string Severity, DateTime ReceivedAt, bool IsRead);
