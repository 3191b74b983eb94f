using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bms.Server.Realtime;
using Microsoft.Extensions.Primitives;

namespace Bms.Server.Routing;

/// <summary>
/// The room rules of <c>Bms:Routing:Rules</c>, read at start (an invalid rule stops the start) and again whenever the
/// configuration reloads (an invalid change is logged and the previous rules stay). Singleton; thread-safe.
/// </summary>
/// <example>
/// <code>
/// "Bms": { "Routing": { "Rules": [
///   { "Name": "out-of-stock", "Event": "low-stock:alert", "Filter": { "quantity": 0 }, "Room": "role:admin" }
/// ] } }
/// </code>
/// </example>
internal sealed partial class RoutingRules : IDisposable
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Bms:Routing:Rules";

    private readonly IConfiguration _configuration;
    private readonly ILogger<RoutingRules> _logger;
    private readonly IDisposable _reload;
    private ImmutableDictionary<string, ImmutableArray<RoutingRule>> _byEvent;

    public RoutingRules(IConfiguration configuration, ILogger<RoutingRules> logger)
    {
        _configuration = configuration;
        _logger = logger;
        _byEvent = Group(Read(configuration.GetSection(Section)));
        _reload = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
    }

    /// <summary>Every rule, in configuration order.</summary>
    public IReadOnlyList<RoutingRule> All => [.. Volatile.Read(ref _byEvent).Values.SelectMany(r => r)];

    /// <summary>The rules for one event type (empty when none).</summary>
    public ImmutableArray<RoutingRule> For(string eventName) =>
        Volatile.Read(ref _byEvent).TryGetValue(eventName, out var rules) ? rules : [];

    public void Dispose() => _reload.Dispose();

    /// <summary>Reads and validates rules.</summary>
    /// <exception cref="InvalidOperationException">A rule is invalid (the message names it and the problem).</exception>
    public static IReadOnlyList<RoutingRule> Read(IConfigurationSection section)
    {
        var rules = new List<RoutingRule>();
        foreach (var child in section.GetChildren())
        {
            var name = child["Name"] is { Length: > 0 } n ? n : $"rule {child.Key}";
            string Fail(string problem) => throw new InvalidOperationException($"{Section}: '{name}': {problem}");
            var eventName = child["Event"] is { Length: > 0 } e ? e : Fail("Event is required");
            var room = child["Room"] is { Length: > 0 } r ? r : Fail("Room is required");
            var namespaces = child.GetSection("Namespaces").GetChildren().Select(c => c.Value!).Where(v => v is not null).ToArray();
            namespaces = namespaces.Length == 0 ? [RealtimeNamespaces.Main] : namespaces;
            if (namespaces.Any(ns => ns is not (RealtimeNamespaces.Main or RealtimeNamespaces.Pos)))
            {
                Fail($"Namespaces may be {RealtimeNamespaces.Main} and {RealtimeNamespaces.Pos} (/admin receives every event already)");
            }

            EventFilter? filter = null;
            var filterSection = child.GetSection("Filter");
            if (filterSection.Exists())
            {
                var (json, lenient) = ToJson(filterSection);
                if (!EventFilter.TryParse(eventName, json, lenient, out filter, out var error))
                {
                    Fail($"invalid Filter: {error}");
                }
            }
            else if (!EventFilter.KnownEvents.Contains(eventName))
            {
                Fail($"unknown event '{eventName}'");
            }

            rules.Add(new RoutingRule(name, eventName, filter, room, namespaces));
        }

        return rules;
    }

    private void Reload()
    {
        try
        {
            var rules = Read(_configuration.GetSection(Section));
            Volatile.Write(ref _byEvent, Group(rules));
            Log.Reloaded(_logger, rules.Count);
        }
        catch (InvalidOperationException ex)
        {
            Log.ReloadRejected(_logger, ex.Message);
        }
    }

    private static ImmutableDictionary<string, ImmutableArray<RoutingRule>> Group(IReadOnlyList<RoutingRule> rules) =>
        rules.GroupBy(r => r.EventName, StringComparer.Ordinal)
            .ToImmutableDictionary(g => g.Key, g => g.ToImmutableArray(), StringComparer.Ordinal);

    /// <summary>
    /// A filter from configuration: a JSON string (e.g. from an environment variable), or a section whose leaves are
    /// strings — then numeric fields accept numbers written as strings.
    /// </summary>
    private static (JsonElement Json, bool Lenient) ToJson(IConfigurationSection section)
    {
        if (section.Value is { } text)
        {
            try
            {
                return (JsonDocument.Parse(text).RootElement.Clone(), false);
            }
            catch (JsonException ex)
            {
                throw new InvalidOperationException($"{section.Path} is not valid JSON: {ex.Message}", ex);
            }
        }

        return (JsonSerializer.SerializeToElement(ToNode(section)), true);
    }

    private static JsonNode? ToNode(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return section.Value is null ? null : JsonValue.Create(section.Value);
        }

        if (children.All(c => int.TryParse(c.Key, out _)))
        {
            return new JsonArray([.. children.OrderBy(c => int.Parse(c.Key, System.Globalization.CultureInfo.InvariantCulture)).Select(ToNode)]);
        }

        var obj = new JsonObject();
        foreach (var child in children)
        {
            obj[child.Key] = ToNode(child);
        }

        return obj;
    }
}
