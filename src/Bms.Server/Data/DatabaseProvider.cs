using Bms.Server.Cluster;
using Bms.Server.Data.Postgres;
using Bms.Server.Data;
using Bms.Server.Observability;
using Bms.Server.Realtime;
using Microsoft.EntityFrameworkCore;

namespace Bms.Server.Data;

/// <summary>
/// Chooses the database provider: PostgreSQL when <c>Bms:Database:Provider</c> is <c>postgres</c> or when
/// <c>ConnectionStrings:Bms</c> looks like a PostgreSQL connection string (<c>Host=…</c> or a <c>postgres://</c> URL);
/// SQLite (the backend's default) otherwise.
/// </summary>
internal static class DatabaseProvider
{
    /// <summary>True when the configuration selects PostgreSQL.</summary>
    public static bool IsPostgres(IConfiguration configuration, string connectionString)
    {
        var provider = configuration["Bms:Database:Provider"];
        if (!string.IsNullOrEmpty(provider))
        {
            return provider.Equals("postgres", StringComparison.OrdinalIgnoreCase) || provider.Equals("postgresql", StringComparison.OrdinalIgnoreCase)
                || provider.Equals("npgsql", StringComparison.OrdinalIgnoreCase);
        }

        var trimmed = connectionString.TrimStart();
        return trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || trimmed.Split(';').Any(part => part.TrimStart().StartsWith("Host=", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Registers <see cref="BmsDbContext"/> on PostgreSQL (as <see cref="PostgresBmsDbContext"/>, with its migrations)
    /// when the configuration selects it. Returns false, registering nothing, for SQLite.
    /// </summary>
    public static bool TryAddBmsPostgres(this WebApplicationBuilder builder, string connectionString)
    {
        if (!IsPostgres(builder.Configuration, connectionString))
        {
            return false;
        }

        var npgsql = ToNpgsqlConnectionString(connectionString);
        builder.Services.AddDbContext<BmsDbContext, PostgresBmsDbContext>(o => o.UseNpgsql(npgsql, n => n.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery)));
        return true;
    }

    /// <summary>Accepts <c>postgres://user:pass@host:port/db</c> URLs as well as key=value strings.</summary>
    internal static string ToNpgsqlConnectionString(string connectionString)
    {
        if (!Uri.TryCreate(connectionString.Trim(), UriKind.Absolute, out var uri) || !uri.Scheme.StartsWith("postgres", StringComparison.OrdinalIgnoreCase))
        {
            return connectionString;
        }

        var builder = new Npgsql.NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = uri.AbsolutePath.Trim('/') is { Length: > 0 } db ? Uri.UnescapeDataString(db) : "postgres",
        };
        if (uri.UserInfo.Split(':', 2) is [var user, ..] && user.Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(user);
            if (uri.UserInfo.Split(':', 2) is [_, var password])
            {
                builder.Password = Uri.UnescapeDataString(password);
            }
        }

        return builder.ConnectionString;
    }
}
