using Bms.Pos.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Bms.Pos.Tests;

/// <summary>A sale the server refuses for good (stock past its limits) is rejected alone, kept visible, never resent.</summary>
public sealed class PoisonedStockTests
{
    [Fact]
    public async Task ASaleOfAProductWithPoisonedStockIsRejectedAloneKeptVisibleAndNotRetriedWhileTheOthersSync()
    {
        await using var bed = PosTestBed.Create();
        await bed.Server.StartServerAsync();
        await bed.FirstStartAsync();
        foreach (var sell in new[] { "DRK-001:1", "MLK-002:10", "DRK-002:1" })
        {
            using var sold = await TerminalProcess.RunAsync(bed.Args(null, "--sell", sell));
            sold.AssertSucceeded();
        }

        // Older data (or an earlier overflow) left product 5 at the bottom of the int range on the server.
        await using (var server = new SqliteConnection($"Data Source={bed.Server.DatabasePath};Pooling=False"))
        {
            await server.OpenAsync().WaitAsync(TestTimeouts.Short);
            await using var command = server.CreateCommand();
            command.CommandText = $"UPDATE Inventory SET Quantity = {int.MinValue + 5} WHERE ProductId = 5";
            Assert.Equal(1, await command.ExecuteNonQueryAsync().WaitAsync(TestTimeouts.Short));
        }

        using var sync = await TerminalProcess.RunAsync(bed.Args(null, "--sync-once", "--status"));
        sync.AssertSucceeded();
        var result = sync.Event("sync");
        Assert.Equal(2, result.GetProperty("accepted").GetInt32());
        Assert.Equal(1, result.GetProperty("rejected").GetInt32());
        Assert.Equal(0, result.GetProperty("pending").GetInt32());
        var rejected = Assert.Single(sync.Event("status").GetProperty("rejected").EnumerateArray());
        Assert.StartsWith("negative_stock_limit", rejected.GetProperty("lastError").GetString(), StringComparison.Ordinal);

        // The rejected sale stays on the till for a manager (retry or discard) and is not sent again by itself.
        using var again = await TerminalProcess.RunAsync(bed.Args(null, "--sync-once", "--status"));
        again.AssertSucceeded();
        Assert.Equal(0, again.Event("sync").GetProperty("sent").GetInt32());
        Assert.Single(again.Event("status").GetProperty("rejected").EnumerateArray());
        Assert.Equal(2, (await bed.Server.TransactionsOfAsync(PosTestBed.TerminalId)).Count);
    }
}
