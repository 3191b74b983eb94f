namespace Bms.Server.Tests.Infrastructure;

/// <summary>
/// Tests that read exact counts from <c>/metrics</c>. The OpenTelemetry exporter of one host listens to every meter of
/// the same name in the test process, so other tests' servers would add to the counts: these run alone, after the
/// parallel tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMetricsCollection
{
    public const string Name = "Process-wide metrics";
}
