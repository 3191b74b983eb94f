// Codec micro-benchmarks. Full run (minutes):  dotnet run -c Release --project benchmarks/Bms.Benchmarks.Codecs
// CI/short run (well under 2 minutes):         dotnet run -c Release --project benchmarks/Bms.Benchmarks.Codecs -- --ci
// Any BenchmarkDotNet argument works too, e.g. --filter '*Decode*'.
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

var ci = args.Contains("--ci");
var rest = args.Where(a => a != "--ci").ToArray();

// In-process: the benchmarks run inside this build, so the repository's build settings (warnings as errors,
// central package versions) never meet a generated project.
var job = ci
    ? Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
        .WithLaunchCount(1).WithWarmupCount(4).WithIterationCount(5)
        .WithIterationTime(TimeInterval.FromMilliseconds(100)).WithId("ci")
    : Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithId("full");

var config = ManualConfig.CreateEmpty()
    .AddJob(job)
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddColumnProvider(DefaultColumnProviders.Instance)
    .AddLogger(ConsoleLogger.Default)
    .AddExporter(MarkdownExporter.GitHub)
    .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(40))
    .WithOptions(ConfigOptions.JoinSummary);

var summaries = BenchmarkSwitcher.FromAssembly(typeof(Bms.Benchmarks.Codecs.SocketDecodeBenchmarks).Assembly)
    .Run(rest.Length == 0 ? ["--filter", "*"] : rest, config);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
