using Bms.Realtime.Client;
using Bms.Web.Components.Services;
using Bms.Web.Components.Tests.Fakes;

namespace Bms.Web.Components.Tests;

public sealed class RoomLeasesTests
{
    [Fact]
    public async Task AJoinWhoseAnswerWasLostWithTheConnectionStillGivesALeaseThatLeavesOnDispose()
    {
        var connection = new FakeRealtimeConnection
        {
            JoinException = room => room == "store:1" ? new TimeoutException("no acknowledgement") : null,
            RememberFailedJoins = true,
        };
        var rooms = new RoomLeases(connection);

        var (result, lease) = await rooms.AcquireAsync("/main", "store:1");
        Assert.True(result.Ok);
        Assert.NotNull(lease);
        Assert.Contains("store:1", connection.JoinedRooms);

        await lease.DisposeAsync();
        Assert.DoesNotContain("store:1", connection.JoinedRooms);
    }

    [Fact]
    public async Task AJoinThatFailsWhileTheClientForgetsTheRoomThrowsAndTakesNoLease()
    {
        var fail = true;
        var connection = new FakeRealtimeConnection { JoinException = _ => fail ? new TimeoutException("no acknowledgement") : null };
        var rooms = new RoomLeases(connection);

        await Assert.ThrowsAsync<TimeoutException>(() => rooms.AcquireAsync("/main", "store:1"));
        Assert.Empty(connection.JoinedRooms);

        // No lease was kept, so the next acquire sends the join again.
        fail = false;
        var (result, lease) = await rooms.AcquireAsync("/main", "store:1");
        Assert.True(result.Ok);
        Assert.NotNull(lease);
        Assert.Contains("store:1", connection.JoinedRooms);
        Assert.Equal(new RoomResult(true), result);
    }
}
