using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bms.Pos;

/// <summary>The JSON options of the POS wire contracts and local payloads: web defaults (camelCase), enums as camelCase strings.</summary>
public static class PosJson
{
    /// <summary>Shared, read-only options.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
