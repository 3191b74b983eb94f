namespace Bms.Contracts;

/// <summary>The acknowledgement of <c>notification:send</c>: <c>{ok:true, id}</c> or <c>{ok:false, error, errors?}</c>.</summary>
/// <param name="Ok">True when the notification was sent.</param>
/// <param name="Id">The new notification's id.</param>
/// <param name="Error">One of <see cref="AckErrorCodes"/> when refused.</param>
/// <param name="Errors">Field → messages for <c>invalid_payload</c>.</param>
public sealed record NotificationSendAck(bool Ok, Guid? Id = null, string? Error = null, IDictionary<string, string[]>? Errors = null);
