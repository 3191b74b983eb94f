using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Bms.Contracts.TypeScriptGen;

/// <summary>
/// Generates the <c>@bms/realtime-contracts</c> npm package files from the Bms.Contracts assembly: <c>index.d.ts</c>
/// (interfaces of every contract record, the envelope, per-namespace Socket.IO event maps in the shape
/// <c>socket.io-client</c>'s <c>Socket&lt;Listen, Emit&gt;</c> expects, constant unions) and <c>index.js</c> (the constants
/// and room helpers at run time). The output depends only on the contract types, so it is byte-for-byte reproducible.
/// </summary>
public static class TypeScriptGenerator
{
    private const string Header = "// Generated from Bms.Contracts by tools/Bms.Contracts.TypeScriptGen. Do not edit: run scripts/generate-contracts.sh.\n";

    private static readonly NullabilityInfoContext Nullability = new();

    /// <summary>The constant classes emitted as frozen objects plus a same-named union type of their values.</summary>
    private static readonly Type[] ConstantClasses =
    [
        typeof(RealtimeEventNames), typeof(ClientEvents), typeof(RealtimeNamespaceNames), typeof(ErrorCodes),
        typeof(AckErrorCodes), typeof(NotificationSeverity), typeof(PosSyncItemStatus),
    ];

    /// <summary>The file names and texts of the package, in a fixed order.</summary>
    public static IReadOnlyList<(string Name, string Text)> Generate() => [("index.d.ts", Declarations()), ("index.js", Script())];

