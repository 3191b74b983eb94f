using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Bms.Realtime.Client;

namespace Bms.Cluster.Tests;

/// <summary>A user's access change made through one node ends that user's tokens and sockets on the other node.</summary>
public sealed class SecurityStampClusterTests(ClusterServices services) : IClassFixture<ClusterServices>
{
    private static readonly TimeSpan Wait = Infrastructure.Wait;

    [ClusterFact]
    public async Task ARoleChangeOnNodeADisconnectsTheUsersSocketsOnNodeBAndItsOldTokenFailsThereAtOnce()
    {
        var database = services.NewDatabase();
        // A cache this long means only the cluster message can make node B see the change in time.
        var settings = new Dictionary<string, string> { ["Bms__Jwt__SecurityStampCacheDuration"] = "00:10:00" };
        await using var a = await ServerNode.StartAsync("A", database, services.Redis.Configuration, settings).WaitAsync(TimeSpan.FromMinutes(2));
        await using var b = await ServerNode.StartAsync("B", database, services.Redis.Configuration, settings).WaitAsync(TimeSpan.FromMinutes(2));
        var admin = await a.LoginAsync("admin", "admin123!");
        var promoted = await SendAsync(a, HttpMethod.Put, "/api/users/2", admin, new { roles = new[] { "admin" } });
        Assert.Equal(HttpStatusCode.OK, promoted);
        var manager = await b.LoginAsync("manager", "manager123!");
        Assert.Equal(HttpStatusCode.OK, await SendAsync(b, HttpMethod.Get, "/api/auth/me", manager));

        await using var client = b.NewClient(manager);
        var onAdmin = client.Of("/admin");
        var disconnected = new TaskCompletionSource<ClientDisconnectReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        onAdmin.Disconnected += (_, reason) => disconnected.TrySetResult(reason);
        await onAdmin.ConnectAsync().WaitAsync(Wait);

        var demoted = await SendAsync(a, HttpMethod.Put, "/api/users/2", admin, new { roles = new[] { "manager" } });
        Assert.Equal(HttpStatusCode.OK, demoted);

        Assert.Equal(ClientDisconnectReason.IoServerDisconnect, await disconnected.Task.WaitAsync(Wait));
        var refusedOnB = false;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!refusedOnB && DateTime.UtcNow < deadline)
        {
            refusedOnB = await SendAsync(b, HttpMethod.Get, "/api/auth/me", manager) == HttpStatusCode.Unauthorized;
            if (!refusedOnB)
            {
                await Task.Delay(100).WaitAsync(Wait);
            }
        }

        Assert.True(refusedOnB, "node B still accepted the old token 10 s after the role change on node A");
    }

    private static async Task<HttpStatusCode> SendAsync(ServerNode node, HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await node.Http.SendAsync(request).WaitAsync(Wait);
        return response.StatusCode;
    }
}
