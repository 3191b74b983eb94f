namespace Bms.Realtime.Server.Tests.Interop;

/// <summary>
/// Interop tests start Node processes and, for the room test, hundreds of connections: they run alone, after the
/// parallel tests, so timing-sensitive tests elsewhere do not compete with them for the two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InteropCollection
{
    public const string Name = "Interop";
}