    /// <summary>The record types of the contract (wire types), in name order.</summary>
    public static IReadOnlyList<Type> RecordTypes() =>
        [.. typeof(EventEnvelope<>).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && !(t.IsAbstract && t.IsSealed) && !typeof(JsonSerializerContext).IsAssignableFrom(t)
                && t != typeof(RealtimeEventDescriptor))
            .OrderBy(t => t.Name, StringComparer.Ordinal)];

    /// <summary>The TypeScript (and JSON) name of a record type: its C# name without the generic arity.</summary>
    public static string TypeName(Type type) => type.IsGenericType ? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] : type.Name;

    /// <summary>The JSON property names of a record, in declaration order (camelCase, as the web defaults write them).</summary>
    public static IReadOnlyList<PropertyInfo> Properties(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Where(p => p.GetMethod is not null)];

    /// <summary>The JSON name of a property (camelCase).</summary>
    public static string JsonName(PropertyInfo property) => JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    private static string Declarations()
    {
        var ts = new StringBuilder(Header);
        ts.Append("/* eslint-disable */\n\n");
        ts.Append("/** An ISO 8601 date-time in UTC, e.g. \"2026-01-02T03:04:05Z\". */\nexport type IsoDateTime = string;\n\n");
        ts.Append("/** A duration as .NET writes it, `[d.]hh:mm:ss[.fffffff]`, e.g. \"00:00:00.0500000\". */\nexport type TimeSpanText = string;\n\n");
        foreach (var type in ConstantClasses)
        {
            ts.Append(CultureInfo.InvariantCulture, $"export declare const {type.Name}: {{\n");
            foreach (var (name, value) in Constants(type))
            {
                ts.Append(CultureInfo.InvariantCulture, $"  readonly {name}: {Quote(value)};\n");
            }

            ts.Append("};\n");
            ts.Append(CultureInfo.InvariantCulture, $"export type {type.Name} = (typeof {type.Name})[keyof typeof {type.Name}];\n\n");
        }

        ts.Append("/** Room name builders: the rooms the server routes events to. */\n");
        ts.Append("export declare const Rooms: {\n");
        ts.Append("  /** `store:{id}`, e.g. Rooms.store(1) === \"store:1\". */\n  store(storeId: number): `store:${number}`;\n");
        ts.Append("  /** `user:{id}`. */\n  user(userId: number): `user:${number}`;\n");
        ts.Append("  /** `terminal:{id}`. */\n  terminal<T extends string>(terminalId: T): `terminal:${T}`;\n};\n");
        ts.Append("export type RoomName = `store:${number}` | `user:${number}` | `terminal:${string}`;\n\n");

        foreach (var type in RecordTypes())
        {
            var name = TypeName(type) + (type.IsGenericTypeDefinition ? "<" + string.Join(", ", type.GetGenericArguments().Select(a => a.Name)) + ">" : "");
            ts.Append(CultureInfo.InvariantCulture, $"export interface {name} {{\n");
            foreach (var property in Properties(type))
            {
                NullabilityInfo? info = Nullability.Create(property);
                // An open type parameter (the envelope's data) is as nullable as its argument.
                if (property.PropertyType.IsGenericParameter)
                {
                    info = null;
                }

                var nullable = info?.ReadState == NullabilityState.Nullable || Nullable.GetUnderlyingType(property.PropertyType) is not null;
                // Nullable members may be absent (acks, Problem Details and relayed reports omit them), so optional too.
                var mark = nullable ? "?" : "";
                ts.Append(CultureInfo.InvariantCulture, $"  {JsonName(property)}{mark}: {TsType(property.PropertyType, info)};\n");
            }

            ts.Append("}\n\n");
        }

        ts.Append("/** Names of the business events the server emits. */\n");
        ts.Append(CultureInfo.InvariantCulture, $"export type ServerEventName = {string.Join(" | ", RealtimeEventCatalog.ServerEvents.Select(e => Quote(e.Name)))};\n");
        ts.Append("/** Names of the events a client may emit. */\n");
        ts.Append(CultureInfo.InvariantCulture, $"export type ClientEventName = {string.Join(" | ", RealtimeEventCatalog.ClientEvents.Select(e => Quote(e.Name)))};\n\n");

        var namespaces = new List<(string Name, string Prefix)>();
        foreach (var nsp in RealtimeEventCatalog.Namespaces)
        {
            var prefix = char.ToUpperInvariant(nsp[1]) + nsp[2..];
            namespaces.Add((nsp, prefix));
            ts.Append(CultureInfo.InvariantCulture, $"/** Events the server emits on `{nsp}` (the `ListenEvents` of a socket.io-client `Socket`). */\n");
            ts.Append(CultureInfo.InvariantCulture, $"export interface {prefix}ServerToClientEvents {{\n");
            foreach (var e in RealtimeEventCatalog.ServerEvents.Where(e => e.Namespaces.Contains(nsp)))
            {
                ts.Append(CultureInfo.InvariantCulture, $"  {Quote(e.Name)}: (envelope: {TsType(e.Argument!, null)}) => void;\n");
            }

            ts.Append("}\n\n");
            ts.Append(CultureInfo.InvariantCulture, $"/** Events a client may emit on `{nsp}` (the `EmitEvents` of a socket.io-client `Socket`); each takes an acknowledgement. */\n");
            ts.Append(CultureInfo.InvariantCulture, $"export interface {prefix}ClientToServerEvents {{\n");
            foreach (var e in RealtimeEventCatalog.ClientEvents.Where(e => e.Namespaces.Contains(nsp)))
            {
                var argument = e.Argument is null ? "" : $"{ArgumentName(e.Argument)}: {TsType(e.Argument, null)}, ";
                ts.Append(CultureInfo.InvariantCulture, $"  {Quote(e.Name)}: ({argument}ack: (response: {TsType(e.Ack!, null)}) => void) => void;\n");
            }

            ts.Append("}\n\n");
        }

        ts.Append("/** Events between server nodes: none (the cluster adapter carries the business events). */\n");
        ts.Append("export interface InterServerEvents {}\n\n");
        ts.Append("/** The event maps of every namespace, keyed by namespace name. */\nexport interface NamespaceEvents {\n");
        foreach (var (nsp, prefix) in namespaces)
        {
            ts.Append(CultureInfo.InvariantCulture, $"  {Quote(nsp)}: {{ serverToClient: {prefix}ServerToClientEvents; clientToServer: {prefix}ClientToServerEvents }};\n");
        }

        ts.Append("}\n\n");
        ts.Append("/** The events the server emits on namespace `N` (default `/main`). */\n");
        ts.Append("export type ServerToClientEvents<N extends keyof NamespaceEvents = \"/main\"> = NamespaceEvents[N][\"serverToClient\"];\n");
        ts.Append("/** The events a client may emit on namespace `N` (default `/main`). */\n");
        ts.Append("export type ClientToServerEvents<N extends keyof NamespaceEvents = \"/main\"> = NamespaceEvents[N][\"clientToServer\"];\n");
        return ts.ToString();
    }

    private static string Script()
    {
        var js = new StringBuilder(Header);
        foreach (var type in ConstantClasses)
        {
            js.Append(CultureInfo.InvariantCulture, $"export const {type.Name} = Object.freeze({{\n");
            foreach (var (name, value) in Constants(type))
            {
                js.Append(CultureInfo.InvariantCulture, $"  {name}: {Quote(value)},\n");
            }

            js.Append("});\n\n");
        }

        js.Append("export const Rooms = Object.freeze({\n");
        js.Append(CultureInfo.InvariantCulture, $"  store: (storeId) => {Quote(Rooms.StorePrefix)} + storeId,\n");
        js.Append(CultureInfo.InvariantCulture, $"  user: (userId) => {Quote(Rooms.UserPrefix)} + userId,\n");
        js.Append(CultureInfo.InvariantCulture, $"  terminal: (terminalId) => {Quote(Rooms.TerminalPrefix)} + terminalId,\n");
        js.Append("});\n");
        return js.ToString();
    }

    private static IEnumerable<(string Name, string Value)> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (f.Name, (string)f.GetRawConstantValue()!));

    private static string ArgumentName(Type type) => type == typeof(string) ? "room" : "payload";

    private static string TsType(Type type, NullabilityInfo? info)
    {
        var nullable = info?.ReadState == NullabilityState.Nullable;
        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            return Core(inner, null) + " | null";
        }

        var core = Core(type, info);
        return nullable ? core + " | null" : core;
    }

    private static string Core(Type type, NullabilityInfo? info)
    {
        if (type.IsGenericParameter)
        {
            return type.Name;
        }

        if (type == typeof(string) || type == typeof(Guid))
        {
            return "string";
        }

        if (type == typeof(TimeSpan))
        {
            return "TimeSpanText";
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return "IsoDateTime";
        }

        if (type == typeof(bool))
        {
            return "boolean";
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(decimal) || type == typeof(double))
        {
            return "number";
        }

        if (type == typeof(JsonObject))
        {
            return "Record<string, unknown>";
        }

        if (type == typeof(JsonElement) || type == typeof(object))
        {
            return "unknown";
        }

        if (type.IsArray)
        {
            return Wrap(TsType(type.GetElementType()!, info?.ElementType)) + "[]";
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var args = type.GetGenericArguments();
            if (definition == typeof(IReadOnlyList<>) || definition == typeof(IList<>) || definition == typeof(List<>) || definition == typeof(IEnumerable<>))
            {
                return Wrap(TsType(args[0], info?.GenericTypeArguments[0])) + "[]";
            }

            if (definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(Dictionary<,>))
            {
                return $"Record<string, {TsType(args[1], info?.GenericTypeArguments[1])}>";
            }

            if (definition.Assembly == typeof(EventEnvelope<>).Assembly)
            {
                return $"{TypeName(definition)}<{string.Join(", ", args.Select(a => TsType(a, null)))}>";
            }
        }

        if (type.Assembly == typeof(EventEnvelope<>).Assembly)
        {
            return type.Name;
        }

        throw new NotSupportedException($"No TypeScript mapping for {type}.");
    }

    private static string Wrap(string type) => type.Contains(' ', StringComparison.Ordinal) ? $"({type})" : type;

    private static string Quote(string value) => JsonSerializer.Serialize(value);
}
