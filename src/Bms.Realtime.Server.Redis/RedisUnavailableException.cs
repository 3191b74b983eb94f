namespace Bms.Realtime.Server.Redis;

/// <summary>
/// Thrown at once by cluster-wide operations that need answers from the other nodes (<c>FetchSocketsAsync</c>, all
/// rooms, server-side emits with acknowledgement) while Redis is known to be down or not answering, and by those
/// still waiting when that becomes known: they cannot reach the other nodes, and waiting for their timeout would
/// only delay the caller. Use <c>.Local</c> (or catch this) to work with this node's sockets alone.
/// </summary>
public sealed class RedisUnavailableException : Exception
{
    /// <summary>Creates the exception for <paramref name="operation"/>, with Redis' last error.</summary>
    public RedisUnavailableException(string operation, string? lastError)
        : base($"{operation} needs the other nodes, but Redis is unreachable or not answering ({lastError ?? "no connection"}); only this node's sockets are reachable now")
    {
        Operation = operation;
    }

    /// <summary>The operation that could not reach the other nodes.</summary>
    public string Operation { get; }
}
