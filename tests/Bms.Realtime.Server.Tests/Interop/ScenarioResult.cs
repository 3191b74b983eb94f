using System.Text;
using System.Text.Json;

namespace Bms.Realtime.Server.Tests.Interop;

/// <summary>What one run of <c>interop/client-scenario.mjs</c> printed: its observation lines and its final line.</summary>
internal sealed class ScenarioResult
{
    public ScenarioResult(string scenario, IReadOnlyList<JsonElement> steps, JsonElement? final, int? exitCode, string stderr)
    {
        Scenario = scenario;
        Steps = steps;
        Final = final;
        ExitCode = exitCode;
        Stderr = stderr;
    }

    public string Scenario { get; }

    /// <summary>Every <c>{"step":…}</c> line, in order.</summary>
    public IReadOnlyList<JsonElement> Steps { get; }

    /// <summary>The <c>{"done":true,…}</c> line, or null when the process never printed it.</summary>
    public JsonElement? Final { get; }

    public int? ExitCode { get; }

    public string Stderr { get; }

    /// <summary>True when the final line says <c>ok:true</c> and the process exited with 0.</summary>
    public bool Ok => Final is { } f && f.GetProperty("ok").GetBoolean() && ExitCode == 0;

    public IReadOnlyList<string> Failures =>
        Final is { } f && f.TryGetProperty("failures", out var list)
            ? list.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToArray()
            : ["no final line"];

    /// <summary>The first line whose <c>step</c> is <paramref name="name"/>; fails the test when there is none.</summary>
    public JsonElement Step(string name) =>
        Steps.FirstOrDefault(s => s.GetProperty("step").GetString() == name) is { ValueKind: JsonValueKind.Object } found
            ? found
            : throw new Xunit.Sdk.XunitException($"scenario {Scenario} printed no \"{name}\" step.\n{this}");

    public IEnumerable<JsonElement> StepsNamed(string name) => Steps.Where(s => s.GetProperty("step").GetString() == name);

    /// <summary>The full output, for assertion messages.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("scenario ").Append(Scenario).Append(" exit ").Append(ExitCode?.ToString() ?? "(running)").AppendLine();
        foreach (var step in Steps.TakeLast(60))
        {
            sb.AppendLine(step.GetRawText());
        }

        sb.AppendLine(Final?.GetRawText() ?? "(no final line)");
        if (Stderr.Length > 0)
        {
            sb.AppendLine("stderr:").AppendLine(Stderr.Length > 4000 ? Stderr[^4000..] : Stderr);
        }

        return sb.ToString();
    }
}
