namespace Bms.Server.Routing;

/// <summary>A payload field a filter may test, and how: equality/<c>in</c> only, or numeric comparisons too.</summary>
internal sealed record EventFilterField(string Name, EventFilterFieldKind Kind)
{
    /// <summary>The closed set of filterable fields (names as in the events' <c>data</c>).</summary>
    public static readonly IReadOnlyDictionary<string, EventFilterField> All = new[]
    {
        new EventFilterField("productId", EventFilterFieldKind.Identifier),
        new EventFilterField("storeId", EventFilterFieldKind.Identifier),
        new EventFilterField("sku", EventFilterFieldKind.Text),
        new EventFilterField("severity", EventFilterFieldKind.Text),
        new EventFilterField("terminalId", EventFilterFieldKind.Text),
        new EventFilterField("reason", EventFilterFieldKind.Text),
        new EventFilterField("action", EventFilterFieldKind.Text),
        new EventFilterField("quantity", EventFilterFieldKind.Number),
        new EventFilterField("newQuantity", EventFilterFieldKind.Number),
        new EventFilterField("oldQuantity", EventFilterFieldKind.Number),
        new EventFilterField("delta", EventFilterFieldKind.Number),
        new EventFilterField("lowStockThreshold", EventFilterFieldKind.Number),
        new EventFilterField("total", EventFilterFieldKind.Number),
        new EventFilterField("price", EventFilterFieldKind.Number),
        new EventFilterField("pendingTransactions", EventFilterFieldKind.Number),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);
}

/// <summary>The type of a filterable field.</summary>
internal enum EventFilterFieldKind
{
    /// <summary>A number compared for equality or membership (<c>eq</c>, <c>in</c>).</summary>
    Identifier,

    /// <summary>A string compared for equality or membership, ordinal (<c>eq</c>, <c>in</c>).</summary>
    Text,

    /// <summary>A number with comparisons (<c>eq</c>, <c>in</c>, <c>lt</c>, <c>lte</c>, <c>gt</c>, <c>gte</c>).</summary>
    Number,
}
