using System.Collections.Immutable;
using System.Text.Json;
using Bms.Server.Events;

namespace Bms.Server.Routing;

/// <summary>
/// A small declarative filter on one business event type's payload (<c>data</c> of the envelope), shared by
/// socket subscriptions and routing rules. JSON grammar:
/// <code>
/// { "storeId": 1 }                                  equality
/// { "sku": { "in": ["COF-001", "COF-002"] } }       membership
/// { "newQuantity": { "lte": 5 } }                   eq, in, lt, lte, gt, gte (comparisons on numeric fields)
/// { "storeId": 1, "total": { "gte": 100 } }         several keys (or operators) are and-ed
/// { "and": [ { "storeId": 1 }, { "reason": "sale" } ] }
/// </code>
/// Fields are the closed set of <see cref="EventFilterField.All"/>; a missing field never matches. At most
/// <see cref="MaxClauses"/> comparisons and <see cref="MaxValues"/> values per <c>in</c>. For <c>product:updated</c>,
/// <c>productId</c> reads the product's <c>id</c>. Immutable and thread-safe.
/// </summary>
internal sealed class EventFilter
{
    /// <summary>Most comparisons in one filter.</summary>
    public const int MaxClauses = 8;

    /// <summary>Most values in one <c>in</c> list.</summary>
    public const int MaxValues = 50;

    /// <summary>The business event types a filter may name.</summary>
    public static readonly ImmutableArray<string> KnownEvents =
    [
        RealtimeEventNames.ProductUpdated, RealtimeEventNames.InventoryUpdated, RealtimeEventNames.TransactionCreated, RealtimeEventNames.LowStockAlert,
        RealtimeEventNames.UserUpdated, RealtimeEventNames.SystemNotification, RealtimeEventNames.SyncStatus,
    ];

    private readonly ImmutableArray<Clause> _clauses;

    private EventFilter(string eventName, ImmutableArray<Clause> clauses, string json)
    {
        EventName = eventName;
        _clauses = clauses;
        Json = json;
    }

    /// <summary>The event type the filter applies to.</summary>
    public string EventName { get; }

    /// <summary>The filter as given (normalised JSON text), for listing.</summary>
    public string Json { get; }

    /// <summary>The number of comparisons.</summary>
    public int ClauseCount => _clauses.Length;

    /// <summary>
    /// Validates and compiles <paramref name="json"/> for <paramref name="eventName"/>. With
    /// <paramref name="lenientNumbers"/>, numeric fields also accept numbers written as strings (configuration files).
    /// </summary>
    public static bool TryParse(string eventName, JsonElement json, bool lenientNumbers, out EventFilter? filter, out string? error)
    {
        filter = null;
        if (!KnownEvents.Contains(eventName))
        {
            error = $"unknown event '{eventName}' (events: {string.Join(", ", KnownEvents)})";
            return false;
        }

        var clauses = ImmutableArray.CreateBuilder<Clause>();
        error = ParseObject(eventName, json, lenientNumbers, clauses, depth: 0);
        if (error is null && clauses.Count == 0)
        {
            error = "the filter needs at least one comparison";
        }

        if (error is not null)
        {
            return false;
        }

        filter = new EventFilter(eventName, clauses.ToImmutable(), json.GetRawText());
        return true;
    }

    /// <summary>True when every comparison holds on <paramref name="envelope"/> (an envelope <c>{…, data}</c>, or the payload itself).</summary>
    public bool Matches(JsonElement envelope)
    {
        var data = envelope.ValueKind == JsonValueKind.Object && envelope.TryGetProperty("data", out var inner) && inner.ValueKind == JsonValueKind.Object
            ? inner
            : envelope;
        if (data.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var clause in _clauses)
        {
            if (!data.TryGetProperty(clause.Path, out var value) || !clause.Test(value))
            {
                return false;
            }
        }

        return true;
    }

