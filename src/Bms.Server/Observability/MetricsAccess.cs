using System.Security.Cryptography;
using System.Text;
using Bms.Server.Cluster;
using Bms.Server.Data.Postgres;
using Bms.Server.Data;
using Bms.Server.Domain;
using Bms.Server.Realtime;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Bms.Server.Observability;

/// <summary>
/// The authorization policy of the Prometheus endpoint: an admin's access token, or the configured scrape token.
/// </summary>
internal static class MetricsAccess
{
    /// <summary>The policy name.</summary>
    public const string Policy = "metrics";

    public static void AddPolicy(AuthorizationOptions authorization, IOptions<MetricsOptions> options) =>
        authorization.AddPolicy(Policy, p => p.RequireAssertion(context =>
            context.User.IsInRole(Roles.Admin)
            || (context.Resource is HttpContext http && HasScrapeToken(http, options.Value.ScrapeToken))));

    private static bool HasScrapeToken(HttpContext context, string? expected)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (expected is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim())),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }
}
