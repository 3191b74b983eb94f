using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Bms.Server.Hosting;
using Bms.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Bms.Server.Tests;

public sealed class TracingTests
{
    [Fact]
    public async Task OneTraceSpansTheRestRequestTheCommitAndTheSocketIoEmit()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => BmsTracing.Sources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var host = await BmsServerHost.StartAsync();
        await using var admin = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/admin", new { token = await host.TokenAsync("admin") });

        // The caller's context: the request span and everything under it join this trace.
        var traceId = ActivityTraceId.CreateRandom();
        using var request = BmsServerHost.Request(HttpMethod.Post, "/api/transactions", await host.TokenAsync("cashier"),
            new { storeId = 1, lines = new[] { new { productId = 1, quantity = 1 } } });
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        var (status, _, _) = await host.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, status);
        await admin.WaitForEventAsync("transaction:created");

        Activity? Find(string name, Func<Activity, bool>? match = null) =>
            stopped.FirstOrDefault(a => a.TraceId == traceId && a.OperationName == name && (match is null || match(a)));
        var deadline = Stopwatch.StartNew();
        while (Find("socket.io emit", a => Equals(a.GetTagItem("socket.io.event"), "transaction:created")) is null
            && deadline.Elapsed < BmsServerHost.Timeout)
        {
            await Task.Delay(20).WaitAsync(BmsServerHost.Timeout);
        }

        var server = Find("Microsoft.AspNetCore.Hosting.HttpRequestIn");
        Assert.NotNull(server);
        Assert.Equal(ActivityKind.Server, server.Kind);
        var commit = Find("db commit");
        Assert.NotNull(commit);
        Assert.Equal(server.SpanId, commit.ParentSpanId);
        var domainEvent = Find(BmsTracing.EventActivityName, a => Equals(a.GetTagItem("bms.event_type"), "transaction:created"));
        Assert.NotNull(domainEvent);
        Assert.Equal(server.SpanId, domainEvent.ParentSpanId);
        Assert.True(commit.StartTimeUtc + commit.Duration <= domainEvent.StartTimeUtc, "The event is published after the commit.");
        var emit = Find("socket.io emit", a => Equals(a.GetTagItem("socket.io.event"), "transaction:created")
            && Equals(a.GetTagItem("messaging.destination.name"), "/admin"));
        Assert.NotNull(emit);
        Assert.Equal(domainEvent.SpanId, emit.ParentSpanId);
        Assert.Equal(ActivityKind.Producer, emit.Kind);
    }

    [Fact]
    public async Task OpenTelemetryTracingIsRegisteredOnlyWhenAnOtlpEndpointIsConfigured()
    {
        await using (var plain = await BmsServerHost.StartAsync())
        {
            Assert.Null(plain.Services.GetService<TracerProvider>());
        }

        await using var traced = await BmsServerHost.StartAsync(new Dictionary<string, string>
        {
            ["Bms:Tracing:OtlpEndpoint"] = "http://127.0.0.1:9",
            ["Bms:Tracing:OtlpProtocol"] = "http/protobuf",
        });
        Assert.NotNull(traced.Services.GetService<TracerProvider>());
    }
}
