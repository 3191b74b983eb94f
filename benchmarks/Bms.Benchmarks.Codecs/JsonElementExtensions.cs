using System.Text.Json;

namespace Bms.Benchmarks.Codecs;

internal static class JsonElementExtensions
{
    /// <summary>Touches the element so the read is not optimised away.</summary>
    public static int GetArrayLength_OrPropertyCount(this JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.GetArrayLength() : element.EnumerateObject().Count();
}
