using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Bms.Realtime.Protocol;

namespace Bms.Realtime.Server.Namespaces;

/// <summary>
/// Checks a client event's name (length and characters) on the packet's raw JSON, before the name becomes a string
/// anywhere else (handlers, logs, metrics, the name cache). No state; thread-safe.
/// </summary>
internal static class EventNameRules
{
    /// <summary>The refusal reason, or null when the name passes (or the packet is not an event).</summary>
    public static EventRefusalReason? Check(SocketPacket packet, int maxLength, bool allowNonAscii)
    {
        if (!packet.IsEvent || packet.Data is not { ValueKind: JsonValueKind.Array } data || data.GetArrayLength() == 0)
        {
            return null;
        }

        var first = data[0];
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(first);
        if (first.ValueKind != JsonValueKind.String)
        {
            // A numeric name (the decoder allows only numbers besides strings): digits, sign, dot, exponent.
            return raw.Length > maxLength ? EventRefusalReason.NameTooLong : null;
        }

        var name = raw[1..^1];
        if (name.Length > maxLength)
        {
            return EventRefusalReason.NameTooLong;
        }

        if (name.IndexOf((byte)'\\') < 0 && !allowNonAscii)
        {
            foreach (var b in name)
            {
                if (b is < 0x20 or > 0x7E)
                {
                    return EventRefusalReason.NameNotAllowed;
                }
            }

            return null;
        }

        // Escaped or non-ASCII: check the characters themselves (at most maxLength bytes to decode).
        var text = name.IndexOf((byte)'\\') < 0 ? Encoding.UTF8.GetString(name) : first.GetString()!;
        return AllowedCharacters(text, allowNonAscii) ? null : EventRefusalReason.NameNotAllowed;
    }

    private static bool AllowedCharacters(string text, bool allowNonAscii)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= ' ' and <= '~')
            {
                continue;
            }

            if (!allowNonAscii)
            {
                return false;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c) || char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                return false;
            }
        }

        return true;
    }
}
