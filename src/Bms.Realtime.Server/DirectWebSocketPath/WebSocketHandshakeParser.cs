using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Bms.Realtime.Server.DirectWebSocketPath;

/// <summary>What <see cref="WebSocketHandshakeParser.TryParse"/> decided about the bytes seen so far.</summary>
internal enum HandshakeHeadStatus
{
    /// <summary>Could still be an Engine.IO WebSocket handshake; more bytes are needed.</summary>
    NeedMore,

    /// <summary>Not a request the direct path takes: the HTTP pipeline answers it.</summary>
    NotDirect,

    /// <summary>A complete, well-formed, fresh Engine.IO v4 WebSocket handshake for one of the paths.</summary>
    Direct,
}

/// <summary>A fresh Engine.IO WebSocket handshake read from the start of a connection.</summary>
/// <param name="HeadLength">Bytes of the request head, including the final empty line.</param>
/// <param name="Url">The raw request target (path and query), as <c>Path + QueryString</c> would give it.</param>
/// <param name="RawHeaders">The ASCII header section (header lines with their CRLFs), for <c>HandshakeRequest</c>.</param>
/// <param name="Key">The <c>Sec-WebSocket-Key</c>.</param>
/// <param name="Origin">The <c>Origin</c> header, or null.</param>
/// <param name="OffersDeflate">Whether <c>Sec-WebSocket-Extensions</c> offers <c>permessage-deflate</c>.</param>
/// <param name="PathIndex">Which of the given paths the request is for.</param>
internal sealed record WebSocketHandshakeHead(int PathIndex, int HeadLength, string Url, byte[] RawHeaders, string Key, string? Origin, bool OffersDeflate);

/// <summary>
/// Recognises, without allocating for anything else, an HTTP/1.1 request head that opens a fresh Engine.IO v4
/// WebSocket session (RFC 6455 section 4.2.1; no <c>sid</c>). Anything unusual is <see cref="HandshakeHeadStatus.NotDirect"/>,
/// so that Kestrel and the HTTP pipeline produce their own answer from the same bytes. No I/O; thread-safe.
/// </summary>
internal static class WebSocketHandshakeParser
{
    /// <summary>The largest head the direct path reads before handing the connection to HTTP.</summary>
    public const int MaxHeadLength = 8 * 1024;

