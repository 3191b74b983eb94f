using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bms.Pos.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Bms.Pos.Tests;

/// <summary>Bad sales are refused one by one with a reason and never hold up the rest of the outbox.</summary>
public sealed class RejectionTests
{
    [Fact]
    public async Task MalformedAndOversizedSalesAreRejectedWithAReasonAndDoNotBlockTheRest()
    {
        await using var bed = PosTestBed.Create();
        await bed.Server.StartServerAsync();
        await bed.FirstStartAsync();
        using (var before = await TerminalProcess.RunAsync(bed.Args(null, "--sell", "COF-001:1", "--count", "3")))
        {
            before.AssertSucceeded();
        }

        var notJson = Guid.CreateVersion7();
        var wrongTypes = Guid.CreateVersion7();
        var unknownProduct = Guid.CreateVersion7();
        var tooManyLines = Guid.CreateVersion7();
        var tooLarge = Guid.CreateVersion7();
        await InjectAsync(bed.DataPath, notJson, "{\"id\":\"" + notJson + "\",\"lines\":[");
        await InjectAsync(bed.DataPath, wrongTypes, JsonSerializer.Serialize(new { id = wrongTypes, storeId = 1, lines = "oops" }));
        await InjectAsync(bed.DataPath, unknownProduct, JsonSerializer.Serialize(new { id = unknownProduct, storeId = 1, lines = new[] { new { productId = 99999, quantity = 1 } } }));
        await InjectAsync(bed.DataPath, tooManyLines, JsonSerializer.Serialize(new
        {
            id = tooManyLines, storeId = 1, lines = Enumerable.Range(0, 300).Select(_ => new { productId = 1, quantity = 1 }),
        }));
        await InjectAsync(bed.DataPath, tooLarge, JsonSerializer.Serialize(new
        {
            id = tooLarge, storeId = 1, receiptNumber = new string('x', 70_000), lines = new[] { new { productId = 1, quantity = 1 } },
        }));

        using (var after = await TerminalProcess.RunAsync(bed.Args(null, "--sell", "COF-002:1", "--count", "3")))
        {
            after.AssertSucceeded();
        }

        using var sync = await TerminalProcess.RunAsync(bed.Args(null, "--sync-once", "--batch-size", "4", "--status"));
        sync.AssertSucceeded();
        var result = sync.Event("sync");
        Assert.Equal(6, result.GetProperty("accepted").GetInt32());
        Assert.Equal(5, result.GetProperty("rejected").GetInt32());
        Assert.Equal(0, result.GetProperty("pending").GetInt32());
        Assert.Equal(6, (await bed.Server.TransactionsOfAsync(PosTestBed.TerminalId)).Count);

        var rejected = sync.Event("status").GetProperty("rejected").EnumerateArray()
            .ToDictionary(r => r.GetProperty("id").GetGuid(), r => r.GetProperty("lastError").GetString()!);
        Assert.Equal(5, rejected.Count);
        Assert.StartsWith("malformed", rejected[notJson], StringComparison.Ordinal);
        Assert.StartsWith("malformed", rejected[wrongTypes], StringComparison.Ordinal);
        Assert.Contains("99999", rejected[unknownProduct], StringComparison.Ordinal);
        Assert.Contains("200 lines", rejected[tooManyLines], StringComparison.Ordinal);
        Assert.StartsWith("oversized", rejected[tooLarge], StringComparison.Ordinal);

        // Manager actions: a discarded sale leaves the outbox; a retried one is sent again (and refused again).
        using var discard = await TerminalProcess.RunAsync(bed.Args(null, "--discard", notJson.ToString()));
        Assert.True(discard.Event("discard").GetProperty("ok").GetBoolean());
        using var retry = await TerminalProcess.RunAsync(bed.Args(null, "--retry", unknownProduct.ToString(), "--sync-once", "--status"));
        Assert.Equal(1, retry.Event("sync").GetProperty("sent").GetInt32());
        Assert.Equal(1, retry.Event("sync").GetProperty("rejected").GetInt32());
        Assert.Equal(4, retry.Event("status").GetProperty("rejected").GetArrayLength());
        Assert.Equal(6, (await bed.Server.TransactionsOfAsync(PosTestBed.TerminalId)).Count);
    }