    private static string? ParseObject(string eventName, JsonElement json, bool lenient, ImmutableArray<Clause>.Builder clauses, int depth)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return "a filter must be a JSON object";
        }

        if (depth > 3)
        {
            return "'and' nested too deep (at most 3 levels)";
        }

        foreach (var property in json.EnumerateObject())
        {
            string? error;
            if (property.Name == "and")
            {
                if (property.Value.ValueKind != JsonValueKind.Array || property.Value.GetArrayLength() == 0)
                {
                    return "'and' needs a non-empty array of filters";
                }

                error = null;
                foreach (var item in property.Value.EnumerateArray())
                {
                    error ??= ParseObject(eventName, item, lenient, clauses, depth + 1);
                }
            }
            else if (!EventFilterField.All.TryGetValue(property.Name, out var field))
            {
                error = $"unknown field '{property.Name}' (fields: {string.Join(", ", EventFilterField.All.Keys)}, and)";
            }
            else
            {
                error = ParseField(eventName, field, property.Value, lenient, clauses);
            }

            if (error is not null)
            {
                return error;
            }

            if (clauses.Count > MaxClauses)
            {
                return $"too many clauses (at most {MaxClauses})";
            }
        }

        return null;
    }

    private static string? ParseField(string eventName, EventFilterField field, JsonElement value, bool lenient, ImmutableArray<Clause>.Builder clauses)
    {
        var path = field.Name == "productId" && eventName == RealtimeEventNames.ProductUpdated ? "id" : field.Name;
        if (value.ValueKind != JsonValueKind.Object)
        {
            return ReadOperand(field, "eq", value, lenient, out var operand, out var error)
                ? Add(clauses, new Clause(path, Operator.Eq, [operand]))
                : error;
        }

        var any = false;
        foreach (var op in value.EnumerateObject())
        {
            any = true;
            var kind = op.Name switch
            {
                "eq" => Operator.Eq,
                "in" => Operator.In,
                "lt" => Operator.Lt,
                "lte" => Operator.Lte,
                "gt" => Operator.Gt,
                "gte" => Operator.Gte,
                _ => (Operator?)null,
            };
            if (kind is null)
            {
                return $"unknown operator '{op.Name}' on '{field.Name}' (eq, in, lt, lte, gt, gte)";
            }

            if (kind is not (Operator.Eq or Operator.In) && field.Kind != EventFilterFieldKind.Number)
            {
                return $"'{op.Name}' is not allowed on '{field.Name}' (only eq and in)";
            }

            if (kind == Operator.In)
            {
                if (op.Value.ValueKind != JsonValueKind.Array || op.Value.GetArrayLength() is 0 or > MaxValues)
                {
                    return $"'in' on '{field.Name}' needs an array of 1 to {MaxValues} values";
                }

                var operands = ImmutableArray.CreateBuilder<Operand>();
                foreach (var item in op.Value.EnumerateArray())
                {
                    if (!ReadOperand(field, "in", item, lenient, out var operand, out var error))
                    {
                        return error;
                    }

                    operands.Add(operand);
                }

                Add(clauses, new Clause(path, Operator.In, operands.ToImmutable()));
                continue;
            }

            if (!ReadOperand(field, op.Name, op.Value, lenient, out var single, out var singleError))
            {
                return singleError;
            }

            Add(clauses, new Clause(path, kind.Value, [single]));
        }

        return any ? null : $"'{field.Name}' needs a value or an operator object";
    }

    private static string? Add(ImmutableArray<Clause>.Builder clauses, Clause clause)
    {
        clauses.Add(clause);
        return null;
    }

    private static bool ReadOperand(EventFilterField field, string op, JsonElement value, bool lenient, out Operand operand, out string? error)
    {
        operand = default;
        error = null;
        if (field.Kind == EventFilterFieldKind.Text)
        {
            if (value.ValueKind == JsonValueKind.String)
            {
                operand = new Operand(0, value.GetString());
                return true;
            }

            error = $"'{field.Name}' ({op}) needs a string, not {Describe(value)}";
            return false;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
        {
            operand = new Operand(number, null);
            return true;
        }

        if (lenient && value.ValueKind == JsonValueKind.String
            && decimal.TryParse(value.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out number))
        {
            operand = new Operand(number, null);
            return true;
        }

        error = $"'{field.Name}' ({op}) needs a number, not {Describe(value)}";
        return false;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "nothing",
    };

    private enum Operator
    {
        Eq,
        In,
        Lt,
        Lte,
        Gt,
        Gte,
    }

    private readonly record struct Operand(decimal Number, string? Text);

    private sealed record Clause(string Path, Operator Op, ImmutableArray<Operand> Operands)
    {
        public bool Test(JsonElement value)
        {
            var first = Operands[0];
            if (first.Text is not null)
            {
                if (value.ValueKind != JsonValueKind.String)
                {
                    return false;
                }

                foreach (var operand in Operands)
                {
                    if (value.ValueEquals(operand.Text))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number))
            {
                return false;
            }

            return Op switch
            {
                Operator.Lt => number < first.Number,
                Operator.Lte => number <= first.Number,
                Operator.Gt => number > first.Number,
                Operator.Gte => number >= first.Number,
                _ => Contains(number),
            };
        }

        private bool Contains(decimal number)
        {
            foreach (var operand in Operands)
            {
                if (operand.Number == number)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
