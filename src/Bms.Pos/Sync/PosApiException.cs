using System.Net;

namespace Bms.Pos.Sync;

/// <summary>The backend answered an error (Problem Details): HTTP status, the <c>code</c> extension and the detail.</summary>
public sealed class PosApiException(HttpStatusCode statusCode, string? code, string message) : Exception(message)
{
    /// <summary>The HTTP status.</summary>
    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>The Problem Details <c>code</c> (e.g. <c>unauthorized</c>), when present.</summary>
    public string? Code { get; } = code;

    /// <summary>True for answers that a later retry may change (408, 429, 5xx).</summary>
    public bool IsTransient => StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)StatusCode >= 500;
}
