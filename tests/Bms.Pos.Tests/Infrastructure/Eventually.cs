namespace Bms.Pos.Tests.Infrastructure;

/// <summary>Polls a condition every 50 ms until it holds; fails the test after <see cref="TestTimeouts.Short"/>.</summary>
internal static class Eventually
{
    public static Task TrueAsync(Func<bool> condition) => TrueAsync(() => Task.FromResult(condition()));

    public static async Task TrueAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Short;
        while (!await condition().WaitAsync(TestTimeouts.Short))
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(50).WaitAsync(TestTimeouts.Short);
        }
    }
}
