using System.Net;
using System.Net.Http.Json;
using Bms.Server.Tests.Infrastructure;

namespace Bms.Server.Tests;

public sealed class DocumentedNginxTests
{
    [NginxFact]
    public async Task TheDocumentedNginxDoesNotForwardMetricsAndPassesEachClientsAddress()
    {
        await using var host = await BmsServerHost.StartAsync(new Dictionary<string, string>
        {
            ["Bms:TrustedProxies:0"] = "127.0.0.1",
            ["Bms:SignIn:AttemptsPerAddress"] = "2",
        });
        await using var nginx = await NginxProcess.StartDocumentedAsync([host.BaseAddress]);
        using var first = nginx.ClientFrom(IPAddress.Parse("127.0.0.2"));
        using var second = nginx.ClientFrom(IPAddress.Parse("127.0.0.3"));

        using var metrics = await first.GetAsync("/metrics").WaitAsync(BmsServerHost.Timeout);
        using var health = await first.GetAsync("/health/ready").WaitAsync(BmsServerHost.Timeout);
        var firstClient = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { username = "nobody", password = "wrong" }) };

            // A client-written header is appended to, never believed: the node walks from the right.
            request.Headers.Add("X-Forwarded-For", $"198.51.100.{i}");
            using var response = await first.SendAsync(request).WaitAsync(BmsServerHost.Timeout);
            firstClient.Add(response.StatusCode);
        }

        using var secondClient = await second.PostAsJsonAsync("/api/auth/login", new { username = "nobody", password = "wrong" }).WaitAsync(BmsServerHost.Timeout);

        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], firstClient);
        Assert.Equal(HttpStatusCode.Unauthorized, secondClient.StatusCode);
    }
}
