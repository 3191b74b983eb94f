namespace Bms.Server.Domain;

/// <summary>
/// A request already applied, by idempotency key. Kept at least 30 days (see <c>Bms:IdempotencyRetention</c>),
/// so a client retrying within that window gets the first result instead of a second effect.
/// </summary>
internal sealed class ProcessedIdempotencyKey
{
    /// <summary>Scope of the key, e.g. <c>transaction</c> or <c>pos-sync</c>.</summary>
    public required string Scope { get; set; }

    public required string Key { get; set; }

    /// <summary>Id of what the request produced (e.g. the transaction id).</summary>
    public string? ResultId { get; set; }

    public DateTime ProcessedAt { get; set; }
}
