namespace Bms.Server.Auth;

/// <summary>The outcome of <see cref="TokenService.ValidateAsync"/>.</summary>
internal readonly record struct TokenCheck(BmsPrincipal? Principal, TokenFailure Failure)
{
    public bool IsValid => Principal is not null;

    public static TokenCheck Ok(BmsPrincipal principal) => new(principal, TokenFailure.None);

    public static TokenCheck Failed(TokenFailure failure) => new(null, failure);
}
