using System.Reflection;

namespace Bms.Contracts.Tests;

public sealed class ContractNamesTests
{
    private static IEnumerable<string> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

    [Fact]
    public void RoomBuildersMakeTheRoomNamesTheServerRoutesTo()
    {
        Assert.Equal("store:1", Rooms.Store(1));
        Assert.Equal("user:42", Rooms.User(42));
        Assert.Equal("terminal:POS-001", Rooms.Terminal("POS-001"));
        Assert.Throws<ArgumentException>(() => Rooms.Terminal(""));
    }

    [Fact]
    public void EveryServerEventNameIsInTheCatalogOnce()
    {
        var names = Constants(typeof(RealtimeEventNames)).Where(n => !n.StartsWith('/')).Order().ToList();
        Assert.Equal(names, RealtimeEventCatalog.ServerEvents.Select(e => e.Name).Order());
    }

    [Fact]
    public void EveryClientEventNameIsInTheCatalogOnce()
    {
        Assert.Equal(Constants(typeof(ClientEvents)).Order(), RealtimeEventCatalog.ClientEvents.Select(e => e.Name).Order());
    }

    [Fact]
    public void EveryCatalogEventNamesOnlyKnownNamespaces()
    {
        foreach (var e in RealtimeEventCatalog.ServerEvents.Concat(RealtimeEventCatalog.ClientEvents))
        {
            Assert.NotEmpty(e.Namespaces);
            Assert.All(e.Namespaces, n => Assert.Contains(n, RealtimeEventCatalog.Namespaces));
        }
    }

    [Fact]
    public void ErrorCodeListsHoldEveryConstant()
    {
        Assert.Equal(Constants(typeof(ErrorCodes)).Order(), ErrorCodes.All.Order());
        Assert.Equal(Constants(typeof(AckErrorCodes)).Order(), AckErrorCodes.All.Order());
        Assert.Equal(Constants(typeof(NotificationSeverity)).Order(), NotificationSeverity.All.Order());
    }
}
