using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Bms.Pos;

/// <summary>The JSON options of the POS wire contracts and local payloads: web defaults (camelCase), enums as camelCase strings; contract types use <see cref="BmsContractsJsonContext"/>.</summary>
public static class PosJson
{
    /// <summary>Shared, read-only options.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));

        // Wire contracts from source-generated metadata; local payloads by reflection.
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(BmsContractsJsonContext.Default, new DefaultJsonTypeInfoResolver());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
