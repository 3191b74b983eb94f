using Bms.Pos.Tests.Infrastructure;

namespace Bms.Pos.Tests;

/// <summary>The guarantees, each proven with real terminal processes against the real backend.</summary>
public sealed class OfflineSyncTests
{
    [Fact]
    public async Task HundredSalesMadeWhileTheServerIsDownAllArriveExactlyOnceAfterItStarts()
    {
        await using var bed = PosTestBed.Create();
        await bed.Server.StartServerAsync();
        await bed.FirstStartAsync();
        await bed.Server.StopServerAsync();

        using var sell = await TerminalProcess.RunAsync(bed.Args(null, "--sell", "COF-002:1", "--sell", "MLK-002:2", "--count", "100"));
        sell.AssertSucceeded();
        Assert.False(sell.Event("started").GetProperty("online").GetBoolean());
        Assert.Equal(100, await bed.LocalScalarAsync("SELECT COUNT(*) FROM outbox WHERE state = 0"));

        // The terminal keeps retrying with backoff while the server is down, and delivers once it is back.
        using var sync = TerminalProcess.Start(bed.Args(null, "--sync-once", "--sync-timeout", "80"));
        await Task.Delay(TimeSpan.FromSeconds(2)).WaitAsync(TestTimeouts.Short);
        await bed.Server.StartServerAsync();
        await sync.WaitForExitAsync();

        var result = sync.Event("sync");
        sync.AssertSucceeded();
        Assert.Equal(100, result.GetProperty("accepted").GetInt32());
        Assert.Equal(0, result.GetProperty("duplicates").GetInt32());
        Assert.Equal(0, result.GetProperty("pending").GetInt32());

        var server = await bed.Server.TransactionsOfAsync(PosTestBed.TerminalId);
        Assert.Equal(100, server.Count);
        Assert.Equal(100, server.Select(t => t.Key).Distinct().Count());
        Assert.True((await bed.LocalSaleIdsAsync()).SetEquals(server.Select(t => t.Key!)));
        Assert.Equal(0, await bed.LocalScalarAsync("SELECT COUNT(*) FROM pending_product_changes"));

        using var again = await TerminalProcess.RunAsync(bed.Args(null, "--sync-once"));
        Assert.Equal(0, again.Event("sync").GetProperty("sent").GetInt32());
        Assert.Equal(100, (await bed.Server.TransactionsOfAsync(PosTestBed.TerminalId)).Count);
    }

    [Fact]
    public async Task RetryAfterTheConnectionDroppedBeforeTheAnswerProducesNoDuplicate()
    {
        await using var bed = PosTestBed.Create();
        await bed.Server.StartServerAsync();
        await using var proxy = new FaultProxy(bed.Server.Port);
        await bed.FirstStartAsync(proxy.Url);
        using var sell = await TerminalProcess.RunAsync(bed.Args(proxy.Url, "--sell", "TEA-001:1", "--count", "20"));
        sell.AssertSucceeded();

        proxy.DropNextSyncResponse();
        using var sync = await TerminalProcess.RunAsync(bed.Args(proxy.Url, "--sync-once", "--sync-timeout", "60"));

        var result = sync.Event("sync");
        sync.AssertSucceeded();
        Assert.Equal(1, proxy.DroppedResponses);
        Assert.True(proxy.SyncRequests >= 2, $"expected a retry, saw {proxy.SyncRequests} sync requests");
        // The server had applied the first batch: the retry is answered "duplicate" for every sale.
        Assert.Equal(0, result.GetProperty("accepted").GetInt32());
        Assert.Equal(20, result.GetProperty("duplicates").GetInt32());
        Assert.Equal(0, result.GetProperty("pending").GetInt32());

        var server = await bed.Server.TransactionsOfAsync(PosTestBed.TerminalId);
        Assert.Equal(20, server.Count);
        Assert.Equal(20, server.Select(t => t.Key).Distinct().Count());
    }

