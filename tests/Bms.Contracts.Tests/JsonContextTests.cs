using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bms.Contracts;
using Bms.Pos;
using Bms.Realtime.Server.Namespaces;
using Bms.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Bms.Contracts.Tests;

public sealed class JsonContextTests
{
    /// <summary>Every public record of Bms.Contracts: the wire types (static classes and the catalog's descriptor are not).</summary>
    public static TheoryData<Type> ContractTypes()
    {
        var records = typeof(EventEnvelope<>).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && !(t.IsAbstract && t.IsSealed) && !typeof(JsonSerializerContext).IsAssignableFrom(t)
                && t != typeof(RealtimeEventDescriptor) && !t.IsGenericTypeDefinition);
        var catalog = RealtimeEventCatalog.ServerEvents.Concat(RealtimeEventCatalog.ClientEvents)
            .SelectMany(e => new[] { e.Argument, e.Ack }).OfType<Type>();
        var data = new TheoryData<Type>();
        foreach (var type in records.Concat(catalog).Distinct().OrderBy(t => t.ToString(), StringComparer.Ordinal))
        {
            data.Add(type);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ContractTypes))]
    public void EveryContractTypeIsInTheSourceGeneratedContext(Type type)
    {
        Assert.True(BmsContractsJsonContext.Default.GetTypeInfo(type) is not null,
            $"{type.Name} is missing from BmsContractsJsonContext: add [JsonSerializable(typeof({type.Name}))].");
    }

    [Fact]
    public void TheContractAssemblyHasPublicRecordsBeyondTheEnvelope()
    {
        // Guards the reflection above: an empty list would make the context test pass vacuously.
        Assert.True(ContractTypes().Count > 40);
    }

    [Fact]
    public void EnvelopeSerialisesCamelCaseWithUtcTimestampWithoutReflection()
    {
        var envelope = new EventEnvelope<InventoryUpdatedData>("e1", RealtimeEventNames.InventoryUpdated,
            new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            new InventoryUpdatedData(1, 2, "SKU", "Name", 10, 7, -3, "sale", 5, null));
        var json = JsonSerializer.Serialize(envelope, BmsContractsJsonContext.Default.EventEnvelopeInventoryUpdatedData);
        Assert.Equal(
            """{"id":"e1","type":"inventory:updated","timestamp":"2026-01-02T03:04:05Z","data":{"productId":1,"storeId":2,"sku":"SKU","name":"Name","oldQuantity":10,"newQuantity":7,"delta":-3,"reason":"sale","lowStockThreshold":5,"transactionId":null}}""",
            json);
        var back = JsonSerializer.Deserialize(json, BmsContractsJsonContext.Default.EventEnvelopeInventoryUpdatedData);
        Assert.Equal(envelope.Data, back!.Data);
    }

    [Fact]
    public void ServerEmitsContractsWithTheSourceGeneratedContext()
    {
        var app = BmsApplication.Create(["--urls", "http://127.0.0.1:0", "--environment", "Development", "--ConnectionStrings:Bms=Data Source=:memory:"]);
        var io = app.Services.GetRequiredService<RealtimeServer>();
        Assert.Same(BmsContractsJsonContext.Default, io.JsonOptions.GetTypeInfo(typeof(EventEnvelope<object>)).OriginatingResolver);
        Assert.Same(BmsContractsJsonContext.Default, io.JsonOptions.GetTypeInfo(typeof(TransactionDto)).OriginatingResolver);

        // Anything else (anonymous acks) still serialises by reflection.
        Assert.NotNull(io.JsonOptions.GetTypeInfo(new { ok = true }.GetType()));
    }

    [Fact]
    public void PosSyncReadsContractsWithTheSourceGeneratedContext()
    {
        Assert.Same(BmsContractsJsonContext.Default, PosJson.Options.GetTypeInfo(typeof(PosSyncResponse)).OriginatingResolver);
        Assert.Same(BmsContractsJsonContext.Default, PosJson.Options.GetTypeInfo(typeof(PosCatalogResponse)).OriginatingResolver);
    }
}
