using Microsoft.Data.Sqlite;

namespace Bms.Server.Data;

/// <summary>Creates the folder of a SQLite database file (e.g. <c>./data/</c>) so the first start can create the file.</summary>
internal static class SqliteFiles
{
    public static void EnsureDirectory(string connectionString, string contentRoot)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.Ordinal))
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }
}
