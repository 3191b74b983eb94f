using System.Collections;
using System.Reflection;
using System.Text.Json;
using Bms.Contracts;
using Bms.Web.Components.Models;

namespace Bms.Web.Components.Tests;

/// <summary>
/// The components' display models read the JSON of the contract types (events and REST rows). Each model property
/// must be a field of its contract, and a contract written by the server must read back into the model with the same
/// values: a renamed or retyped contract field fails here instead of showing as an empty cell.
/// </summary>
public sealed class ViewModelContractTests
{
    private static readonly JsonSerializerOptions Read = new(JsonSerializerDefaults.Web);

    private static readonly Guid SaleId = Guid.Parse("0193a2f0-0000-7000-8000-000000000001");
    private static readonly DateTime At = new(2026, 11, 25, 12, 30, 15, DateTimeKind.Utc);

    public static TheoryData<string> Pairs() => [.. Samples.Keys];

    private static readonly Dictionary<string, (object Contract, Type Model, string[] ModelOnly)> Samples = new()
    {
        ["inventory:updated"] = (
            new InventoryUpdatedData(7, 2, "SKU-7", "Green tea", 12, 9, -3, "sale", 10, SaleId), typeof(InventoryUpdate), []),
        ["low-stock:alert"] = (new LowStockAlertData(7, 2, "SKU-7", "Green tea", 9, 10), typeof(LowStockAlert), []),
        ["GET /api/products"] = (
            new ProductDto(7, "SKU-7", "Green tea", 3.49m, 9, 10, 2, At, "CHF"), typeof(ProductInfo), [nameof(ProductInfo.IsLowStock)]),
        ["transaction:created"] = (
            new TransactionDto(SaleId, 2, 6.98m, [new TransactionLineDto(7, "SKU-7", "Green tea", 2, 3.49m, 6.98m)], At, "key-1", 4, "POS-001", "manager", "CHF"),
            typeof(TransactionInfo),
            []),
        ["system:notification"] = (new NotificationDto(SaleId, "Closing early", "The shop closes at 16:00.", "warning", At), typeof(NotificationInfo), ["Kind", "StoreId", "ProductId", "Read"]),
        ["GET /api/notifications"] = (
            new UserNotificationDto(SaleId, "Low stock", "Green tea: 9 left", "warning", At, "low-stock", 2, 7, true), typeof(NotificationInfo), []),
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void EveryModelPropertyIsAFieldOfItsContract(string contract)
    {
        var (sample, model, modelOnly) = Samples[contract];
        var fields = sample.GetType().GetProperties().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

        var missing = Settable(model).Select(p => p.Name).Where(n => !fields.Contains(n) && !modelOnly.Contains(n)).ToList();

        Assert.True(missing.Count == 0, $"{model.Name} reads fields {sample.GetType().Name} does not have: {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void AContractAsTheServerWritesItReadsBackIntoTheModel(string contract)
    {
        var (sample, model, _) = Samples[contract];
        var json = JsonSerializer.Serialize(sample, sample.GetType(), BmsContractsJsonContext.Default.Options);

        var read = JsonSerializer.Deserialize(json, model, Read);

        Assert.NotNull(read);
        AssertSameValues(sample, read, model.Name);
    }

    [Theory]
    [InlineData(NotificationSeverity.Info)]
    [InlineData(NotificationSeverity.Success)]
    [InlineData(NotificationSeverity.Warning)]
    [InlineData(NotificationSeverity.Error)]
    public void EverySeverityOfTheContractKeepsItsOwnTone(string severity) =>
        Assert.Equal(severity, DashboardNotification.ParseSeverity(severity));

    private static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null);

    private static void AssertSameValues(object contract, object model, string path)
    {
        foreach (var property in Settable(model.GetType()))
        {
            var source = contract.GetType().GetProperty(property.Name);
            if (source is null)
            {
                continue; // a model-only field (checked by the other test)
            }

            var expected = source.GetValue(contract);
            var actual = property.GetValue(model);
            var where = $"{path}.{property.Name}";
            if (expected is IEnumerable expectedItems and not string && actual is IEnumerable actualItems)
            {
                var left = expectedItems.Cast<object>().ToList();
                var right = actualItems.Cast<object>().ToList();
                Assert.True(left.Count == right.Count, $"{where}: {right.Count} items, expected {left.Count}");
                for (var i = 0; i < left.Count; i++)
                {
                    AssertSameValues(left[i], right[i], $"{where}[{i}]");
                }
            }
            else
            {
                Assert.True(Equal(expected, actual), $"{where}: read {actual ?? "null"}, the contract wrote {expected ?? "null"}");
            }
        }
    }

    private static bool Equal(object? expected, object? actual) => (expected, actual) switch
    {
        (DateTime utc, DateTimeOffset offset) => offset.UtcDateTime == utc && offset.Offset == TimeSpan.Zero,
        _ => Equals(expected, actual),
    };
}
