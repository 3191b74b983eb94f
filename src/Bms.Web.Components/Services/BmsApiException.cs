using System.Net;

namespace Bms.Web.Components.Services;

/// <summary>
/// A refused API call: the status code plus the Problem Details the server answered (<see cref="Detail"/>, the
/// human-readable reason, and <see cref="Code"/>, the machine-readable one). <see cref="Exception.Message"/> keeps
/// the status in front of the reason.
/// </summary>
public sealed class BmsApiException : HttpRequestException
{
    /// <summary>Creates the exception.</summary>
    public BmsApiException(HttpStatusCode statusCode, string message, string? detail, string? code)
        : base(message, null, statusCode)
    {
        Detail = detail;
        Code = code;
    }

    /// <summary>The problem's <c>detail</c> (else its <c>title</c>); null when the answer was not Problem Details.</summary>
    public string? Detail { get; }

    /// <summary>The problem's <c>code</c>, e.g. <c>forbidden</c>; null when absent.</summary>
    public string? Code { get; }
}