    [Fact]
    public async Task TerminalKilledInTheMiddleOfASyncResumesOnRestartWithoutLossOrDuplicate()
    {
        await using var bed = PosTestBed.Create();
        await bed.Server.StartServerAsync();
        await using var proxy = new FaultProxy(bed.Server.Port) { ResponseDelay = TimeSpan.FromMilliseconds(60) };
        await bed.FirstStartAsync(proxy.Url);
        using var sell = await TerminalProcess.RunAsync(bed.Args(proxy.Url, "--sell", "DRK-001:1", "--count", "300"));
        sell.AssertSucceeded();

        using (var sync = TerminalProcess.Start(bed.Args(proxy.Url, "--sync-once", "--batch-size", "5")))
        {
            var deadline = DateTime.UtcNow + TestTimeouts.Short;
            while ((await bed.Server.TransactionsOfAsync(PosTestBed.TerminalId)).Count < 30)
            {
                Assert.True(DateTime.UtcNow < deadline, $"sync made no progress; stderr:\n{sync.StandardError}");
                await Task.Delay(10).WaitAsync(TestTimeouts.Short);
            }

            sync.Kill();
            await sync.WaitForExitAsync();
        }

        var atKill = (await bed.Server.TransactionsOfAsync(PosTestBed.TerminalId)).Count;
        Assert.InRange(atKill, 30, 299);
        Assert.Equal(300, await bed.LocalScalarAsync("SELECT COUNT(*) FROM sales"));

        using var restart = await TerminalProcess.RunAsync(bed.Args(proxy.Url, "--sync-once", "--batch-size", "50"));
        var result = restart.Event("sync");
        restart.AssertSucceeded();
        Assert.Equal(0, result.GetProperty("pending").GetInt32());

        var server = await bed.Server.TransactionsOfAsync(PosTestBed.TerminalId);
        Assert.Equal(300, server.Count);
        Assert.Equal(300, server.Select(t => t.Key).Distinct().Count());
        Assert.True((await bed.LocalSaleIdsAsync()).SetEquals(server.Select(t => t.Key!)));
        // Anything the killed process sent without reading the answer comes back as a duplicate, never as a second sale.
        Assert.Equal(result.GetProperty("sent").GetInt32(), result.GetProperty("accepted").GetInt32() + result.GetProperty("duplicates").GetInt32());
        Assert.True(result.GetProperty("accepted").GetInt32() <= 300 - atKill);
    }

    [Fact]
    public async Task TwoTerminalProcessesOnTheSameDataFileNeverDoubleSend()
    {
        await using var bed = PosTestBed.Create();
        await bed.Server.StartServerAsync();
        await using var proxy = new FaultProxy(bed.Server.Port) { ResponseDelay = TimeSpan.FromMilliseconds(20) };
        await bed.FirstStartAsync(proxy.Url);
        using var sell = await TerminalProcess.RunAsync(bed.Args(proxy.Url, "--sell", "SNK-001:1", "--count", "150"));
        sell.AssertSucceeded();

        // Both processes sell more and sync at the same time on one data file.
        using var a = TerminalProcess.Start(bed.Args(proxy.Url, "--sell", "SNK-002:1", "--count", "50", "--sync-once", "--batch-size", "10"));
        using var b = TerminalProcess.Start(bed.Args(proxy.Url, "--sell", "BAK-001:1", "--count", "50", "--sync-once", "--batch-size", "10"));
        await Task.WhenAll(a.WaitForExitAsync(), b.WaitForExitAsync()).WaitAsync(TestTimeouts.Step);

        a.AssertSucceeded();
        b.AssertSucceeded();
        var ra = a.Event("sync");
        var rb = b.Event("sync");
        Assert.Equal(250, ra.GetProperty("sent").GetInt32() + rb.GetProperty("sent").GetInt32());
        Assert.Equal(250, ra.GetProperty("accepted").GetInt32() + rb.GetProperty("accepted").GetInt32());
        Assert.Equal(0, ra.GetProperty("duplicates").GetInt32() + rb.GetProperty("duplicates").GetInt32());

        Assert.Equal(250, await bed.LocalScalarAsync("SELECT COUNT(DISTINCT receipt_number) FROM sales"));
        var server = await bed.Server.TransactionsOfAsync(PosTestBed.TerminalId);
        Assert.Equal(250, server.Count);
        Assert.Equal(250, server.Select(t => t.Key).Distinct().Count());
    }
}
