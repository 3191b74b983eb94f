namespace Bms.Contracts;

/// <summary>
/// The REST API's error body (RFC 9457 Problem Details, <c>application/problem+json</c>) with the <c>code</c> extension
/// (one of <see cref="ErrorCodes"/>) and, for <c>validation_failed</c>, <c>errors</c> (field → messages).
/// </summary>
/// <param name="Type">A URI reference that identifies the problem type.</param>
/// <param name="Title">A short summary of the problem type.</param>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Detail">An explanation of this occurrence.</param>
/// <param name="Instance">A URI reference of this occurrence.</param>
/// <param name="Code">The machine-readable code, one of <see cref="ErrorCodes"/>.</param>
/// <param name="Errors">Field → messages, for validation problems.</param>
public sealed record ApiProblemDetails(
    string? Type, string? Title, int? Status, string? Detail, string? Instance, string? Code = null,
    IDictionary<string, string[]>? Errors = null);