    private static readonly byte[] Get = "GET /"u8.ToArray();
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] Http11 = " HTTP/1.1\r\n"u8.ToArray();
    private static readonly byte[] WebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"u8.ToArray();

    /// <summary>Decides about <paramref name="buffer"/>, the first bytes of a connection.</summary>
    public static HandshakeHeadStatus TryParse(in ReadOnlySequence<byte> buffer, IReadOnlyList<string> paths, out WebSocketHandshakeHead? head)
    {
        head = null;
        var available = (int)Math.Min(buffer.Length, MaxHeadLength);
        byte[]? rented = null;
        Span<byte> span = available <= 1024 ? stackalloc byte[available] : (rented = ArrayPool<byte>.Shared.Rent(available)).AsSpan(0, available);
        try
        {
            buffer.Slice(0, available).CopyTo(span);
            return Decide(span, buffer.Length, paths, out head);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The <c>Sec-WebSocket-Accept</c> value for <paramref name="key"/> (RFC 6455 section 4.2.2).</summary>
    public static string AcceptKey(string key)
    {
        Span<byte> input = stackalloc byte[key.Length + WebSocketGuid.Length];
        var written = Encoding.ASCII.GetBytes(key, input);
        WebSocketGuid.CopyTo(input[written..]);
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input[..(written + WebSocketGuid.Length)], hash);
        return Convert.ToBase64String(hash);
    }

    /// <summary>Splits a raw header section into name/value pairs (names as sent, values trimmed).</summary>
    public static string[] ParseHeaderPairs(byte[] rawHeaders)
    {
        var pairs = new List<string>(24);
        ReadOnlySpan<byte> rest = rawHeaders;
        while (rest.Length > 0)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon > 0)
            {
                pairs.Add(Encoding.ASCII.GetString(line[..colon]));
                pairs.Add(Encoding.ASCII.GetString(line[(colon + 1)..].Trim(" \t"u8)));
            }
        }

        return pairs.ToArray();
    }

    private static HandshakeHeadStatus Decide(ReadOnlySpan<byte> span, long totalLength, IReadOnlyList<string> paths, out WebSocketHandshakeHead? head)
    {
        head = null;

        // Cheap rejection first, so other paths, other methods and TLS hand over without waiting for a whole head.
        var prefix = Math.Min(span.Length, Get.Length);
        if (!span[..prefix].SequenceEqual(Get.AsSpan(0, prefix)))
        {
            return HandshakeHeadStatus.NotDirect;
        }

        if (span.Length < Get.Length)
        {
            return HandshakeHeadStatus.NeedMore;
        }

        if (!CouldBeOurPath(span[(Get.Length - 1)..], paths))
        {
            return HandshakeHeadStatus.NotDirect;
        }

        if (HasBareLineBreak(span))
        {
            // Kestrel (and nginx) end a line at a bare LF, or refuse the head for a bare CR: a value read here across
            // it would differ from what the HTTP pipeline and proxies see, so let Kestrel parse it (at once: a head
            // ended by bare LFs would never show the CRLFCRLF this parser waits for).
            return HandshakeHeadStatus.NotDirect;
        }

        var headEnd = span.IndexOf(HeadEnd);
        if (headEnd < 0)
        {
            return totalLength >= MaxHeadLength ? HandshakeHeadStatus.NotDirect : HandshakeHeadStatus.NeedMore;
        }

        var headLength = headEnd + HeadEnd.Length;
        var bytes = span[..headLength];
        foreach (var b in bytes)
        {
            // Kestrel rejects non-ASCII and control characters in the head by default: let it answer those.
            if (b >= 0x7F || (b < 0x20 && b is not (byte)'\r' and not (byte)'\n' and not (byte)'\t'))
            {
                return HandshakeHeadStatus.NotDirect;
            }
        }

        var lineEnd = bytes.IndexOf("\r\n"u8);
        var requestLine = bytes[..(lineEnd + 2)];
        if (!requestLine.EndsWith(Http11))
        {
            return HandshakeHeadStatus.NotDirect;
        }

        var target = requestLine[(Get.Length - 1)..^Http11.Length];
        if (target.IndexOfAny(" %#"u8) >= 0)
        {
            // Escaped paths and anything odd in the target: Kestrel decodes and validates those.
            return HandshakeHeadStatus.NotDirect;
        }

        var mark = target.IndexOf((byte)'?');
        var path = mark < 0 ? target : target[..mark];
        var pathIndex = IndexOfPath(path, paths);
        if (pathIndex < 0 || mark < 0)
        {
            return HandshakeHeadStatus.NotDirect;
        }

        var url = Encoding.ASCII.GetString(target);
        var query = QueryHelpers.ParseQuery(url[mark..]);
        if (Param(query, "transport") != "websocket" || Param(query, "EIO") != "4" || Param(query, "sid").Length > 0)
        {
            return HandshakeHeadStatus.NotDirect;
        }

        var headerSection = bytes[(lineEnd + 2)..(headLength - 2)];
        if (!ReadHeaders(headerSection, out var key, out var origin, out var offersDeflate))
        {
            return HandshakeHeadStatus.NotDirect;
        }

        head = new WebSocketHandshakeHead(pathIndex, headLength, url, headerSection.ToArray(), key!, origin, offersDeflate);
        return HandshakeHeadStatus.Direct;
    }

    // The value EngineServer reads (StringValues.ToString(): repeated values joined by commas).
    private static string Param(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query, string name) =>
        query.TryGetValue(name, out var value) ? value.ToString() : string.Empty;

    private static bool ReadHeaders(ReadOnlySpan<byte> section, out string? key, out string? origin, out bool offersDeflate)
    {
        key = null;
        origin = null;
        offersDeflate = false;
        int hosts = 0, upgrades = 0, connections = 0, versions = 0, keys = 0, origins = 0;
        var upgradeOk = false;
        var connectionOk = false;
        var versionOk = false;
        var rest = section;
        while (rest.Length > 0)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = rest[..end];
            rest = rest[(end + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || !IsToken(line[..colon]))
            {
                // Obsolete line folding, whitespace before the colon, empty names: Kestrel answers 400.
                return false;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (Is(name, "host"u8))
            {
                hosts++;
            }
            else if (Is(name, "upgrade"u8))
            {
                upgrades++;
                upgradeOk = Is(value, "websocket"u8);
            }
            else if (Is(name, "connection"u8))
            {
                connections++;
                connectionOk = HasToken(value, "upgrade"u8);
            }
            else if (Is(name, "sec-websocket-version"u8))
            {
                versions++;
                versionOk = value.SequenceEqual("13"u8);
            }
            else if (Is(name, "sec-websocket-key"u8))
            {
                keys++;
                key = Encoding.ASCII.GetString(value);
            }
            else if (Is(name, "origin"u8))
            {
                origins++;
                origin = Encoding.ASCII.GetString(value);
            }
            else if (Is(name, "sec-websocket-extensions"u8))
            {
                offersDeflate |= value.IndexOf("permessage-deflate"u8) >= 0;
            }
            else if (Is(name, "content-length"u8) || Is(name, "transfer-encoding"u8) || Is(name, "expect"u8)
                || Is(name, "forwarded"u8) || StartsWith(name, "x-forwarded-"u8))
            {
                // A body on an upgrade, or proxy headers that forwarded-headers middleware would apply: HTTP decides.
                return false;
            }
        }

        return hosts == 1 && upgrades == 1 && connections == 1 && versions == 1 && keys == 1 && origins <= 1
            && upgradeOk && connectionOk && versionOk && IsValidKey(key!);
    }

    /// <summary>
    /// Whether a LF comes without its CR, or a CR without its LF (RFC 9112 section 2.2), in the bytes seen so far (a CR
    /// at the very end may still get its LF).
    /// </summary>
    private static bool HasBareLineBreak(ReadOnlySpan<byte> seen)
    {
        for (var i = seen.IndexOfAny((byte)'\r', (byte)'\n'); i >= 0 && i < seen.Length; i++)
        {
            if (seen[i] == (byte)'\n' && (i == 0 || seen[i - 1] != (byte)'\r'))
            {
                return true;
            }

            if (seen[i] == (byte)'\r' && i + 1 < seen.Length && seen[i + 1] != (byte)'\n')
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsValidKey(string key)
    {
        // RFC 6455 section 4.1: a base64-encoded 16-byte value.
        Span<byte> decoded = stackalloc byte[24];
        return key.Length == 24 && Convert.TryFromBase64String(key, decoded, out var written) && written == 16;
    }

    private static bool CouldBeOurPath(ReadOnlySpan<byte> targetSoFar, IReadOnlyList<string> paths)
    {
        foreach (var path in paths)
        {
            var n = Math.Min(targetSoFar.Length, path.Length);
            if (AsciiEqualsIgnoreCase(targetSoFar[..n], path.AsSpan(0, n)))
            {
                return true;
            }
        }

        return false;
    }

    private static int IndexOfPath(ReadOnlySpan<byte> path, IReadOnlyList<string> paths)
    {
        // Routing matches the mapped path with and without its trailing slash, ignoring case.
        if (path.Length > 1 && path[^1] == (byte)'/')
        {
            path = path[..^1];
        }

        for (var i = 0; i < paths.Count; i++)
        {
            if (AsciiEqualsIgnoreCase(path, paths[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool AsciiEqualsIgnoreCase(ReadOnlySpan<byte> bytes, ReadOnlySpan<char> text)
    {
        if (bytes.Length != text.Length)
        {
            return false;
        }

        for (var i = 0; i < bytes.Length; i++)
        {
            if (char.ToLowerInvariant((char)bytes[i]) != char.ToLowerInvariant(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Is(ReadOnlySpan<byte> value, ReadOnlySpan<byte> lowerCase) => Ascii.EqualsIgnoreCase(value, lowerCase);

    private static bool StartsWith(ReadOnlySpan<byte> value, ReadOnlySpan<byte> lowerCase) =>
        value.Length >= lowerCase.Length && Ascii.EqualsIgnoreCase(value[..lowerCase.Length], lowerCase);

    private static bool HasToken(ReadOnlySpan<byte> value, ReadOnlySpan<byte> token)
    {
        foreach (var range in value.Split((byte)','))
        {
            if (Ascii.EqualsIgnoreCase(value[range].Trim(" \t"u8), token))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsToken(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
        {
            if (b <= 0x20 || b >= 0x7F || "\"(),/:;<=>?@[\\]{}"u8.IndexOf(b) >= 0)
            {
                return false;
            }
        }

        return true;
    }
}
