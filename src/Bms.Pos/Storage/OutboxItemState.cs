namespace Bms.Pos.Storage;

/// <summary>The state of an outbox item. Items leave the outbox when the server accepted them (or had them already).</summary>
public enum OutboxItemState
{
    /// <summary>Waiting to be sent (or sent without an answer yet; it will be sent again and deduplicated).</summary>
    Pending = 0,

    /// <summary>The server (or the local size check) refused it; kept with its error until a manager retries or discards it.</summary>
    Rejected = 1,
}
