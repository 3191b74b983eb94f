using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bms.Testing;

/// <summary>
/// A real HTTP receiver for webhook tests (Kestrel on 127.0.0.1, port 0): records every request with its headers and
/// body and answers 500 for the first <see cref="FailFirst"/> requests, 503 while <see cref="Healthy"/> is false, else 200.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedRequest> requests = new();
    private readonly SemaphoreSlim arrived = new(0, int.MaxValue);
    private int failuresLeft;

    private WebhookReceiver(WebApplication app)
    {
        this.app = app;
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>Requests still to be answered 500 before the receiver starts accepting.</summary>
    public int FailFirst
    {
        get => Volatile.Read(ref failuresLeft);
        set => Volatile.Write(ref failuresLeft, value);
    }

    /// <summary>While false every request is answered 503.</summary>
    public bool Healthy { get; set; } = true;

    public IReadOnlyList<ReceivedRequest> Requests => [.. requests];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var status = !receiver.Healthy ? 503 : Interlocked.Decrement(ref receiver.failuresLeft) >= 0 ? 500 : 200;
            receiver.requests.Enqueue(new ReceivedRequest(
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body, status));
            receiver.arrived.Release();
            return Results.StatusCode(status);
        });
        await app.StartAsync().WaitAsync(BmsServerHost.Timeout);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(new Uri(address), "/hook");
        return receiver;
    }

    /// <summary>Waits until <paramref name="condition"/> holds on the requests received so far.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<ReceivedRequest>, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!condition(Requests))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException(
                    $"The receiver did not get what was expected; got {Requests.Count} requests: {string.Join(" | ", Requests.Select(r => $"{r.Status} {r.Body}"))}");
            }

            await arrived.WaitAsync(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1)).WaitAsync(TimeSpan.FromSeconds(5));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().WaitAsync(BmsServerHost.Timeout);
        await app.DisposeAsync();
    }
}

/// <summary>One request the receiver got, and the status it answered.</summary>
public sealed record ReceivedRequest(IReadOnlyDictionary<string, string> Headers, string Body, int Status);