    [Fact]
    public async Task SyncEndpointAnswersEachItemAndReportsNegativeStock()
    {
        await using var bed = PosTestBed.Create();
        await bed.Server.StartServerAsync();
        using var http = new HttpClient { BaseAddress = bed.Server.Url, Timeout = TestTimeouts.Short };
        var token = await bed.Server.TerminalTokenAsync(http);
        var good = Guid.CreateVersion7();
        var oversell = Guid.CreateVersion7();
        var huge = Guid.CreateVersion7();
        var body = "{\"transactions\":["
            + JsonSerializer.Serialize(new { id = good, storeId = 1, createdAt = DateTime.UtcNow, lines = new[] { new { productId = 2, quantity = 1 } } }) + ","
            + "{\"id\":\"" + huge + "\",\"storeId\":1,\"pad\":\"" + new string('y', 70_000) + "\",\"lines\":[{\"productId\":2,\"quantity\":1}]},"
            + "\"not an object\","
            + JsonSerializer.Serialize(new { id = oversell, storeId = 1, lines = new[] { new { productId = 12, quantity = 20 } } }) + ","
            + JsonSerializer.Serialize(new { id = good, storeId = 1, lines = new[] { new { productId = 2, quantity = 1 } } })
            + "]}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/pos/sync") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request).WaitAsync(TestTimeouts.Short);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(TestTimeouts.Short);
        var results = answer.GetProperty("results").EnumerateArray().ToList();

        Assert.Equal(5, results.Count);
        Assert.Equal("accepted", results[0].GetProperty("status").GetString());
        Assert.Equal(good, results[0].GetProperty("transactionId").GetGuid());
        Assert.Equal("rejected", results[1].GetProperty("status").GetString());
        Assert.Equal("oversized", results[1].GetProperty("reason").GetString());
        Assert.Equal("rejected", results[2].GetProperty("status").GetString());
        Assert.Equal("malformed", results[2].GetProperty("reason").GetString());
        Assert.Equal("accepted", results[3].GetProperty("status").GetString());
        var shortfall = results[3].GetProperty("negativeStock")[0];
        Assert.Equal(12, shortfall.GetProperty("productId").GetInt32());
        Assert.Equal(-5, shortfall.GetProperty("quantity").GetInt32());
        Assert.Equal("duplicate", results[4].GetProperty("status").GetString());

        // Accepted and duplicate items carry the server's stock of their products, so the till can take that figure.
        var afterSale = Assert.Single(results[0].GetProperty("stock").EnumerateArray());
        Assert.Equal(2, afterSale.GetProperty("productId").GetInt32());
        var oversold = Assert.Single(results[3].GetProperty("stock").EnumerateArray());
        Assert.Equal((12, -5), (oversold.GetProperty("productId").GetInt32(), oversold.GetProperty("quantity").GetInt32()));
        var duplicateStock = Assert.Single(results[4].GetProperty("stock").EnumerateArray());
        Assert.Equal(afterSale.GetProperty("quantity").GetInt32(), duplicateStock.GetProperty("quantity").GetInt32());
        Assert.False(results[1].TryGetProperty("stock", out var rejectedStock) && rejectedStock.ValueKind != JsonValueKind.Null);
        Assert.Equal((2, 1, 2), (answer.GetProperty("accepted").GetInt32(), answer.GetProperty("duplicates").GetInt32(), answer.GetProperty("rejected").GetInt32()));

        // The catalogue pull returns what changed since a cursor (after the 2 s overlap has passed).
        await Task.Delay(TimeSpan.FromSeconds(2.5)).WaitAsync(TestTimeouts.Short);
        using var catalogRequest = new HttpRequestMessage(HttpMethod.Get, "/api/pos/catalog");
        catalogRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var catalogResponse = await http.SendAsync(catalogRequest).WaitAsync(TestTimeouts.Short);
        var catalog = await catalogResponse.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(TestTimeouts.Short);
        Assert.True(catalog.GetProperty("full").GetBoolean());
        Assert.Equal(12, catalog.GetProperty("products").GetArrayLength());
        var since = Uri.EscapeDataString(catalog.GetProperty("serverTime").GetString()!);
        using var deltaRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/pos/catalog?since={since}");
        deltaRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var deltaResponse = await http.SendAsync(deltaRequest).WaitAsync(TestTimeouts.Short);
        var delta = await deltaResponse.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(TestTimeouts.Short);
        Assert.False(delta.GetProperty("full").GetBoolean());
        Assert.Equal(0, delta.GetProperty("products").GetArrayLength());
    }

    private static async Task InjectAsync(string dataPath, Guid id, string payload)
    {
        await using var connection = new SqliteConnection($"Data Source={dataPath};Pooling=False");
        await connection.OpenAsync().WaitAsync(TestTimeouts.Short);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO outbox (id, receipt_number, payload, state, created_at) VALUES ($id, $receipt, $payload, 0, $at)";
        command.Parameters.AddWithValue("$id", id.ToString());
        command.Parameters.AddWithValue("$receipt", "INJECTED-" + id.ToString("N")[..8]);
        command.Parameters.AddWithValue("$payload", payload);
        command.Parameters.AddWithValue("$at", DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync().WaitAsync(TestTimeouts.Short);
    }
}
