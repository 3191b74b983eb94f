namespace Bms.Contracts;

/// <summary>The answer of <c>POST /api/notifications/read-all</c>.</summary>
/// <param name="Marked">How many notifications were newly marked read for the caller.</param>
public sealed record MarkAllReadResponse(int Marked);
