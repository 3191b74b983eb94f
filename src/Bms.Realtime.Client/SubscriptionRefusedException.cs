namespace Bms.Realtime.Client;

/// <summary>
/// The server refused a <see cref="NamespaceSocket.SubscribeAsync"/>: its ack was <c>{ok:false, error, detail}</c>,
/// e.g. <c>invalid_filter</c> (unknown field, wrong type, too many clauses) or <c>too_many_subscriptions</c>.
/// </summary>
public sealed class SubscriptionRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SubscriptionRefusedException(string error, string? detail)
        : base(detail is null ? $"Subscription refused: {error}" : $"Subscription refused: {error} ({detail})")
    {
        Error = error;
        Detail = detail;
    }

    /// <summary>The error code, e.g. <c>invalid_filter</c>.</summary>
    public string Error { get; }

    /// <summary>The server's explanation, e.g. <c>unknown field 'colour'</c>; null when none was given.</summary>
    public string? Detail { get; }
}
