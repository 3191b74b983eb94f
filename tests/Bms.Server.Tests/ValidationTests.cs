using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Bms.Server.Tests.Infrastructure;

namespace Bms.Server.Tests;

public sealed class ValidationTests
{
    public static TheoryData<string, string> MalformedBodies => new()
    {
        { "/api/transactions", "{\"storeId\": 1, \"lines\": [" },
        { "/api/transactions", "{\"storeId\": \"one\", \"lines\": []}" },
        { "/api/transactions", "{\"storeId\": 1, \"lines\": [{\"productId\": 1, \"quantity\": 1.5}]}" },
        { "/api/transactions", "not json at all" },
        { "/api/inventory/adjust", "{\"productId\": 1, \"delta\": \"lots\", \"reason\": \"x\"}" },
        { "/api/inventory/adjust", "" },
        { "/api/products", "{\"storeId\": 1, \"sku\": \"A\", \"name\": \"B\", \"price\": \"free\"}" },
        { "/api/notifications", "[1,2,3]" },
        { "/api/auth/login", "{\"username\": " },
    };

    public static TheoryData<string, string, string> InvalidValues => new()
    {
        { "/api/transactions", "{\"storeId\": 1, \"lines\": []}", "lines" },
        { "/api/transactions", "{\"storeId\": 1, \"lines\": [{\"productId\": 1, \"quantity\": 0}]}", "lines[0].quantity" },
        { "/api/transactions", "{\"storeId\": 1, \"lines\": [{\"productId\": 1, \"quantity\": -3}]}", "lines[0].quantity" },
        { "/api/transactions", "{\"storeId\": 1, \"lines\": [{\"productId\": 999, \"quantity\": 1}]}", "lines[0].productId" },
        { "/api/transactions", "{\"lines\": [{\"productId\": 1, \"quantity\": 1}]}", "storeId" },
        { "/api/transactions", "{\"storeId\": 1, \"lines\": [{\"productId\": 1, \"quantity\": 1}], \"idempotencyKey\": \"  \"}", "idempotencyKey" },
        { "/api/inventory/adjust", "{\"productId\": 1, \"delta\": 0, \"reason\": \"x\"}", "delta" },
        { "/api/inventory/adjust", "{\"productId\": 1, \"delta\": 5}", "reason" },
        { "/api/products", "{\"storeId\": 1, \"sku\": \"\", \"name\": \"B\", \"price\": 1}", "sku" },
        { "/api/products", "{\"storeId\": 1, \"sku\": \"X-1\", \"name\": \"B\", \"price\": -1}", "price" },
        { "/api/notifications", "{\"title\": \"t\", \"message\": \"m\", \"severity\": \"apocalyptic\"}", "severity" },
        { "/api/notifications", "{\"title\": \"\", \"message\": \"m\"}", "title" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task MalformedJsonIsAnswered400ProblemDetailsWithoutChangingTheDatabase(string path, string body)
    {
        await using var host = await BmsServerHost.StartAsync();
        var admin = await host.TokenAsync("admin");
        var before = await DatabaseSnapshot.TakeAsync(host);

        var (status, problem, response) = await PostRawAsync(host, path, admin, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(host));
    }

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public async Task InvalidValuesAreAnswered400ValidationProblemNamingTheFieldWithoutChangingTheDatabase(
        string path, string body, string field)
    {
        await using var host = await BmsServerHost.StartAsync();
        var admin = await host.TokenAsync("admin");
        var before = await DatabaseSnapshot.TakeAsync(host);

        var (status, problem, response) = await PostRawAsync(host, path, admin, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(host));
    }

    [Fact]
    public async Task AnAdjustmentBelowZeroIsAConflictAndChangesNothing()
    {
        await using var host = await BmsServerHost.StartAsync();
        var manager = await host.TokenAsync("manager");
        var before = await DatabaseSnapshot.TakeAsync(host);

        var (status, problem, _) = await PostRawAsync(host, "/api/inventory/adjust", manager,
            "{\"productId\": 12, \"delta\": -1000, \"reason\": \"typo\"}");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("insufficient_stock", problem.GetProperty("code").GetString());
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(host));
    }

    private static async Task<(HttpStatusCode, JsonElement, HttpResponseMessage)> PostRawAsync(
        BmsServerHost host, string path, string token, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await host.SendAsync(request);
    }
}
