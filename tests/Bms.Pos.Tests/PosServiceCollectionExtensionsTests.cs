using Bms.Pos.Sync;
using Bms.Pos.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bms.Pos.Tests;

/// <summary><c>services.AddBmsPos</c>: options validated at start, the API client from the HTTP client factory.</summary>
public sealed class PosServiceCollectionExtensionsTests
{
    [Fact]
    public async Task ABadOptionFailsAtStartWithTheValidatorsMessage()
    {
        var services = new ServiceCollection();
        services.AddBmsPos(o =>
        {
            o.BatchSize = 0;
            o.LeaseDuration = TimeSpan.FromSeconds(5);
        });
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Equal(typeof(PosOptions), error.OptionsType);
        Assert.Contains("PosOptions.BatchSize must be 1..500", error.Message);
        Assert.Contains("LeaseDuration > RequestTimeout", error.Message);
    }

    [Fact]
    public void ValidateWithoutAContainerThrowsTheSameMessage()
    {
        var error = Assert.Throws<ArgumentException>(() => new PosOptions { ServerUrl = new Uri("ftp://x") }.Validate());
        Assert.Contains("PosOptions.ServerUrl must be an http or https URL.", error.Message);
        Assert.True(new PosOptionsValidator().Validate(null, new PosOptions()).Succeeded);
    }

    [Fact]
    public async Task TheFactoryClientRetriesATransientGetButLeavesTheSyncPostToTheOutbox()
    {
        var catalogRequests = 0;
        var syncRequests = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapGet("/api/pos/catalog", () =>
        {
            Interlocked.Increment(ref catalogRequests);
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        });
        app.MapPost("/api/pos/sync", () =>
        {
            Interlocked.Increment(ref syncRequests);
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        });
        await app.StartAsync().WaitAsync(TestTimeouts.Step);
        var url = new Uri(app.Urls.First());

        var services = new ServiceCollection();
        services.AddBmsPos(o => o.ServerUrl = url);
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var api = provider.GetRequiredService<PosApiClient>();

        await Assert.ThrowsAsync<PosApiException>(() => api.GetCatalogAsync("token", null).WaitAsync(TestTimeouts.Short));
        await Assert.ThrowsAsync<PosApiException>(() => api.SyncAsync("token", ["{}"]).WaitAsync(TestTimeouts.Short));

        Assert.Equal(3, Volatile.Read(ref catalogRequests));
        Assert.Equal(1, Volatile.Read(ref syncRequests));
        await app.StopAsync().WaitAsync(TestTimeouts.Step);
    }
}
