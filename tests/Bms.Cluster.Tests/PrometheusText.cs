using System.Globalization;

namespace Bms.Cluster.Tests;

/// <summary>Reads the Prometheus text format: sums sample values by name and label filters.</summary>
internal sealed class PrometheusText(string text)
{
    public string Text { get; } = text;

    public bool Has(string name) => Samples(name).Any();

    public double Sum(string name, params string[] labels) =>
        Samples(name).Where(s => labels.All(l => s.Labels.Contains(l, StringComparison.Ordinal))).Sum(s => s.Value);

    private IEnumerable<(string Labels, double Value)> Samples(string name)
    {
        foreach (var line in Text.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(name, StringComparison.Ordinal) || line.Length <= name.Length || (line[name.Length] != '{' && line[name.Length] != ' '))
            {
                continue;
            }

            var labelsEnd = line[name.Length] == '{' ? line.IndexOf('}', name.Length) : name.Length - 1;
            var rest = line[(labelsEnd + 1)..].Trim().Split(' ');
            if (double.TryParse(rest[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                yield return (line[name.Length..(labelsEnd + 1)], value);
            }
        }
    }
}
