using System.Globalization;

namespace Bms.Testing;

/// <summary>One line of the harness's access log.</summary>
public sealed record AccessLogEntry(string Client, string Upstream, int Status, string Method, string Path, string Query)
{
    public bool IsSocketIo => Path.StartsWith("/socket.io/", StringComparison.Ordinal);

    public static AccessLogEntry Parse(string line)
    {
        var parts = line.Split('|');
        return new AccessLogEntry(parts[0], parts[1], int.Parse(parts[2], CultureInfo.InvariantCulture), parts[3], parts[4], parts[5]);
    }

    public override string ToString() => $"{Client} -> {Upstream} {Status} {Method} {Path}?{Query}";
}
